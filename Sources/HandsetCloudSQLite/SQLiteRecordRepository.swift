import Foundation
import GRDB
import HandsetCloudStorage
import HandsetWire

/// Records in the cloud's SQLite database (WAL). Lists are keyset-paginated over partial expression indexes, one
/// per collection, sortable column and audience (owner or everyone), so a page costs a short index range scan
/// whatever the collection's size; `q` goes through the FTS5 table `record_words` (`SearchWords`).
///
/// One write at a time (SQLite's single writer), so one server-wide counter gives change feeds their order: a
/// value is taken and committed before the next is taken.
package struct SQLiteRecordRepository: RecordRepository {
    package let database: CloudDatabase

    package init(database: CloudDatabase) {
        self.database = database
    }

    private static let columns = "collection, id, owner, version, updated_at, seq, deleted, body, last_device"
    /// The index of the sort value after `columns` in a list's rows.
    private static let sortValueColumn = 9

    // MARK: Indexes

    package func prepare(for collections: [RecordCollectionLayout]) async throws {
        if let mapped = collections.first(where: { $0.table != nil }), let table = mapped.table {
            throw CloudStartupError.invalidAPIDocument(
                reason: "collection \(mapped.collection) serves the existing table \(table.table), which needs its "
                    + "MariaDB/MySQL database (--database mysql://…)")
        }
        let statements = collections.flatMap(Self.indexStatements(for:))
        let wanted = Set(statements.compactMap(Self.indexName(in:)))
        try await database.writer.write { db in
            // Indexes of an earlier sort rule or of a layout that changed are dropped: each costs every write.
            let existing = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'records_list_%'")
            for name in existing where !wanted.contains(name) {
                try db.execute(sql: "DROP INDEX \"\(name)\"")
            }
            for statement in statements {
                try db.execute(sql: statement)
            }
        }
    }

    package static func indexStatements(for layout: RecordCollectionLayout) -> [String] {
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

    /// The name a `CREATE INDEX IF NOT EXISTS "<name>"` statement creates.
    private static func indexName(in statement: String) -> String? {
        guard let open = statement.firstIndex(of: "\""),
            let close = statement[statement.index(after: open)...].firstIndex(of: "\"")
        else { return nil }
        return String(statement[statement.index(after: open)..<close])
    }

    private static func indexName(_ collection: String, _ key: RecordSortKey, _ audience: String) -> String {
        let column: String
        switch key {
        case .id: column = "id"
        case .updatedAt: column = "updated_at"
        case .field(let name): column = "f_" + name
        }
        let readable = "\(collection)_\(column)_\(audience)".map { $0.isLetter || $0.isNumber ? $0 : "_" }
        // A hash of the exact names (and of the sort rule's version) keeps two collections whose names only differ
        // in punctuation apart, and tells indexes of an earlier rule from current ones.
        var hash: UInt32 = 2_166_136_261
        for byte in "v2\u{0}\(collection)\u{0}\(column)\u{0}\(audience)".utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return "\"records_list_\(String(readable))_\(String(hash, radix: 16))\""
    }

    /// The SQL of a sort key, following `RecordSortValue`: numbers (booleans as 1 and 0), then text cut to its
    /// first 255 characters, then a blob for anything missing. SQLite orders numbers before text before blobs, so
    /// one expression (and one index) gives that order, and keyset comparisons never meet a NULL.
    package static func sortExpression(_ key: RecordSortKey) -> String {
        switch key {
        case .id: return "id"
        case .updatedAt: return "updated_at"
        case .field(let name):
            let path = "'$.\(name)'"
            return """
                CASE json_type(body, \(path)) WHEN 'integer' THEN json_extract(body, \(path)) \
                WHEN 'real' THEN json_extract(body, \(path)) WHEN 'true' THEN 1 WHEN 'false' THEN 0 \
                WHEN 'text' THEN substr(json_extract(body, \(path)), 1, \(RecordSortValue.textLength)) \
                ELSE x'00' END
                """
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

    package func list(_ query: RecordListQuery) async throws -> [RecordListRow] {
        let (sql, arguments) = Self.listSQL(query, counting: false)
        return try read { db in
            // Cached per connection: planning a query over many partial indexes costs more than running it.
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
                let record = try Self.record(from: row)
                let value = Self.positionValue(row[Self.sortValueColumn] as DatabaseValue)
                return RecordListRow(record: record, position: RecordListPosition(value: value, id: record.id))
            }
        }
    }

    package func count(_ query: RecordListQuery) async throws -> Int {
        let (sql, arguments) = Self.listSQL(query, counting: true)
        return try read { db in
            try Int.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) ?? 0
        }
    }

    package static func listSQL(_ query: RecordListQuery, counting: Bool) -> (String, StatementArguments) {
        let sort = sortExpression(query.sort)
        var conditions = ["collection = \(literal(query.collection))", "deleted = 0"]
        var arguments = StatementArguments()
        if let owner = query.owner {
            conditions.append("owner = ?")
            _ = arguments.append(contentsOf: [owner])
        }
        // The SQL text depends only on which fields are filtered (in a fixed order), by values of which types, and
        // whether by one value or several, never on how many: each text is prepared and cached per connection, so
        // a text per count would let callers grow every connection's cache without bound. Several values travel
        // as one JSON array.
        for filter in query.filters.sorted(by: { $0.field.sortName < $1.field.sortName }) where !filter.values.isEmpty {
            let (condition, values) = filterCondition(filter)
            conditions.append(condition)
            _ = arguments.append(contentsOf: StatementArguments(values))
        }
        if let match = ftsQuery(query.searchWords) {
            conditions.append("key IN (SELECT rowid FROM record_words WHERE record_words MATCH ?)")
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
                let value = positionArgument(after.value, sort: query.sort)
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

    /// A typed filter: numbers compare with numbers (as doubles), strings with strings (byte for byte), booleans
    /// with booleans; one group per type present.
    private static func filterCondition(_ filter: RecordFilter) -> (String, [DatabaseValueConvertible?]) {
        let field: String
        switch filter.field {
        case .owner:
            // The owner column is text, and so are owner filters.
            let owners = filter.values.compactMap(\.stringValue)
            if owners.count == 1 { return ("owner = ?", [owners[0]]) }
            return ("owner IN (SELECT value FROM json_each(?))", [jsonArray(owners.map(JSONValue.string))])
        case .field(let name): field = name
        }
        let path = "'$.\(field)'"
        var numbers: [JSONValue] = []
        var strings: [JSONValue] = []
        var booleans: Set<Bool> = []
        for value in filter.values {
            switch value {
            case .number: numbers.append(value)
            case .string: strings.append(value)
            case .bool(let flag): booleans.insert(flag)
            default: break
            }
        }
        var groups: [String] = []
        var values: [DatabaseValueConvertible?] = []
        func group(_ types: String, _ list: [JSONValue]) {
            if list.count == 1 {
                groups.append("(json_type(body, \(path)) IN (\(types)) AND json_extract(body, \(path)) = ?)")
                values.append(databaseValue(list[0]))
            } else {
                groups.append(
                    "(json_type(body, \(path)) IN (\(types)) AND json_extract(body, \(path)) IN "
                        + "(SELECT value FROM json_each(?)))")
                values.append(jsonArray(list))
            }
        }
        if !numbers.isEmpty { group("'integer', 'real'", numbers) }
        if !strings.isEmpty { group("'text'", strings) }
        if !booleans.isEmpty {
            groups.append(
                booleans.count == 2
                    ? "json_type(body, \(path)) IN ('true', 'false')" : "json_type(body, \(path)) = ?")
            if booleans.count == 1 { values.append(booleans.first! ? "true" : "false") }
        }
        if groups.isEmpty { return ("0", []) }
        return (groups.count == 1 ? groups[0] : "(" + groups.joined(separator: " OR ") + ")", values)
    }

    private static func jsonArray(_ values: [JSONValue]) -> String {
        String(decoding: JSONValue.array(values).encoded(), as: UTF8.self)
    }

    /// SQLite's plan for a list (`EXPLAIN QUERY PLAN`), to check that pages use the indexes.
    package func queryPlan(_ query: RecordListQuery) async throws -> String {
        let (sql, arguments) = Self.listSQL(query, counting: false)
        return try await database.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: arguments).map { $0["detail"] as String }
        }.joined(separator: "; ")
    }

    /// Each word as a quoted prefix query, all required. Words are `SearchWords`' (letters and digits only), and
    /// quoted besides, so no input can make a bad MATCH expression.
    static func ftsQuery(_ words: [String]) -> String? {
        let terms = words.filter { !$0.isEmpty }.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*" }
        return terms.isEmpty ? nil : terms.joined(separator: " ")
    }

    package func record(collection: String, id: String) async throws -> StoredRecord? {
        try read { db in
            try Self.fetchRecord(db, collection: collection, id: id)
        }
    }

    package func changes(collection: String, owner: String?, after: Int64, limit: Int) async throws -> [StoredRecord] {
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

    package func write(
        collection: String, id: String, at date: Date, device: String?, idempotency: IdempotencyClaim?,
        decide: @escaping @Sendable (StoredRecord?) throws -> RecordDecision,
        respond: @escaping @Sendable (StoredRecord?) -> StoredResponse
    ) async throws -> RecordWriteOutcome {
        let updatedAt = Timestamp.string(from: date)
        // One writer at a time (across processes too): the lookup and the insert of an idempotency key are in the
        // same write transaction, so a concurrent duplicate finds the answer stored.
        return try await database.writer.write { db in
            if let idempotency {
                switch try Self.lookup(db, idempotency) {
                case .replay(let response): return .replayed(response)
                case .keyReused: return .keyReused
                case .none: break
                }
            }
            let (after, changed) = try Self.decideAndApply(
                db, collection: collection, id: id, updatedAt: updatedAt, device: device, decide: decide)
            if let idempotency {
                try Self.insert(db, respond(after), for: idempotency, createdAt: updatedAt)
            }
            return .written(after, changed: changed)
        }
    }

    package func writeEach(
        collection: String, at date: Date, device: String?, idempotency: IdempotencyClaim?,
        _ writes: [RecordWriteItem], respond: @escaping @Sendable ([RecordItemOutcome]) throws -> StoredResponse
    ) async throws -> RecordBatchOutcome {
        guard !writes.isEmpty || idempotency != nil else { return .written([]) }
        let updatedAt = Timestamp.string(from: date)
        return try await database.writer.write { db in
            if let idempotency {
                switch try Self.lookup(db, idempotency) {
                case .replay(let response): return .replayed(response)
                case .keyReused: return .keyReused
                case .none: break
                }
            }
            var outcomes: [RecordItemOutcome] = []
            outcomes.reserveCapacity(writes.count)
            for write in writes {
                // A refusal comes from `decide`, before this write has changed anything, so it needs no savepoint
                // to undo (a savepoint per item was two more statements per record). Applying the decision can
                // only fail as the database fails, which ends the whole batch: it rolls back, nothing half-written.
                let current = try Self.fetchRecord(db, collection: collection, id: write.id)
                let decision: RecordDecision
                do {
                    decision = try write.decide(current)
                } catch let error as DatabaseError {
                    throw error
                } catch {
                    outcomes.append(.refused(error))
                    continue
                }
                let (after, changed) = try Self.apply(
                    decision, db, collection: collection, id: write.id, current: current, updatedAt: updatedAt,
                    device: device)
                outcomes.append(.written(after, changed: changed))
            }
            if let idempotency {
                try Self.insert(db, respond(outcomes), for: idempotency, createdAt: updatedAt)
            }
            return .written(outcomes)
        }
    }

    private static func decideAndApply(
        _ db: Database, collection: String, id: String, updatedAt: String, device: String?,
        decide: (StoredRecord?) throws -> RecordDecision
    ) throws -> (StoredRecord?, Bool) {
        let current = try fetchRecord(db, collection: collection, id: id)
        return try apply(
            decide(current), db, collection: collection, id: id, current: current, updatedAt: updatedAt,
            device: device)
    }

    /// Carries out a decision about `current`.
    private static func apply(
        _ decision: RecordDecision, _ db: Database, collection: String, id: String, current: StoredRecord?,
        updatedAt: String, device: String?
    ) throws -> (StoredRecord?, Bool) {
        switch decision {
        case .keep:
            return (current, false)
        case .save(let owner, let body, let prepared):
            // The text and search words from the body in hand (worked out before the transaction when the plan
            // did), not from its stored text parsed back.
            let prepared = prepared ?? PreparedBody(of: body)
            let after = try apply(
                db, collection: collection, id: id, owner: owner, body: prepared.text, deleted: false,
                current: current, updatedAt: updatedAt, device: device ?? current?.lastDevice, words: prepared.words)
            return (after, true)
        case .delete:
            let after = try apply(
                db, collection: collection, id: id, owner: current?.owner ?? "", body: "{}", deleted: true,
                current: current, updatedAt: updatedAt, device: nil)
            return (after, true)
        }
    }

    private static func apply(
        _ db: Database, collection: String, id: String, owner: String, body: String, deleted: Bool,
        current: StoredRecord?, updatedAt: String, device: String?, words: String? = nil
    ) throws -> StoredRecord {
        guard
            let sequence = try Int64.fetchOne(
                db.cachedStatement(
                    sql: "UPDATE record_sequence SET value = value + 1 WHERE name = 'records' RETURNING value"))
        else { throw RecordStorageCorruption(collection: collection, id: id) }
        let version = (current?.version ?? 0) + 1
        let key: Int64
        if current == nil {
            // Cached statements: a batch runs these once per record, and parsing them cost more than running them.
            try db.cachedStatement(
                sql: """
                    INSERT INTO records (collection, id, owner, version, updated_at, seq, deleted, body, last_device)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [collection, id, owner, version, updatedAt, sequence, deleted, body, device])
            key = db.lastInsertedRowID
        } else {
            guard
                let updated = try Int64.fetchOne(
                    db.cachedStatement(
                        sql: """
                            UPDATE records SET owner = ?, version = ?, updated_at = ?, seq = ?, deleted = ?, body = ?,
                                last_device = ?
                            WHERE collection = ? AND id = ? RETURNING key
                            """),
                    arguments: [owner, version, updatedAt, sequence, deleted, body, device, collection, id])
            else { throw RecordStorageCorruption(collection: collection, id: id) }
            key = updated
            try db.cachedStatement(sql: "DELETE FROM record_words WHERE rowid = ?").execute(arguments: [key])
        }
        if !deleted {
            try db.cachedStatement(sql: "INSERT INTO record_words (rowid, words) VALUES (?, ?)").execute(
                arguments: [key, words ?? SearchWords.document(ofBodyText: body)])
        }
        return StoredRecord(
            collection: collection, id: id, owner: owner, version: version, updatedAt: updatedAt, sequence: sequence,
            deleted: deleted, bodyText: body, lastDevice: device)
    }

    // MARK: Idempotency keys

    package func storedResponse(for claim: IdempotencyClaim) async throws -> IdempotencyLookup {
        try await database.writer.read { db in try Self.lookup(db, claim) }
    }

    package func store(_ response: StoredResponse, for claim: IdempotencyClaim, at date: Date) async throws {
        let createdAt = Timestamp.string(from: date)
        try await database.writer.write { db in
            if case .none = try Self.lookup(db, claim) {
                try Self.insert(db, response, for: claim, createdAt: createdAt)
            }
        }
    }

    package func purgeIdempotencyKeys(before date: Date) async throws {
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
            updatedAt: row[4], sequence: row[5], deleted: row[6], bodyText: row[7], lastDevice: row[8])
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

    /// A list position's value as the sort expression compares it (a missing value is the blob the expression
    /// gives missing fields).
    private static func positionArgument(_ value: JSONValue, sort: RecordSortKey) -> DatabaseValue {
        if case .field = sort {
            switch RecordSortValue(position: value) ?? .missing {
            case let sortValue where sortValue.rank == .number: return databaseValue(.number(sortValue.number))
            case let sortValue where sortValue.rank == .text: return sortValue.text.databaseValue
            default: return Data([0]).databaseValue
            }
        }
        return (value.stringValue ?? "").databaseValue
    }

    private static func positionValue(_ value: DatabaseValue) -> JSONValue {
        switch value.storage {
        case .int64(let integer): return .number(Double(integer))
        case .double(let number): return .number(number)
        case .string(let text): return .string(text)
        case .null, .blob: return .null
        }
    }
}

/// Storage that breaks its own invariants (a missing sequence row; unreachable short of manual edits).
package struct RecordStorageCorruption: Error, CustomStringConvertible {
    package var collection: String
    package var id: String
    package var description: String { "record storage is inconsistent at \(collection)/\(id)" }
}
