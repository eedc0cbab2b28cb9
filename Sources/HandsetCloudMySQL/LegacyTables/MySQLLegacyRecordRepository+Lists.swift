import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetWire

/// Lists of a mapped table, answered from the table itself: filters compare columns (typed, through the column's
/// own conversion), sorting is by the column in its own collation (a missing value after every present one in
/// ascending order, as for the cloud's own records), and `q` looks for each word in the text columns (`LIKE` in
/// the column's collation: a scan, where the cloud's own records have a full-text index).
extension MySQLLegacyRecordRepository {
    package func list(_ query: RecordListQuery) async throws -> [RecordListRow] {
        let table = try table(query.collection)
        try await absorbPendingChanges()
        let (sql, parameters) = Self.listSQL(table, query, counting: false)
        let now = Timestamp.string(from: Date())
        let sort = query.sort
        return try await pool.withConnection { db in
            try db.execute(sql, parameters).rows.map { row in
                let bookkeeping = try LegacyTable.Bookkeeping.read(row, from: table.selectCount)
                let record = table.record(of: row, bookkeeping: bookkeeping, now: now)
                let value: JSONValue
                switch sort {
                case .id: value = .string(record.id)
                case .updatedAt: value = .string(record.updatedAt)
                case .field:
                    let raw = row[table.selectCount + 6]
                    value = raw == .null ? .null : .string(LegacyValueCodec.string(raw))
                }
                return RecordListRow(record: record, position: RecordListPosition(value: value, id: record.id))
            }
        }
    }

    package func count(_ query: RecordListQuery) async throws -> Int {
        let table = try table(query.collection)
        try await absorbPendingChanges()
        let (sql, parameters) = Self.listSQL(table, query, counting: true)
        return try await pool.withConnection { db in try db.execute(sql, parameters).rows.first?.int(0) ?? 0 }
    }

    static func listSQL(_ table: LegacyTable, _ query: RecordListQuery, counting: Bool) -> (String, [MySQLValue]) {
        var conditions: [String] = []
        var parameters: [MySQLValue] = [.text(table.collection)]
        let from = """
            \(table.quotedName) t LEFT JOIN handset_legacy_rows b
                ON b.collection = ? AND b.row_key = \(table.keyAsRowKey)
            """
        if let owner = query.owner {
            let (condition, values) = ownerCondition(table, [owner])
            conditions.append(condition)
            parameters += values
        }
        for filter in query.filters.sorted(by: { $0.field.sortName < $1.field.sortName }) where !filter.values.isEmpty {
            let (condition, values) = filterCondition(table, filter)
            conditions.append(condition)
            parameters += values
        }
        let texts = table.fields.filter { field in
            switch field.column.kind {
            case .text, .enumeration, .set: true
            default: false
            }
        }
        for word in query.searchWords where !word.isEmpty {
            guard !texts.isEmpty else {
                conditions.append("0")
                break
            }
            let pattern = "%" + escapeLike(word) + "%"
            conditions.append(
                "(" + texts.map { "t.\(LegacyTable.quote($0.column.name)) LIKE ?" }.joined(separator: " OR ") + ")")
            parameters += Array(repeating: .text(pattern), count: texts.count)
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        if counting { return ("SELECT COUNT(*) FROM \(from)\(whereClause)", parameters) }

        let ascending = !query.descending
        let direction = ascending ? "ASC" : "DESC"
        let comparison = ascending ? ">" : "<"
        var select = "SELECT \(table.selectList), \(LegacyTable.Bookkeeping.columns)"
        var order: String
        var after: [String] = []
        var afterParameters: [MySQLValue] = []
        let afterID = query.after.flatMap { table.keyValue(for: $0.id) }
        switch query.sort {
        case .id:
            order = "\(table.quotedKey) \(direction)"
            if let afterID {
                after.append("\(table.quotedKey) \(comparison) ?")
                afterParameters.append(afterID)
            }
        case .updatedAt:
            order = "b.updated_at \(direction), \(table.quotedKey) \(direction)"
            if let position = query.after, let afterID {
                after.append(
                    "(b.updated_at \(comparison) ? OR (b.updated_at = ? AND \(table.quotedKey) \(comparison) ?))")
                let stamp = MySQLValue.text(position.value.stringValue ?? "")
                afterParameters += [stamp, stamp, afterID]
            }
        case .field(let name):
            let column = table.field(name).map { "t." + LegacyTable.quote($0.column.name) } ?? "NULL"
            select += ", CAST(\(column) AS CHAR)"
            // Present values first in ascending order, missing ones first in descending (the cloud's own rule).
            order = "(\(column) IS NULL) \(direction), \(column) \(direction), \(table.quotedKey) \(direction)"
            if let position = query.after, let afterID {
                if case .string(let value) = position.value {
                    let missing = ascending ? " OR \(column) IS NULL" : ""
                    after.append(
                        "(\(column) \(comparison) ? OR (\(column) = ? AND \(table.quotedKey) \(comparison) ?)\(missing))"
                    )
                    afterParameters += [.text(value), .text(value), afterID]
                } else {
                    let present = ascending ? "" : " OR \(column) IS NOT NULL"
                    after.append("((\(column) IS NULL AND \(table.quotedKey) \(comparison) ?)\(present))")
                    afterParameters.append(afterID)
                }
            }
        }
        if query.after != nil, afterID == nil { after.append("0") }
        let allConditions = conditions + after
        let clause = allConditions.isEmpty ? "" : " WHERE " + allConditions.joined(separator: " AND ")
        let sql = "\(select) FROM \(from)\(clause) ORDER BY \(order) LIMIT ?"
        return (sql, parameters + afterParameters + [.int(Int64(query.limit))])
    }

    /// Records whose owner is one of `owners`: the owner column's value, else the bookkeeping's.
    private static func ownerCondition(_ table: LegacyTable, _ owners: [String]) -> (String, [MySQLValue]) {
        let marks = Array(repeating: "?", count: owners.count).joined(separator: ", ")
        if let column = table.owner {
            return ("CAST(t.\(LegacyTable.quote(column.name)) AS CHAR) IN (\(marks))", owners.map { .text($0) })
        }
        return ("b.owner IN (\(marks))", owners.map { .text($0) })
    }

    /// A typed filter: each value through the column's own conversion; one the column could not hold matches
    /// nothing (a number never matches a text column, as for the cloud's own records).
    private static func filterCondition(_ table: LegacyTable, _ filter: RecordFilter) -> (String, [MySQLValue]) {
        switch filter.field {
        case .owner:
            return ownerCondition(table, filter.values.compactMap(\.stringValue))
        case .field(let name):
            guard let field = table.field(name) else { return ("0", []) }
            let values = filter.values.compactMap { value -> MySQLValue? in
                if case .string = value, field.rules.kind != .string, field.rules.kind != .any { return nil }
                if case .number = value, field.rules.kind == .string { return nil }
                return try? LegacyValueCodec.write(value, column: field.column, zone: field.zone)
            }
            guard !values.isEmpty else { return ("0", []) }
            let column = "t.\(LegacyTable.quote(field.column.name))"
            let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
            if case .text = field.column.kind {
                // Byte for byte, as the cloud's own filters compare strings.
                return ("CONVERT(\(column) USING utf8mb4) COLLATE utf8mb4_bin IN (\(marks))", values)
            }
            return ("\(column) IN (\(marks))", values)
        }
    }

    private static func escapeLike(_ word: String) -> String {
        var text = ""
        for character in word {
            if character == "%" || character == "_" || character == "\\" { text.append("\\") }
            text.append(character)
        }
        return text
    }
}
