import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetStore

@Suite struct OutboxTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func server(_ id: String, version: Int, title: String) -> HandsetModel.Record {
        HandsetModel.Record(
            id: id, version: version, updatedAt: "2026-11-27T10:00:00.000Z", owner: "sub-a",
            fields: ["title": .string(title)])
    }

    @Test func anEditIsVisibleAndQueuedInOneStep() throws {
        let store = try LocalStore()
        try store.createRecord(
            collection: "tasks", id: "n1", fields: ["title": "New", "owner": "forged"], owner: "sub-a", now: now)
        let shown = try store.records(collection: "tasks")
        #expect(shown.map(\.id) == ["n1"])
        #expect(shown[0].syncState == .pending)
        #expect(shown[0].fields == ["title": "New"], "server-managed fields are never sent")
        let queued = try store.queuedEntries()
        #expect(queued.map(\.operation) == [.create])
        #expect(try store.pendingCount() == 1)
    }

    @Test func acceptedWritesSettleAndLaterEditsAreRebased() throws {
        let store = try LocalStore()
        try store.applyChanges(
            collection: "tasks", items: [server("a", version: 2, title: "S").json], cursor: "c1", complete: true)
        try store.updateRecord(collection: "tasks", id: "a", fields: ["title": "Edit 1"], now: now)
        let first = try store.queuedEntries()
        #expect(first.map(\.baseVersion) == [2])
        // A second edit made while the first is in flight.
        try store.updateRecord(collection: "tasks", id: "a", fields: ["title": "Edit 2"], now: now)
        try store.applyPushOutcome(
            collection: "tasks", recordId: "a", sequences: [first[0].sequence],
            outcome: .accepted(server("a", version: 3, title: "Edit 1")), now: now)
        let remaining = try store.queuedEntries()
        #expect(remaining.count == 1)
        #expect(remaining[0].baseVersion == 3, "the later edit now builds on the accepted version")
        #expect(
            try store.record(collection: "tasks", id: "a")?.fields["title"] == "Edit 2", "the local edit stays visible")
        try store.applyPushOutcome(
            collection: "tasks", recordId: "a", sequences: [remaining[0].sequence],
            outcome: .accepted(server("a", version: 4, title: "Edit 2")), now: now)
        let settled = try #require(try store.record(collection: "tasks", id: "a"))
        #expect(settled.version == 4)
        #expect(settled.syncState == .synced)
        #expect(try store.pendingCount() == 0)
    }

    @Test func aConflictKeepsBaseMineAndTheirsUntilResolved() throws {
        let store = try LocalStore()
        try store.applyChanges(
            collection: "tasks", items: [server("a", version: 2, title: "Base").json], cursor: "c1", complete: true)
        try store.updateRecord(collection: "tasks", id: "a", fields: ["title": "Mine"], now: now)
        let entry = try #require(try store.queuedEntries().first)
        try store.applyPushOutcome(
            collection: "tasks", recordId: "a", sequences: [entry.sequence],
            outcome: .conflict(theirs: server("a", version: 3, title: "Theirs")), now: now)
        let conflict = try #require(try store.conflicts().first)
        #expect(conflict.base == ["title": "Base"])
        #expect(conflict.mine == ["title": "Mine"])
        #expect(conflict.theirs?.fields == ["title": "Theirs"])
        #expect(conflict.differingFields == ["title"])
        #expect(try store.record(collection: "tasks", id: "a")?.syncState == .conflicted)
        #expect(try store.pendingCount() == 0)

        try store.resolveConflict(collection: "tasks", recordId: "a", resolution: .keepMine, now: now)
        #expect(try store.conflicts().isEmpty)
        let requeued = try store.queuedEntries()
        #expect(requeued.map(\.operation) == [.replace])
        #expect(requeued[0].baseVersion == 3, "mine is written against theirs")
        #expect(requeued[0].fields == ["title": "Mine"])
    }

    @Test func takingTheirsDropsMine() throws {
        let store = try LocalStore()
        try store.applyChanges(
            collection: "tasks", items: [server("a", version: 2, title: "Base").json], cursor: "c1", complete: true)
        try store.deleteRecord(collection: "tasks", id: "a", now: now)
        #expect(try store.records(collection: "tasks").isEmpty, "a local delete hides the record at once")
        let entry = try #require(try store.queuedEntries().first)
        try store.applyPushOutcome(
            collection: "tasks", recordId: "a", sequences: [entry.sequence],
            outcome: .conflict(theirs: server("a", version: 3, title: "Theirs")), now: now)
        #expect(try store.conflicts().first?.mine == nil, "this device deleted it")
        try store.resolveConflict(collection: "tasks", recordId: "a", resolution: .takeTheirs, now: now)
        let record = try #require(try store.records(collection: "tasks").first)
        #expect(record.fields == ["title": "Theirs"])
        #expect(record.syncState == .synced)
    }

    @Test func rejectedWritesKeepTheReasonAndAreNotResent() throws {
        let store = try LocalStore()
        try store.createRecord(collection: "tasks", id: "n1", fields: ["title": ""], owner: "sub-a", now: now)
        let entry = try #require(try store.queuedEntries().first)
        try store.applyPushOutcome(
            collection: "tasks", recordId: "n1", sequences: [entry.sequence], outcome: .rejected("title is required"),
            now: now)
        #expect(try store.queuedEntries().isEmpty)
        #expect(try store.outboxEntries().first?.lastError == "title is required")
        #expect(try store.record(collection: "tasks", id: "n1")?.syncState == .rejected)
    }

    /// Refuses the queued writes of `id` as the server would.
    func refuse(_ store: LocalStore, _ id: String, _ reason: String, status: Int = 400) throws {
        let sequences = try store.queuedEntries().filter { $0.recordId == id }.map(\.sequence)
        try store.applyPushOutcome(
            collection: "tasks", recordId: id, sequences: sequences, outcome: .rejected(reason, status: status),
            now: now)
    }

    @Test func aRefusalIsSettledByFixingTheRecord() throws {
        let store = try LocalStore()
        try store.applyChanges(
            collection: "tasks", items: [server("a", version: 2, title: "Server").json], cursor: "c1", complete: true)
        try store.updateRecord(collection: "tasks", id: "a", fields: ["title": ""], now: now)
        try refuse(store, "a", "title is required")
        #expect(
            try store.refusals() == [
                Refusal(
                    collection: "tasks", recordId: "a", operation: .replace, reason: "title is required", status: 400)
            ])
        #expect(try store.refusal(collection: "tasks", id: "a")?.isForbidden == false)

        try store.updateRecord(collection: "tasks", id: "a", fields: ["title": "Fixed"], now: now)
        #expect(try store.refusals().isEmpty, "the fix replaces the refused write")
        #expect(try store.queuedEntries().map(\.baseVersion) == [2], "and is sent against the server's version")
    }

    @Test func aRefusalIsSettledByDeletingOrDiscarding() throws {
        let store = try LocalStore()
        // A create the server refused (no rule lets this user create): deleting it leaves nothing to send.
        try store.createRecord(collection: "tasks", id: "n1", fields: ["title": "x"], owner: "s", now: now)
        try refuse(store, "n1", "Forbidden", status: 403)
        #expect(try store.refusal(collection: "tasks", id: "n1")?.isForbidden == true)
        try store.deleteRecord(collection: "tasks", id: "n1", now: now)
        #expect(try store.refusals().isEmpty)
        #expect(try store.outboxEntries().isEmpty)
        #expect(try store.record(collection: "tasks", id: "n1") == nil)

        // An edit the server refused: discarding it brings back the server's version.
        try store.applyChanges(
            collection: "tasks", items: [server("a", version: 2, title: "Server").json], cursor: "c1", complete: true)
        try store.updateRecord(collection: "tasks", id: "a", fields: ["title": "Bad"], now: now)
        try refuse(store, "a", "title must be at most 5 characters")
        #expect(try store.discardRefused(collection: "tasks", id: "a"))
        #expect(try store.refusals().isEmpty)
        let record = try #require(try store.record(collection: "tasks", id: "a"))
        #expect(record.fields["title"] == "Server")
        #expect(record.syncState == .synced)
        #expect(try !store.discardRefused(collection: "tasks", id: "a"), "nothing left to discard")
    }

    @Test func aRefusedRecordKeepsItsVersionUntilSettledAndGoesWithAServerDelete() throws {
        let store = try LocalStore()
        try store.applyChanges(
            collection: "tasks",
            items: [server("a", version: 1, title: "A").json, server("b", version: 1, title: "B").json],
            cursor: "c1", complete: true)
        try store.updateRecord(collection: "tasks", id: "a", fields: ["title": "Mine, refused"], now: now)
        try store.updateRecord(collection: "tasks", id: "b", fields: ["title": "Mine too"], now: now)
        try refuse(store, "a", "nope")
        try refuse(store, "b", "nope")
        try store.applyChanges(
            collection: "tasks",
            items: [server("a", version: 2, title: "A2").json, ["id": "b", "version": 2, "deleted": true]],
            cursor: "c2", complete: true)
        #expect(
            try store.record(collection: "tasks", id: "a")?.fields["title"] == "Mine, refused",
            "shown until fixed or discarded")
        #expect(try store.refusals().map(\.recordId) == ["a"], "b was deleted on the server: nothing left to settle")
        #expect(try store.record(collection: "tasks", id: "b") == nil)
    }

    @Test func changePagesApplyWithTheirCursorAndSpareLocalEdits() throws {
        let store = try LocalStore()
        try store.applyChanges(
            collection: "tasks",
            items: [server("a", version: 1, title: "A").json, server("b", version: 1, title: "B").json],
            cursor: "c1", complete: false)
        #expect(try store.syncCursor(collection: "tasks").cursor == "c1")
        #expect(try store.syncCursor(collection: "tasks").complete == false)
        try store.updateRecord(collection: "tasks", id: "a", fields: ["title": "A local"], now: now)
        let applied = try store.applyChanges(
            collection: "tasks",
            items: [
                server("a", version: 2, title: "A remote").json, ["id": "b", "version": 2, "deleted": true],
                ["no-id": true],
            ],
            cursor: "c2", complete: true)
        #expect(applied == 1, "the tombstone applies; the edited record waits for its push; the bad item is skipped")
        #expect(try store.record(collection: "tasks", id: "a")?.fields["title"] == "A local")
        #expect(try store.record(collection: "tasks", id: "b") == nil)
        #expect(try store.syncCursor(collection: "tasks").cursor == "c2")
        #expect(try store.syncCursor(collection: "tasks").complete)
    }

    @Test func createdThenDeletedOfflineLeavesNothing() throws {
        let store = try LocalStore()
        try store.createRecord(collection: "tasks", id: "n1", fields: ["title": "x"], owner: "s", now: now)
        try store.deleteRecord(collection: "tasks", id: "n1", now: now)
        let sequences = try store.queuedEntries().map(\.sequence)
        try store.discardLocalOnly(collection: "tasks", recordId: "n1", sequences: sequences)
        #expect(try store.outboxEntries().isEmpty)
        #expect(try store.record(collection: "tasks", id: "n1") == nil)
    }
}
