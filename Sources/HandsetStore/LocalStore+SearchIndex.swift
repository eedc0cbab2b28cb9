import Foundation
import GRDB
import HandsetModel

/// The full-text index during a first sync: filled once, at its end, instead of row by row.
///
/// Indexing row by row (the triggers on `record`) made up most of the time of applying a first sync's pages; one
/// `INSERT … SELECT` over the collection's rows at the end builds the same index several times faster. A collection
/// is deferred when its first change-feed page arrives while the device holds none of its records and has no cursor
/// for it: until the page that completes its first sync, the triggers leave its rows out of the index (whatever
/// writes them: pages, local edits, deletes), so none of them is in it, and that last page's transaction indexes
/// them all and ends the deferral. A kill in between leaves the deferral in the file (it is written with the pages),
/// and the next sync, which resumes from the saved cursor, ends it the same way.
///
/// Meanwhile the collection is searched by reading its records and cutting each body into words with the index's
/// own tokenizer: the same matches, slower, and only until its first sync ends.
extension LocalStore {
    /// Whether `collection`'s rows are left out of the full-text index until its first sync completes.
    static func isSearchDeferred(_ db: Database, collection: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM searchDeferred WHERE collection = ?", arguments: [collection])
            ?? false
    }

    /// Called by `applyChanges` before it writes a page: defers the index of a collection whose first sync starts
    /// now on an empty cache. Returns whether the collection's index is deferred.
    static func deferSearchIfFirstSync(_ db: Database, collection: String) throws -> Bool {
        if try isSearchDeferred(db, collection: collection) { return true }
        let known =
            try Bool.fetchOne(db, sql: "SELECT 1 FROM syncCursor WHERE collection = ?", arguments: [collection])
            ?? false
        let held =
            try Bool.fetchOne(db, sql: "SELECT 1 FROM record WHERE collection = ? LIMIT 1", arguments: [collection])
            ?? false
        guard !known, !held else { return false }
        try db.execute(sql: "INSERT INTO searchDeferred (collection) VALUES (?)", arguments: [collection])
        return true
    }

    /// Indexes every row of a deferred collection in one statement and ends its deferral (in the transaction of the
    /// page that completes its first sync).
    static func fillDeferredSearch(_ db: Database, collection: String) throws {
        try db.execute(
            sql: "INSERT INTO recordSearch (rowid, body) SELECT rowid, body FROM record WHERE collection = ?",
            arguments: [collection])
        try db.execute(sql: "DELETE FROM searchDeferred WHERE collection = ?", arguments: [collection])
    }

    /// Search of a deferred collection: its live records in id order whose words start with every word typed, as
    /// FTS5's prefix match would find them, cut by the index's tokenizer; `literal` and `literals` add the checks of
    /// typed symbols, as in `search`.
    static func searchByReading(
        _ db: Database, collection: String, text: String, literal: String, literals: [String], limit: Int
    ) throws -> [HandsetModel.Record] {
        let tokenizer = try db.makeTokenizer(.unicode61())
        let wanted = try tokenizer.tokenize(query: text).filter { !$0.flags.contains(.colocated) }.map(\.token)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT record.id, record.version, record.updatedAt, record.owner, record.body, record.syncState
                FROM record WHERE record.collection = ? AND NOT record.locallyDeleted\(literal) ORDER BY record.id
                """,
            arguments: StatementArguments([collection] as [any DatabaseValueConvertible] + literals))
        var found: [HandsetModel.Record] = []
        while found.count < limit, let row = try rows.next() {
            let body: String = row["body"]
            let words = try tokenizer.tokenize(document: body).map(\.token)
            // FTS5 compares a prefix with the folded token's bytes.
            if wanted.allSatisfy({ prefix in words.contains { $0.utf8.starts(with: prefix.utf8) } }) {
                found.append(Self.record(from: row))
            }
        }
        return found
    }
}
