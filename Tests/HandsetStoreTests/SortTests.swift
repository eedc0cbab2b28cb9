import Foundation
import GRDB
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetStore

@Suite struct SortTests {
    func store() throws -> LocalStore {
        let store = try LocalStore()
        let rows: [(String, String, Int?, String)] = [
            ("a", "Wash the car", 3, "2026-11-20T10:00:00.000Z"), ("b", "Answer mail", 1, "2026-11-27T10:00:00.000Z"),
            ("c", "Call Ana", nil, "2026-11-25T10:00:00.000Z"), ("d", "Buy milk", 2, "2026-11-21T10:00:00.000Z"),
        ]
        try store.replaceSyncedRecords(
            collection: "tasks",
            with: rows.map { id, title, priority, updated in
                var fields: [String: JSONValue] = ["title": .string(title)]
                if let priority { fields["priority"] = .number(Double(priority)) }
                return Record(id: id, version: 1, updatedAt: updated, owner: "s", fields: fields)
            })
        return store
    }

    @Test func windowsFollowTheChosenOrderWithEmptyValuesLast() throws {
        let store = try store()
        #expect(try store.records(collection: "tasks").map(\.id) == ["a", "b", "c", "d"], "by id unless chosen")
        #expect(
            try store.records(collection: "tasks", sort: RecordSort(field: "title")).map(\.id) == ["b", "d", "c", "a"])
        #expect(
            try store.records(collection: "tasks", sort: RecordSort(field: "priority")).map(\.id) == [
                "b", "d", "a", "c",
            ])
        #expect(
            try store.records(collection: "tasks", sort: RecordSort(field: "priority", descending: true)).map(\.id)
                == ["a", "d", "b", "c"], "missing values stay last both ways")
        #expect(
            try store.records(collection: "tasks", sort: RecordSort(field: "updatedAt", descending: true)).map(\.id)
                == ["b", "c", "d", "a"])
        #expect(
            try store.records(collection: "tasks", offset: 1, limit: 2, sort: RecordSort(field: "title")).map(\.id) == [
                "d", "c",
            ])
    }

    @Test func theChoiceIsKeptAndServedByAnIndex() throws {
        let store = try store()
        try store.setSort(RecordSort(field: "title", descending: true), collection: "tasks")
        #expect(store.sort(collection: "tasks") == RecordSort(field: "title", descending: true))
        #expect(
            try store.records(collection: "tasks").map(\.id) == ["a", "c", "d", "b"], "the kept order is the default")
        #expect(store.sort(collection: "projects") == RecordSort())
        let plan = try store.writer.read { db in
            try Row.fetchAll(
                db,
                sql: "EXPLAIN QUERY PLAN SELECT id FROM record WHERE collection = 'tasks' AND NOT locallyDeleted "
                    + LocalStore.orderBy(RecordSort(field: "title", descending: true)) + " LIMIT 20 OFFSET 0"
            ).map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.joined().contains("record_by_title_desc"), "\(plan)")
        #expect(!plan.joined().contains("TEMP B-TREE"), "no sort of the whole collection: \(plan)")
    }

    @Test func aRecordsPositionFollowsTheOrder() throws {
        let store = try store()
        #expect(try store.position(of: "c", collection: "tasks") == 2)
        #expect(try store.position(of: "c", collection: "tasks", sort: RecordSort(field: "title")) == 2)
        #expect(try store.position(of: "c", collection: "tasks", sort: RecordSort(field: "priority")) == 3)
        #expect(
            try store.position(of: "a", collection: "tasks", sort: RecordSort(field: "updatedAt", descending: true))
                == 3)
        #expect(try store.position(of: "zz", collection: "tasks") == nil)
        try store.deleteRecord(collection: "tasks", id: "c", now: Date())
        #expect(try store.position(of: "c", collection: "tasks") == nil, "a deleted record is not listed")
        #expect(try store.position(of: "d", collection: "tasks") == 2)
    }

    @Test func textSortsNaturallyAndEnumerationsInTheirDeclaredOrder() throws {
        let store = try LocalStore()
        let titles = ["Bulk task 10", "bulk task 2", "Bulk task 1", "Bulk task 11", "apple", "Banana", "Bulk task 02"]
        let statuses = ["done", "todo", "doing", "todo", "won't", nil, "doing"]
        try store.replaceSyncedRecords(
            collection: "tasks",
            with: zip(titles, statuses).enumerated().map { index, pair in
                var fields: [String: JSONValue] = ["title": .string(pair.0)]
                if let status = pair.1 { fields["status"] = .string(status) }
                return Record(id: "r\(index)", version: 1, updatedAt: "", owner: "s", fields: fields)
            })
        func titlesIn(_ sort: RecordSort) throws -> [String] {
            try store.records(collection: "tasks", sort: sort).map { $0.fields["title"]?.stringValue ?? "" }
        }
        #expect(
            try titlesIn(RecordSort(field: "title"))
                == ["apple", "Banana", "Bulk task 1", "Bulk task 02", "bulk task 2", "Bulk task 10", "Bulk task 11"],
            "numbers by value, letters without regard to case")
        let order = ["todo", "doing", "done", "won't"]
        try store.setSort(RecordSort(field: "status", valueOrder: order), collection: "tasks")
        let byStatus = try store.records(collection: "tasks").map { $0.fields["status"]?.stringValue ?? "-" }
        #expect(byStatus == ["todo", "todo", "doing", "doing", "done", "won't", "-"], "declared order, empty last")
        let reversed = try store.records(
            collection: "tasks", sort: RecordSort(field: "status", descending: true, valueOrder: order))
        #expect(
            reversed.map { $0.fields["status"]?.stringValue ?? "-" } == [
                "won't", "done", "doing", "doing", "todo", "todo", "-",
            ])
        #expect(try store.position(of: "r2", collection: "tasks") == 2, "a record's place follows the same order")
        let plan = try store.writer.read { db in
            try Row.fetchAll(
                db,
                sql: "EXPLAIN QUERY PLAN SELECT id FROM record WHERE collection = 'tasks' AND NOT locallyDeleted "
                    + LocalStore.orderBy(RecordSort(field: "status", valueOrder: order)) + " LIMIT 20"
            ).map { $0["detail"] as String? ?? "" }
        }
        #expect(!plan.joined().contains("TEMP B-TREE"), "served by the enumeration's index: \(plan)")
    }

    @Test func naturalOrderComparesNumbersByValue() {
        #expect(NaturalOrder.compare("task 9", "task 10") == .orderedAscending)
        #expect(NaturalOrder.compare("task 010", "task 9") == .orderedDescending)
        #expect(NaturalOrder.compare("Zebra", "apple") == .orderedDescending)
        #expect(NaturalOrder.compare("a2b3", "a2b03") == .orderedDescending, "equal values: the bytes decide")
        #expect(NaturalOrder.compare("same", "same") == .orderedSame)
        #expect(NaturalOrder.compare("", "a") == .orderedAscending)
        #expect(NaturalOrder.compare("99999999999999999999999", "100000000000000000000000") == .orderedAscending)
    }

    @Test func fieldNamesThatCannotBeSQLAreRefused() throws {
        #expect(RecordSort.isSortable("due_date"))
        #expect(!RecordSort.isSortable("title') --"))
        #expect(!RecordSort.isSortable(""))
        let store = try store()
        try store.setSort(RecordSort(field: "x'); DROP TABLE record; --"), collection: "tasks")
        #expect(store.sort(collection: "tasks") == RecordSort())
        #expect(try store.recordCount(collection: "tasks") == 4)
    }
}
