import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The pool's configuration in `<data dir>/pool.json`, the file an operator edits and the configuration operations
/// write. Every instance that shares the data directory (every SQLite deployment) shares the file: a change made
/// by one instance, or by hand, is seen by the others at their next request, because `current()` re-reads the
/// file whenever its inode, size or modification time differ from the snapshot's (one `stat` per call).
///
/// Updates take an exclusive `flock` on `pool.json.lock`, re-read the file, apply the change and replace the file
/// atomically, so concurrent updates from several processes never lose one another's changes.
final class PoolFileSettings: PoolSettingsRepository, @unchecked Sendable {
    private let file: URL
    private let lockFile: URL
    private let lock = NSLock()
    private var snapshot: PoolConfiguration
    private var stamp: FileStamp?
    private var observers: [@Sendable (PoolConfiguration) -> Void] = []

    /// Opens the file of a data directory, which `PoolConfiguration.loadOrCreate` has created.
    init(directory: DataDirectory) throws {
        file = directory.poolConfiguration
        lockFile = directory.root.appendingPathComponent("pool.json.lock")
        stamp = FileStamp(path: file.path)
        snapshot = try PoolConfiguration.load(from: directory)
    }

    func current() -> PoolConfiguration {
        lock.withLock {
            let now = FileStamp(path: file.path)
            if let now, now != stamp, let data = try? Data(contentsOf: file),
                let fresh = try? PoolConfiguration.decode(data), !fresh.clients.isEmpty
            {
                // A file that does not parse (half-edited by hand) leaves the last good configuration in force.
                snapshot = fresh
                stamp = now
            }
            return snapshot
        }
    }

    func update(_ change: @Sendable (inout PoolConfiguration) throws -> Void) async throws -> PoolConfiguration {
        let updated = try withFileLock {
            var configuration = try PoolConfiguration.decode(Data(contentsOf: file))
            try change(&configuration)
            try AtomicFile.write(configuration.fileContents(), to: file, permissions: 0o600)
            lock.withLock {
                snapshot = configuration
                stamp = FileStamp(path: file.path)
            }
            return configuration
        }
        for observer in lock.withLock({ observers }) { observer(updated) }
        return updated
    }

    func observeUpdates(_ observer: @escaping @Sendable (PoolConfiguration) -> Void) {
        lock.withLock { observers.append(observer) }
    }

    private func withFileLock<Value>(_ body: () throws -> Value) throws -> Value {
        let descriptor = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXFailure(operation: "open", path: lockFile.path) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw POSIXFailure(operation: "lock", path: lockFile.path) }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}

/// What identifies one version of a file: a replacement by rename changes the inode, an edit in place the size or
/// the modification time (nanoseconds).
private struct FileStamp: Equatable {
    var inode: UInt64
    var size: Int64
    var seconds: Int
    var nanoseconds: Int

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
