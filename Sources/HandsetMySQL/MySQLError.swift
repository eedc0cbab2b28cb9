/// An error from the database or from this driver. `number` and `sqlState` are MySQL's own when the server or
/// Connector/C gave them (1062 duplicate key, 1213 deadlock, 2002 cannot connect, …). Messages never contain the
/// password: the server does not echo it, and connection errors name the redacted URL only.
public struct MySQLError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server refused a statement (a constraint, a syntax error, a deadlock, a lock wait timeout, …).
        case server
        /// The connection could not be opened: the server is down or unreachable, or it refused the login.
        case connectionFailed
        /// The connection dropped while a statement ran or a transaction was open. Outside a transaction the next
        /// statement reconnects by itself; inside one, the server has rolled it back.
        case connectionLost
        /// The connection dropped while COMMIT was on its way: the transaction may or may not have committed.
        case commitOutcomeUnknown
        /// No pooled connection became free within the pool's lease timeout.
        case poolTimeout
        /// The pool was closed.
        case poolClosed
        /// The database URL cannot be used.
        case invalidURL
        /// A column held something other than what the caller asked for.
        case typeMismatch
        /// The driver was used wrongly (wrong number of parameters, a migration list that does not match the
        /// database, …).
        case misuse
    }

    public var kind: Kind
    /// MySQL's error number (server errors 1000-1999 and 3000+, Connector/C's 2000-2999 and 5000+), if any.
    public var number: UInt32?
    /// The five-character SQLSTATE, if any.
    public var sqlState: String?
    public var message: String

    public init(_ kind: Kind, number: UInt32? = nil, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.number = number
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String {
        var prefix = ""
        if let number { prefix += "MySQL error \(number)" }
        if let sqlState, !sqlState.isEmpty, sqlState != "00000", sqlState != "HY000" {
            prefix += prefix.isEmpty ? "SQLSTATE \(sqlState)" : " (\(sqlState))"
        }
        return prefix.isEmpty ? message : "\(prefix): \(message)"
    }

    /// InnoDB chose this transaction as a deadlock victim and rolled all of it back.
    public var isDeadlock: Bool { kind == .server && number == MySQLErrorNumber.deadlock }

    /// A row lock was not granted in `innodb_lock_wait_timeout`; only the statement was rolled back.
    public var isLockWaitTimeout: Bool { kind == .server && number == MySQLErrorNumber.lockWaitTimeout }

    public var isDuplicateKey: Bool { kind == .server && number == MySQLErrorNumber.duplicateKey }

    /// Whether running the whole transaction again may succeed: a deadlock, a lock wait timeout, or a connection
    /// that dropped before COMMIT was sent (the server rolls back an unfinished transaction when its session ends).
    public var isTransientTransactionFailure: Bool {
        isDeadlock || isLockWaitTimeout || kind == .connectionLost
            || (kind == .server && number == MySQLErrorNumber.recordChangedSinceLastRead)
    }
}

/// The error numbers this package acts on (from `mysqld_error.h` and `errmsg.h`).
public enum MySQLErrorNumber {
    public static let duplicateKey: UInt32 = 1062
    public static let noSuchTable: UInt32 = 1146
    public static let parseError: UInt32 = 1064
    public static let accessDenied: UInt32 = 1045
    public static let lockWaitTimeout: UInt32 = 1205
    public static let deadlock: UInt32 = 1213
    /// MariaDB 11.8+ with `innodb_snapshot_isolation`: a row read by the transaction changed before it wrote it.
    public static let recordChangedSinceLastRead: UInt32 = 1020
    public static let serverShutdown: UInt32 = 1053
    public static let connectionKilled: UInt32 = 1927
    /// MySQL 8: the server closed a session idle for longer than `wait_timeout`.
    public static let clientInteractionTimeout: UInt32 = 4031
    public static let cannotConnectLocal: UInt32 = 2002
    public static let cannotConnectHost: UInt32 = 2003
    public static let serverGone: UInt32 = 2006
    public static let serverLost: UInt32 = 2013
    public static let serverLostExtended: UInt32 = 2055
    public static let networkRead: UInt32 = 5013
    public static let networkWrite: UInt32 = 5014

    /// Errors after which the session is gone (the server closed it, or the socket broke).
    static func meansConnectionLost(_ number: UInt32) -> Bool {
        switch number {
        case serverGone, serverLost, serverLostExtended, networkRead, networkWrite, connectionKilled,
            serverShutdown, clientInteractionTimeout:
            return true
        default:
            return false
        }
    }
}
