import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudStorage

/// `handset-cloud mailbox`: prints the codes and temporary passwords the user pool "sent" by email or SMS.
struct MailboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailbox",
        abstract: "Show the codes the user pool sent (sign-up, password reset, email/SMS MFA, invitations).",
        discussion: """
            Reads the mailbox (SQLite: <data-dir>/mailbox.jsonl), where the local cloud writes every message a real \
            user pool would have sent by email or SMS. The same messages are served to loopback clients at GET /_loopback/mailbox.
            """)

    @OptionGroup(title: "Storage")
    var storage: StorageOptions

    @Option(name: .long, help: "Only messages to this user.")
    var username: String?

    @Flag(name: .long, help: "Print one JSON object per line instead of text.")
    var json = false

    @Flag(name: .long, help: "Keep running and print new messages as they arrive.")
    var follow = false

    func run() async throws {
        let opened = try await storage.openExisting()
        var printed = 0
        while true {
            let messages = try await opened.mailbox.messages()
            if messages.count > printed {
                var text = ""
                for message in messages[printed...]
                where username.map({ $0.lowercased() == message.username.lowercased() }) ?? true {
                    text += format(message) + "\n"
                }
                printed = messages.count
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            guard follow else {
                await opened.close()
                return
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    private func format(_ message: SentMessage) -> String {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(message)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return "\(message.time)  \(message.purpose)  \(message.username) <\(message.medium) \(message.destination)>  "
            + "code: \(message.code)"
    }
}
