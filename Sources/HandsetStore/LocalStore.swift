import Foundation
import GRDB
import HandsetModel
import HandsetSQLite
import HandsetWire

// GRDB has a `Record` class too: the app's record type is spelled `HandsetModel.Record` here.

/// The device's cache of the user's data: records per collection, the API schema, sync bookkeeping.
///
/// One type owns the database and exposes named writes that keep its invariants; nothing else writes SQL.
public final class LocalStore: Sendable {
    let writer: any DatabaseWriter
    /// Checkpoints the file's write-ahead log in the background (`nil` in memory).
    let checkpointer: WALCheckpointer?
    /// The API schema last parsed from the cached document (see `cachedSchema`).
    let parsedSchema = ParsedSchemaCache()

    /// Opens (creating if needed) the store at `path`, in WAL mode.
    public convenience init(path: String) throws {
        try self.init(path: path, checkpointer: WALCheckpointer(path: path))
    }

    init(path: String, checkpointer: WALCheckpointer) throws {
        var configuration = Configuration()
        // Another handset process of the same user (a second `inbox --follow`, a sync beside the app) may be writing:
        // wait for it rather than fail with "database is locked".
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // An acknowledged local write must survive a power cut: FULL syncs the WAL on every commit.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            db.add(collation: Self.naturalCollation)
            // The writer's commits leave checkpoints to the checkpointer's own connection (readers never commit).
            if !db.configuration.readonly { checkpointer.install(on: db) }
        }
        self.checkpointer = checkpointer
        writer = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(writer)
    }

    /// An in-memory store, for tests.
    public init() throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in db.add(collation: Self.naturalCollation) }
        writer = try DatabaseQueue(configuration: configuration)
        checkpointer = nil
        try Self.migrator.migrate(writer)
    }

    // MARK: Records

    /// A window of a collection's cached records in the device's sort order (by id unless chosen), so a list never
    /// loads them all.
    public func records(
        collection: String, offset: Int = 0, limit: Int = 200, sort: RecordSort? = nil
    ) throws
        -> [HandsetModel.Record]
    {
        let order = Self.orderBy(sort ?? self.sort(collection: collection))
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, version, updatedAt, owner, body, syncState FROM record
                    WHERE collection = ? AND NOT locallyDeleted \(order) LIMIT ? OFFSET ?
                    """,
                arguments: [collection, limit, offset]
            ).map(Self.record(from:))
        }
    }

    /// Records whose text matches every word typed (as prefixes): filter-as-you-type over the whole cache through
    /// FTS5. In index order rather than by rank, so the first screenful comes without scoring every match.
    ///
    /// `CROSS JOIN` keeps the full-text index as the outer loop, so the search stops after `limit` matches;
    /// left to itself the planner may walk the collection and test every row against the index (seconds at 100k).
    ///
    /// Emoji and other symbols are no words to FTS5's tokenizer (it would ignore them and match everything): words
    /// holding them must also appear as typed, checked on the record's text.
    public func search(collection: String, text: String, limit: Int = 200) throws -> [HandsetModel.Record] {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        let symbolWords = words.filter(Self.hasSymbols)
        let literal = symbolWords.map { _ in " AND instr(record.body, ?) > 0" }.joined()
        let pattern = FTS5Pattern(matchingAllPrefixesIn: words.filter { !Self.hasSymbols($0) }.joined(separator: " "))
        if pattern == nil, symbolWords.isEmpty {
            return try records(collection: collection, limit: limit)
        }
        return try writer.read { db in
            if let pattern {
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT record.id, record.version, record.updatedAt, record.owner, record.body, record.syncState
                        FROM recordSearch CROSS JOIN record ON record.rowid = recordSearch.rowid
                        WHERE recordSearch MATCH ? AND record.collection = ? AND NOT record.locallyDeleted\(literal)
                        LIMIT ?
                        """,
                    arguments: StatementArguments(
                        [pattern, collection] as [any DatabaseValueConvertible] + symbolWords + [limit])
                ).map(Self.record(from:))
            }
            // Only symbols typed: a scan of the collection, stopped after `limit` matches.
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT record.id, record.version, record.updatedAt, record.owner, record.body, record.syncState
                    FROM record WHERE record.collection = ? AND NOT record.locallyDeleted\(literal)
                    ORDER BY record.id LIMIT ?
                    """,
                arguments: StatementArguments([collection] as [any DatabaseValueConvertible] + symbolWords + [limit])
            ).map(Self.record(from:))
        }
    }

    /// Whether a typed word holds characters FTS5's unicode61 tokenizer does not index (emoji, symbols).
    static func hasSymbols(_ word: String) -> Bool {
        word.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .otherSymbol, .mathSymbol, .currencySymbol, .modifierSymbol: return true
            default: return false
            }
        }
    }

    /// How many records of a collection are cached.
    public func recordCount(collection: String) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM record WHERE collection = ? AND NOT locallyDeleted",
                arguments: [collection]) ?? 0
        }
    }

    static func record(from row: Row) -> HandsetModel.Record {
        let body: String = row["body"]
        let fields = (try? JSONValue.parse(Data(body.utf8)))?.objectValue ?? [:]
        return HandsetModel.Record(
            id: row["id"], version: row["version"], updatedAt: row["updatedAt"], owner: row["owner"],
            fields: fields, syncState: SyncState(rawValue: row["syncState"]) ?? .synced)
    }

    /// The stored text of a body: the bytes of `JSONValue.encoded()`, written by `CanonicalJSON` (faster).
    static func encodeBody(_ fields: [String: JSONValue]) -> String {
        CanonicalJSON.text(.object(fields))
    }

    // MARK: Meta

    /// A small named value (the cached API document, the last sync time, ...).
    public func meta(_ key: String) throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
        }
    }

    public func setMeta(_ key: String, _ value: String?) throws {
        try writer.write { db in
            if let value {
                try db.execute(
                    sql:
                        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    arguments: [key, value])
            } else {
                try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
            }
        }
    }
}

/// Keys of the meta table.
public enum MetaKey {
    public static let apiDocument = "api.document"
    public static let lastSyncedAt = "sync.lastSyncedAt"
    public static let inboxCursor = "inbox.cursor"
    public static let deviceId = "device.id"
}
