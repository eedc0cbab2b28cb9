import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetWire

/// Records in MySQL/MariaDB.
///
/// **Change feeds.** Each collection has a sequence row (`handset_sequences`, `records:<collection>`). A write does
/// its record work first, then, as its last statements before COMMIT, increments that row by the number of changes
/// it made (`LAST_INSERT_ID(value + k)` hands the new value back with the statement) and numbers its rows. InnoDB
/// keeps the row lock until COMMIT, so a second writer of the collection can only take larger values after the first
/// has committed: within a feed, commit order is sequence order, and a reader whose cursor has passed n has seen
/// every change numbered below n (STORAGE-DESIGN.md §3).
///
/// **Lists.** Sorting by a field goes through `handset_record_sort`, where each write keeps the `RecordSortValue` of
/// every sortable field of its collection (rank, number, text), indexed per collection, field and audience; `q` goes
/// through a FULLTEXT index of `SearchWords` (words of one or two characters, or of other scripts, by `LIKE`).
///
/// **Idempotency.** A claim is a row inserted first in the write's transaction: a concurrent duplicate on any instance
/// blocks on its primary key until the first commits, then finds the stored answer.
package final class MySQLRecordRepository: RecordRepository, @unchecked Sendable {
    let pool: MySQLPool
    /// Word lengths the FULLTEXT index holds (`innodb_ft_min_token_size` ... `innodb_ft_max_token_size`).
    let indexedWordLengths: ClosedRange<Int>

    private let lock = NSLock()
    private var sortFieldsByCollection: [String: [String]] = [:]

    static let columns =
        "r.record_key, r.collection, r.id, r.owner, r.version, r.updated_at, r.seq, r.deleted, r.body, "
        + "r.last_device"
    /// Writes that find their new record's id taken by a concurrent create run again (as a write that now finds it).
    static let maximumRaces = 5

    init(pool: MySQLPool, indexedWordLengths: ClosedRange<Int>) {
        self.pool = pool
        self.indexedWordLengths = indexedWordLengths
    }

    private func sortFields(of collection: String) -> [String] {
        lock.withLock { sortFieldsByCollection[collection] ?? [] }
    }

    // MARK: Sort values

    /// Remembers which fields each collection sorts by, and gives every record without a sort value for one of them
    /// its value (a field that became sortable, or records written before this start).
    package func prepare(for collections: [RecordCollectionLayout]) async throws {
        var fields: [String: [String]] = [:]
        for layout in collections {
            fields[layout.collection] = layout.sortKeys.compactMap {
                if case .field(let name) = $0 { return name }
                return nil
            }
        }
        lock.withLock { sortFieldsByCollection = fields }
        for (collection, names) in fields {
            for field in names {
                try await backfill(collection: collection, field: field)
            }
        }
    }

    private func backfill(collection: String, field: String) async throws {
        while true {
            // INSERT IGNORE: a writer that stored a newer value meanwhile keeps it.
            let added = try await pool.transaction { db -> Int in
                let rows = try db.execute(
                    """
                    SELECT \(Self.columns) FROM handset_records r
                    LEFT JOIN handset_record_sort s ON s.record_key = r.record_key AND s.field = ?
                    WHERE r.collection = ? AND s.record_key IS NULL LIMIT 500
                    """, [.text(field), .text(collection)]
                ).rows
                for row in rows {
                    let (key, record) = try Self.record(from: row)
                    try Self.writeSortValues(
                        db, key: key, record: record, fields: [field], verb: "INSERT IGNORE", update: false)
                }
                return rows.count
            }
            if added < 500 { return }
        }
    }

    /// Stores the sort value of each of `fields` for a record (all marked deleted for a tombstone).
    private static func writeSortValues(
        _ db: MySQLConnection, key: UInt64, record: StoredRecord, fields: [String], verb: String = "INSERT",
        update: Bool = true
    ) throws {
        guard !fields.isEmpty else { return }
        let body = record.deleted ? [:] : record.body
        var parameters: [MySQLValue] = []
        for field in fields {
            let value = RecordSortValue(body[field])
            parameters += [
                .uint(key), .text(field), .text(record.collection), .text(record.id), .text(record.owner),
                .int(record.deleted ? 1 : 0), .int(Int64(value.rank.rawValue)), .double(value.number),
                .text(value.text),
            ]
        }
        let rows = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: fields.count).joined(separator: ", ")
        var sql = """
            \(verb) INTO handset_record_sort
                (record_key, field, collection, id, owner, deleted, sort_rank, sort_number, sort_text)
            VALUES \(rows)
            """
        if update {
            sql += """

                ON DUPLICATE KEY UPDATE owner = VALUES(owner), deleted = VALUES(deleted),
                    sort_rank = VALUES(sort_rank), sort_number = VALUES(sort_number), sort_text = VALUES(sort_text)
                """
        }
        try db.execute(sql, parameters)
    }

    // MARK: Reads

    package func list(_ query: RecordListQuery) async throws -> [RecordListRow] {
        let (sql, parameters) = listSQL(query, counting: false)
        let sort = query.sort
        return try await pool.withConnection { db in
            try db.execute(sql, parameters).rows.map { row in
                let (_, record) = try Self.record(from: row)
                let value: JSONValue
                switch sort {
                case .id: value = .string(record.id)
                case .updatedAt: value = .string(record.updatedAt)
                case .field:
                    let rank = RecordSortValue.Rank(rawValue: try row.int(10)) ?? .missing
                    value = RecordSortValue(rank: rank, number: try row.double(11), text: try row.string(12)).position
                }
                return RecordListRow(record: record, position: RecordListPosition(value: value, id: record.id))
            }
        }
    }

    package func count(_ query: RecordListQuery) async throws -> Int {
        let (sql, parameters) = listSQL(query, counting: true)
        return try await pool.withConnection { db in try db.execute(sql, parameters).rows.first?.int(0) ?? 0 }
    }

    /// The statement of a list (or its count). Its text depends on the shape of the query only (which filters, by
    /// values of which types, one or several; how many short search words), never on how many values a filter has:
    /// several travel as one JSON array.
    func listSQL(_ query: RecordListQuery, counting: Bool) -> (String, [MySQLValue]) {
        var conditions: [String] = []
        var parameters: [MySQLValue] = []
        let bySortTable: Bool
        if case .field(let field) = query.sort, !counting {
            bySortTable = true
            conditions += ["s.collection = ?", "s.field = ?"]
            parameters += [.text(query.collection), .text(field)]
            if let owner = query.owner {
                conditions.append("s.owner = ?")
                parameters.append(.text(owner))
            }
            conditions.append("s.deleted = 0")
        } else {
            bySortTable = false
            conditions.append("r.collection = ?")
            parameters.append(.text(query.collection))
            if let owner = query.owner {
                conditions.append("r.owner = ?")
                parameters.append(.text(owner))
            }
            conditions.append("r.deleted = 0")
        }
        for filter in query.filters.sorted(by: { $0.field.sortName < $1.field.sortName }) where !filter.values.isEmpty {
            let (condition, values) = Self.filterCondition(filter)
            conditions.append(condition)
            parameters += values
        }
        if let (condition, values) = searchCondition(query.searchWords) {
            conditions.append(condition)
            parameters += values
        }
        if counting {
            return ("SELECT COUNT(*) FROM handset_records r WHERE " + conditions.joined(separator: " AND "), parameters)
        }
        let comparison = query.descending ? "<" : ">"
        let direction = query.descending ? "DESC" : "ASC"
        let order: String
        var select = "SELECT \(Self.columns)"
        let from: String
        switch query.sort {
        case .field:
            select += ", s.sort_rank, s.sort_number, s.sort_text"
            // The sort index drives the join, so that a page reads about `limit` index entries: left to itself,
            // MariaDB's optimizer has been seen scanning every record of the collection and sorting them instead
            // (130 ms instead of 1 ms for a page of 20 of 20,000).
            from = "handset_record_sort s STRAIGHT_JOIN handset_records r ON r.record_key = s.record_key"
            order = ["s.sort_rank", "s.sort_number", "s.sort_text", "s.id"].map { "\($0) \(direction)" }
                .joined(separator: ", ")
            if let after = query.after {
                let value = RecordSortValue(position: after.value) ?? .missing
                // The row comparison is the order's; the first term gives the optimizer a range on the index.
                conditions.append(
                    "s.sort_rank \(comparison)= ? AND (s.sort_rank, s.sort_number, s.sort_text, s.id) \(comparison) "
                        + "(?, ?, ?, ?)")
                parameters += [
                    .int(Int64(value.rank.rawValue)), .int(Int64(value.rank.rawValue)), .double(value.number),
                    .text(value.text), .text(after.id),
                ]
            }
        case .id:
            from = "handset_records r"
            order = "r.id \(direction)"
            if let after = query.after {
                conditions.append("r.id \(comparison) ?")
                parameters.append(.text(after.id))
            }
        case .updatedAt:
            from = "handset_records r"
            order = "r.updated_at \(direction), r.id \(direction)"
            if let after = query.after {
                conditions.append("(r.updated_at, r.id) \(comparison) (?, ?)")
                parameters += [.text(after.value.stringValue ?? ""), .text(after.id)]
            }
        }
        _ = bySortTable
        parameters.append(.int(Int64(query.limit)))
        let sql = "\(select) FROM \(from) WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?"
        return (sql, parameters)
    }

    /// A typed filter (as SQLite's): numbers compare with numbers as doubles, strings with strings byte for byte,
    /// booleans with booleans; one group per type present.
    static func filterCondition(_ filter: RecordFilter) -> (String, [MySQLValue]) {
        let field: String
        switch filter.field {
        case .owner:
            let owners = filter.values.compactMap(\.stringValue)
            if owners.count == 1 { return ("r.owner = ?", [.text(owners[0])]) }
            return ("r.owner IN (\(jsonTable("VARCHAR(191)")))", [.text(jsonArray(owners.map(JSONValue.string)))])
        case .field(let name): field = name
        }
        let path = "'$.\(field)'"
        let type = "JSON_TYPE(JSON_EXTRACT(r.body, \(path)))"
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
        var parameters: [MySQLValue] = []
        if !numbers.isEmpty {
            let number = "CAST(JSON_VALUE(r.body, \(path)) AS DOUBLE)"
            if numbers.count == 1, case .number(let value) = numbers[0] {
                groups.append("(\(type) IN ('INTEGER', 'UNSIGNED INTEGER', 'DOUBLE') AND \(number) = ?)")
                parameters.append(.double(value))
            } else {
                groups.append(
                    "(\(type) IN ('INTEGER', 'UNSIGNED INTEGER', 'DOUBLE') AND \(number) IN (\(jsonTable("DOUBLE"))))")
                parameters.append(.text(jsonArray(numbers)))
            }
        }
        if !strings.isEmpty {
            let text = "JSON_VALUE(r.body, \(path))"
            if strings.count == 1, case .string(let value) = strings[0] {
                groups.append("(\(type) = 'STRING' AND \(text) = ?)")
                parameters.append(.text(value))
            } else {
                groups.append("(\(type) = 'STRING' AND \(text) IN (\(jsonTable("LONGTEXT"))))")
                parameters.append(.text(jsonArray(strings)))
            }
        }
        if !booleans.isEmpty {
            if booleans.count == 2 {
                groups.append("\(type) = 'BOOLEAN'")
            } else {
                groups.append("(\(type) = 'BOOLEAN' AND JSON_UNQUOTE(JSON_EXTRACT(r.body, \(path))) = ?)")
                parameters.append(.text(booleans.first! ? "true" : "false"))
            }
        }
        if groups.isEmpty { return ("0", []) }
        return (groups.count == 1 ? groups[0] : "(" + groups.joined(separator: " OR ") + ")", parameters)
    }

    /// The values of a JSON array parameter as a one-column table.
    private static func jsonTable(_ type: String) -> String {
        let collation = type == "DOUBLE" ? "" : " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        return "SELECT v FROM JSON_TABLE(?, '$[*]' COLUMNS (v \(type)\(collation) PATH '$')) AS filter_values"
    }

    private static func jsonArray(_ values: [JSONValue]) -> String {
        String(decoding: JSONValue.array(values).encoded(), as: UTF8.self)
    }

    /// `q`: every word a prefix of some word of the record. ASCII words as long as the FULLTEXT index's shortest
    /// go into one boolean MATCH on the indexed copy (cut to the longest it holds); the others (one or two
    /// characters, other scripts), and words longer than the index holds, are matched by `LIKE` on the whole words
    /// of the rows the MATCH leaves (of the collection's rows, when there is no MATCH).
    func searchCondition(_ words: [String]) -> (String, [MySQLValue])? {
        let words = words.filter { !$0.isEmpty }
        guard !words.isEmpty else { return nil }
        var indexed: [String] = []
        var scanned: [String] = []
        for word in words {
            let length = word.unicodeScalars.count
            if word.unicodeScalars.allSatisfy(\.isASCII), length >= indexedWordLengths.lowerBound {
                indexed.append(Self.cut(word, to: indexedWordLengths.upperBound))
                if length > indexedWordLengths.upperBound { scanned.append(word) }
            } else {
                scanned.append(word)
            }
        }
        var conditions: [String] = []
        var parameters: [MySQLValue] = []
        if !indexed.isEmpty {
            conditions.append("MATCH (w.indexed_words) AGAINST (? IN BOOLEAN MODE)")
            parameters.append(.text(indexed.map { "+\($0)*" }.joined(separator: " ")))
        }
        for word in scanned {
            // Words hold letters, digits and marks only: nothing LIKE would take as a wildcard.
            conditions.append("CONCAT(' ', w.words) LIKE ?")
            parameters.append(.text("% \(word)%"))
        }
        return (
            "r.record_key IN (SELECT w.record_key FROM handset_record_words w WHERE "
                + conditions.joined(separator: " AND ") + ")", parameters
        )
    }

    package func record(collection: String, id: String) async throws -> StoredRecord? {
        try await pool.withConnection { db in try Self.fetch(db, collection: collection, id: id, locking: false)?.1 }
    }

    package func changes(collection: String, owner: String?, after: Int64, limit: Int) async throws -> [StoredRecord] {
        try await pool.withConnection { db in
            let rows: [MySQLRow]
            if let owner {
                rows = try db.execute(
                    """
                    SELECT \(Self.columns) FROM handset_records r
                    WHERE r.collection = ? AND r.owner = ? AND r.seq > ? ORDER BY r.seq LIMIT ?
                    """, [.text(collection), .text(owner), .int(after), .int(Int64(limit))]
                ).rows
            } else {
                rows = try db.execute(
                    """
                    SELECT \(Self.columns) FROM handset_records r
                    WHERE r.collection = ? AND r.seq > ? ORDER BY r.seq LIMIT ?
                    """, [.text(collection), .int(after), .int(Int64(limit))]
                ).rows
            }
            return try rows.map { try Self.record(from: $0).1 }
        }
    }

    // MARK: Writes

    /// A new record's id was taken by a concurrent create: the write runs again and finds it.
    private struct Raced: Error {}

    /// The changes of one transaction waiting for their sequence values.
    private struct Changes {
        /// Per change, in order: the record's key and the index of its outcome.
        var writes: [(key: UInt64, outcome: Int)] = []
    }

    private func retryingRaces<Value>(_ body: () async throws -> Value) async throws -> Value {
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
        let updatedAt = Timestamp.string(from: date)
        let fields = sortFields(of: collection)
        let longest = indexedWordLengths.upperBound
        return try await retryingRaces {
            try await pool.transaction { db -> RecordWriteOutcome in
                if let idempotency {
                    switch try Self.claim(db, idempotency, createdAt: updatedAt) {
                    case .replay(let response): return .replayed(response)
                    case .keyReused: return .keyReused
                    case .none: break
                    }
                }
                var changes = Changes()
                var (after, changed, key) = try Self.decideAndApply(
                    db, collection: collection, id: id, updatedAt: updatedAt, device: device, fields: fields,
                    longestIndexedWord: longest, decide: decide)
                if changed, let key { changes.writes.append((key, 0)) }
                let numbers = try Self.number(db, collection: collection, changes)
                if let sequence = numbers[0] { after?.sequence = sequence }
                if let idempotency {
                    try Self.storeAnswer(db, respond(after), for: idempotency)
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
        let updatedAt = Timestamp.string(from: date)
        let fields = sortFields(of: collection)
        let longest = indexedWordLengths.upperBound
        return try await retryingRaces {
            try await pool.transaction { db -> RecordBatchOutcome in
                if let idempotency {
                    switch try Self.claim(db, idempotency, createdAt: updatedAt) {
                    case .replay(let response): return .replayed(response)
                    case .keyReused: return .keyReused
                    case .none: break
                    }
                }
                var outcomes: [RecordItemOutcome] = []
                var changes = Changes()
                for write in writes {
                    // A refusal comes from `decide`, before this write has changed anything, so it needs no
                    // savepoint to undo (a savepoint per item was two more round trips per record). Applying the
                    // decision can only fail as the database fails (or a race, retried whole), which ends the batch.
                    let current = try Self.fetch(db, collection: collection, id: write.id, locking: true)
                    let decision: RecordDecision
                    do {
                        decision = try write.decide(current?.1)
                    } catch let error as MySQLError {
                        throw error
                    } catch {
                        outcomes.append(.refused(error))
                        continue
                    }
                    let (after, changed, key) = try Self.apply(
                        decision, db, current: current, collection: collection, id: write.id, updatedAt: updatedAt,
                        device: device, fields: fields, longestIndexedWord: longest)
                    if changed, let key { changes.writes.append((key, outcomes.count)) }
                    outcomes.append(.written(after, changed: changed))
                }
                let numbers = try Self.number(db, collection: collection, changes)
                for (index, sequence) in numbers {
                    if case .written(var record?, let changed) = outcomes[index] {
                        record.sequence = sequence
                        outcomes[index] = .written(record, changed: changed)
                    }
                }
                if let idempotency {
                    try Self.storeAnswer(db, try respond(outcomes), for: idempotency)
                }
                return .written(outcomes)
            }
        }
    }

    /// Takes the collection's next sequence values for `changes` (locking its sequence row until COMMIT) and numbers
    /// the records; returns each change's value by outcome index. A record changed twice keeps the later value.
    private static func number(
        _ db: MySQLConnection, collection: String, _ changes: Changes
    ) throws -> [Int: Int64] {
        guard !changes.writes.isEmpty else { return [:] }
        let count = Int64(changes.writes.count)
        let last = try db.execute(
            """
            INSERT INTO handset_sequences (name, value) VALUES (?, LAST_INSERT_ID(?))
            ON DUPLICATE KEY UPDATE value = LAST_INSERT_ID(value + ?)
            """, [.text("records:\(collection)"), .int(count), .int(count)]
        ).lastInsertID
        let first = Int64(last) - count + 1
        var numbers: [Int: Int64] = [:]
        var final: [UInt64: Int64] = [:]
        for (offset, write) in changes.writes.enumerated() {
            let sequence = first + Int64(offset)
            numbers[write.outcome] = sequence
            final[write.key] = sequence
        }
        for (key, sequence) in final.sorted(by: { $0.value < $1.value }) {
            try db.execute("UPDATE handset_records SET seq = ? WHERE record_key = ?", [.int(sequence), .uint(key)])
        }
        return numbers
    }

    /// Reads (and locks) the record, lets `decide` judge it, and applies the decision. Returns the record after, whether
    /// it changed, and its row's key. The record's sequence is numbered afterwards (`number`).
    private static func decideAndApply(
        _ db: MySQLConnection, collection: String, id: String, updatedAt: String, device: String?, fields: [String],
        longestIndexedWord: Int, decide: (StoredRecord?) throws -> RecordDecision
    ) throws -> (StoredRecord?, Bool, UInt64?) {
        let current = try fetch(db, collection: collection, id: id, locking: true)
        return try apply(
            decide(current?.1), db, current: current, collection: collection, id: id, updatedAt: updatedAt,
            device: device, fields: fields, longestIndexedWord: longestIndexedWord)
    }

    /// Carries out a decision about `current` (read with its lock by the caller).
    private static func apply(
        _ decision: RecordDecision, _ db: MySQLConnection, current: (UInt64, StoredRecord)?, collection: String,
        id: String, updatedAt: String, device: String?, fields: [String], longestIndexedWord: Int
    ) throws -> (StoredRecord?, Bool, UInt64?) {
        switch decision {
        case .keep:
            return (current?.1, false, current?.0)
        case .save(let owner, let body, let prepared):
            let (key, record) = try apply(
                db, current: current, collection: collection, id: id, owner: owner,
                body: prepared?.text ?? StoredRecord.canonicalText(of: body), deleted: false, updatedAt: updatedAt,
                device: device ?? current?.1.lastDevice, fields: fields, longestIndexedWord: longestIndexedWord)
            return (record, true, key)
        case .delete:
            let (key, record) = try apply(
                db, current: current, collection: collection, id: id, owner: current?.1.owner ?? "", body: "{}",
                deleted: true, updatedAt: updatedAt, device: nil, fields: fields,
                longestIndexedWord: longestIndexedWord)
            return (record, true, key)
        }
    }

    private static func apply(
        _ db: MySQLConnection, current: (UInt64, StoredRecord)?, collection: String, id: String, owner: String,
        body: String, deleted: Bool, updatedAt: String, device: String?, fields: [String], longestIndexedWord: Int
    ) throws -> (UInt64, StoredRecord) {
        let version = (current?.1.version ?? 0) + 1
        let key: UInt64
        if let current {
            key = current.0
            try db.execute(
                """
                UPDATE handset_records SET owner = ?, version = ?, updated_at = ?, deleted = ?, body = ?,
                    last_device = ?
                WHERE record_key = ?
                """,
                [
                    .text(owner), .int(Int64(version)), .text(updatedAt), .int(deleted ? 1 : 0), .text(body),
                    MySQLValue(device), .uint(key),
                ])
        } else {
            do {
                key = try db.execute(
                    """
                    INSERT INTO handset_records (collection, id, owner, version, updated_at, seq, deleted, body,
                        last_device)
                    VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?)
                    """,
                    [
                        .text(collection), .text(id), .text(owner), .int(Int64(version)), .text(updatedAt),
                        .int(deleted ? 1 : 0), .text(body), MySQLValue(device),
                    ]
                ).lastInsertID
            } catch let error as MySQLError where error.isDuplicateKey {
                throw Raced()
            }
        }
        let record = StoredRecord(
            collection: collection, id: id, owner: owner, version: version, updatedAt: updatedAt,
            sequence: current?.1.sequence ?? 0, deleted: deleted, bodyText: body, lastDevice: device)
        try writeSortValues(db, key: key, record: record, fields: fields)
        if deleted {
            try db.execute("DELETE FROM handset_record_words WHERE record_key = ?", [.uint(key)])
        } else {
            let words = SearchWords.document(ofBodyText: body)
            try db.execute(
                """
                INSERT INTO handset_record_words (record_key, words, indexed_words) VALUES (?, ?, ?)
                ON DUPLICATE KEY UPDATE words = VALUES(words), indexed_words = VALUES(indexed_words)
                """, [.uint(key), .text(words), .text(indexedWords(words, longest: longestIndexedWord))])
        }
        return (key, record)
    }

    /// The words as the FULLTEXT index gets them: each cut to the longest word it holds.
    static func indexedWords(_ words: String, longest: Int) -> String {
        words.split(separator: " ").map { cut(String($0), to: longest) }.joined(separator: " ")
    }

    static func cut(_ word: String, to length: Int) -> String {
        word.unicodeScalars.count <= length
            ? word : String(String.UnicodeScalarView(word.unicodeScalars.prefix(length)))
    }

    // MARK: Idempotency keys

    /// Inserts the claim's row; when the key is used already (committed by another transaction, which this insert
    /// waited for), answers what it stored.
    static func claim(
        _ db: MySQLConnection, _ claim: IdempotencyClaim, createdAt: String
    ) throws -> IdempotencyLookup {
        do {
            try db.execute(
                """
                INSERT INTO handset_idempotency_keys
                    (scope, idempotency_key, fingerprint, status, headers, body, created_at)
                VALUES (?, ?, ?, 0, '{}', '', ?)
                """, [.text(claim.scope), .text(claim.key), .text(claim.fingerprint), .text(createdAt)])
            return .none
        } catch let error as MySQLError where error.isDuplicateKey {
            return try lookup(db, claim)
        }
    }

    static func storeAnswer(
        _ db: MySQLConnection, _ response: StoredResponse, for claim: IdempotencyClaim
    ) throws {
        try db.execute(
            """
            UPDATE handset_idempotency_keys SET status = ?, headers = ?, body = ?
            WHERE scope = ? AND idempotency_key = ?
            """,
            [
                .int(Int64(response.status)), .text(encodedHeaders(response.headers)), .text(response.body),
                .text(claim.scope), .text(claim.key),
            ])
    }

    private static func lookup(_ db: MySQLConnection, _ claim: IdempotencyClaim) throws -> IdempotencyLookup {
        guard
            let row = try db.execute(
                """
                SELECT fingerprint, status, headers, body FROM handset_idempotency_keys
                WHERE scope = ? AND idempotency_key = ?
                """, [.text(claim.scope), .text(claim.key)]
            ).rows.first
        else { return .none }
        guard try row.string(0) == claim.fingerprint else { return .keyReused }
        let headers =
            (try? JSONDecoder().decode([String: String].self, from: Data(try row.string(2).utf8))) ?? [:]
        return .replay(StoredResponse(status: try row.int(1), headers: headers, body: try row.string(3)))
    }

    private static func encodedHeaders(_ headers: [String: String]) -> String {
        String(decoding: (try? JSONEncoder().encode(headers)) ?? Data("{}".utf8), as: UTF8.self)
    }

    package func storedResponse(for claim: IdempotencyClaim) async throws -> IdempotencyLookup {
        try await pool.withConnection { db in try Self.lookup(db, claim) }
    }

    package func store(_ response: StoredResponse, for claim: IdempotencyClaim, at date: Date) async throws {
        let createdAt = Timestamp.string(from: date)
        try await pool.transaction { db in
            try db.execute(
                """
                INSERT IGNORE INTO handset_idempotency_keys
                    (scope, idempotency_key, fingerprint, status, headers, body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(claim.scope), .text(claim.key), .text(claim.fingerprint), .int(Int64(response.status)),
                    .text(Self.encodedHeaders(response.headers)), .text(response.body), .text(createdAt),
                ])
        }
    }

    package func purgeIdempotencyKeys(before date: Date) async throws {
        let cutoff = Timestamp.string(from: date)
        try await pool.write("DELETE FROM handset_idempotency_keys WHERE created_at < ?", [.text(cutoff)])
    }

    // MARK: Rows

    private static func fetch(
        _ db: MySQLConnection, collection: String, id: String, locking: Bool
    ) throws -> (UInt64, StoredRecord)? {
        try db.execute(
            "SELECT \(columns) FROM handset_records r WHERE r.collection = ? AND r.id = ?"
                + (locking ? " FOR UPDATE" : ""), [.text(collection), .text(id)]
        ).rows.first.map(record(from:))
    }

    static func record(from row: MySQLRow) throws -> (UInt64, StoredRecord) {
        (
            try row.uint64(0),
            StoredRecord(
                collection: try row.string(1), id: try row.string(2), owner: try row.string(3),
                version: try row.int(4), updatedAt: try row.string(5), sequence: try row.optionalInt64(6) ?? 0,
                deleted: try row.bool(7), bodyText: try row.string(8), lastDevice: try row.optionalString(9))
        )
    }
}
