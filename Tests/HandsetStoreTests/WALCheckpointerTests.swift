import Foundation
import HandsetModel
import HandsetSQLite
import Testing

@testable import HandsetStore

/// Checkpoints leave the edit's path: a commit past the threshold only asks the background for one, and runs one
/// itself only past the limit, so the write-ahead log stays bounded.
@Suite struct WALCheckpointerTests {
    /// A store file with a checkpointer of small thresholds, and `count` synced records.
    func store(
        threshold: Int32, limit: Int32, records count: Int = 50
    ) throws -> (
        LocalStore, WALCheckpointer, String
    ) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handset-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("cache.sqlite").path
        let checkpointer = WALCheckpointer(path: path, threshold: threshold, limit: limit)
        let store = try LocalStore(path: path, checkpointer: checkpointer)
        let items = (0..<count).map { index in
            Record(
                id: "r\(index)", version: 1, updatedAt: "2026-11-30T10:00:00.000Z", owner: "sub-1",
                fields: ["title": .string("Record \(index)")], syncState: .synced
            ).json
        }
        try store.applyChanges(collection: "tasks", items: items, cursor: "1", complete: true)
        checkpointer.waitUntilIdle()
        return (store, checkpointer, path)
    }

    /// The database file's size and modification time: in WAL mode only a checkpoint writes that file.
    func stamp(_ path: String) throws -> [FileAttributeKey: AnyHashable] {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return [
            .size: attributes[.size] as? Int, .modificationDate: attributes[.modificationDate] as? Date,
        ]
    }

    func edit(_ store: LocalStore, _ index: Int) throws {
        try store.updateRecord(
            collection: "tasks", id: "r\(index % 50)", fields: ["title": .string("Edited \(index)")], now: Date())
    }

    @Test func editsPastTheThresholdLeaveTheCheckpointToTheBackground() throws {
        let (store, checkpointer, path) = try store(threshold: 20, limit: 100_000)
        let before = try stamp(path)
        let counts = checkpointer.checkpoints
        checkpointer.suspend()
        for index in 0..<40 { try edit(store, index) }
        // Forty edits wrote hundreds of log pages: every commit past 20 asked, none checkpointed itself.
        #expect(checkpointer.checkpoints == counts)
        #expect(try stamp(path) == before, "a commit wrote the database file")
        checkpointer.resume()
        checkpointer.waitUntilIdle()
        #expect(checkpointer.checkpoints.background > counts.background)
        #expect(checkpointer.checkpoints.onCommit == 0)
        #expect(try stamp(path) != before, "the background checkpoint copied nothing")
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func aCommitPastTheLimitCheckpointsItselfWhenTheBackgroundCannotKeepUp() throws {
        let (store, checkpointer, path) = try store(threshold: 20, limit: 150)
        let before = try stamp(path)
        checkpointer.suspend()
        defer { checkpointer.resume() }
        for index in 0..<60 { try edit(store, index) }
        #expect(checkpointer.checkpoints.onCommit >= 1)
        #expect(try stamp(path) != before)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func editsCheckpointedInTheBackgroundAreAllThereAfterReopening() throws {
        let (store, checkpointer, path) = try store(threshold: 20, limit: 100_000)
        for index in 0..<120 { try edit(store, index) }
        checkpointer.waitUntilIdle()
        let reopened = try LocalStore(path: path)
        #expect(try reopened.pendingCount() == 120)
        #expect(try reopened.record(collection: "tasks", id: "r19")?.fields["title"] == "Edited 119")
        #expect(try reopened.search(collection: "tasks", text: "edited 119").map(\.id) == ["r19"])
        _ = store
    }
}
