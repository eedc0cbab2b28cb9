import CMariaDB
import Foundation

/// One session with the server through Connector/C. Every call blocks its thread: use a connection only on one
/// thread at a time (the pool gives each connection a thread of its own, off Swift's cooperative pool).
///
/// A connection opens lazily and reopens by itself: before each statement outside a transaction it checks,
/// without a round trip, whether the server has closed the session (a KILL, a restart, `wait_timeout`) and if so
/// connects again. Inside a transaction it never does: a lost session fails the statement with `connectionLost`
/// (the server rolled the transaction back), and further statements fail the same way until `rollback()`.
///
/// Sessions run in utf8mb4 with `time_zone = '+00:00'`, a strict `sql_mode`, CLIENT_FOUND_ROWS (an UPDATE counts
/// the rows it matched) and LOCAL INFILE off.
public final class MySQLConnection {
    public let configuration: MySQLConfiguration
    private var handle: UnsafeMutablePointer<MYSQL>?
    private var statements: StatementCache
    /// Set when the session was lost with a transaction open, until the caller acknowledges with `rollback()`.
    private var transactionLost = false
    private var lastUsed = ContinuousClock.now

    /// Statements prepared on this session and kept for reuse, per SQL text.
    public static let defaultStatementCacheSize = 64

    /// What a session runs first (a reconnect included).
    static let sessionSetup =
        "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'"

    public init(configuration: MySQLConfiguration, statementCacheSize: Int = defaultStatementCacheSize) {
        _ = MySQLLibrary.initialized
        self.configuration = configuration
        self.statements = StatementCache(capacity: statementCacheSize)
    }

    /// Opens a connection now (instead of at the first statement).
    public static func open(_ configuration: MySQLConfiguration) throws -> MySQLConnection {
        let connection = MySQLConnection(configuration: configuration)
        try connection.connect()
        return connection
    }

    deinit { disconnect() }

    /// The server's id for this session (`CONNECTION_ID()`), or nil when not connected.
    public var connectionID: UInt? {
        guard let handle else { return nil }
        return mysql_thread_id(handle)
    }

    public var isConnected: Bool { handle != nil }

    /// Whether a transaction is open on the server (from the server's own status flags).
    public var isInTransaction: Bool {
        if transactionLost { return true }
        guard let handle else { return false }
        var status: UInt32 = 0
        guard mariadb_get_info(handle, MARIADB_CONNECTION_SERVER_STATUS, &status) == 0 else { return false }
        return status & UInt32(SERVER_STATUS_IN_TRANS) != 0
    }

    /// The server's version string (`10.11.19-MariaDB-…`).
    public var serverVersion: String? {
        guard let handle, let text = mysql_get_server_info(handle) else { return nil }
        return String(cString: text)
    }

    // MARK: Statements

    /// Runs one statement as a server-side prepared statement (kept for reuse), binding `parameters` to its `?`
    /// placeholders by type.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [MySQLValue] = []) throws -> MySQLResult {
        try withLiveSession { handle in
            let statement = try statements.statement(for: sql) {
                try MySQLPreparedStatement(sql: sql, connection: handle)
            }
            do {
                return try statement.run(parameters)
            } catch let error as MySQLError where error.kind == .connectionLost {
                throw error
            } catch {
                // A failed run can leave the statement half-read; prepare it afresh next time.
                statements.remove(sql)
                throw error
            }
        }
    }

    /// Runs statements that cannot be prepared or need no parameters (DDL, `START TRANSACTION`, `SET …`) through
    /// the text protocol. Values in the result have the same kinds as `execute`'s.
    @discardableResult
    public func query(_ sql: String) throws -> MySQLResult {
        try withLiveSession { handle in try TextQuery.run(sql, on: handle) }
    }

    /// A round trip to the server; reconnects first if the session is gone (outside a transaction).
    public func ping() throws {
        try withLiveSession { handle in
            if mysql_ping(handle) != 0 { throw MySQLStatementError.from(connection: handle) }
        }
    }

    // MARK: Transactions

    public func beginTransaction(isolation: MySQLIsolationLevel? = nil) throws {
        if let isolation { try query("SET TRANSACTION ISOLATION LEVEL \(isolation.sql)") }
        try query("START TRANSACTION")
    }

    /// Commits. A session lost while COMMIT was on its way gives `commitOutcomeUnknown`; one lost earlier in the
    /// transaction gives `connectionLost` (nothing was committed).
    public func commit() throws {
        let lostBefore = transactionLost
        do {
            try query("COMMIT")
        } catch let error as MySQLError where error.kind == .connectionLost && !lostBefore {
            transactionLost = false
            throw MySQLError(
                .commitOutcomeUnknown, number: error.number, sqlState: error.sqlState,
                message: "the connection dropped while COMMIT was on its way: the transaction may or may not have "
                    + "committed")
        }
    }

    /// Rolls back. After a lost session this only acknowledges it (the server has rolled back already).
    public func rollback() throws {
        if transactionLost || handle == nil {
            transactionLost = false
            return
        }
        do {
            try query("ROLLBACK")
        } catch let error as MySQLError where error.kind == .connectionLost {
            transactionLost = false
        }
    }

    /// Runs `body` in one transaction: commits when it returns, rolls back when it throws. No retry here; the
    /// pool's `transaction` retries deadlocks, lock wait timeouts and lost connections.
    public func transaction<Value>(
        isolation: MySQLIsolationLevel? = nil, _ body: (MySQLConnection) throws -> Value
    ) throws -> Value {
        try beginTransaction(isolation: isolation)
        let value: Value
        do {
            value = try body(self)
        } catch {
            try? rollback()
            throw error
        }
        do {
            try commit()
        } catch {
            try? rollback()
            throw error
        }
        return value
    }

    // MARK: Session life

    /// Connects (closing any previous session first).
    public func connect() throws {
        disconnect()
        guard let handle = mysql_init(nil) else {
            throw MySQLError(.connectionFailed, message: "out of memory creating a connection")
        }
        var connectTimeout = UInt32(configuration.connectTimeout)
        var readTimeout = UInt32(configuration.readTimeout)
        var writeTimeout = UInt32(configuration.writeTimeout)
        var yes: my_bool = 1
        var no: my_bool = 0
        mysql_options(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        mysql_options(handle, MYSQL_INIT_COMMAND, Self.sessionSetup)
        if let isolation = configuration.sessionIsolation {
            mysql_options(handle, MYSQL_INIT_COMMAND, "SET SESSION TRANSACTION ISOLATION LEVEL \(isolation.sql)")
        }
        mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &connectTimeout)
        if readTimeout > 0 { mysql_options(handle, MYSQL_OPT_READ_TIMEOUT, &readTimeout) }
        if writeTimeout > 0 { mysql_options(handle, MYSQL_OPT_WRITE_TIMEOUT, &writeTimeout) }
        mysql_options(handle, MYSQL_REPORT_DATA_TRUNCATION, &yes)
        mysql_options(handle, MYSQL_OPT_RECONNECT, &no)
        mysql_options(handle, MYSQL_OPT_LOCAL_INFILE, &no)
        let flags = UInt(CLIENT_FOUND_ROWS)
        let connected = mysql_real_connect(
            handle, configuration.socketPath == nil ? configuration.host : nil, configuration.user,
            configuration.password?.revealed, configuration.database,
            configuration.socketPath == nil ? UInt32(configuration.port) : 0, configuration.socketPath, flags)
        guard connected != nil else {
            let failure = MySQLStatementError.from(connection: handle)
            mysql_close(handle)
            throw MySQLError(
                .connectionFailed, number: failure.number, sqlState: failure.sqlState,
                message: "cannot connect to \(configuration.redactedURL): " + redact(failure.message))
        }
        self.handle = handle
        transactionLost = false
        lastUsed = .now
    }

    /// Closes the session (a no-op when closed). Statements of the old session are freed with it.
    public func disconnect() {
        guard let handle else { return }
        // Closing the session first detaches its statements, so freeing them sends nothing to the server.
        mysql_close(handle)
        statements.removeAll()
        self.handle = nil
    }

    /// How long the connection has been idle since its last statement.
    var idleDuration: Duration { ContinuousClock.now - lastUsed }

    /// Whether the server has closed this idle session: its socket reads as closed or has an unsolicited packet
    /// (MariaDB sends an error before closing a killed session). No round trip.
    var sessionLooksClosed: Bool {
        guard let handle else { return true }
        let socket = mysql_get_socket(handle)
        return socket < 0 || handset_socket_closed_or_readable(socket) != 0
    }

    /// Checks a connection the pool is about to lend: connects if closed, replaces a session the server closed,
    /// and after a long idle spell makes a real round trip (a middlebox may have dropped the session silently).
    func prepareForLease(pingAfterIdle: Duration) throws {
        if transactionLost { transactionLost = false }
        if handle == nil || sessionLooksClosed {
            try connect()
        } else if idleDuration > pingAfterIdle, let handle, mysql_ping(handle) != 0 {
            try connect()
        }
    }

    /// Leaves the connection clean for the next borrower: an open transaction is rolled back; a session that
    /// cannot even do that is closed (to reopen on next use).
    func resetAfterLease() {
        transactionLost = false
        guard let handle else { return }
        if isInTransaction {
            if mysql_query(handle, "ROLLBACK") != 0 { disconnect() }
        }
    }

    private func withLiveSession<Value>(_ body: (UnsafeMutablePointer<MYSQL>) throws -> Value) throws -> Value {
        if transactionLost {
            throw MySQLError(
                .connectionLost,
                message: "the connection was lost inside a transaction, which the server rolled back; "
                    + "call rollback() before using the connection again")
        }
        if handle == nil {
            try connect()
        } else if !isInTransaction, sessionLooksClosed {
            try connect()
        }
        guard let handle else { throw MySQLError(.connectionLost, message: "not connected") }
        let wasInTransaction = isInTransaction
        defer { lastUsed = .now }
        do {
            return try body(handle)
        } catch var error as MySQLError where error.kind == .connectionLost {
            disconnect()
            if wasInTransaction {
                transactionLost = true
                error.message += " (inside a transaction, which the server rolled back)"
            }
            throw error
        }
    }

    private func redact(_ message: String) -> String {
        guard let password = configuration.password?.revealed, password.count >= 4 else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }
}

/// Connector/C must be initialised once, before connections are made on several threads.
enum MySQLLibrary {
    static let initialized: Bool = handset_mysql_library_init() == 0
}

/// Transaction isolation levels, for `beginTransaction(isolation:)`.
public enum MySQLIsolationLevel: Sendable, Hashable {
    case readUncommitted
    case readCommitted
    case repeatableRead
    case serializable

    var sql: String {
        switch self {
        case .readUncommitted: return "READ UNCOMMITTED"
        case .readCommitted: return "READ COMMITTED"
        case .repeatableRead: return "REPEATABLE READ"
        case .serializable: return "SERIALIZABLE"
        }
    }
}
