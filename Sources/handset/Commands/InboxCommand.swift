import ArgumentParser
import Foundation
import HandsetApp
import HandsetRemote
import HandsetSync
import HandsetWire

/// `handset inbox`: notifications, once or as they arrive.
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "Show notifications; --follow waits for new ones (long-poll).",
        subcommands: [Show.self, Read.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "List notifications (the default).")
        @OptionGroup var profile: ProfileOptions
        @Flag(name: .long, help: "Keep waiting and print each new notification as it arrives.") var follow = false
        @Flag(name: .long, help: "Only unread ones.") var unread = false
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let services = try profile.services()
            let poller = InboxPoller(api: services.api, store: services.store)
            do {
                _ = try await poller.poll(wait: 0)
            } catch {
                // Offline: show what is cached, unless following (which needs the server).
                if follow { throw Console.fail(error) }
                Console.note("offline: showing the cached inbox")
            }
            let items = try services.store.notifications().filter { !unread || !$0.read }
            for item in items.reversed() { Self.print(item, json: output.json) }
            guard follow else { return }
            var delay: UInt64 = 1
            while true {
                do {
                    let (new, _) = try await poller.poll(wait: NotificationRoute.maximumWait)
                    for item in new.sorted(by: { $0.createdAt < $1.createdAt }) { Self.print(item, json: output.json) }
                    delay = 1
                } catch {
                    Console.note("inbox: \(RemoteError.from(error).message); retrying in \(delay) s")
                    try await Task.sleep(nanoseconds: delay * 1_000_000_000)
                    delay = min(delay * 2, 60)
                }
            }
        }

        static func print(_ item: InboxItem, json: Bool) {
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                Swift.print(String(decoding: (try? encoder.encode(item)) ?? Data(), as: UTF8.self))
            } else {
                let link = item.link.map { " [\($0.collection)/\($0.id)]" } ?? ""
                Swift.print("\(item.read ? " " : "●") \(item.createdAt)  \(item.title)\(link)\n    \(item.body)")
            }
            FileHandle.standardOutput.synchronizeFile()
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "read", abstract: "Mark a notification read (or --all).")
        @OptionGroup var profile: ProfileOptions
        @Argument var id: String?
        @Flag(name: .long) var all = false

        func run() async throws {
            guard all || id != nil else { throw ValidationError("give a notification id or --all") }
            let services = try profile.services()
            do {
                try await InboxPoller(api: services.api, store: services.store).markRead(all ? nil : id)
            } catch {
                throw Console.fail(error)
            }
            Swift.print(all ? "All read" : "Read")
        }
    }
}
