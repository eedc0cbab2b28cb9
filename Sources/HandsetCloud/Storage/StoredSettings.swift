import Foundation
import HandsetCloudStorage

/// Settings documents read through the storage's `SettingsRepository`, decoded here (keys missing from a document
/// take their defaults).
///
/// On the first start against an empty database, a document is seeded from the data directory's file of the same
/// name when there is one (so `pool.json` written before the first start applies to a MySQL database too), else
/// from the defaults. On SQLite the file is the document.
enum StoredSettings {
    static func load<Settings: Codable & Sendable>(
        _ name: SettingsName, from repository: any SettingsRepository, seed: DataDirectory?,
        defaults: @escaping @Sendable () -> Settings
    ) async throws -> Settings {
        let seedFile = seed.map { file(of: name, in: $0) }
        let data = try await repository.document(name) {
            if let seedFile, let data = try? Data(contentsOf: seedFile) { return data }
            return try encoded(defaults())
        }
        do {
            return try JSONDecoder().decode(Settings.self, from: data)
        } catch {
            throw CloudStartupError.unreadableFile(path: "\(name.rawValue) settings", reason: "\(error)")
        }
    }

    /// Stores `settings` as the document `name`.
    static func save<Settings: Codable>(
        _ settings: Settings, as name: SettingsName, in repository: any SettingsRepository
    ) async throws {
        try await repository.replaceDocument(name, with: try encoded(settings))
    }

    /// The pretty, sorted JSON of a settings document (people read and edit these).
    static func encoded<Settings: Encodable>(_ settings: Settings) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(settings)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// The data directory's file of a settings document.
    static func file(of name: SettingsName, in directory: DataDirectory) -> URL {
        switch name {
        case .pool: directory.poolConfiguration
        case .storage: directory.storageSettings
        case .notifications: directory.notificationSettings
        }
    }
}
