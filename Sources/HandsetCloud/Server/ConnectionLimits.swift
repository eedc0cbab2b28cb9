import Foundation

/// How long the HTTP server waits for slow or silent clients, and how many connections it holds at once. A client
/// that opens connections and sends nothing, half a request head, or a body a byte at a time loses its connection
/// after these times, and past `maximumConnections` new connections wait in the listen backlog instead of costing
/// memory.
public struct ConnectionLimits: Sendable, Equatable {
    /// A connection with no request in progress, or whose request head (or next body part) has not arrived, is
    /// closed after this long. Covers the time to send a whole request head, from the connection's start or the
    /// end of the previous answer.
    public var idleTimeout: Duration
    /// After a request head, its body may take this long at any speed...
    public var bodyGrace: Duration
    /// ...and from then on must arrive at this many bytes per second on average, or the connection is closed.
    public var minimumBodyBytesPerSecond: Int
    /// Connections served at once; more wait in the backlog until one closes.
    public var maximumConnections: Int
    /// Request head limits: header fields and the bytes of all of them.
    public var maximumHeaderCount: Int
    public var maximumHeaderBytes: Int

    public init(
        idleTimeout: Duration = .seconds(30), bodyGrace: Duration = .seconds(10),
        minimumBodyBytesPerSecond: Int = 1024, maximumConnections: Int = 4096, maximumHeaderCount: Int = 100,
        maximumHeaderBytes: Int = 64 * 1024
    ) {
        self.idleTimeout = idleTimeout
        self.bodyGrace = bodyGrace
        self.minimumBodyBytesPerSecond = minimumBodyBytesPerSecond
        self.maximumConnections = maximumConnections
        self.maximumHeaderCount = maximumHeaderCount
        self.maximumHeaderBytes = maximumHeaderBytes
    }
}
