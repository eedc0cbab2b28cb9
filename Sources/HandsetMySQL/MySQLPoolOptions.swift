/// How a `MySQLPool` behaves.
public struct MySQLPoolOptions: Sendable {
    /// The most connections (each with its own thread) the pool opens.
    public var maximumConnections: Int
    /// How long a borrower waits for a free connection before `poolTimeout`.
    public var leaseTimeout: Duration
    /// A connection idle for longer than this makes a real round trip (`mysql_ping`) before it is lent; a shorter
    /// idle spell gets only the free check of its socket.
    public var pingAfterIdle: Duration
    /// Prepared statements each connection keeps.
    public var statementCacheSize: Int

    public init(
        maximumConnections: Int = 8, leaseTimeout: Duration = .seconds(10), pingAfterIdle: Duration = .seconds(30),
        statementCacheSize: Int = MySQLConnection.defaultStatementCacheSize
    ) {
        self.maximumConnections = max(1, maximumConnections)
        self.leaseTimeout = leaseTimeout
        self.pingAfterIdle = pingAfterIdle
        self.statementCacheSize = statementCacheSize
    }
}
