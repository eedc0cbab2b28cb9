import Foundation
import HandsetMySQL
import HandsetMySQLTesting
import Testing

@Suite("MariaDB migrations", needsMariaDB)
struct MySQLMigratorTests {
    /// Three migrations; each one's effect shows if it ran twice (a row per run in `runs`, a CREATE without
    /// IF NOT EXISTS).
    static func migrator() -> MySQLMigrator {
        var migrator = MySQLMigrator()
        migrator.register(
            "create runs",
            sql: "CREATE TABLE runs (migration VARCHAR(50) NOT NULL, session BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB")
        migrator.register("create notes") { connection in
            try connection.query("CREATE TABLE notes (id INT PRIMARY KEY, body TEXT) DEFAULT CHARSET=utf8mb4")
            try connection.execute("INSERT INTO runs VALUES ('create notes', CONNECTION_ID())")
        }
        migrator.register("seed notes") { connection in
            try connection.execute("INSERT INTO notes VALUES (1, 'first 🎉')")
            try connection.execute("INSERT INTO runs VALUES ('seed notes', CONNECTION_ID())")
        }
        return migrator
    }

    @Test("several instances starting at once migrate the database once")
    func concurrentRunners() async throws {
        try await TestMariaDB.withDatabase("migrate") { database in
            let instances = (0..<5).map { _ in database.makePool(MySQLPoolOptions(maximumConnections: 2)) }
            let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                for pool in instances { group.addTask { try await Self.migrator().migrate(pool) } }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            #expect(applied.flatMap { $0 }.sorted() == ["create notes", "create runs", "seed notes"])
            #expect(applied.filter { !$0.isEmpty }.count == 1, "one instance did all the work: \(applied)")
            let pool = instances[0]
            let runs = try await pool.execute("SELECT migration FROM runs ORDER BY migration").rows.map {
                try $0.string(0)
            }
            #expect(runs == ["create notes", "seed notes"])
            #expect(try await pool.execute("SELECT COUNT(*) FROM notes").rows[0].int64(0) == 1)
            #expect(try await Self.migrator().appliedMigrations(pool) == ["create runs", "create notes", "seed notes"])
            #expect(try await Self.migrator().isComplete(pool))
            #expect(try await Self.migrator().migrate(pool) == [])
        }
    }

    @Test("a later build's new migration is applied on top; the first ones are not run again")
    func appendOnly() async throws {
        try await TestMariaDB.withDatabase("append") { database in
            let pool = database.makePool()
            var first = MySQLMigrator()
            first.register("create runs", sql: "CREATE TABLE runs (migration VARCHAR(50) NOT NULL) ENGINE=InnoDB")
            try await first.migrate(pool)
            var second = first
            second.register("add one run", sql: "INSERT INTO runs VALUES ('add one run')")
            #expect(try await !second.isComplete(pool))
            #expect(try await second.migrate(pool) == ["add one run"])
            #expect(try await pool.execute("SELECT COUNT(*) FROM runs").rows[0].int64(0) == 1)
        }
    }

    @Test("a database migrated by a newer build, or with migrations renamed or reordered, is refused untouched")
    func refusesDivergence() async throws {
        try await TestMariaDB.withDatabase("diverge") { database in
            let pool = database.makePool()
            try await Self.migrator().migrate(pool)

            var older = MySQLMigrator()
            older.register("create runs") { _ in }
            let newer = try await #require(throws: MySQLError.self) { try await older.migrate(pool) }
            #expect(newer.kind == .misuse)
            #expect(newer.message.contains("newer version"))

            var renamed = MySQLMigrator()
            renamed.register("create runs") { _ in }
            renamed.register("create the notes") { _ in }
            renamed.register("seed notes") { _ in }
            let diverged = try await #require(throws: MySQLError.self) { try await renamed.migrate(pool) }
            #expect(diverged.message.contains("must only be appended"))
            #expect(try await Self.migrator().appliedMigrations(pool).count == 3)
        }
    }

    @Test("a failing migration names itself, is not recorded, and its data changes are rolled back")
    func failingMigration() async throws {
        try await TestMariaDB.withDatabase("failing") { database in
            let pool = database.makePool()
            var migrator = MySQLMigrator()
            migrator.register("create t", sql: "CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB")
            migrator.register("two rows, one twice") { connection in
                try connection.execute("INSERT INTO t VALUES (1)")
                try connection.execute("INSERT INTO t VALUES (1)")
            }
            let error = try await #require(throws: MySQLError.self) { try await migrator.migrate(pool) }
            #expect(error.message.hasPrefix("migration two rows, one twice failed"))
            #expect(error.isDuplicateKey)
            #expect(try await migrator.appliedMigrations(pool) == ["create t"])
            #expect(try await pool.execute("SELECT COUNT(*) FROM t").rows[0].int64(0) == 0)
            #expect(
                try await pool.execute(
                    "SELECT IS_USED_LOCK(CONCAT('handset_migrations_', LEFT(SHA2(DATABASE(), 256), 40)))"
                ).rows[0].isNull(0))
        }
    }

    @Test("migrations need a database in the URL")
    func needsDatabase() async throws {
        let server = try await TestMariaDB.server()
        let pool = MySQLPool(configuration: server.with(database: nil))
        let error = try await #require(throws: MySQLError.self) { try await Self.migrator().migrate(pool) }
        #expect(error.kind == .misuse)
        await pool.close()
    }
}

extension MySQLRow {
    fileprivate func isNull(_ index: Int) -> Bool { values[index] == .null }
}
