import Foundation
import HandsetApp

/// Reading `config.toml` from the configuration directory.
extension Settings {
    /// The settings file's path.
    public static func file(in configDirectory: URL) -> URL {
        configDirectory.appendingPathComponent("config.toml")
    }

    /// Reads `file` if it exists (defaults otherwise), then applies the environment's overrides.
    /// Returns warnings (unknown keys) alongside the settings.
    public static func load(
        file: URL, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (Settings, warnings: [String]) {
        var settings = Settings()
        var warnings: [String] = []
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            do {
                (settings, warnings) = try parse(text)
            } catch let error as SettingsError {
                throw SettingsError("\(file.path): \(error.description)")
            }
        }
        try settings.apply(environment: environment)
        return (settings, warnings)
    }
}
