import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudStorage
import HandsetWire

/// `handset-cloud objects`: the objects of a data directory and their storage tier.
struct ObjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "objects",
        abstract: "List stored objects with their tier, or apply the lifecycle rule now.",
        subcommands: [List.self, Lifecycle.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every object: key, size, content type, tier (STANDARD or GLACIER), restore state.")

        @OptionGroup(title: "Storage")
        var storage: StorageOptions

        @Flag(help: "Print one JSON object per line instead of a table.")
        var json = false

        func run() async throws {
            let listings: [ObjectAdmin.Listing]
            do {
                listings = try await storage.withExisting { try await ObjectAdmin.list(storage: $0) }
            } catch {
                FileHandle.standardError.write(Data("handset-cloud objects: \(error)\n".utf8))
                throw ExitCode.failure
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for listing in listings {
                    print(String(decoding: try encoder.encode(listing), as: UTF8.self))
                }
                return
            }
            var rows = [["TIER", "RESTORE", "SIZE", "TYPE", "CREATED", "KEY"]]
            for listing in listings {
                let info = listing.info
                rows.append([
                    info.tier.rawValue, info.restore?.rawValue ?? "-", String(info.size), info.contentType,
                    info.createdAt, info.key,
                ])
            }
            let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                let cells = row.enumerated().map { index, cell in
                    index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                }
                print(cells.joined(separator: "  "))
            }
            if listings.isEmpty { print("(no objects)") }
        }
    }

    struct Lifecycle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Apply the lifecycle rule now: archive old objects, expire restored copies, remove unused uploads.",
            discussion:
                "The rule's settings (archiveAfterDays, ...) are the storage settings (SQLite: <data-dir>/storage.json)."
        )

        @OptionGroup(title: "Storage")
        var storage: StorageOptions

        @Option(
            name: .customLong("objects-dir"),
            help:
                "Where object bytes live, when the server was started with --objects-dir (default: <data-dir>/objects)."
        )
        var objectsDirectory: String?

        func run() async throws {
            do {
                let report = try await storage.withExisting {
                    try await ObjectAdmin.runLifecycle(
                        storage: $0, dataDirectory: storage.dataDirectoryURL,
                        objectsDirectory: objectsDirectory.map { URL(fileURLWithPath: $0) })
                }
                print("lifecycle: \(report)")
            } catch {
                FileHandle.standardError.write(Data("handset-cloud objects lifecycle: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
