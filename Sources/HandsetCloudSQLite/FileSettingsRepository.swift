import Foundation
import HandsetCloudStorage

/// Settings as JSON files of the data directory, which people edit by hand: `pool.json` (0600: it names the app
/// clients' secrets), `storage.json`, `notifications.json`.
package struct FileSettingsRepository: SettingsRepository {
    package let directory: DataDirectory

    package init(directory: DataDirectory) {
        self.directory = directory
    }

    package func file(_ name: SettingsName) -> URL {
        switch name {
        case .pool: directory.poolConfiguration
        case .storage: directory.storageSettings
        case .notifications: directory.notificationSettings
        }
    }

    private func permissions(_ name: SettingsName) -> mode_t { name == .pool ? 0o600 : 0o644 }

    package func document(
        _ name: SettingsName, creatingWith initial: @escaping @Sendable () throws -> Data
    ) async throws -> Data {
        let url = file(name)
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                return try Data(contentsOf: url)
            } catch {
                throw CloudStartupError.unreadableFile(path: url.path, reason: "\(error)")
            }
        }
        do {
            return try ExclusiveFile.readOrCreate(url, permissions: permissions(name), make: initial)
        } catch let error as CloudStartupError {
            throw error
        } catch {
            throw CloudStartupError.unwritableFile(path: url.path, reason: "\(error)")
        }
    }

    package func replaceDocument(_ name: SettingsName, with data: Data) async throws {
        try AtomicFile.write(data, to: file(name), permissions: permissions(name))
    }
}
