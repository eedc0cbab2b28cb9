import Foundation
import HummingbirdCore

/// Counts open connections for the connection limit, and remembers the highest count since it was last asked, so
/// that `MemoryTrimmer` knows when many connections have just closed.
final class ConnectionGauge: @unchecked Sendable {
    private let lock = NSLock()
    private var open = 0
    private var peak = 0

    var current: Int { lock.withLock { open } }

    func opened() {
        lock.withLock {
            open += 1
            peak = max(peak, open)
        }
    }

    func closed() {
        lock.withLock { open -= 1 }
    }

    /// The highest count since the last call, and starts over from the current count.
    func takePeak() -> Int {
        lock.withLock {
            defer { peak = open }
            return peak
        }
    }
}

/// Hummingbird's hook for the connection limit: accepts while fewer than `maximum` are open.
struct GaugedConnectionLimit: AvailableConnectionsDelegate {
    let gauge: ConnectionGauge
    let maximum: Int

    mutating func connectionOpened() { gauge.opened() }
    mutating func connectionClosed() { gauge.closed() }
    func isAcceptingNewConnections() -> Bool { gauge.current < maximum }
}
