import Dispatch
import Foundation
import GRDB
import GRDBSQLite

/// Checkpoints of a SQLite file's write-ahead log, off the path of the commits that fill it: the device's cache
/// (`LocalStore`) and the local cloud's database (`CloudDatabase`) both use it.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the log past 1,000 pages: that commit returns only
/// after the checkpoint has copied the log into the database file and flushed the file. An edit writes a dozen pages
/// (its row and its outbox entry with their indexes, the full-text index's segment and bookkeeping), so about one edit
/// in ninety paid for a whole checkpoint: those were the slowest 1% of edits.
///
/// Here the writer's commit only notes the time and the log's size (SQLite's WAL hook). Past `threshold` pages, a
/// PASSIVE checkpoint runs on a connection and a queue of this type's own once the writer has been quiet for
/// `quiet`: a checkpoint running beside a commit still slows it, because the commit's flush of the log waits for the
/// disk to take the checkpoint's megabytes too (measured: the slowest 1% of back-to-back edits were those that
/// overlapped one). The committing connection checkpoints itself only past `limit` pages (a long burst of writes, a
/// reader holding an old snapshot), so the log stays bounded.
///
/// Durability does not depend on checkpoints: a commit is durable once its frames are flushed to the log
/// (`synchronous = FULL`); a checkpoint only moves them into the database file, and flushes that file before the log
/// may be reused. A checkpoint cut short by a crash is finished by the next one.
package final class WALCheckpointer: @unchecked Sendable {
    /// Log pages after which a commit asks for a background checkpoint (SQLite's own automatic checkpoint's).
    package let threshold: Int32
    /// Log pages after which the committing connection checkpoints itself.
    package let limit: Int32
    /// How long the writer must have been quiet before a background checkpoint starts.
    package let quiet: DispatchTimeInterval
    private let path: String
    private let queue = DispatchQueue(label: "handset.store.checkpoint", qos: .utility)
    private let lock = NSLock()
    private var requested = false
    private var lastCommit = DispatchTime.now()
    /// Opened on `queue` when first needed, used only there.
    private var connection: DatabaseQueue?
    private var counts = Counts()

    /// How many checkpoints ran where, for tests.
    package struct Counts: Equatable {
        package var background = 0
        package var onCommit = 0
    }

    /// The defaults: SQLite's threshold; a bound of 10,000 pages (40 MB), about 900 back-to-back edits; 25 ms.
    package init(
        path: String, threshold: Int32 = 1_000, limit: Int32 = 10_000, quiet: DispatchTimeInterval = .milliseconds(25)
    ) {
        self.path = path
        self.threshold = threshold
        self.limit = limit
        self.quiet = quiet
    }

    package var checkpoints: Counts { lock.withLock { counts } }

    /// Replaces SQLite's automatic checkpoint on a writing connection by this checkpointer. The hook holds this
    /// object unretained: the store that owns both keeps it alive as long as its connections.
    package func install(on db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, walHook, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Called by SQLite after every commit of the writer, with the pages now in the log.
    fileprivate func committed(_ connection: OpaquePointer?, database: UnsafePointer<CChar>?, pages: Int32) {
        let now = DispatchTime.now()
        if pages >= limit {
            // The same PASSIVE checkpoint SQLite's automatic one runs, on the commit's path: the bound.
            sqlite3_wal_checkpoint_v2(connection, database, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            lock.withLock {
                counts.onCommit += 1
                lastCommit = now
            }
            return
        }
        let first = lock.withLock {
            lastCommit = now
            guard pages >= threshold, !requested else { return false }
            requested = true
            return true
        }
        if first { queue.asyncAfter(deadline: now + quiet) { self.runWhenQuiet() } }
    }

    /// Checkpoints once the writer has not committed for `quiet`; until then, looks again when it may have been.
    private func runWhenQuiet() {
        let due = lock.withLock { lastCommit + quiet }
        guard due <= DispatchTime.now() else {
            queue.asyncAfter(deadline: due) { self.runWhenQuiet() }
            return
        }
        // Commits from now on ask for the next checkpoint: this one may start before their frames are in the log.
        lock.withLock { requested = false }
        do {
            if connection == nil {
                var configuration = Configuration()
                configuration.label = "checkpoint"
                // A checkpoint flushes the database file before the log may be reused only when its own connection
                // syncs: say so rather than rely on the compiled-in default.
                configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                connection = try DatabaseQueue(path: path, configuration: configuration)
            }
            // PASSIVE: never waits for the writer or readers; what it cannot copy now, the next one will.
            try connection?.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            lock.withLock { counts.background += 1 }
        } catch {
            // Busy (another process's checkpoint) or the file gone: the next commit past the threshold asks again.
        }
    }

    /// Waits (up to ten seconds) for the checkpoint asked for before, for tests.
    package func waitUntilIdle() {
        let deadline = Date().addingTimeInterval(10)
        while lock.withLock({ requested }), Date() < deadline { usleep(1_000) }
        queue.sync {}
    }

    /// Holds background checkpoints back (for tests of the bound), until `resume`.
    package func suspend() { queue.suspend() }
    package func resume() { queue.resume() }
}

/// SQLite's WAL hook: a C function, with the checkpointer as its context.
private func walHook(
    context: UnsafeMutableRawPointer?, connection: OpaquePointer?, database: UnsafePointer<CChar>?, pages: Int32
) -> Int32 {
    guard let context else { return SQLITE_OK }
    Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().committed(
        connection, database: database, pages: pages)
    return SQLITE_OK
}
