import Foundation
import HandsetModel
import HandsetWire

/// The app's side effects as a struct of closures: a live value that talks to the cloud and the store, and
/// test values that answer from memory.
public struct AppEnvironment: Sendable {
    public var signIn: @Sendable (_ username: String, _ password: String) async -> AppEvent
    public var answerSignIn: @Sendable (_ answer: String) async -> AppEvent
    /// A sign-in with a one-time code instead of the password.
    public var signInWithCode: @Sendable (_ username: String) async -> AppEvent = { _ in
        .signIn(.failed("Sign-in with a code is not available"))
    }
    /// Sign-up and password reset (Cognito's SignUp, ConfirmSignUp, ForgotPassword, ConfirmForgotPassword).
    public var accounts: AccountActions
    /// Uploads, downloads, archive restores and object info.
    public var attachments: AttachmentActions
    /// Signing in through the pool's managed login: a provider in the browser, or another device.
    public var externalSignIn = ExternalSignInActions()
    /// Where long effects report progress (sync pages, transfer bytes); the UI loop connects it to its inbox.
    public let progress: EventRelay
    public var refreshSchema: @Sendable () async -> AppEvent
    public var loadRecords: @Sendable (_ collection: String, _ offset: Int, _ limit: Int) async -> AppEvent
    /// A window in a chosen order (nil: the environment has no sorting; `loadRecords` is used), and keeping it.
    public var loadSortedRecords:
        (@Sendable (_ collection: String, _ offset: Int, _ limit: Int, _ sort: RecordSort) async -> AppEvent)?
    /// Where a record stands in a collection's list in an order (nil: not listed); nil when the environment cannot
    /// tell, and a kept record is then looked for in the loaded window only.
    public var locateRecord: (@Sendable (_ collection: String, _ id: String, _ sort: RecordSort) async -> Int?)?
    public var saveSort: @Sendable (_ collection: String, _ sort: RecordSort) async -> AppEvent
    public var sync: @Sendable (_ collection: String) async -> AppEvent
    public var searchRecords: @Sendable (_ collection: String, _ text: String) async -> AppEvent
    /// Titles of records by `collection/id`, from the cache (what relations point to).
    public var relatedTitles: @Sendable (_ links: [RecordLink], _ titleFields: [String: String]) async -> AppEvent = {
        _, _ in .list(.relatedLoaded([:]))
    }
    public var saveRecord:
        @Sendable (_ collection: String, _ id: String?, _ fields: [String: JSONValue]) async -> AppEvent
    public var deleteRecord: @Sendable (_ collection: String, _ id: String) async -> AppEvent
    public var loadCounts: @Sendable () async -> AppEvent
    public var loadConflicts: @Sendable () async -> AppEvent
    public var pollInbox: @Sendable () async -> AppEvent
    public var loadInbox: @Sendable () async -> AppEvent
    public var markRead: @Sendable (_ id: String?) async -> AppEvent
    public var openLinkedRecord: @Sendable (_ link: RecordLink) async -> AppEvent
    public var signOut: @Sendable (_ everywhere: Bool) async -> AppEvent
    public var resolveConflict:
        @Sendable (_ collection: String, _ id: String, _ resolution: ConflictResolution) async -> AppEvent
    /// Gives up a write the server refused.
    public var discardRefusal: @Sendable (_ collection: String, _ id: String) async -> AppEvent = { collection, id in
        .sync(.refusalDiscarded(collection: collection, id: id))
    }

    public init(
        signIn: @escaping @Sendable (String, String) async -> AppEvent,
        answerSignIn: @escaping @Sendable (String) async -> AppEvent = { _ in .signIn(.failed("Nothing to answer")) },
        accounts: AccountActions = AccountActions(),
        attachments: AttachmentActions = AttachmentActions(),
        progress: EventRelay = EventRelay(),
        refreshSchema: @escaping @Sendable () async -> AppEvent,
        loadRecords: @escaping @Sendable (String, Int, Int) async -> AppEvent,
        sync: @escaping @Sendable (String) async -> AppEvent,
        searchRecords: @escaping @Sendable (String, String) async -> AppEvent = { collection, text in
            .list(.searched(collection: collection, text: text, records: []))
        },
        saveRecord: @escaping @Sendable (String, String?, [String: JSONValue]) async -> AppEvent = { _, _, _ in
            .form(.saveFailed("Saving is not available"))
        },
        deleteRecord: @escaping @Sendable (String, String) async -> AppEvent = { _, _ in
            .form(.saveFailed("Deleting is not available"))
        },
        loadCounts: @escaping @Sendable () async -> AppEvent = { .sync(.countsLoaded(pending: 0, conflicts: 0)) },
        loadConflicts: @escaping @Sendable () async -> AppEvent = { .conflicts(.loaded([])) },
        resolveConflict: @escaping @Sendable (String, String, ConflictResolution) async -> AppEvent = {
            collection, id, _ in
            .conflicts(.resolved(collection: collection, id: id))
        },
        pollInbox: @escaping @Sendable () async -> AppEvent = { .inbox(.pollFailed(offline: true)) },
        loadInbox: @escaping @Sendable () async -> AppEvent = { .inbox(.loaded([], unread: 0)) },
        markRead: @escaping @Sendable (String?) async -> AppEvent = { _ in .inbox(.loaded([], unread: 0)) },
        openLinkedRecord: @escaping @Sendable (RecordLink) async -> AppEvent = { link in
            .inbox(.linkedRecordLoaded(collection: link.collection, record: nil))
        },
        signOut: @escaping @Sendable (Bool) async -> AppEvent = { _ in .account(.signedOut(message: "Signed out")) }
    ) {
        self.signIn = signIn
        self.answerSignIn = answerSignIn
        self.accounts = accounts
        self.attachments = attachments
        self.progress = progress
        self.refreshSchema = refreshSchema
        self.loadRecords = loadRecords
        self.loadSortedRecords = nil
        self.locateRecord = nil
        self.saveSort = { _, _ in .effectDone }
        self.sync = sync
        self.searchRecords = searchRecords
        self.saveRecord = saveRecord
        self.deleteRecord = deleteRecord
        self.loadCounts = loadCounts
        self.loadConflicts = loadConflicts
        self.resolveConflict = resolveConflict
        self.pollInbox = pollInbox
        self.loadInbox = loadInbox
        self.markRead = markRead
        self.openLinkedRecord = openLinkedRecord
        self.signOut = signOut
    }

    /// Runs one effect to its resulting event.
    public func perform(_ effect: AppEffect) async -> AppEvent {
        switch effect {
        case .signIn(let username, let password): return await signIn(username, password)
        case .answerSignIn(let answer): return await answerSignIn(answer)
        case .signInWithCode(let username): return await signInWithCode(username)
        case .signUp(let username, let email, let password): return await accounts.signUp(username, email, password)
        case .confirmSignUp(let username, let code): return await accounts.confirmSignUp(username, code)
        case .forgotPassword(let username): return await accounts.forgotPassword(username)
        case .resetPassword(let username, let code, let newPassword):
            return await accounts.resetPassword(username, code, newPassword)
        case .startWebSignIn(let provider): return await externalSignIn.web(provider)
        case .startDeviceSignIn: return await externalSignIn.device()
        case .cancelExternalSignIn: return await externalSignIn.cancel()
        case .loadMFA: return await accounts.mfaSettings()
        case .startTOTPSetup: return await accounts.startTOTP()
        case .verifyTOTPSetup(let code): return await accounts.verifyTOTP(code)
        case .disableTOTP: return await accounts.disableTOTP()
        case .loadDevices: return await accounts.devices()
        case .forgetDevice(let key): return await accounts.forgetDevice(key)
        case .refreshSchema: return await refreshSchema()
        case .loadRecords(let collection, let offset, let limit, let sort, let keeping):
            return await loadWindow(collection, offset: offset, limit: limit, sort: sort, keeping: keeping)
        case .saveSort(let collection, let sort): return await saveSort(collection, sort)
        case .sync(let collection): return await sync(collection)
        case .searchRecords(let collection, let text): return await searchRecords(collection, text)
        case .loadRelatedTitles(let links, let titleFields): return await relatedTitles(links, titleFields)
        case .saveRecord(let collection, let id, let fields): return await saveRecord(collection, id, fields)
        case .deleteRecord(let collection, let id): return await deleteRecord(collection, id)
        case .loadCounts: return await loadCounts()
        case .loadConflicts: return await loadConflicts()
        case .resolveConflict(let collection, let id, let resolution):
            return await resolveConflict(collection, id, resolution)
        case .discardRefusal(let collection, let id): return await discardRefusal(collection, id)
        case .pollInbox: return await pollInbox()
        case .loadInbox: return await loadInbox()
        case .markRead(let id): return await markRead(id)
        case .openLinkedRecord(let link): return await openLinkedRecord(link)
        case .signOut(let everywhere): return await signOut(everywhere)
        case .uploadAttachment(let collection, let recordId, let field, let path):
            return await attachments.upload(collection, recordId, field, path)
        case .downloadAttachment(let key, let path, let overwrite):
            return await attachments.download(key, path, overwrite)
        case .restoreAttachment(let key): return await attachments.restore(key)
        case .loadAttachmentInfo(let key): return await attachments.info(key)
        case .alert, .suspend: return .effectDone
        case .editExternally(let field, _):
            return .form(.externalEditFinished(field: field, text: nil, message: "No editor here"))
        }
    }
}

extension AppEnvironment {
    /// A window of a list; with `keeping`, one that holds that record (if it is still listed), saying where it is.
    func loadWindow(
        _ collection: String, offset: Int, limit: Int, sort: RecordSort, keeping: String?
    ) async
        -> AppEvent
    {
        func load(_ offset: Int) async -> AppEvent {
            if let loadSortedRecords { return await loadSortedRecords(collection, offset, limit, sort) }
            return await loadRecords(collection, offset, limit)
        }
        let event = await load(offset)
        guard let keeping, case .list(.recordsLoaded(_, let loadedOffset, let records, let total, _)) = event else {
            return event
        }
        if let index = records.firstIndex(where: { $0.id == keeping }) {
            let kept = KeptRecord(id: keeping, index: loadedOffset + index)
            return .list(
                .recordsLoaded(collection: collection, offset: loadedOffset, records: records, total: total, kept: kept)
            )
        }
        guard let locateRecord else { return event }
        guard let position = await locateRecord(collection, keeping, sort) else {
            let kept = KeptRecord(id: keeping, index: nil)
            return .list(
                .recordsLoaded(collection: collection, offset: loadedOffset, records: records, total: total, kept: kept)
            )
        }
        let moved = await load(max(0, position - limit / 4))
        guard case .list(.recordsLoaded(_, let newOffset, let newRecords, let newTotal, _)) = moved else {
            return moved
        }
        let kept = KeptRecord(id: keeping, index: position)
        return .list(
            .recordsLoaded(collection: collection, offset: newOffset, records: newRecords, total: newTotal, kept: kept))
    }
}
