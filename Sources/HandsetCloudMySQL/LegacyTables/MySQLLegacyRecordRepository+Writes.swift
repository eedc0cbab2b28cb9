import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetWire

extension MySQLLegacyRecordRepository {
    /// A new row's key was taken by a concurrent insert: the write runs again and finds the row.
    struct Raced: Error {}

    func retryingRaces<Value>(_ body: () async throws -> Value) async throws -> Value {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch is Raced where attempt < Self.maximumRaces {
                attempt += 1
            }
        }
    }

    package func write(
        collection: String, id: String, at date: Date, device: String?, idempotency: IdempotencyClaim?,
        decide: @escaping @Sendable (StoredRecord?) throws -> RecordDecision,
        respond: @escaping @Sendable (StoredRecord?) -> StoredResponse
    ) async throws -> RecordWriteOutcome {
        let table = try table(collection)
        let now = Timestamp.string(from: date)
        return try await retryingRaces {
            try await pool.transaction { db -> RecordWriteOutcome in
                if let idempotency {
                    switch try MySQLRecordRepository.claim(db, idempotency, createdAt: now) {
                    case .replay(let response): return .replayed(response)
                    case .keyReused: return .keyReused
                    case .none: break
                    }
                }
                var (after, changed, rowKey) = try Self.decideAndApply(
                    db, table: table, id: id, now: now, device: device, decide: decide)
                if changed, let rowKey {
                    let numbers = try Self.number(db, collection: collection, rowKeys: [rowKey])
                    after?.sequence = numbers[rowKey] ?? 0
                }
                if let idempotency {
                    try MySQLRecordRepository.storeAnswer(db, respond(after), for: idempotency)
                }
                return .written(after, changed: changed)
            }
        }
    }

    package func writeEach(
        collection: String, at date: Date, device: String?, idempotency: IdempotencyClaim?,
        _ writes: [RecordWriteItem], respond: @escaping @Sendable ([RecordItemOutcome]) throws -> StoredResponse
    ) async throws -> RecordBatchOutcome {
        guard !writes.isEmpty || idempotency != nil else { return .written([]) }
        let table = try table(collection)
        let now = Timestamp.string(from: date)
        return try await retryingRaces {
            try await pool.transaction { db -> RecordBatchOutcome in
                if let idempotency {
                    switch try MySQLRecordRepository.claim(db, idempotency, createdAt: now) {
                    case .replay(let response): return .replayed(response)
                    case .keyReused: return .keyReused
                    case .none: break
                    }
                }
                var outcomes: [RecordItemOutcome] = []
                var changedKeys: [(key: String, outcome: Int)] = []
                for write in writes {
                    try db.query("SAVEPOINT handset_item")
                    do {
                        let (after, changed, rowKey) = try Self.decideAndApply(
                            db, table: table, id: write.id, now: now, device: device, decide: write.decide)
                        if changed, let rowKey { changedKeys.append((rowKey, outcomes.count)) }
                        outcomes.append(.written(after, changed: changed))
                        try db.query("RELEASE SAVEPOINT handset_item")
                    } catch let error as MySQLError {
                        throw error
                    } catch is Raced {
                        throw Raced()
                    } catch {
                        try db.query("ROLLBACK TO SAVEPOINT handset_item")
                        outcomes.append(.refused(error))
                    }
                }
                // A row written twice keeps its later place in the feed.
                var order: [String] = []
                for (key, _) in changedKeys where !order.contains(key) { order.append(key) }
                order.sort { lhs, rhs in
                    changedKeys.lastIndex { $0.key == lhs }! < changedKeys.lastIndex { $0.key == rhs }!
                }
                let numbers = try Self.number(db, collection: collection, rowKeys: order)
                for (key, index) in changedKeys {
                    if case .written(var record?, let changed) = outcomes[index], let sequence = numbers[key] {
                        record.sequence = sequence
                        outcomes[index] = .written(record, changed: changed)
                    }
                }
                if let idempotency {
                    try MySQLRecordRepository.storeAnswer(db, try respond(outcomes), for: idempotency)
                }
                return .written(outcomes)
            }
        }
    }

    // MARK: One write

    /// Locks the row (waiting for any writer of it, the web application's included), folds what others changed into
    /// its version, lets `decide` judge it, and applies the decision to the table and the bookkeeping. Returns the
    /// record after, whether it changed, and its key as bookkeeping names it (for its place in the feed).
    static func decideAndApply(
        _ db: MySQLConnection, table: LegacyTable, id: String, now: String, device: String?,
        decide: (StoredRecord?) throws -> RecordDecision
    ) throws -> (StoredRecord?, Bool, String?) {
        if id == databaseAssignedRecordID {
            guard case .save(let owner, let body, _) = try decide(nil) else { return (nil, false, nil) }
            let rowKey = try insert(db, table: table, key: nil, owner: owner, body: body)
            try forgetChanges(db, table: table, rowKey: rowKey)
            let record = try saved(
                db, table: table, rowKey: rowKey, previous: nil, owner: owner, now: now, device: device)
            return (record, true, rowKey)
        }
        let current = try Self.current(db, table: table, id: id, locking: true, now: now)
        switch try decide(current?.record) {
        case .keep:
            return (current?.record, false, nil)
        case .save(let owner, let body, _):
            let rowKey: String
            if let current, current.exists, let record = current.record {
                try update(db, table: table, rowKey: current.rowKey, from: record.body, to: body, now: now)
                rowKey = current.rowKey
            } else {
                guard let key = table.keyValue(for: id) else {
                    throw RecordWriteRefused(
                        message: "Invalid id",
                        fields: [RecordField.id: "must be an integer, as the key \(table.key.name) is"])
                }
                rowKey = try insert(db, table: table, key: key, owner: owner, body: body)
            }
            try forgetChanges(db, table: table, rowKey: rowKey)
            let record = try saved(
                db, table: table, rowKey: rowKey, previous: current?.record, owner: owner, now: now,
                device: device ?? current?.record?.lastDevice)
            return (record, true, rowKey)
        case .delete:
            guard let current, let record = current.record else { return (nil, false, nil) }
            if current.exists, let key = table.keyValue(for: current.rowKey) {
                do {
                    try db.execute(
                        "DELETE FROM \(table.quotedName) WHERE \(LegacyTable.quote(table.key.name)) = ?", [key])
                } catch let error as MySQLError {
                    throw refusal(error, table: table) ?? error
                }
            }
            try forgetChanges(db, table: table, rowKey: current.rowKey)
            let version = record.deleted ? record.version : record.version + 1
            try upsertBookkeeping(
                db, table: table, rowKey: current.rowKey, version: version, updatedAt: now, owner: record.owner,
                deleted: true, lastDevice: nil, keepDevice: false)
            let tombstone = StoredRecord(
                collection: table.collection, id: current.rowKey, owner: record.owner, version: version,
                updatedAt: now, sequence: record.sequence, deleted: true, bodyText: "{}")
            return (tombstone, true, current.rowKey)
        }
    }

    /// Drops the capture entries of a row this write has accounted for: the triggers' entry for the write itself,
    /// and entries of changes by others that the row's version already counts.
    private static func forgetChanges(_ db: MySQLConnection, table: LegacyTable, rowKey: String) throws {
        try db.execute(
            "DELETE FROM handset_legacy_changes WHERE table_name = ? AND row_key = ?",
            [.text(table.name), .text(rowKey)])
    }

    /// Reads the row back after a write (defaults filled in, values as the table holds them), and records its next
    /// version.
    private static func saved(
        _ db: MySQLConnection, table: LegacyTable, rowKey: String, previous: StoredRecord?, owner: String, now: String,
        device: String?
    ) throws -> StoredRecord {
        guard let key = table.keyValue(for: rowKey),
            let row = try db.execute(
                "SELECT \(table.selectList) FROM \(table.quotedName) t WHERE \(table.quotedKey) = ?", [key]
            ).rows.first
        else { throw MySQLError(.misuse, message: "row \(rowKey) of \(table.name) vanished inside its write") }
        let version = (previous?.version ?? 0) + 1
        let rowOwner = table.owner == nil ? (previous.map(\.owner) ?? owner) : table.owner(of: row, bookkeeping: nil)
        try upsertBookkeeping(
            db, table: table, rowKey: rowKey, version: version, updatedAt: now, owner: rowOwner, deleted: false,
            lastDevice: device, keepDevice: false)
        return StoredRecord(
            collection: table.collection, id: rowKey, owner: rowOwner, version: version, updatedAt: now, sequence: 0,
            deleted: false, body: table.body(of: row), lastDevice: device)
    }

    /// Inserts a row from a body: the writable fields given, the owner column from `owner`, the key unless the
    /// database assigns it. Returns the new row's key.
    private static func insert(
        _ db: MySQLConnection, table: LegacyTable, key: MySQLValue?, owner: String, body: [String: JSONValue]
    ) throws -> String {
        var columns: [String] = []
        var values: [String] = []
        var parameters: [MySQLValue] = []
        if let key {
            columns.append(LegacyTable.quote(table.key.name))
            values.append("?")
            parameters.append(key)
        }
        var problems: [String: String] = [:]
        for field in table.fields where field.writable {
            guard let value = body[field.property], value != .null else { continue }
            do {
                parameters.append(try LegacyValueCodec.write(value, column: field.column, zone: field.zone))
                columns.append(LegacyTable.quote(field.column.name))
                values.append("?")
            } catch {
                problems[field.property] = error.message
            }
        }
        if let ownerColumn = table.owner, !owner.isEmpty {
            do {
                parameters.append(
                    try LegacyValueCodec.write(.string(owner), column: ownerColumn, zone: LegacyValueCodec.utc))
                columns.append(LegacyTable.quote(ownerColumn.name))
                values.append("?")
            } catch {
                problems[RecordField.owner] =
                    "your \(ownerColumn.name) (\(owner)) does not fit the column: \(error.message)"
            }
        }
        guard problems.isEmpty else { throw RecordWriteRefused(message: "Invalid request body", fields: problems) }
        for (column, zone) in table.zonedClockColumns where !columns.contains(LegacyTable.quote(column.name)) {
            columns.append(LegacyTable.quote(column.name))
            values.append("?")
            parameters.append(.text(clock(column: column, zone: zone)))
        }
        let sql =
            columns.isEmpty
            ? "INSERT INTO \(table.quotedName) () VALUES ()"
            : "INSERT INTO \(table.quotedName) (\(columns.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))"
        let result: MySQLResult
        do {
            result = try db.execute(sql, parameters)
        } catch let error as MySQLError where error.isDuplicateKey && key != nil {
            throw Raced()
        } catch let error as MySQLError {
            throw refusal(error, table: table) ?? error
        }
        if let key { return LegacyTable.id(from: key) }
        return String(result.lastInsertID)
    }

    /// Writes the fields whose values changed (a field the body leaves out is cleared): columns nobody changed are
    /// never written back, so a zero date, a TINYINT(1) holding 2 or text the cloud could not round-trip stays as
    /// the web application wrote it.
    private static func update(
        _ db: MySQLConnection, table: LegacyTable, rowKey: String, from old: [String: JSONValue],
        to new: [String: JSONValue], now: String
    ) throws {
        guard let key = table.keyValue(for: rowKey) else { return }
        var assignments: [String] = []
        var parameters: [MySQLValue] = []
        var problems: [String: String] = [:]
        for field in table.fields where field.writable && old[field.property] != new[field.property] {
            let column = LegacyTable.quote(field.column.name)
            guard let value = new[field.property], value != .null else {
                if field.column.isNullable {
                    assignments.append("\(column) = NULL")
                } else if field.column.hasDefault {
                    assignments.append("\(column) = DEFAULT")
                } else {
                    problems[field.property] = RecordRules.isRequired
                }
                continue
            }
            do {
                parameters.append(try LegacyValueCodec.write(value, column: field.column, zone: field.zone))
                assignments.append("\(column) = ?")
            } catch {
                problems[field.property] = error.message
            }
        }
        guard problems.isEmpty else { throw RecordWriteRefused(message: "Invalid request body", fields: problems) }
        guard !assignments.isEmpty else { return }
        for (column, zone) in table.zonedClockColumns where column.updatesOnWrite {
            let quoted = LegacyTable.quote(column.name)
            guard !assignments.contains(where: { $0.hasPrefix(quoted + " =") }) else { continue }
            assignments.append("\(quoted) = ?")
            parameters.append(.text(clock(column: column, zone: zone)))
        }
        parameters.append(key)
        do {
            try db.execute(
                "UPDATE \(table.quotedName) SET \(assignments.joined(separator: ", ")) WHERE "
                    + "\(LegacyTable.quote(table.key.name)) = ?", parameters)
        } catch let error as MySQLError {
            throw refusal(error, table: table) ?? error
        }
    }

    /// The current time as a DATETIME of `zone`, for a column the server would fill in UTC.
    private static func clock(column: LegacyColumn, zone: TimeZone) -> String {
        let now = Date().timeIntervalSince1970
        let seconds = now.rounded(.down)
        return LegacyDateTime(seconds: Int64(seconds), microseconds: Int((now - seconds) * 1_000_000))
            .columnText(zone: zone, digits: column.datetimePrecision ?? 0)
    }

    /// What a server error means for the caller, when it is about the values or the row's relations.
    static func refusal(_ error: MySQLError, table: LegacyTable) -> RecordWriteRefused? {
        guard error.kind == .server, let number = error.number else { return nil }
        let field = quotedName(in: error.message).flatMap { column in
            table.fields.first { $0.column.name.lowercased() == column.lowercased() }?.property
        }
        func invalid(_ problem: String) -> RecordWriteRefused {
            if let field { return RecordWriteRefused(message: "Invalid request body", fields: [field: problem]) }
            return RecordWriteRefused(message: "The table refused the values: \(problem)")
        }
        switch number {
        case 1406: return invalid("is too long for its column")
        case 1264, 1690: return invalid("is out of its column's range")
        case 1265, 1292, 1366: return invalid("is not a value its column can hold")
        case 1048, 1364: return invalid(RecordRules.isRequired)
        case 3819, 4025: return invalid("breaks a CHECK constraint of the table")
        case 1452: return invalid("refers to a row that does not exist")
        case 1451:
            return RecordWriteRefused(
                status: 409, message: "Rows of other tables refer to this one: it cannot be deleted or rekeyed")
        case 1062: return RecordWriteRefused(status: 409, message: "Another row has the same value of a unique column")
        default: return nil
        }
    }

    /// The column a server message names: `'title'` ("Data too long for column 'title' at row 1") or
    /// `` `db`.`t`.`title` `` ("Incorrect string value: … for column `db`.`t`.`title` at row 1").
    static func quotedName(in message: String) -> String? {
        guard let start = message.range(of: "column ") ?? message.range(of: "Field ") else { return nil }
        var rest = message[start.upperBound...]
        var name: Substring?
        while let quote = rest.first, quote == "'" || quote == "`" {
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: quote) else { return nil }
            name = rest[..<end]
            rest = rest[rest.index(after: end)...]
            if rest.first == "." { rest = rest.dropFirst() } else { break }
        }
        return name.map { String($0.split(separator: ".").last ?? $0) }
    }
}
