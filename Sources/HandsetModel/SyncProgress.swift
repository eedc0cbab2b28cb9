import Foundation

/// Progress of a sync, for progress bars.
public enum SyncProgress: Sendable, Equatable {
    case pushing(done: Int, of: Int)
    case pulling(collection: String, done: Int)
}
