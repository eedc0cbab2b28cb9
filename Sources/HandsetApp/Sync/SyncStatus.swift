import Foundation
import HandsetModel

/// Whether the cloud answered lately.
public enum Connectivity: Sendable, Equatable {
    case unknown
    case online
    case offline(String)
}

/// The sync feature's state: when the next sync runs, how far the running one has got, what the last one did.
public struct SyncStatus: Sendable, Equatable {
    public var schedule = SyncSchedule()
    public var connectivity = Connectivity.unknown
    /// How far the running sync has got.
    public var progress: SyncProgress?
    public var lastSyncedAt: Date?
    public var syncedCount: Int?
    /// Writes waiting to reach the server.
    public var pendingCount = 0
    public var conflictCount = 0
    /// Writes the server refused, waiting to be fixed and resent or discarded.
    public var refusals: [Refusal] = []

    public init() {}

    public var isSyncing: Bool { schedule.isSyncing }
}
