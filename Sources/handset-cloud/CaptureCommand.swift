import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudMySQL
import HandsetCloudStorage

/// `handset-cloud capture`: the triggers that bring the web application's writes to mapped tables into the change
/// feed.
struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Set up or remove change capture on the existing tables an API document maps (x-handset-table).",
        discussion: """
            `serve --database URL --api FILE` sets capture up by itself when it starts; `capture install` does it \
            alone (say, as a database user with the TRIGGER privilege, when the served user lacks it). `capture \
            remove` drops the triggers again and forgets the changes not yet folded into the feed; the cloud's \
            bookkeeping stays, and the next install marks every row changed, so devices fetch them all again.
            """,
        subcommands: [Install.self, Remove.self])

    struct Options: ParsableArguments {
        @Option(
            name: .customLong("database"),
            help: ArgumentHelp("The MariaDB/MySQL database that holds the tables.", valueName: "url"))
        var database: String

        @Option(name: .customLong("api"), help: ArgumentHelp("The API document that maps them.", valueName: "file"))
        var documentFile: String

        func mappings() throws -> [LegacyTableMapping] {
            let mappings = try tableMappings(inAPIDocument: URL(fileURLWithPath: documentFile))
            guard !mappings.isEmpty else {
                throw ValidationError("\(documentFile) maps no existing table (no schema has x-handset-table)")
            }
            return mappings
        }
    }

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the capture triggers the mapping needs.")

        @OptionGroup var options: Options

        func run() async throws {
            do {
                let configuration = try StorageOptions.configuration(options.database)
                for line in try await LegacyTableCommands.installCapture(
                    configuration, mappings: try options.mappings())
                {
                    print(line)
                }
            } catch let error as ValidationError {
                throw error
            } catch {
                FileHandle.standardError.write(Data("handset-cloud capture install: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop the capture triggers of the mapped tables (the tables themselves are left as they are).")

        @OptionGroup var options: Options

        func run() async throws {
            do {
                let configuration = try StorageOptions.configuration(options.database)
                let tables = try options.mappings().map(\.table)
                for line in try await LegacyTableCommands.removeCapture(configuration, tables: tables) { print(line) }
            } catch let error as ValidationError {
                throw error
            } catch {
                FileHandle.standardError.write(Data("handset-cloud capture remove: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
