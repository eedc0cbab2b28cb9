import Foundation
import HandsetModel
import HandsetWire

/// Saved connection profiles: a named copy of the `amplify_outputs.json` a person first opened.
public struct ProfileStore: Sendable {
    public let paths: HandsetPaths

    public init(paths: HandsetPaths) {
        self.paths = paths
    }

    /// Saves `outputs` as `profile`, so later runs need no `--config`.
    public func save(_ outputs: AmplifyOutputs, as profile: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try SecureFiles.writePrivate(try encoder.encode(outputs), to: paths.profileFile(profile))
    }

    /// The saved profile's configuration; a clear error when there is none yet.
    public func load(_ profile: String) throws -> (ClientConfiguration, AmplifyOutputs) {
        let file = paths.profileFile(profile)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ConfigurationError(
                "no saved profile \"\(profile)\": run `handset --config path/to/amplify_outputs.json` once")
        }
        return try ClientConfiguration.load(contentsOf: file)
    }

    /// Profile names must be safe file names.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
            && name.first != "."
    }
}
