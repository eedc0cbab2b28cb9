import Foundation
import HandsetModel
import HandsetWire

/// Something that happened: input (a key, the mouse, the clock, the terminal's size), or the result of an effect,
/// addressed to the feature it belongs to (`.list(.recordsLoaded(…))`, `.sync(.finished(…))`, …).
public enum AppEvent: Sendable, Equatable {
    /// The app started; a cached session and schema mean it can show the list at once.
    case launched(user: SignedInUser?, cachedSchema: APISchema?, lastSyncedAt: Date?)
    case key(Key)
    /// A click or wheel turn, on what the renderer found under the pointer (nil: on nothing in particular).
    case mouse(MouseTarget?, MouseAction)
    /// The terminal changed size; `rows` is what the list body can show.
    case resized(listRows: Int)
    /// The clock moved (about once a second): automatic sync, inbox polls, retries and the watchdog run from here.
    case tick(Date)
    /// An effect finished with nothing to change (an alert shown, a sort kept).
    case effectDone
    /// The renderer's measure of the screen drawn: the furthest it can scroll (nil: it does not scroll).
    case measured(scrollLimit: Int?)
    case signIn(SignInEvent)
    case account(AccountEvent)
    case list(ListEvent)
    case sync(SyncEvent)
    case form(FormEvent)
    case conflicts(ConflictsEvent)
    case inbox(InboxEvent)
    case attachments(AttachmentEvent)
}

/// Results for the sign-in screen (sign-in, its challenges, sign-up and password reset).
public enum SignInEvent: Sendable, Equatable {
    case succeeded(SignedInUser)
    case failed(String)
    /// Cognito wants more before it signs the person in.
    case prompt(SignInPrompt, error: String?)
    /// Sign-up or password reset: a code was sent (the form moves on to it).
    case codeSent(destination: String?)
    /// The new account is confirmed (or needed no confirmation): sign in with the password just chosen.
    case accountConfirmed
    /// The forgotten password was replaced: sign in with the new one.
    case passwordWasReset
    /// A sign-up or reset step was refused; the form stays where it is.
    case stepFailed(String)
    /// A sign-in in the browser began: the address it opened (or that the person must open).
    case webStarted(url: String)
    /// A sign-in on another device began: the code to enter there, and where.
    case deviceStarted(userCode: String, verificationURI: String, completeURI: String)
}

/// Results for the account screen and the session.
public enum AccountEvent: Sendable, Equatable {
    case mfaLoaded(MFASettings)
    /// A new authenticator secret: show it and ask for the app's first code.
    case totpSetupStarted(secret: String, uri: String)
    case mfaFailed(String)
    /// The remembered devices (after a forget too, with a note).
    case devicesLoaded([AccountDevice], note: String? = nil)
    case devicesFailed(String)
    /// The session ended on this device (the cache stays for the next sign-in).
    case signedOut(message: String)
    case sessionExpired
}

/// Results for the record list.
public enum ListEvent: Sendable, Equatable {
    /// The API document, with the orders the signed-in user keeps for its collections (saved on this device).
    case schemaLoaded(APISchema, sorts: [String: RecordSort] = [:])
    /// A window of the list; `kept` says where the record the load was asked to keep now stands.
    case recordsLoaded(collection: String, offset: Int, records: [Record], total: Int, kept: KeptRecord? = nil)
    /// The records matching a filter text (the first window of them).
    case searched(collection: String, text: String, records: [Record])
    /// Titles of related records, by `collection/id` (records not on this device are left out).
    case relatedLoaded([String: String])
}

/// Results of syncing, and of any call to the cloud that failed.
public enum SyncEvent: Sendable, Equatable {
    /// `rekeyed`: records made here that now go by the id the server's database gave them.
    case finished(collection: String, count: Int, at: Date, rekeyed: [RecordIDChange] = [])
    /// A call to the cloud failed; `offline` when no answer came at all.
    case failed(message: String, offline: Bool)
    /// How far the running sync has got.
    case progress(SyncProgress)
    /// Writes waiting to be sent, conflicts waiting for the person, and writes the server refused.
    case countsLoaded(pending: Int, conflicts: Int, refusals: [Refusal] = [])
    /// A refused write was given up: the record is back to the server's version (or gone, if it never got there).
    case refusalDiscarded(collection: String, id: String)
}

/// Results for the detail screen and the edit form.
public enum FormEvent: Sendable, Equatable {
    /// A local write is saved (cache and outbox); it syncs in the background.
    case saved(collection: String, id: String)
    case deleted(collection: String, id: String)
    /// A local write could not be saved (the cache refused it).
    case saveFailed(String)
    /// `$EDITOR` finished with this text for the field (nil: it failed or was not saved; `message` says why).
    case externalEditFinished(field: String, text: String?, message: String?)
}

/// Results for the conflicts screen.
public enum ConflictsEvent: Sendable, Equatable {
    case loaded([Conflict])
    case resolved(collection: String, id: String)
}

/// Results for the notification inbox.
public enum InboxEvent: Sendable, Equatable {
    /// A long-poll of the inbox returned: what is new, and the unread count.
    case polled(new: [InboxItem], unread: Int)
    case pollFailed(offline: Bool)
    case loaded([InboxItem], unread: Int)
    case linkedRecordLoaded(collection: String, record: Record?)
    /// The record a notification points to cannot be shown, and why.
    case linkedRecordUnavailable(RecordLink, LinkProblem)
}

/// Results of uploads, downloads and object info.
public enum AttachmentEvent: Sendable, Equatable {
    /// Bytes of the running upload or download.
    case progress(done: Int64, total: Int64)
    /// A file is stored and its key written into the record (cache and outbox).
    case uploaded(collection: String, recordId: String, field: String, key: String)
    case downloaded(path: String)
    /// A file is at the path already: nothing was fetched; the person is asked before it is replaced.
    case downloadWouldReplace(key: String, path: String)
    case infoLoaded(ObjectInfo)
    /// An attachment call failed (nil: quietly, e.g. the size could not be fetched offline).
    case failed(String?)
}

/// Work for the outside world; its result comes back as an `AppEvent`.
public enum AppEffect: Sendable, Equatable {
    case signIn(username: String, password: String)
    case answerSignIn(String)
    case signUp(username: String, email: String, password: String)
    case confirmSignUp(username: String, code: String)
    case forgotPassword(username: String)
    case resetPassword(username: String, code: String, newPassword: String)
    /// Sign in through a provider in the browser (managed login, PKCE, a loopback redirect).
    case startWebSignIn(provider: String)
    /// Sign in on another device (RFC 8628).
    case startDeviceSignIn
    /// Stop waiting for the browser or the other device.
    case cancelExternalSignIn
    /// Sign in with a one-time code instead of the password (USER_AUTH).
    case signInWithCode(username: String)
    case loadMFA
    case startTOTPSetup
    case verifyTOTPSetup(code: String)
    case disableTOTP
    case loadDevices
    /// Forget one remembered device (its next sign-in asks for the code).
    case forgetDevice(key: String)
    case refreshSchema
    /// A window of the list; with `keeping`, the window is moved to hold that record and says where it stands.
    case loadRecords(
        collection: String, offset: Int, limit: Int, sort: RecordSort = RecordSort(), keeping: String? = nil)
    /// Keep the list order of a collection for the next start.
    case saveSort(collection: String, RecordSort)
    case sync(collection: String)
    case searchRecords(collection: String, text: String)
    /// The titles of these records (what relations point to), from the cache.
    case loadRelatedTitles([RecordLink], titleFields: [String: String])
    case saveRecord(collection: String, id: String?, fields: [String: JSONValue])
    case deleteRecord(collection: String, id: String)
    case loadCounts
    case loadConflicts
    case resolveConflict(collection: String, id: String, ConflictResolution)
    /// Give up a write the server refused.
    case discardRefusal(collection: String, id: String)
    case pollInbox
    case loadInbox
    case markRead(String?)
    case openLinkedRecord(RecordLink)
    case signOut(everywhere: Bool)
    /// Tell the person a notification arrived: the terminal bell and/or a desktop notification (OSC 9 / 777),
    /// as the settings ask. Done by the terminal layer, not the environment.
    case alert(title: String, body: String)
    case uploadAttachment(collection: String, recordId: String, field: String, path: String)
    /// Save an object to a file; an existing file only with `overwrite` (the person said so).
    case downloadAttachment(key: String, path: String, overwrite: Bool = false)
    case restoreAttachment(key: String)
    case loadAttachmentInfo(key: String)
    /// Hand the terminal to `$VISUAL` / `$EDITOR` with this text; done by the terminal layer.
    case editExternally(field: String, text: String)
    /// Stop the app as Ctrl-Z stops a program in a shell, the terminal given back until `fg`; done by the terminal
    /// layer.
    case suspend
}

extension AppEffect: CustomStringConvertible {
    // Keeps the password out of printed effects.
    public var description: String {
        switch self {
        case .signIn(let username, _): return "signIn(\(username), <password>)"
        case .answerSignIn: return "answerSignIn(<answer>)"
        case .signUp(let username, _, _): return "signUp(\(username), <email>, <password>)"
        case .confirmSignUp(let username, _): return "confirmSignUp(\(username), <code>)"
        case .forgotPassword(let username): return "forgotPassword(\(username))"
        case .startWebSignIn(let provider): return "startWebSignIn(\(provider))"
        case .startDeviceSignIn: return "startDeviceSignIn"
        case .cancelExternalSignIn: return "cancelExternalSignIn"
        case .loadMFA: return "loadMFA"
        case .signInWithCode(let username): return "signInWithCode(\(username))"
        case .startTOTPSetup: return "startTOTPSetup"
        case .verifyTOTPSetup: return "verifyTOTPSetup(<code>)"
        case .disableTOTP: return "disableTOTP"
        case .loadDevices: return "loadDevices"
        case .forgetDevice(let key): return "forgetDevice(\(key))"
        case .resetPassword(let username, _, _): return "resetPassword(\(username), <code>, <password>)"
        case .refreshSchema: return "refreshSchema"
        case .loadRecords(let collection, let offset, let limit, _, _):
            return "loadRecords(\(collection), \(offset), \(limit))"
        case .saveSort(let collection, _): return "saveSort(\(collection))"
        case .sync(let collection): return "sync(\(collection))"
        case .searchRecords(let collection, _): return "searchRecords(\(collection))"
        case .loadRelatedTitles(let links, _): return "loadRelatedTitles(\(links.count))"
        case .saveRecord(let collection, let id, _): return "saveRecord(\(collection), \(id ?? "new"))"
        case .deleteRecord(let collection, let id): return "deleteRecord(\(collection), \(id))"
        case .loadCounts: return "loadCounts"
        case .loadConflicts: return "loadConflicts"
        case .pollInbox: return "pollInbox"
        case .signOut(let everywhere): return "signOut(everywhere: \(everywhere))"
        case .loadInbox: return "loadInbox"
        case .markRead(let id): return "markRead(\(id ?? "all"))"
        case .openLinkedRecord(let link): return "openLinkedRecord(\(link.collection)/\(link.id))"
        case .resolveConflict(let collection, let id, _): return "resolveConflict(\(collection), \(id))"
        case .discardRefusal(let collection, let id): return "discardRefusal(\(collection), \(id))"
        case .alert(let title, _): return "alert(\(title))"
        case .editExternally(let field, _): return "editExternally(\(field))"
        case .suspend: return "suspend"
        case .uploadAttachment(let collection, let recordId, let field, _):
            return "uploadAttachment(\(collection)/\(recordId).\(field))"
        case .downloadAttachment(let key, _, let overwrite):
            return "downloadAttachment(\(key)\(overwrite ? ", overwrite" : ""))"
        case .restoreAttachment(let key): return "restoreAttachment(\(key))"
        case .loadAttachmentInfo(let key): return "loadAttachmentInfo(\(key))"
        }
    }
}
