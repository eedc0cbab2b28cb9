import Foundation
import HandsetModel

/// Whether the cloud answered lately.
public enum Connectivity: Sendable, Equatable {
    case unknown
    case online
    case offline(String)
}

/// A one-line message in the status area.
public struct StatusMessage: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, error }
    public var text: String
    public var kind: Kind

    public init(_ text: String, kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}

/// Which screen is showing.
public enum Screen: Sendable, Equatable {
    case signIn(SignInState)
    case list
    /// One record, every field.
    case detail(recordId: String)
    case edit(EditFormState)
    /// Asking before a delete.
    case confirmDelete(recordId: String)
}

/// Everything the screens show. Changed only by `AppCore.update`.
public struct AppState: Sendable, Equatable {
    public var screen: Screen
    public var profile: String
    public var user: SignedInUser?
    public var schema: APISchema?
    public var list: RecordListState?
    public var connectivity: Connectivity
    public var isSyncing: Bool
    public var syncedCount: Int?
    public var lastSyncedAt: Date?
    public var message: StatusMessage?
    /// Writes waiting to reach the server.
    public var pendingCount: Int
    public var conflictCount: Int
    /// The list filter being typed (`/`), `nil` when not filtering.
    public var filter: String?
    public var isEditingFilter: Bool
    /// Rows available for the list body, known from the terminal size.
    public var viewportRows: Int
    public var shouldQuit: Bool

    public init(profile: String = "default", viewportRows: Int = 20) {
        self.screen = .signIn(SignInState())
        self.profile = profile
        self.user = nil
        self.schema = nil
        self.list = nil
        self.connectivity = .unknown
        self.isSyncing = false
        self.syncedCount = nil
        self.lastSyncedAt = nil
        self.message = nil
        self.pendingCount = 0
        self.conflictCount = 0
        self.filter = nil
        self.isEditingFilter = false
        self.viewportRows = viewportRows
        self.shouldQuit = false
    }

    /// The collection shown in the list, if any.
    public var currentCollection: CollectionSchema? {
        guard let name = list?.collection else { return nil }
        return schema?.collection(named: name)
    }
}
