/// A snapshot of a pool's use (for `/metrics`).
public struct MySQLPoolStatistics: Sendable, Equatable {
    public var maximumConnections: Int
    /// Connections opened so far (each lent or idle).
    public var connections: Int
    public var leased: Int
    public var idle: Int
    /// Borrowers waiting for a connection.
    public var waiting: Int
    /// The most connections ever lent at once.
    public var peakLeased: Int
}
