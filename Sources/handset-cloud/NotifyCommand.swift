import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudStorage
import HandsetWire

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `handset-cloud notify`: puts a notification in one user's inbox, for developers.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Send a notification to one user's inbox (kind \"direct\").",
        discussion: """
            Writes into the storage (the data directory's database, or --database), then asks the running server (if any, on loopback) to wake \
            the user's long-polls at once; a server it cannot reach notices within half a second by itself.
            """)

    @OptionGroup(title: "Storage")
    var storage: StorageOptions

    @Option(help: "The recipient: username, email or sub.")
    var user: String

    @Option(help: "The notification's title.")
    var title: String

    @Option(help: "The notification's body.")
    var body: String = ""

    @Option(help: ArgumentHelp("A record to link to.", valueName: "collection/id"))
    var link: String?

    func run() async throws {
        let directory = storage.dataDirectoryURL
        let delivery: NotificationAdmin.Delivery
        do {
            delivery = try await storage.withExisting { opened in
                try await NotificationAdmin.notify(
                    storage: opened, user: user, title: title, body: body, link: try RecordLink(argument: link))
            }
        } catch {
            FileHandle.standardError.write(Data("handset-cloud notify: \(error)\n".utf8))
            throw ExitCode.failure
        }
        await InboxWake.wake(delivery.recipients, dataDirectory: directory)
        print("notified \(user)")
    }
}

extension RecordLink {
    /// `collection/id` from the command line; `nil` for no link.
    init?(argument: String?) throws {
        guard let argument else { return nil }
        let parts = argument.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ValidationError("--link must be collection/id")
        }
        self.init(collection: parts[0], id: parts[1])
    }
}

/// Asks a running server to wake long-polls at once. Best effort: when it cannot, the server's own check for
/// deliveries by other processes wakes them within half a second.
enum InboxWake {
    static func wake(_ subs: [String], dataDirectory: URL) async {
        guard !subs.isEmpty, let url = NotificationAdmin.wakeURL(dataDirectory: dataDirectory) else { return }
        var request = URLRequest(url: url, timeoutInterval: 2)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try? JSONEncoder().encode(["subs": subs])
        _ = try? await URLSession.shared.data(for: request)
    }
}
