import ArgumentParser
import Foundation
import HandsetApp
import HandsetLive
import HandsetModel
import HandsetRemote
import HandsetSync
import HandsetWire

/// `handset inbox`: notifications, once or as they arrive.
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "Show notifications; --follow waits for new ones (long-poll).",
        subcommands: [Show.self, Read.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "List notifications (the default).")
        @OptionGroup var profile: ProfileOptions
        @Flag(
            name: .long,
            help: "Keep waiting and print each new notification as it arrives (with --json: one object a line).")
        var follow = false
        @Flag(name: .long, help: "Only unread ones.") var unread = false
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let services = try profile.services().requireUser()
            let poller = InboxPoller(api: services.api, store: services.store)
            // A follower keeps its own cursor: another process of the same user moves the cache's on.
            var cursor = try services.store.inboxCursor()
            do {
                cursor = try await poller.follow(after: cursor, wait: 0).cursor
            } catch {
                // Offline: show what is cached, unless following (which needs the server).
                if follow { throw Console.fail(error) }
                Console.note("offline: showing the cached inbox")
            }
            let items = try services.store.notifications().filter { !unread || !$0.read }
            if output.json, !follow {
                // One JSON document, as `ls --json` prints: an empty inbox is `[]`.
                let encoded = items.reversed().compactMap { try? JSONValue.parse(JSONEncoder().encode($0)) }
                Console.printJSON(.array(encoded))
                return
            }
            for item in items.reversed() { Self.print(item, json: output.json) }
            guard follow else { return }
            var shown = Set(items.map(\.id))
            var delay: UInt64 = 1
            while true {
                do {
                    let page = try await poller.follow(after: cursor, wait: NotificationRoute.maximumWait)
                    cursor = page.cursor
                    for item in page.items.sorted(by: { $0.createdAt < $1.createdAt })
                    where !shown.contains(item.id) && (!unread || !item.read) {
                        shown.insert(item.id)
                        Self.print(item, json: output.json)
                    }
                    delay = 1
                } catch {
                    Console.note("inbox: \(RemoteError.from(error).message); retrying in \(delay) s")
                    try await Task.sleep(nanoseconds: delay * 1_000_000_000)
                    delay = min(delay * 2, 60)
                }
            }
        }

        static func print(_ item: InboxItem, json: Bool) {
            var line: String
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                line = String(decoding: (try? encoder.encode(item)) ?? Data(), as: UTF8.self)
            } else {
                let link = item.link.map { " [\($0.collection)/\($0.id)]" } ?? ""
                // Titles and bodies come from other people: never let them drive the terminal.
                let body = TerminalText.safe(item.body, keepingNewlines: true).replacingOccurrences(
                    of: "\n", with: "\n    ")
                line =
                    "\(item.read ? " " : "●") \(TerminalText.safe(item.createdAt))  \(TerminalText.safe(item.title))"
                    + "\(TerminalText.safe(link))\n    \(body)"
            }
            // Written straight to the file descriptor: each notification reaches a pipe or a file as it arrives, not
            // when a buffer fills.
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read", abstract: "Mark a notification read (or --all).")
        @OptionGroup var profile: ProfileOptions
        @Argument(help: "The notification's id (`handset inbox` shows them).") var id: String?
        @Flag(name: .long, help: "Mark every notification read.") var all = false

        func run() async throws {
            guard all || id != nil else { throw ValidationError("give a notification id or --all") }
            let services = try profile.services().requireUser()
            do {
                try await InboxPoller(api: services.api, store: services.store).markRead(all ? nil : id)
            } catch {
                throw Console.fail(error)
            }
            Swift.print(all ? "All read" : "Read")
        }
    }
}
