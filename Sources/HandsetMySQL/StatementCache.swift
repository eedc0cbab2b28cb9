/// The prepared statements of one session, per SQL text, least recently used evicted first.
struct StatementCache {
    private let capacity: Int
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0

    private struct Entry {
        let statement: MySQLPreparedStatement
        var lastUse: UInt64
    }

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    var count: Int { entries.count }

    mutating func statement(
        for sql: String, prepare: () throws -> MySQLPreparedStatement
    ) throws -> MySQLPreparedStatement {
        clock += 1
        if let entry = entries[sql] {
            entries[sql]?.lastUse = clock
            return entry.statement
        }
        let statement = try prepare()
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            oldest.value.statement.close()
            entries[oldest.key] = nil
        }
        entries[sql] = Entry(statement: statement, lastUse: clock)
        return statement
    }

    mutating func remove(_ sql: String) {
        entries.removeValue(forKey: sql)?.statement.close()
    }

    mutating func removeAll() {
        for entry in entries.values { entry.statement.close() }
        entries.removeAll()
    }
}
