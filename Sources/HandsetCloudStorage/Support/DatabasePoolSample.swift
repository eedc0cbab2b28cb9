/// What a storage's connection pool reports when `/metrics` is scraped.
package struct DatabasePoolSample: Sendable, Equatable {
    /// Connections lent out now.
    package var inUse: Int
    /// Open connections waiting in the pool.
    package var idle: Int
    /// Borrowers waiting for a connection.
    package var waiting: Int
    /// The most connections the pool opens.
    package var size: Int

    package init(inUse: Int, idle: Int, waiting: Int, size: Int) {
        self.inUse = inUse
        self.idle = idle
        self.waiting = waiting
        self.size = size
    }
}
