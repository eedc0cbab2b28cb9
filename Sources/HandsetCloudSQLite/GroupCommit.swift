import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Group commit for the cloud's SQLite file: the write-ahead log is flushed to the disk (`fsync`) before any write is
/// acknowledged, once for every write that committed while the previous flush ran.
///
/// The pool commits with `synchronous = NORMAL` (GRDB's WAL default): a commit appends its frames to the WAL without
/// an `fsync`, so it survives the process dying (kill -9: the frames are in the kernel's page cache) but not the
/// machine losing power. `synchronous = FULL` would `fsync` inside every commit while holding SQLite's single write
/// lock, so writers would queue behind each other's flushes. Here the flush happens after the commit, outside the
/// lock: a write waits for the first flush that starts after it committed, and one flush covers every commit before
/// it, so N concurrent writers cost one `fsync`, not N. The promise is the same as FULL's: a write is acknowledged
/// only once it is on the disk. (Checkpoints flush the WAL before they copy it into the database file, as SQLite
/// does in NORMAL mode, so the database file never gets ahead of a flushed WAL.)
package final class GroupCommit: @unchecked Sendable {
    private let walPath: String
    private let lock = NSLock()
    /// Tickets handed out: each write that needs a flush takes the next number.
    private var issued: UInt64 = 0
    private var flushing = false
    private var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private let queue = DispatchQueue(label: "handset-cloud.group-commit")
    private var flushes = 0

    /// How many times the WAL was flushed so far.
    package var flushCount: Int { lock.withLock { flushes } }

    package init(databasePath: String) {
        walPath = databasePath + "-wal"
    }

    /// Returns once every write committed before this call is on the disk.
    package func flush() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start = lock.withLock { () -> Bool in
                issued += 1
                waiters.append((issued, continuation))
                guard !flushing else { return false }
                flushing = true
                return true
            }
            if start { queue.async { self.run() } }
        }
    }

    /// The same, blocking the calling thread (for synchronous callers).
    package func flushNow() throws {
        try Self.sync(walPath)
    }

    /// Flushes until nobody waits. A flush that starts after a ticket was issued covers that ticket's write.
    private func run() {
        while true {
            let covered = lock.withLock { () -> UInt64? in
                if waiters.isEmpty {
                    flushing = false
                    return nil
                }
                return issued
            }
            guard let covered else { return }
            let result = Result { try Self.sync(walPath) }
            let done = lock.withLock { () -> [CheckedContinuation<Void, any Error>] in
                flushes += 1
                let done = waiters.filter { $0.ticket <= covered }.map(\.continuation)
                waiters.removeAll { $0.ticket <= covered }
                return done
            }
            for continuation in done { continuation.resume(with: result) }
        }
    }

    /// `fsync` of the WAL file. No WAL file means nothing is waiting in one (it is removed only after a full
    /// checkpoint, which flushed the database file).
    private static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return }
            throw GroupCommitError(operation: "open", path: path, code: errno)
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw GroupCommitError(operation: "fsync", path: path, code: errno) }
    }
}

/// The WAL could not be flushed: the write committed but is not known to be on the disk, so it is not acknowledged.
package struct GroupCommitError: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var code: Int32
    package var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
}
