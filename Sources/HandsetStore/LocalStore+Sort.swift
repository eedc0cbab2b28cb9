import Foundation
import GRDB
import HandsetModel
import HandsetWire

/// How a collection's list is ordered on this device: by a field (ascending or descending), else by id.
public struct RecordSort: Sendable, Equatable, Codable {
    public var field: String?
    public var descending: Bool

    public init(field: String? = nil, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }

    /// Whether a field name can go into SQL as a JSON path (letters, digits, `_`; what API schemas use).
    public static func isSortable(_ field: String) -> Bool {
        !field.isEmpty && field.count <= 64
            && field.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
            }
    }
}

extension LocalStore {
    /// The ORDER BY of a window: the field's JSON value (NULLs last either way), then id; served by an index on the
    /// same expression so that a window of 100k records never sorts them all.
    static func orderBy(_ sort: RecordSort) -> String {
        let direction = sort.descending ? "DESC" : "ASC"
        guard let field = sort.field else { return "ORDER BY id \(direction)" }
        if field == RecordField.updatedAt { return "ORDER BY updatedAt \(direction), id \(direction)" }
        let expression = "json_extract(body, '$.\(field)')"
        return "ORDER BY \(expression) IS NULL, \(expression) \(direction), id \(direction)"
    }

    /// Creates the index a sort by `field` uses (once; ~0.3 s for 100k records).
    func ensureSortIndex(for sort: RecordSort) throws {
        guard let field = sort.field, RecordSort.isSortable(field) else { return }
        try writer.write { db in
            if field == RecordField.updatedAt {
                try db.execute(
                    sql: "CREATE INDEX IF NOT EXISTS record_by_updatedAt ON record(collection, updatedAt, id)")
                // (a backwards scan serves the descending order: no empty values to keep last)
                return
            }
            // One index per direction: empty values stay last either way, which a backwards scan could not give.
            let expression = "json_extract(body, '$.\(field)')"
            let direction = sort.descending ? "DESC" : "ASC"
            let name = "record_by_\(field)_\(sort.descending ? "desc" : "asc")"
            try db.execute(
                sql: """
                    CREATE INDEX IF NOT EXISTS \(name)
                    ON record(collection, \(expression) IS NULL, \(expression) \(direction), id \(direction))
                    """)
        }
    }

    /// Where the record `id` stands in `collection`'s list in `sort` order (0-based), or nil when it is not listed
    /// (deleted, or never here). Lets a list keep its selection on a record that a sync or a new order moved.
    public func position(of id: String, collection: String, sort: RecordSort? = nil) throws -> Int? {
        let order = Self.orderBy(sort ?? self.sort(collection: collection))
        return try writer.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT position FROM (
                        SELECT id, ROW_NUMBER() OVER (\(order)) - 1 AS position FROM record
                        WHERE collection = ? AND NOT locallyDeleted
                    ) WHERE id = ?
                    """,
                arguments: [collection, id])
        }
    }

    /// The sort this device uses for `collection` (kept across starts).
    public func sort(collection: String) -> RecordSort {
        guard let text = try? meta("sort.\(collection)"),
            let sort = try? JSONDecoder().decode(RecordSort.self, from: Data(text.utf8)),
            sort.field.map(RecordSort.isSortable) ?? true
        else { return RecordSort() }
        return sort
    }

    public func setSort(_ sort: RecordSort, collection: String) throws {
        guard sort.field.map(RecordSort.isSortable) ?? true else { return }
        try ensureSortIndex(for: sort)
        try setMeta("sort.\(collection)", String(decoding: try JSONEncoder().encode(sort), as: UTF8.self))
    }
}
