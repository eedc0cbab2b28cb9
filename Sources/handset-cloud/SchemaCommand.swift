import ArgumentParser
import Foundation
import HandsetCloudMySQL

/// `handset-cloud schema import`: an API document for existing tables.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Write API documents for existing tables.",
        subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Write an API document for existing tables of a MariaDB/MySQL database, from information_schema.",
            discussion: """
                One collection per table, named after it, with a property per column (types, required, maxLength, \
                enum; BLOBs left out), the x-handset-table mapping, a title column guessed and list columns. The \
                access rule is cautious: signed-in users read, the admins group writes. Edit it (an owner rule can \
                name the column that holds the owner, x-handset-owner-column, and the token claim it holds, \
                identityClaim), then serve: handset-cloud serve --database URL --api FILE.
                """)

        @Option(
            name: .customLong("database"),
            help: ArgumentHelp("The MariaDB/MySQL database that holds the tables.", valueName: "url"))
        var database: String

        @Option(
            name: .customLong("table"), help: ArgumentHelp("A table to import (repeat for more).", valueName: "name"))
        var tables: [String] = []

        @Option(
            name: .customLong("output"),
            help: ArgumentHelp("Write the document here instead of to standard output.", valueName: "file"))
        var output: String?

        func validate() throws {
            guard !tables.isEmpty else { throw ValidationError("name at least one --table") }
        }

        func run() async throws {
            do {
                let configuration = try StorageOptions.configuration(database)
                let document = try await LegacyTableCommands.importSchema(configuration, tables: tables)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                var data = try encoder.encode(document)
                data.append(UInt8(ascii: "\n"))
                if let output {
                    try data.write(to: URL(fileURLWithPath: output), options: .atomic)
                    FileHandle.standardError.write(
                        Data(
                            "handset-cloud schema import: wrote \(output) (\(tables.count == 1 ? "1 table" : "\(tables.count) tables"))\n"
                                .utf8))
                } else {
                    FileHandle.standardOutput.write(data)
                }
            } catch let error as ValidationError {
                throw error
            } catch {
                FileHandle.standardError.write(Data("handset-cloud schema import: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
