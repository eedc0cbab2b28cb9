import Foundation
import GRDB
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetSQLite
import Testing

@testable import HandsetCloud

@Suite("Group commit (SQLite)")
struct GroupCommitTests {
    @Test("writes past a thousand WAL pages leave the checkpoint to the background, not to a commit; nothing is lost")
    func checkpointsOffTheCommitPath() async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = try DataDirectory.prepare(at: root)
        let database = try CloudDatabase.open(in: directory)
        let writer = database.writer
        try await writer.write { db in try db.execute(sql: "CREATE TABLE probe (n INTEGER PRIMARY KEY, b BLOB)") }
        // About thirteen pages a write: 120 writes take the log well past SQLite's 1,000-page automatic checkpoint.
        for n in 0..<120 {
            try await writer.write { db in
                try db.execute(sql: "INSERT INTO probe (n, b) VALUES (?, randomblob(50000))", arguments: [n])
            }
        }
        writer.checkpointer.waitUntilIdle()
        let counts = writer.checkpointer.checkpoints
        #expect(counts.background >= 1, "\(counts)")
        #expect(counts.onCommit == 0, "no commit checkpointed itself below the bound: \(counts)")
        try writer.close()
        let reopened = try CloudDatabase.open(in: directory)
        #expect(
            try await reopened.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM probe") } == 120)
        try reopened.writer.close()
    }

    @Test("every acknowledged write was flushed; concurrent writes share flushes; the data survives reopening")
    func concurrentWrites() async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = try DataDirectory.prepare(at: root)
        let database = try CloudDatabase.open(in: directory)
        let writer = database.writer
        try await writer.write { db in try db.execute(sql: "CREATE TABLE probe (n INTEGER PRIMARY KEY)") }
        let before = writer.commits.flushCount
        #expect(before >= 1, "a write returns only after a flush")

        let writes = 200
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<writes {
                group.addTask {
                    try await writer.write { db in
                        try db.execute(sql: "INSERT INTO probe (n) VALUES (?)", arguments: [n])
                    }
                }
            }
            try await group.waitForAll()
        }
        let flushes = writer.commits.flushCount - before
        #expect(flushes >= 1 && flushes <= writes, "one flush per write at most")
        try writer.close()

        let reopened = try CloudDatabase.open(in: directory)
        #expect(
            try await reopened.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM probe") } == writes)
        try reopened.writer.close()
    }

    @Test("clearing a lockout counter that is not there is no write transaction: nothing waits for a flush")
    func clearingNothingWritesNothing() async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try CloudDatabase.open(in: try DataDirectory.prepare(at: root))
        let identity = SQLiteIdentityRepository(database: database)
        let before = database.writer.commits.flushCount
        try await identity.attemptSucceeded(subject: "nobody", kind: .password)
        #expect(database.writer.commits.flushCount == before)

        _ = try await identity.beginAttempt(subject: "alice", kind: .password, now: Date())
        let counted = database.writer.commits.flushCount
        #expect(counted > before)
        try await identity.attemptSucceeded(subject: "alice", kind: .password)
        #expect(database.writer.commits.flushCount > counted, "a counter that is there is cleared durably")
        #expect(try await identity.failureCount(subject: "alice", kind: .password) == 0)
        try database.writer.close()
    }

    @Test("a flush with no WAL file (nothing waiting in one) succeeds")
    func noWAL() async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let commits = GroupCommit(databasePath: root.appendingPathComponent("missing.sqlite").path)
        try await commits.flush()
        #expect(commits.flushCount == 1)
    }
}
