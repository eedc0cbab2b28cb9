import Foundation

/// Named, append-only schema migrations for one MySQL/MariaDB database, recorded in `handset_migrations`.
///
/// Several instances may start at once: each takes the database's migration lock (`GET_LOCK`, named after a hash
/// of the database name, so databases on one server do not wait for each other) before it looks at what is
/// applied, then applies the missing migrations one at a time and records each. The others wait for the lock,
/// find everything applied, and apply nothing. The lock belongs to the session, so a runner that dies releases it.
///
/// The list is append-only: the database's applied names must be the first names of this list, in order.
/// A database migrated by a newer build (a name this build does not know) is refused rather than touched.
///
/// Each migration runs in a transaction with the row that records it; MySQL commits DDL implicitly, so a
/// migration of several DDL statements is not atomic: give each DDL statement a migration of its own (or write
/// it to be repeatable, `CREATE TABLE IF NOT EXISTS`).
public struct MySQLMigrator: Sendable {
    public struct Migration: Sendable {
        public let name: String
        public let body: @Sendable (MySQLConnection) throws -> Void
    }

    public private(set) var migrations: [Migration] = []
    /// How long a runner waits for another instance's migration run before giving up.
    public var lockTimeout: Duration

    public static let tableName = "handset_migrations"

    public init(lockTimeout: Duration = .seconds(300)) {
        self.lockTimeout = lockTimeout
    }

    public mutating func register(_ name: String, _ body: @escaping @Sendable (MySQLConnection) throws -> Void) {
        precondition(!migrations.contains { $0.name == name }, "migration \(name) is registered twice")
        precondition(!name.isEmpty && name.utf8.count <= 191, "a migration name is 1-191 bytes")
        migrations.append(Migration(name: name, body: body))
    }

    /// A migration made of SQL statements, run in order.
    public mutating func register(_ name: String, sql statements: String...) {
        register(name) { connection in
            for statement in statements { try connection.query(statement) }
        }
    }

    /// Applies what is missing; returns the names applied by this call (empty when another runner did it).
    @discardableResult
    public func migrate(_ pool: MySQLPool) async throws -> [String] {
        let migrator = self
        return try await pool.withConnection { connection in try migrator.migrate(connection) }
    }

    /// The names recorded in the database, in the order they were applied.
    public func appliedMigrations(_ pool: MySQLPool) async throws -> [String] {
        try await pool.withConnection { connection in try Self.appliedNames(connection) }
    }

    /// Whether every registered migration is applied (for a readiness check).
    public func isComplete(_ pool: MySQLPool) async throws -> Bool {
        let names = migrations.map(\.name)
        return try await appliedMigrations(pool) == names
    }

    public func migrate(_ connection: MySQLConnection) throws -> [String] {
        let lock = try MigrationLock.acquire(on: connection, timeout: lockTimeout)
        defer { lock.release(on: connection) }
        try connection.query(
            """
            CREATE TABLE IF NOT EXISTS \(Self.tableName) (
                name VARCHAR(191) NOT NULL PRIMARY KEY,
                position INT NOT NULL,
                applied_at DATETIME(6) NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """)
        let applied = try Self.appliedNames(connection)
        try checkAppendOnly(applied: applied)
        var newlyApplied: [String] = []
        for (position, migration) in migrations.enumerated().dropFirst(applied.count) {
            do {
                try connection.transaction { connection in
                    try migration.body(connection)
                    try connection.execute(
                        "INSERT INTO \(Self.tableName) (name, position, applied_at) VALUES (?, ?, UTC_TIMESTAMP(6))",
                        [.text(migration.name), .int(Int64(position + 1))])
                }
            } catch let error as MySQLError {
                throw MySQLError(
                    error.kind, number: error.number, sqlState: error.sqlState,
                    message: "migration \(migration.name) failed: \(error.message)")
            }
            newlyApplied.append(migration.name)
        }
        return newlyApplied
    }

    private func checkAppendOnly(applied: [String]) throws {
        for (position, name) in applied.enumerated() {
            guard position < migrations.count else {
                throw MySQLError(
                    .misuse,
                    message: "the database has migration \(name), which this build does not know: "
                        + "it was migrated by a newer version")
            }
            guard migrations[position].name == name else {
                throw MySQLError(
                    .misuse,
                    message: "the database's migration \(position + 1) is \(name), this build's is "
                        + "\(migrations[position].name): migrations must only be appended")
            }
        }
    }

    static func appliedNames(_ connection: MySQLConnection) throws -> [String] {
        let exists = try connection.execute(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
            [.text(tableName)])
        guard try exists.rows.first?.int64(0) == 1 else { return [] }
        return try connection.execute("SELECT name FROM \(tableName) ORDER BY position").rows.map {
            try $0.string(0)
        }
    }
}

/// The per-database advisory lock migration runners take in turn.
struct MigrationLock {
    let name: String

    /// Waits in slices of a few seconds (each one `GET_LOCK` call, so no statement outlasts the read timeout).
    static func acquire(on connection: MySQLConnection, timeout: Duration) throws -> MigrationLock {
        let row = try connection.execute(
            "SELECT DATABASE(), CONCAT('handset_migrations_', LEFT(SHA2(DATABASE(), 256), 40))"
        ).rows.first
        guard let row, try row.optionalString(0) != nil, let name = try row.optionalString(1) else {
            throw MySQLError(.misuse, message: "migrations need a database: the URL names none")
        }
        let deadline = ContinuousClock.now + timeout
        while true {
            let granted = try connection.execute("SELECT GET_LOCK(?, ?)", [.text(name), .int(5)]).rows.first
            if let granted, try granted.optionalInt64(0) == 1 { return MigrationLock(name: name) }
            if ContinuousClock.now >= deadline {
                throw MySQLError(
                    .misuse, message: "another instance has been migrating the database for over \(timeout)")
            }
        }
    }

    func release(on connection: MySQLConnection) {
        _ = try? connection.execute("SELECT RELEASE_LOCK(?)", [.text(name)])
    }
}
