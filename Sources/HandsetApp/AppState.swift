import Foundation
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetSync
import HandsetWire

/// What a mouse event landed on, worked out from the screen layout by the renderer.
public enum MouseTarget: Sendable, Equatable {
    /// A row of the record list (absolute index) or of the inbox.
    case listRow(Int)
    case inboxRow(Int)
    /// A collection's tab.
    case tab(String)
    /// A line of the command palette's results.
    case paletteRow(Int)
}

/// What the mouse did.
public enum MouseAction: Sendable, Equatable {
    case click
    case doubleClick
    case wheelUp
    case wheelDown
}

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
    case conflicts(ConflictsState)
    /// The notification inbox, newest first.
    case inbox(selected: Int)
    /// Who is signed in, their MFA, the theme, and signing out.
    case account
    /// Adding an authenticator app: the key and QR code, then its first code (the sign-in form's TOTP step).
    case mfaSetup(SignInState)
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
    /// When the next automatic sync is due (set on the first tick after a sync or a failure).
    public var nextAutoSyncAt: Date?
    /// How long to wait before retrying while offline; doubles up to a minute, resets once online.
    public var offlineRetryDelay: TimeInterval
    /// When the running sync started, for the watchdog.
    public var syncStartedAt: Date?
    /// The clock as of the last tick.
    public var now: Date?
    public var unreadCount: Int
    public var inbox: [InboxItem]
    public var isPollingInbox: Bool
    public var nextInboxPollAt: Date?
    public var inboxRetryDelay: TimeInterval
    /// A record opened from a notification, which may be outside the list's loaded window.
    public var focusedRecord: Record?
    /// The `?` help overlay: nil when closed, else its filter text.
    public var help: String?
    /// Rows available for the list body, known from the terminal size.
    public var viewportRows: Int
    public var shouldQuit: Bool
    /// The settings file's values (sync interval, notification alerts, extra keys).
    public var settings: Settings
    /// The theme in use, and every theme there is (for the picker and the palette).
    public var themeName: String
    public var themeNames: [String]
    /// The command palette, when open.
    public var palette: PaletteState?
    /// A question at the bottom of the screen (a file path), when open.
    public var prompt: PromptState?
    /// The file being uploaded or downloaded.
    public var transfer: TransferState?
    /// Size, type and tier of attachments seen on detail screens, by key.
    public var attachmentInfo: [String: ObjectInfo]
    /// Files typed into a form's attachment fields, uploaded once the record is saved (field → path).
    public var uploadsAfterSave: [String: String]
    /// Where downloads go unless the person types another path.
    public var downloadDirectory: String
    /// How far the running sync has got.
    public var syncProgress: SyncProgress?
    /// The signed-in person's MFA settings, once the account screen has asked.
    public var mfa: CognitoClient.MFASettings?
    /// The list order per collection (kept on the device across starts).
    public var sorts: [String: RecordSort]
    /// The inbox row a record was opened from: Esc on its detail goes back there.
    public var detailReturnsToInbox: Int?
    /// When the message showing was first seen by a tick (info messages fade after `AutoSync.messageLifetime`).
    public var messageShownAt: Date?
    public var messageShown: StatusMessage?

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
        self.nextAutoSyncAt = nil
        self.offlineRetryDelay = AutoSync.firstOfflineRetry
        self.syncStartedAt = nil
        self.now = nil
        self.unreadCount = 0
        self.inbox = []
        self.isPollingInbox = false
        self.nextInboxPollAt = nil
        self.inboxRetryDelay = AutoSync.firstOfflineRetry
        self.focusedRecord = nil
        self.help = nil
        self.viewportRows = viewportRows
        self.shouldQuit = false
        self.settings = Settings()
        self.themeName = "dark"
        self.themeNames = []
        self.palette = nil
        self.prompt = nil
        self.transfer = nil
        self.attachmentInfo = [:]
        self.uploadsAfterSave = [:]
        self.downloadDirectory = "."
        self.syncProgress = nil
        self.mfa = nil
        self.sorts = [:]
        self.detailReturnsToInbox = nil
        self.messageShownAt = nil
        self.messageShown = nil
    }

    /// The collection shown in the list, if any.
    public var currentCollection: CollectionSchema? {
        guard let name = list?.collection else { return nil }
        return schema?.collection(named: name)
    }
}

/// When the app syncs on its own.
public enum AutoSync {
    /// While online: this long after the last sync.
    public static let interval: TimeInterval = 30
    public static let firstOfflineRetry: TimeInterval = 2
    public static let maximumOfflineRetry: TimeInterval = 60
    /// A sync running longer than this is considered stuck and forgotten (its answer is still taken if it comes).
    public static let watchdog: TimeInterval = 180
    /// How long an info message stays in the status bar (errors stay until replaced).
    public static let messageLifetime: TimeInterval = 8
    /// How long the server holds an inbox long-poll.
    public static let inboxWait = 20
}
