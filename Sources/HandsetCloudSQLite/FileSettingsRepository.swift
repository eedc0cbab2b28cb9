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
    /// Tells `changedDocument` when a file cannot have changed, so that it need not `stat` it at every request.
    private let watch: SettingsFileWatch
    /// Each document's path and file name, worked out once (`changedDocument` runs at every request).
    private let locations: [SettingsName: (path: String, name: String)]

    package init(directory: DataDirectory) {
        self.directory = directory
        var locations: [SettingsName: (path: String, name: String)] = [:]
        for name in SettingsName.allCases {
            let url = Self.file(name, in: directory)
            locations[name] = (url.path, url.lastPathComponent)
        }
        self.locations = locations
        self.watch = SettingsFileWatch(directory: directory.root.path, files: locations.values.map(\.name))
    }

    package func file(_ name: SettingsName) -> URL {
        Self.file(name, in: directory)
    }

    private static func file(_ name: SettingsName, in directory: DataDirectory) -> URL {
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

    /// A file replaced by rename has another inode; one edited in place another size or modification time. While
    /// the directory's watch has seen no event for the file since it was last found with `stamp`, nothing is looked
    /// at: one non-blocking read of the watch's queue.
    package func changedDocument(_ name: SettingsName, since stamp: String?) -> (data: Data, stamp: String)? {
        guard let (path, fileName) = locations[name] else { return nil }
        if let stamp, watch.unchanged(fileName, since: stamp) { return nil }
        watch.willLook(fileName)
        guard let (now, isLink) = Self.stamp(path) else { return nil }
        // A symbolic link's target changes where the directory's watch does not see it: such a file is looked at
        // every time.
        if !isLink { watch.saw(fileName, stamp: now) }
        guard now != stamp, let data = try? Data(contentsOf: URL(fileURLWithPath: path)), Self.stamp(path)?.stamp == now
        else { return nil }
        return (data, now)
    }

    package var watchesChanges: Bool { true }

    private static func stamp(_ path: String) -> (stamp: String, isLink: Bool)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        var link = stat()
        let isLink = lstat(path, &link) != 0 || (link.st_mode & S_IFMT) == S_IFLNK
        return ("\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)", isLink)
    }
}
