import Foundation
import HandsetModel
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
    /// Writes the server refused, with its reasons: Enter opens the record (fix it there), `x` discards.
    case refused(selected: Int)
    /// The notification inbox, newest first.
    case inbox(selected: Int)
    /// One notification in full (its row in the inbox).
    case notification(index: Int)
    /// Who is signed in, their MFA, the theme, and signing out.
    case account
    /// Adding an authenticator app: the key and QR code, then its first code (the sign-in form's TOTP step).
    case mfaSetup(SignInState)
}

/// Everything the screens show. Changed only by `AppCore.update`; each feature keeps its own part.
public struct AppState: Sendable, Equatable {
    public var screen: Screen
    public var profile: String
    public var user: SignedInUser?
    /// Whose data the state holds (their `sub`): kept through an expired session, so that the same person signing
    /// in again finds their screens as they were and anyone else starts from nothing.
    public var dataOwner: String?
    public var schema: APISchema?
    /// The record list of the collection showing (its window, selection and filter).
    public var list: RecordListState?
    /// The list order per collection (kept on the device across starts).
    public var sorts: [String: RecordSort]
    /// Titles of records other records point to (relations), by `collection/id`, as far as they are cached.
    public var related: [String: String]
    /// The detail screen: a record opened from elsewhere, where Esc returns to, how far it is scrolled.
    public var detail: DetailState
    /// Syncing: when, how far, with what result; the counts of pending writes and conflicts.
    public var sync: SyncStatus
    /// The notification inbox and its long-poll.
    public var inbox: InboxState
    /// The signed-in person's account settings (MFA).
    public var account: AccountState
    /// Uploads, downloads and the file path prompt.
    public var attachments: AttachmentsState
    /// The command palette, when open.
    public var palette: PaletteState?
    /// A yes/no question before something that cannot be undone, when one is asked.
    public var confirmation: Confirmation?
    /// The `?` help overlay: nil when closed, else its filter.
    public var help: TextInput?
    /// The message in the status area; every message shown is also kept in `messages`.
    public var message: StatusMessage?
    public var messages: MessageLog
    /// The message log (`M`) is open over the screen.
    public var isShowingMessages: Bool
    /// How far the screen showing (or the message log) is scrolled.
    public var scroll: Scroll
    /// The clock as of the last tick.
    public var now: Date?
    /// Rows available for the list body, known from the terminal size.
    public var viewportRows: Int
    public var shouldQuit: Bool
    /// The settings file's values (sync interval, notification alerts, extra keys).
    public var settings: Settings
    /// The theme in use, and every theme there is (for the picker and the palette).
    public var themeName: String
    public var themeNames: [String]
    /// The other ways to sign in this profile's app client has (providers, another device).
    public var signInOptions: [ExternalSignInOption]
    /// Whether the sign-in screen offers a one-time code instead of the password (Ctrl-E): as the app's
    /// configuration says the pool allows.
    public var offersSignInWithCode: Bool
    /// Whether the sign-up form may leave the password empty (a passwordless account, signed in with emailed
    /// codes): as the app's configuration says the pool allows.
    public var allowsSignUpWithoutPassword: Bool

    public init(profile: String = "default", viewportRows: Int = 20) {
        self.screen = .signIn(SignInState())
        self.profile = profile
        self.user = nil
        self.dataOwner = nil
        self.schema = nil
        self.list = nil
        self.sorts = [:]
        self.related = [:]
        self.detail = DetailState()
        self.sync = SyncStatus()
        self.inbox = InboxState()
        self.account = AccountState()
        self.attachments = AttachmentsState()
        self.palette = nil
        self.confirmation = nil
        self.help = nil
        self.message = nil
        self.messages = MessageLog()
        self.isShowingMessages = false
        self.scroll = Scroll()
        self.now = nil
        self.viewportRows = viewportRows
        self.shouldQuit = false
        self.settings = Settings()
        self.themeName = "dark"
        self.themeNames = []
        self.signInOptions = []
        self.offersSignInWithCode = true
        self.allowsSignUpWithoutPassword = false
    }

    /// The collection shown in the list, if any.
    public var currentCollection: CollectionSchema? {
        guard let name = list?.collection else { return nil }
        return schema?.collection(named: name)
    }

    /// The order of `collection`'s list; an enumeration in the order the schema declares its values now.
    public func sort(of collection: String) -> RecordSort {
        var sort = sorts[collection] ?? RecordSort()
        if let name = sort.field, let field = schema?.collection(named: collection)?.field(named: name) {
            sort.valueOrder = field.kind == .enumeration ? field.enumValues : nil
        }
        return sort
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
    /// How long an error stays (it may cover the bottom of the screen when long; `M` keeps every one).
    public static let errorLifetime: TimeInterval = 60
    /// How long the server holds an inbox long-poll.
    public static let inboxWait = 20
}
