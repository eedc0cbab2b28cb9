import GRDB
import HandsetSQLite

/// The cloud's database pool as the repositories use it: reads as GRDB does them, and writes that return only once
/// they are on the disk (`GroupCommit`: one `fsync` of the WAL for every write committed meanwhile).
package final class CloudDatabaseWriter: Sendable {
    private let pool: DatabasePool
    package let commits: GroupCommit
    /// Checkpoints the WAL in the background; its hook on the writer's connection holds it unretained, so it lives
    /// as long as the pool.
    package let checkpointer: WALCheckpointer

    init(pool: DatabasePool, path: String, checkpointer: WALCheckpointer) {
        self.pool = pool
        self.commits = GroupCommit(databasePath: path)
        self.checkpointer = checkpointer
    }

    /// A write transaction, acknowledged once durable.
    package func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        let value = try await pool.write(updates)
        try await commits.flush()
        return value
    }

    /// A write transaction from synchronous code, acknowledged once durable.
    package func write<T>(_ updates: (Database) throws -> T) throws -> T {
        let value = try pool.write(updates)
        try commits.flushNow()
        return value
    }

    package func read<T: Sendable>(_ value: @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(value)
    }

    package func read<T>(_ value: (Database) throws -> T) throws -> T {
        try pool.read(value)
    }

    /// A read outside an explicit transaction on the calling thread (see `SQLiteRecordRepository.read`).
    package func unsafeRead<T>(_ value: (Database) throws -> T) throws -> T {
        try pool.unsafeRead(value)
    }

    package func close() throws {
        try pool.close()
    }
}
