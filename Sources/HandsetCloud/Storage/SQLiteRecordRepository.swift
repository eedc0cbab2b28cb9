import Foundation
import GRDB
import HandsetWire

/// Records in the cloud's SQLite database (WAL). Lists are keyset-paginated over partial expression indexes, one
/// per collection, sortable column and audience (owner or everyone), so a page costs a short index range scan
/// whatever the collection's size; `q` goes through the FTS5 table `record_search`.
struct SQLiteRecordRepository: RecordRepository {
    let database: CloudDatabase

    private static let columns = "collection, id, owner, version, updated_at, seq, deleted, body"

    // MARK: Indexes

    func prepare(for collections: [RecordCollectionLayout]) async throws {
        let statements = collections.flatMap(Self.indexStatements(for:))
        guard !statements.isEmpty else { return }
        try await database.writer.write { db in
            for statement in statements {
                try db.execute(sql: statement)
            }
        }
    }

    static func indexStatements(for layout: RecordCollectionLayout) -> [String] {
        let scope = "WHERE collection = \(literal(layout.collection)) AND deleted = 0"
        var statements: [String] = []
        for key in layout.sortKeys where key != .id {
            let expression = sortExpression(key)
            if layout.ownerLists {
                statements.append(
                    "CREATE INDEX IF NOT EXISTS \(indexName(layout.collection, key, "owner")) "
                        + "ON records(owner, \(expression), id) \(scope)")
            }
            if layout.sharedLists {
                // `collection` leads although the index holds one collection: without it SQLite's planner (no
                // ANALYZE statistics) prefers another index's equality on collection and sorts.
                statements.append(
                    "CREATE INDEX IF NOT EXISTS \(indexName(layout.collection, key, "everyone")) "
                        + "ON records(collection, \(expression), id) \(scope)")
            }
        }
        return statements
    }

    private static func indexName(_ collection: String, _ key: RecordSortKey, _ audience: String) -> String {
        let column: String
        switch key {
        case .id: column = "id"
        case .updatedAt: column = "updated_at"
        case .field(let name): column = "f_" + name
        }
        let readable = "\(collection)_\(column)_\(audience)".map { $0.isLetter || $0.isNumber ? $0 : "_" }
        // A hash of the exact names keeps two collections whose names only differ in punctuation apart.
        var hash: UInt32 = 2_166_136_261
        for byte in "\(collection)\u{0}\(column)\u{0}\(audience)".utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return "\"records_list_\(String(readable))_\(String(hash, radix: 16))\""
    }

    /// The SQL of a sort key. Missing fields sort as `''`, so keyset comparisons never meet a NULL.
    static func sortExpression(_ key: RecordSortKey) -> String {
        switch key {
        case .id: "id"
        case .updatedAt: "updated_at"
        case .field(let name): "coalesce(json_extract(body, '$.\(name)'), '')"
        }
    }

    /// A string literal: collection names are inlined so that SQLite can match the partial indexes.
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    // MARK: Reads

    /// Reads on the calling thread, outside an explicit transaction. A read is one statement over a few index
    /// entries (SQLite gives each statement a consistent snapshot, and WAL readers never wait for the writer), so
    /// this costs less than the hop to GRDB's queue and back, and the BEGIN and COMMIT, that `read` adds to every
    /// request.
    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writer.unsafeRead(body)
    }

    func list(_ query: RecordListQuery) async throws -> [RecordListRow] {
        let (sql, arguments) = Self.listSQL(query, counting: false)
        return try read { db in
            // Cached per connection: planning a query over many partial indexes costs more than running it.
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
                let record = try Self.record(from: row)
                let value = Self.jsonValue(row[8] as DatabaseValue)
                return RecordListRow(record: record, position: RecordListPosition(value: value, id: record.id))
            }
        }
    }

    func count(_ query: RecordListQuery) async throws -> Int {
        let (sql, arguments) = Self.listSQL(query, counting: true)
        return try read { db in
            try Int.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) ?? 0
        }
    }

    static func listSQL(_ query: RecordListQuery, counting: Bool) -> (String, StatementArguments) {
        let sort = sortExpression(query.sort)
        var conditions = ["collection = \(literal(query.collection))", "deleted = 0"]
        var arguments = StatementArguments()
        if let owner = query.owner {
            conditions.append("owner = ?")
            _ = arguments.append(contentsOf: [owner])
        }
        // The SQL text depends only on which fields are filtered (in a fixed order) and whether by one value or
        // several, never on how many: each text is prepared and cached per connection, so a text per count would
        // let callers grow every connection's cache without bound. Several values travel as one JSON array.
        for filter in query.filters.sorted(by: { $0.field.sortName < $1.field.sortName }) where !filter.values.isEmpty {
            let column: String
            switch filter.field {
            case .owner: column = "owner"
            case .field(let name): column = "json_extract(body, '$.\(name)')"
            }
            if filter.values.count == 1 {
                conditions.append("\(column) = ?")
                _ = arguments.append(contentsOf: [databaseValue(filter.values[0])])
            } else {
                conditions.append("\(column) IN (SELECT value FROM json_each(?))")
                let list = JSONValue.array(filter.values.map(Self.comparableJSON))
                _ = arguments.append(contentsOf: [String(decoding: list.encoded(), as: UTF8.self)])
            }
        }
        if let match = ftsQuery(query.searchWords) {
            conditions.append("key IN (SELECT rowid FROM record_search WHERE record_search MATCH ?)")
            _ = arguments.append(contentsOf: [match])
        }
        if counting {
            return ("SELECT COUNT(*) FROM records WHERE " + conditions.joined(separator: " AND "), arguments)
        }
        let comparison = query.descending ? "<" : ">"
        if let after = query.after {
            if query.sort == .id {
                conditions.append("id \(comparison) ?")
                _ = arguments.append(contentsOf: [after.id])
            } else {
                // The same as `(sort, id) > (?, ?)`, in a shape whose first term is a range on the index.
                let inclusive = query.descending ? "<=" : ">="
                conditions.append("\(sort) \(inclusive) ? AND (\(sort) \(comparison) ? OR id \(comparison) ?)")
                let value = databaseValue(after.value)
                _ = arguments.append(contentsOf: [value, value, after.id])
            }
        }
        let direction = query.descending ? "DESC" : "ASC"
        let order = query.sort == .id ? "id \(direction)" : "\(sort) \(direction), id \(direction)"
        let sql = """
            SELECT \(columns), \(sort) AS sort_value FROM records
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(order)
            LIMIT ?
            """
        _ = arguments.append(contentsOf: [query.limit])
        return (sql, arguments)
    }

    /// SQLite's plan for a list (`EXPLAIN QUERY PLAN`), to check that pages use the indexes.
    func queryPlan(_ query: RecordListQuery) async throws -> String {
        let (sql, arguments) = Self.listSQL(query, counting: false)
        return try await database.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments).map { $0["detail"] as String }
        }.joined(separator: "; ")
    }

    /// Each word as a quoted prefix query, all required. Words carry no FTS5 syntax, so no input can make a bad
    /// MATCH expression.
    static func ftsQuery(_ words: [String]) -> String? {
        let terms = words.filter { !$0.isEmpty }.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*" }
        return terms.isEmpty ? nil : terms.joined(separator: " ")
    }

    func record(collection: String, id: String) async throws -> StoredRecord? {
        try read { db in
            try Self.fetchRecord(db, collection: collection, id: id)
        }
    }

    func changes(collection: String, owner: String?, after: Int64, limit: Int) async throws -> [StoredRecord] {
        try read { db in
            if let owner {
                return try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT \(Self.columns) FROM records WHERE collection = ? AND owner = ? AND seq > ?
                            ORDER BY seq LIMIT ?
                            """),
                    arguments: [collection, owner, after, limit]
                ).map(Self.record(from:))
            }
            return try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT \(Self.columns) FROM records WHERE collection = ? AND seq > ? ORDER BY seq LIMIT ?"),
                arguments: [collection, after, limit]
            ).map(Self.record(from:))
        }
    }

    // MARK: Writes

    func write(
        collection: String, id: String, at date: Date, idempotency: IdempotencyClaim?,
        decide: @escaping @Sendable (StoredRecord?) throws -> RecordDecision,
        respond: @escaping @Sendable (StoredRecord?) -> StoredResponse
    ) async throws -> RecordWriteOutcome {
        let updatedAt = Timestamp.string(from: date)
        return try await database.writer.write { db in
            if let idempotency {
                switch try Self.lookup(db, idempotency) {
                case .replay(let response): return .replayed(response)
                case .keyReused: return .keyReused
                case .none: break
                }
            }
            let (after, changed) = try Self.decideAndApply(
                db, collection: collection, id: id, updatedAt: updatedAt, decide: decide)
            if let idempotency {
                try Self.insert(db, respond(after), for: idempotency, createdAt: updatedAt)
            }
            return .written(after, changed: changed)
        }
    }

    func writeEach(
        collection: String, at date: Date, _ writes: [RecordWriteItem]
    ) async throws
        -> [RecordItemOutcome]
    {
        guard !writes.isEmpty else { return [] }
        let updatedAt = Timestamp.string(from: date)
        return try await database.writer.write { db in
            var outcomes: [RecordItemOutcome] = []
            outcomes.reserveCapacity(writes.count)
            for write in writes {
                var outcome: RecordItemOutcome = .written(nil, changed: false)
                var refusal: (any Error)?
                do {
                    try db.inSavepoint {
                        do {
                            let (after, changed) = try Self.decideAndApply(
                                db, collection: collection, id: write.id, updatedAt: updatedAt, decide: write.decide)
                            outcome = .written(after, changed: changed)
                            return .commit
                        } catch let error as DatabaseError {
                            throw error
                        } catch {
                            // A refusal: undo this write only.
                            refusal = error
                            return .rollback
                        }
                    }
                } catch {
                    // A database failure ends the whole batch, which rolls back: nothing half-written.
                    throw error
                }
                outcomes.append(refusal.map { .refused($0) } ?? outcome)
            }
            return outcomes
        }
    }

    private static func decideAndApply(
        _ db: Database, collection: String, id: String, updatedAt: String,
        decide: (StoredRecord?) throws -> RecordDecision
    ) throws -> (StoredRecord?, Bool) {
        let current = try fetchRecord(db, collection: collection, id: id)
        switch try decide(current) {
        case .keep:
            return (current, false)
        case .save(let owner, let body):
            let after = try apply(
                db, collection: collection, id: id, owner: owner, body: StoredRecord.canonicalText(of: body),
                deleted: false, current: current, updatedAt: updatedAt)
            return (after, true)
        case .delete:
            let after = try apply(
                db, collection: collection, id: id, owner: current?.owner ?? "", body: "{}", deleted: true,
                current: current, updatedAt: updatedAt)
            return (after, true)
        }
    }

    @discardableResult
    func create(
        collection: String, id: String, owner: String, body: [String: JSONValue], at date: Date
    ) async throws
        -> StoredRecord
    {
        let outcome = try await write(
            collection: collection, id: id, at: date, idempotency: nil,
            decide: { current in
                guard current == nil else { throw RecordRepositoryError.alreadyExists }
                return .save(owner: owner, body: body)
            },
            respond: { _ in StoredResponse(status: 0, headers: [:], body: "") })
        guard case .written(let record?, _) = outcome else { throw RecordRepositoryError.alreadyExists }
        return record
    }

    private static func apply(
        _ db: Database, collection: String, id: String, owner: String, body: String, deleted: Bool,
        current: StoredRecord?, updatedAt: String
    ) throws -> StoredRecord {
        guard
            let sequence = try Int64.fetchOne(
                db, sql: "UPDATE record_sequence SET value = value + 1 WHERE name = 'records' RETURNING value")
        else { throw RecordStorageCorruption(collection: collection, id: id) }
        let version = (current?.version ?? 0) + 1
        if current == nil {
            try db.execute(
                sql: """
                    INSERT INTO records (collection, id, owner, version, updated_at, seq, deleted, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [collection, id, owner, version, updatedAt, sequence, deleted, body])
        } else {
            try db.execute(
                sql: """
                    UPDATE records SET owner = ?, version = ?, updated_at = ?, seq = ?, deleted = ?, body = ?
                    WHERE collection = ? AND id = ?
                    """,
                arguments: [owner, version, updatedAt, sequence, deleted, body, collection, id])
        }
        return StoredRecord(
            collection: collection, id: id, owner: owner, version: version, updatedAt: updatedAt, sequence: sequence,
            deleted: deleted, bodyText: body)
    }

    // MARK: Idempotency keys

    func storedResponse(for claim: IdempotencyClaim) async throws -> IdempotencyLookup {
        try await database.writer.read { db in try Self.lookup(db, claim) }
    }

    func store(_ response: StoredResponse, for claim: IdempotencyClaim, at date: Date) async throws {
        let createdAt = Timestamp.string(from: date)
        try await database.writer.write { db in
            if case .none = try Self.lookup(db, claim) {
                try Self.insert(db, response, for: claim, createdAt: createdAt)
            }
        }
    }

    func purgeIdempotencyKeys(before date: Date) async throws {
        let cutoff = Timestamp.string(from: date)
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM idempotency_keys WHERE created_at < ?", arguments: [cutoff])
        }
    }

    private static func lookup(_ db: Database, _ claim: IdempotencyClaim) throws -> IdempotencyLookup {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT fingerprint, status, headers, body FROM idempotency_keys WHERE scope = ? AND key = ?",
                arguments: [claim.scope, claim.key])
        else { return .none }
        guard (row["fingerprint"] as String) == claim.fingerprint else { return .keyReused }
        let headersText: String = row["headers"]
        let headers = (try? JSONDecoder().decode([String: String].self, from: Data(headersText.utf8))) ?? [:]
        return .replay(StoredResponse(status: row["status"], headers: headers, body: row["body"]))
    }

    private static func insert(
        _ db: Database, _ response: StoredResponse, for claim: IdempotencyClaim, createdAt: String
    )
        throws
    {
        let headers = String(decoding: (try? JSONEncoder().encode(response.headers)) ?? Data("{}".utf8), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO idempotency_keys (scope, key, fingerprint, status, headers, body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [claim.scope, claim.key, claim.fingerprint, response.status, headers, response.body, createdAt])
    }

    // MARK: Rows

    private static func fetchRecord(_ db: Database, collection: String, id: String) throws -> StoredRecord? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(columns) FROM records WHERE collection = ? AND id = ?"),
            arguments: [collection, id]
        ).map(record(from:))
    }

    private static func record(from row: Row) throws -> StoredRecord {
        // By index, in the order of `columns`: this runs for every row of every page.
        StoredRecord(
            collection: row[0], id: row[1], owner: row[2], version: row[3],
            updatedAt: row[4], sequence: row[5], deleted: row[6], bodyText: row[7])
    }

    private static func databaseValue(_ value: JSONValue) -> DatabaseValue {
        switch value {
        case .string(let text): return text.databaseValue
        case .bool(let flag): return (flag ? 1 : 0).databaseValue
        case .number(let number):
            if let integer = value.intValue { return Int64(integer).databaseValue }
            return number.databaseValue
        case .null, .array, .object: return .null
        }
    }

    /// A filter value as `json_each` should hand it to the comparison: booleans as 1 and 0, as `json_extract`
    /// reads them from bodies.
    private static func comparableJSON(_ value: JSONValue) -> JSONValue {
        if case .bool(let flag) = value { return .number(flag ? 1 : 0) }
        return value
    }

    private static func jsonValue(_ value: DatabaseValue) -> JSONValue {
        switch value.storage {
        case .int64(let integer): return .number(Double(integer))
        case .double(let number): return .number(number)
        case .string(let text): return .string(text)
        case .null, .blob: return .string("")
        }
    }
}

/// Storage that breaks its own invariants (a missing sequence row; unreachable short of manual edits).
struct RecordStorageCorruption: Error, CustomStringConvertible {
    var collection: String
    var id: String
    var description: String { "record storage is inconsistent at \(collection)/\(id)" }
}
