import ArgumentParser
import Foundation
import HandsetApp
import HandsetLive
import HandsetModel
import HandsetStore
import HandsetWire

/// `handset refused`: writes the server refused for good, and dropping them.
struct RefusedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refused",
        abstract: "Show writes the server refused (bad fields, or no rule allows them); fix with `put` or discard.",
        subcommands: [ListRefused.self, DiscardRefused.self], defaultSubcommand: ListRefused.self)

    struct ListRefused: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List refused writes (the default).")
        @OptionGroup var profile: ProfileOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let refusals = try profile.services().requireUser().store.refusals()
            if output.json {
                Console.printJSON(
                    .array(
                        refusals.map {
                            [
                                "collection": .string($0.collection), "id": .string($0.recordId),
                                "operation": .string($0.operation.rawValue), "status": .number(Double($0.status)),
                                "reason": .string($0.reason),
                            ]
                        }))
                return
            }
            if refusals.isEmpty { print("No refused writes") }
            for refusal in refusals {
                let kind = refusal.isForbidden ? "forbidden" : "refused"
                print(
                    TerminalText.safe(
                        "\(refusal.collection)/\(refusal.recordId): \(refusal.operation.rawValue) \(kind): \(refusal.reason)"
                    ))
            }
        }
    }

    struct DiscardRefused: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discard", abstract: "Drop a refused write: the record goes back to the server's version.")
        @OptionGroup var profile: ProfileOptions
        @Argument(help: "The collection, e.g. tasks.") var collection: String
        @Argument(help: "The record's id (`handset ls` shows them).") var id: String

        func run() throws {
            let services = try profile.services().requireUser()
            guard try services.store.discardRefused(collection: collection, id: id) else {
                Console.error("no refused write for \(collection)/\(id)")
                throw HandsetExit.failure
            }
            print("Discarded the refused write of \(collection)/\(id)")
        }
    }
}
