import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudStorage

/// `handset-cloud keys`: the user pool's token signing keys.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List or rotate the user pool's token signing keys.",
        subcommands: [List.self, Rotate.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the signing keys: the current one, and retired ones still in the JWKS.")

        @OptionGroup(title: "Storage")
        var storage: StorageOptions

        @Flag(help: "Print one JSON object per line instead of a table.")
        var json = false

        func run() async throws {
            let listings: [KeyAdmin.Listing]
            do {
                listings = try await storage.withExisting {
                    try await KeyAdmin.list(storage: $0, seed: DataDirectory(root: storage.dataDirectoryURL))
                }
            } catch {
                FileHandle.standardError.write(Data("handset-cloud keys: \(error)\n".utf8))
                throw ExitCode.failure
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for listing in listings { print(String(decoding: try encoder.encode(listing), as: UTF8.self)) }
                return
            }
            for listing in listings {
                var line = "\(listing.state.padding(toLength: 8, withPad: " ", startingAt: 0)) \(listing.kid)  "
                line += "created \(listing.createdAt)"
                if let retiredAt = listing.retiredAt, let until = listing.validUntil {
                    line += ", retired \(retiredAt), in the JWKS until \(until)"
                }
                print(line)
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign new tokens with a new key; the old key stays in the JWKS until its tokens expire.",
            discussion: """
                Running servers switch to the new key within 30 seconds (at once when they meet a token signed \
                with it). Tokens signed with the old key keep working until they expire: the old key stays in the \
                JWKS until then, and keys retired longer ago are dropped.
                """)

        @OptionGroup(title: "Storage")
        var storage: StorageOptions

        func run() async throws {
            do {
                let rotation = try await storage.withExisting {
                    try await KeyAdmin.rotate(storage: $0, seed: DataDirectory(root: storage.dataDirectoryURL))
                }
                print("signing with \(rotation.currentKeyID)")
                print(
                    "retired \(rotation.retiredKeyID): in the JWKS until "
                        + "\(ISO8601DateFormatter().string(from: rotation.retiredKeyValidUntil))")
                if rotation.removed > 0 { print("dropped \(rotation.removed) expired key(s)") }
            } catch {
                FileHandle.standardError.write(Data("handset-cloud keys rotate: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
