import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetSync

@Suite struct OutboxCoalescerTests {
    var sequence: Int64 = 0

    mutating func entry(
        _ id: String, _ operation: OutboxEntry.Operation, base: Int? = nil, title: String? = nil
    )
        -> OutboxEntry
    {
        sequence += 1
        return OutboxEntry(
            sequence: sequence, collection: "tasks", recordId: id, operation: operation,
            fields: title.map { ["title": .string($0)] }, baseVersion: base, createdAt: Date(timeIntervalSince1970: 0))
    }

    @Test mutating func foldsEachRecordsWritesIntoOne() {
        let entries = [
            entry("a", .create, title: "A1"),
            entry("b", .replace, base: 3, title: "B1"),
            entry("a", .replace, title: "A2"),
            entry("b", .replace, base: 3, title: "B2"),
            entry("c", .create, title: "C"),
            entry("c", .delete),
            entry("d", .replace, base: 7, title: "D"),
            entry("d", .delete, base: 7),
        ]
        let items = OutboxCoalescer.coalesce(entries)
        #expect(items.map(\.recordId) == ["a", "b", "c", "d"], "records keep the order of their first write")
        #expect(items[0].operation == BatchOperation(op: .create, id: "a", body: ["title": "A2"]))
        #expect(items[0].sequences == [1, 3])
        #expect(items[1].operation == BatchOperation(op: .replace, id: "b", ifMatch: 3, body: ["title": "B2"]))
        #expect(items[2].operation == nil, "created and deleted offline: nothing to send")
        #expect(items[2].sequences == [5, 6])
        #expect(items[3].operation == BatchOperation(op: .delete, id: "d", ifMatch: 7))
    }

    @Test mutating func rejectedEntriesAreNeverSent() {
        var rejected = entry("a", .replace, base: 1, title: "bad")
        rejected.state = .rejected
        #expect(OutboxCoalescer.coalesce([rejected]).isEmpty)
    }
}

@Suite struct ThreeWayMergeTests {
    @Test func fieldsChangedOnOneSideMerge() {
        let base: [String: JSONValue] = ["title": "T", "status": "todo", "priority": 1]
        let mine: [String: JSONValue] = ["title": "T mine", "status": "todo", "priority": 1]
        let theirs: [String: JSONValue] = ["title": "T", "status": "done", "priority": 1, "notes": "added"]
        #expect(
            ThreeWayMerge.merge(base: base, mine: mine, theirs: theirs)
                == .merged(["title": "T mine", "status": "done", "priority": 1, "notes": "added"]))
    }

    @Test func theSameFieldChangedDifferentlyConflicts() {
        let base: [String: JSONValue] = ["title": "T", "status": "todo"]
        let result = ThreeWayMerge.merge(
            base: base, mine: ["title": "Mine", "status": "doing"], theirs: ["title": "Theirs", "status": "doing"])
        #expect(result == .conflicting(fields: ["title"]))
    }

    @Test func aFieldRemovedOnOneSideStaysRemoved() {
        let result = ThreeWayMerge.merge(base: ["a": 1, "b": 2], mine: ["a": 1], theirs: ["a": 1, "b": 2])
        #expect(result == .merged(["a": 1]))
    }
}

@Suite struct PushOutcomeTests {
    let record: JSONValue = ["id": "a", "version": 4, "updatedAt": "t", "owner": "o", "title": "Server"]

    func item(_ operation: BatchOperation) -> PushItem {
        PushItem(collection: "tasks", recordId: "a", sequences: [1], operation: operation)
    }

    @Test func statusesMapToOutcomes() {
        let replace = item(BatchOperation(op: .replace, id: "a", ifMatch: 3, body: ["title": "Mine"]))
        let server = Record(json: record)
        #expect(SyncEngine.outcome(of: BatchResult(status: 200, record: record), for: replace) == .accepted(server))
        #expect(
            SyncEngine.outcome(of: BatchResult(status: 412, record: record), for: replace) == .conflict(theirs: server))
        #expect(SyncEngine.outcome(of: BatchResult(status: 404), for: replace) == .conflict(theirs: nil))
        let tombstone: JSONValue = ["id": "a", "version": 5, "deleted": true, "updatedAt": "t", "owner": "o"]
        #expect(
            SyncEngine.outcome(of: BatchResult(status: 412, record: tombstone), for: replace) == .conflict(theirs: nil),
            "an edit of a record deleted on the server")
        #expect(
            SyncEngine.outcome(
                of: BatchResult(status: 428, error: APIErrorBody(message: "If-Match is required")), for: replace)
                == .rejected("If-Match is required", status: 428))
        #expect(SyncEngine.outcome(of: BatchResult(status: 503), for: replace) == nil, "retry later")
        #expect(SyncEngine.outcome(of: BatchResult(status: 429), for: replace) == nil, "retry later")
        #expect(
            SyncEngine.outcome(
                of: BatchResult(
                    status: 400, error: APIErrorBody(message: "Validation failed", fields: ["title": "is too long"])),
                for: replace) == .rejected("Validation failed: title is too long"))
        #expect(
            SyncEngine.outcome(of: BatchResult(status: 403, error: APIErrorBody(message: "Forbidden")), for: replace)
                == .rejected("Forbidden", status: 403), "a refusal keeps its status: forbidden is not a fixable field")
        let delete = item(BatchOperation(op: .delete, id: "a", ifMatch: 3))
        #expect(SyncEngine.outcome(of: BatchResult(status: 404), for: delete) == .accepted(nil), "already gone")
        #expect(SyncEngine.outcome(of: BatchResult(status: 204), for: delete) == .accepted(nil))
    }

    @Test func aLostAcknowledgementIsNotAConflict() {
        // The first attempt was applied but its answer lost; the retry's 412 carries our own fields.
        let replace = item(BatchOperation(op: .replace, id: "a", ifMatch: 3, body: ["title": "Server"]))
        #expect(
            SyncEngine.outcome(of: BatchResult(status: 412, record: record), for: replace)
                == .accepted(Record(json: record)))
    }
}
