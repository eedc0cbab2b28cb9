import Foundation

/// A JSON settings file of the data directory: read when present, written with defaults when not.
enum SettingsFile {
    static func loadOrCreate<Settings: Codable>(_ defaults: Settings, at file: URL) throws -> Settings {
        if let data = try? Data(contentsOf: file) {
            do {
                return try JSONDecoder().decode(Settings.self, from: data)
            } catch {
                throw CloudStartupError.unreadableFile(path: file.path, reason: "\(error)")
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(defaults)
            data.append(UInt8(ascii: "\n"))
            try AtomicFile.write(data, to: file, permissions: 0o644)
        } catch {
            throw CloudStartupError.unwritableFile(path: file.path, reason: "\(error)")
        }
        return defaults
    }
}
