import Foundation
import HandsetCloudStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

    /// Under an exclusive `flock` of `<file>.lock`, which every process sharing the data directory takes: read,
    /// change, replace atomically.
    package func updateDocument(
        _ name: SettingsName, _ change: @escaping @Sendable (Data) throws -> Data
    ) async throws -> Data {
        let url = file(name)
        let lockPath = url.path + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXFailure(operation: "open", path: lockPath) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw POSIXFailure(operation: "lock", path: lockPath) }
        }
        defer { flock(descriptor, LOCK_UN) }
        let updated = try change(try Data(contentsOf: url))
        try AtomicFile.write(updated, to: url, permissions: permissions(name))
        return updated
    }

    /// A file replaced by rename has another inode; one edited in place another size or modification time.
    package func changedDocument(_ name: SettingsName, since stamp: String?) -> (data: Data, stamp: String)? {
        let url = file(name)
        guard let now = Self.stamp(url.path), now != stamp, let data = try? Data(contentsOf: url),
            Self.stamp(url.path) == now
        else { return nil }
        return (data, now)
    }

    package var watchesChanges: Bool { true }

    private static func stamp(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return "\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}
