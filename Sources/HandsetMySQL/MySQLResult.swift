/// What a statement gave back: its rows (read in full), or for a write the rows it touched and the id it assigned.
public struct MySQLResult: Sendable {
    public var columns: MySQLColumns
    public var rows: [MySQLRow]
    /// For UPDATE, the rows matched (connections use CLIENT_FOUND_ROWS, as SQLite's changes() counts), not only
    /// the rows whose values changed; for INSERT … ON DUPLICATE KEY UPDATE, 1 per insert and 2 per update.
    public var affectedRows: UInt64
    /// The AUTO_INCREMENT value the statement assigned, or 0.
    public var lastInsertID: UInt64

    public init(columns: MySQLColumns, rows: [MySQLRow], affectedRows: UInt64, lastInsertID: UInt64) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
    }

    public var first: MySQLRow? { rows.first }
}
