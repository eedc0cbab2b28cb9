import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudStorage
import HandsetWire

/// `handset-cloud publish`: publishes to a topic's subscribers, for developers.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish a notification to every subscriber of a topic (users, and members of groups).",
        discussion: """
            Writes into the storage (the data directory's database, or --database), then asks the running server (if any, on loopback) to wake \
            the subscribers' long-polls at once. Topics and subscriptions are made through the API \
            (POST <api>/_topics, POST <api>/_topics/<name>/subscriptions) or, for the topic, with --create.
            """)

    @OptionGroup(title: "Storage")
    var storage: StorageOptions

    @Option(help: "The topic's name.")
    var topic: String

    @Option(help: "The notification's title.")
    var title: String

    @Option(help: "The notification's body.")
    var body: String = ""

    @Option(help: ArgumentHelp("A record to link to.", valueName: "collection/id"))
    var link: String?

    @Flag(help: "Create the topic first if it does not exist.")
    var create = false

    func run() async throws {
        let directory = storage.dataDirectoryURL
        let delivery: NotificationAdmin.Delivery
        do {
            delivery = try await storage.withExisting { opened in
                try await NotificationAdmin.publish(
                    storage: opened, topic: topic, title: title, body: body, link: try RecordLink(argument: link),
                    createTopic: create)
            }
        } catch {
            FileHandle.standardError.write(Data("handset-cloud publish: \(error)\n".utf8))
            throw ExitCode.failure
        }
        await InboxWake.wake(delivery.recipients, dataDirectory: directory)
        print("published to \(topic): \(delivery.recipients.count) inbox(es)")
    }
}
