import Foundation
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetSync
import HandsetWire

/// The app's side effects as a struct of closures: a live value that talks to the cloud and the store, and
/// test values that answer from memory.
public struct AppEnvironment: Sendable {
    public var signIn: @Sendable (_ username: String, _ password: String) async -> AppEvent
    public var answerSignIn: @Sendable (_ answer: String) async -> AppEvent
    /// Sign-up and password reset (Cognito's SignUp, ConfirmSignUp, ForgotPassword, ConfirmForgotPassword).
    public var accounts: AccountActions
    /// Uploads, downloads, archive restores and object info.
    public var attachments: AttachmentActions
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
        @Sendable (_ collection: String, _ id: String, _ resolution: LocalStore.Resolution) async -> AppEvent
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
        resolveConflict: @escaping @Sendable (String, String, LocalStore.Resolution) async -> AppEvent = {
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
        case .signUp(let username, let email, let password): return await accounts.signUp(username, email, password)
        case .confirmSignUp(let username, let code): return await accounts.confirmSignUp(username, code)
        case .forgotPassword(let username): return await accounts.forgotPassword(username)
        case .resetPassword(let username, let code, let newPassword):
            return await accounts.resetPassword(username, code, newPassword)
        case .loadMFA: return await accounts.mfaSettings()
        case .startTOTPSetup: return await accounts.startTOTP()
        case .verifyTOTPSetup(let code): return await accounts.verifyTOTP(code)
        case .disableTOTP: return await accounts.disableTOTP()
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
        case .alert: return .effectDone
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

extension AppEnvironment {
    /// The real thing over one cache for whoever signs in (tests): Cognito and the API over HTTP.
    public static func live(
        configuration: ClientConfiguration, store: LocalStore, session: SessionManager,
        transport: any HTTPTransport, flow: SignInFlow = .srp, now: @escaping @Sendable () -> Date = { Date() }
    ) -> AppEnvironment {
        let cognito = CognitoClient(configuration: configuration, transport: transport)
        let api = APIClient(configuration: configuration, transport: transport, session: session)
        let open: @Sendable (SignedInUser) -> UserServices = { user in
            let bound = api.bound(to: user.sub, deviceId: nil)
            let engine = SyncEngine(api: bound, store: store, now: now)
            return UserServices(user: user, store: store, api: bound, sync: engine)
        }
        return live(
            api: api, cognito: cognito, session: session, scope: UserScope(initial: nil, open: open), flow: flow,
            now: now)
    }

    /// The real thing for a profile: each user's own cache, swapped at sign-in.
    public static func live(services: ClientServices, flow: SignInFlow) -> AppEnvironment {
        let scope = UserScope(initial: services.signedIn, open: { try services.userServices(for: $0) })
        return live(
            api: services.api, cognito: services.cognito, session: services.session, scope: scope, flow: flow,
            now: services.now)
    }

    /// The real thing, from already-built clients; `scope` says whose data effects work on.
    public static func live(
        api: APIClient, cognito: CognitoClient, session: SessionManager, scope: UserScope, flow: SignInFlow = .srp,
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> AppEnvironment {
        let relay = EventRelay()
        @Sendable func inboxSnapshot(_ store: LocalStore) -> AppEvent {
            .inbox(.loaded((try? store.notifications()) ?? [], unread: (try? store.unreadNotificationCount()) ?? 0))
        }
        /// Runs `body` on the signed-in user's data; nobody signed in is an expired session.
        @Sendable func withUser(_ body: (UserServices) async -> AppEvent) async -> AppEvent {
            guard let data = scope.current else { return .account(.sessionExpired) }
            return await body(data)
        }

        let conversations = ConversationHolder()

        @Sendable func signInEvent(_ outcome: SignInOutcome) async -> AppEvent {
            switch outcome {
            case .prompt(let prompt, let error):
                return .signIn(.prompt(prompt, error: error))
            case .failed(let failure):
                await conversations.set(nil)
                return .signIn(.failed(failure.message))
            case .signedIn(let result):
                await conversations.set(nil)
                let tokens = TokenSet(
                    idToken: result.idToken, accessToken: result.accessToken, refreshToken: result.refreshToken,
                    expiresAt: now().addingTimeInterval(TimeInterval(result.expiresIn)))
                await session.signedIn(tokens)
                let user = tokens.user ?? SignedInUser(sub: "", username: "", email: nil)
                do {
                    try scope.activate(user)
                } catch {
                    return .signIn(
                        .failed("Signed in, but this device's cache for \(user.username) cannot be opened: \(error)"))
                }
                return .signIn(.succeeded(user))
            }
        }

        /// The event for a failed call made for `data`'s user; nothing once another user's data is current (their
        /// session is not the one that failed).
        @Sendable func failure(_ error: any Error, for data: UserServices) -> AppEvent {
            guard scope.isCurrent(data) else { return .effectDone }
            let remote = (error as? RemoteError) ?? .badResponse(String(describing: error))
            switch remote {
            case .sessionExpired: return .account(.sessionExpired)
            case .offline(let detail): return .sync(.failed(message: detail, offline: true))
            default: return .sync(.failed(message: remote.message, offline: false))
            }
        }

        @Sendable func accountFailure(_ error: any Error) -> AppEvent {
            let remote = RemoteError.from(error)
            if case .offline(let detail) = remote { return .signIn(.stepFailed("Offline: \(detail)")) }
            return .signIn(.stepFailed(remote.message))
        }

        var accounts = AccountActions(
            signUp: { username, email, password in
                do {
                    let (confirmed, destination) = try await cognito.signUp(
                        username: username, password: password, email: email)
                    return confirmed ? .signIn(.accountConfirmed) : .signIn(.codeSent(destination: destination))
                } catch {
                    return accountFailure(error)
                }
            },
            confirmSignUp: { username, code in
                do {
                    try await cognito.confirmSignUp(username: username, code: code)
                    return .signIn(.accountConfirmed)
                } catch {
                    return accountFailure(error)
                }
            },
            forgotPassword: { username in
                do {
                    return .signIn(.codeSent(destination: try await cognito.forgotPassword(username: username)))
                } catch {
                    return accountFailure(error)
                }
            },
            resetPassword: { username, code, newPassword in
                do {
                    try await cognito.confirmForgotPassword(username: username, code: code, newPassword: newPassword)
                    return .signIn(.passwordWasReset)
                } catch {
                    return accountFailure(error)
                }
            })
        @Sendable func mfaCall(_ body: (String) async throws -> AppEvent) async -> AppEvent {
            do {
                return try await body(try await session.validToken(.access))
            } catch RemoteError.sessionExpired {
                return .account(.sessionExpired)
            } catch {
                let remote = RemoteError.from(error)
                if case .offline = remote {
                    return .account(.mfaFailed("\(remote.message); MFA settings need the cloud"))
                }
                return .account(.mfaFailed(remote.message))
            }
        }
        accounts.mfaSettings = {
            await mfaCall { .account(.mfaLoaded(try await cognito.mfaSettings(accessToken: $0))) }
        }
        accounts.startTOTP = {
            await mfaCall { access in
                let secret = try await cognito.associateSoftwareToken(accessToken: access)
                let account = await session.current?.user?.username ?? "user"
                return .account(
                    .totpSetupStarted(secret: secret, uri: CognitoClient.totpURI(secret: secret, account: account)))
            }
        }
        accounts.verifyTOTP = { code in
            await mfaCall { access in
                try await cognito.verifyAndPreferSoftwareToken(accessToken: access, code: code)
                return .account(.mfaLoaded(try await cognito.mfaSettings(accessToken: access)))
            }
        }
        accounts.disableTOTP = {
            await mfaCall { access in
                try await cognito.setSoftwareTokenMFA(accessToken: access, enabled: false)
                return .account(.mfaLoaded(try await cognito.mfaSettings(accessToken: access)))
            }
        }

        var environment = AppEnvironment(
            signIn: { username, password in
                let conversation = SignInConversation(cognito: cognito, flow: flow, now: now)
                await conversations.set(conversation)
                return await signInEvent(await conversation.start(username: username, password: password))
            },
            answerSignIn: { answer in
                guard let conversation = await conversations.current else {
                    return .signIn(.failed("The sign-in was interrupted; please start again"))
                }
                return await signInEvent(await conversation.answer(answer))
            },
            accounts: accounts,
            attachments: .live(scope: scope, now: now, relay: relay),
            progress: relay,
            refreshSchema: {
                await withUser { data in
                    do {
                        return .list(.schemaLoaded(try await data.sync.refreshSchema()))
                    } catch {
                        return failure(error, for: data)
                    }
                }
            },
            loadRecords: { collection, offset, limit in
                await withUser { data in
                    do {
                        let records = try data.store.records(collection: collection, offset: offset, limit: limit)
                        let total = try data.store.recordCount(collection: collection)
                        return .list(
                            .recordsLoaded(collection: collection, offset: offset, records: records, total: total))
                    } catch {
                        return .sync(.failed(message: "Local cache: \(error)", offline: false))
                    }
                }
            },
            sync: { collection in
                await withUser { data in
                    do {
                        let report = try await data.sync.sync(collections: [collection]) {
                            relay.send(.sync(.progress($0)))
                        }
                        return .sync(
                            .finished(
                                collection: collection, count: report.pulled, at: now(), rekeyed: report.rekeyed))
                    } catch {
                        return failure(error, for: data)
                    }
                }
            },
            searchRecords: { collection, text in
                guard let store = scope.current?.store else { return .account(.sessionExpired) }
                do {
                    let records = try store.search(
                        collection: collection, text: text, limit: RecordListState.windowSize)
                    return .list(.searched(collection: collection, text: text, records: records))
                } catch {
                    return .sync(.failed(message: "Search: \(error)", offline: false))
                }
            },
            saveRecord: { collection, id, fields in
                guard let data = scope.current else { return .account(.sessionExpired) }
                let store = data.store
                do {
                    if let id {
                        try store.updateRecord(collection: collection, id: id, fields: fields, now: now())
                        return .form(.saved(collection: collection, id: id))
                    }
                    let owner = data.user.sub
                    let newId = UUID().uuidString.lowercased()
                    try store.createRecord(collection: collection, id: newId, fields: fields, owner: owner, now: now())
                    return .form(.saved(collection: collection, id: newId))
                } catch {
                    return .form(.saveFailed("Could not save: \(error)"))
                }
            },
            deleteRecord: { collection, id in
                guard let store = scope.current?.store else { return .account(.sessionExpired) }
                do {
                    try store.deleteRecord(collection: collection, id: id, now: now())
                    return .form(.deleted(collection: collection, id: id))
                } catch {
                    return .form(.saveFailed("Could not delete: \(error)"))
                }
            },
            loadCounts: {
                guard let store = scope.current?.store else { return .sync(.countsLoaded(pending: 0, conflicts: 0)) }
                let pending = (try? store.pendingCount()) ?? 0
                let conflicts = (try? store.conflicts().count) ?? 0
                let refusals = (try? store.refusals()) ?? []
                return .sync(.countsLoaded(pending: pending, conflicts: conflicts, refusals: refusals))
            },
            loadConflicts: {
                .conflicts(.loaded((try? scope.current?.store.conflicts()) ?? []))
            },
            resolveConflict: { collection, id, resolution in
                guard let store = scope.current?.store else { return .account(.sessionExpired) }
                do {
                    try store.resolveConflict(collection: collection, recordId: id, resolution: resolution, now: now())
                    return .conflicts(.resolved(collection: collection, id: id))
                } catch {
                    return .form(.saveFailed("Could not settle the conflict: \(error)"))
                }
            },
            pollInbox: {
                guard let data = scope.current else { return .inbox(.pollFailed(offline: false)) }
                do {
                    let poller = InboxPoller(api: data.api, store: data.store)
                    let (new, unread) = try await poller.poll(wait: AutoSync.inboxWait)
                    // A poll that outlived its user's session says nothing about the current one.
                    guard scope.isCurrent(data) else { return .effectDone }
                    return .inbox(.polled(new: new, unread: unread))
                } catch let error as RemoteError {
                    guard scope.isCurrent(data) else { return .effectDone }
                    if case .sessionExpired = error { return .account(.sessionExpired) }
                    return .inbox(.pollFailed(offline: error.isTransient))
                } catch {
                    return .inbox(.pollFailed(offline: false))
                }
            },
            loadInbox: {
                guard let store = scope.current?.store else { return .inbox(.loaded([], unread: 0)) }
                return inboxSnapshot(store)
            },
            markRead: { id in
                guard let data = scope.current else { return .inbox(.loaded([], unread: 0)) }
                do {
                    try await InboxPoller(api: data.api, store: data.store).markRead(id)
                } catch {
                    // Offline: mark it here; the server copy stays unread until next time.
                    try? data.store.markNotificationsRead(id)
                }
                return inboxSnapshot(data.store)
            },
            openLinkedRecord: { link in
                guard let data = scope.current else { return .account(.sessionExpired) }
                if let record = try? data.store.record(collection: link.collection, id: link.id) {
                    return .inbox(.linkedRecordLoaded(collection: link.collection, record: record))
                }
                // Not on this device: ask the cloud, which knows whether it is there for this person.
                do {
                    guard let record = try await data.api.record(collection: link.collection, id: link.id) else {
                        return .inbox(.linkedRecordUnavailable(link, .notThere))
                    }
                    return .inbox(.linkedRecordLoaded(collection: link.collection, record: record))
                } catch {
                    let remote = RemoteError.from(error)
                    if case .sessionExpired = remote { return .account(.sessionExpired) }
                    if case .offline(let detail) = remote {
                        return .inbox(.linkedRecordUnavailable(link, .offline(detail)))
                    }
                    return .inbox(.linkedRecordUnavailable(link, .failed(remote.message)))
                }
            },
            signOut: { everywhere in
                // This device signs out whatever the server says; telling the server is best effort.
                var note = everywhere ? "Signed out everywhere" : "Signed out"
                if let tokens = await session.current {
                    do {
                        if everywhere {
                            _ = try await cognito.call(
                                "GlobalSignOut", body: ["AccessToken": .string(tokens.accessToken)])
                        } else if let refresh = tokens.refreshToken {
                            _ = try await cognito.call(
                                "RevokeToken",
                                body: ["Token": .string(refresh), "ClientId": .string(cognito.configuration.clientId)])
                        }
                    } catch {
                        note += " on this device (the server could not be told)"
                    }
                }
                await session.signOut()
                scope.deactivate()
                return .account(.signedOut(message: note))
            })
        environment.loadSortedRecords = { collection, offset, limit, sort in
            guard let store = scope.current?.store else { return .account(.sessionExpired) }
            do {
                let records = try store.records(collection: collection, offset: offset, limit: limit, sort: sort)
                let total = try store.recordCount(collection: collection)
                return .list(.recordsLoaded(collection: collection, offset: offset, records: records, total: total))
            } catch {
                return .sync(.failed(message: "Local cache: \(error)", offline: false))
            }
        }
        environment.relatedTitles = { links, titleFields in
            guard let data = scope.current else { return .list(.relatedLoaded([:])) }
            var titles: [String: String] = [:]
            for link in links {
                // From the cache; a collection not synced yet is asked of the cloud (best effort: offline, the id
                // shows).
                let cached = try? data.store.record(collection: link.collection, id: link.id)
                var fetched: Record?
                if cached == nil { fetched = try? await data.api.record(collection: link.collection, id: link.id) }
                guard let record = cached ?? fetched else { continue }
                let field = titleFields[link.collection] ?? "title"
                if case .string(let title)? = record.value(of: field), !title.isEmpty {
                    titles["\(link.collection)/\(link.id)"] = title
                }
            }
            return .list(.relatedLoaded(titles))
        }
        environment.locateRecord = { collection, id, sort in
            try? scope.current?.store.position(of: id, collection: collection, sort: sort)
        }
        environment.discardRefusal = { collection, id in
            guard let store = scope.current?.store else { return .account(.sessionExpired) }
            do {
                try store.discardRefused(collection: collection, id: id)
                return .sync(.refusalDiscarded(collection: collection, id: id))
            } catch {
                return .form(.saveFailed("Could not discard: \(error)"))
            }
        }
        environment.saveSort = { collection, sort in
            try? scope.current?.store.setSort(sort, collection: collection)
            return .effectDone
        }
        return environment
    }
}

/// Passes progress events from running effects to whoever listens (the UI loop's inbox). Nobody listening: dropped.
public final class EventRelay: @unchecked Sendable {
    private let lock = NSLock()
    private var listener: (@Sendable (AppEvent) -> Void)?

    public init() {}

    public func listen(_ listener: @escaping @Sendable (AppEvent) -> Void) {
        lock.withLock { self.listener = listener }
    }

    public func send(_ event: AppEvent) {
        let listener = lock.withLock { self.listener }
        listener?(event)
    }
}

/// The account calls of the sign-in screen.
public struct AccountActions: Sendable {
    public var signUp: @Sendable (_ username: String, _ email: String, _ password: String) async -> AppEvent
    public var confirmSignUp: @Sendable (_ username: String, _ code: String) async -> AppEvent
    public var forgotPassword: @Sendable (_ username: String) async -> AppEvent
    public var resetPassword: @Sendable (_ username: String, _ code: String, _ newPassword: String) async -> AppEvent
    /// The signed-in person's MFA: read it, add an authenticator app (two steps), turn the app off.
    public var mfaSettings: @Sendable () async -> AppEvent = { .account(.mfaFailed("Not available")) }
    public var startTOTP: @Sendable () async -> AppEvent = { .account(.mfaFailed("Not available")) }
    public var verifyTOTP: @Sendable (_ code: String) async -> AppEvent = { _ in .account(.mfaFailed("Not available")) }
    public var disableTOTP: @Sendable () async -> AppEvent = { .account(.mfaFailed("Not available")) }

    public init(
        signUp: @escaping @Sendable (String, String, String) async -> AppEvent = { _, _, _ in
            .signIn(.stepFailed("Not available"))
        },
        confirmSignUp: @escaping @Sendable (String, String) async -> AppEvent = { _, _ in
            .signIn(.stepFailed("Not available"))
        },
        forgotPassword: @escaping @Sendable (String) async -> AppEvent = { _ in .signIn(.stepFailed("Not available")) },
        resetPassword: @escaping @Sendable (String, String, String) async -> AppEvent = { _, _, _ in
            .signIn(.stepFailed("Not available"))
        }
    ) {
        self.signUp = signUp
        self.confirmSignUp = confirmSignUp
        self.forgotPassword = forgotPassword
        self.resetPassword = resetPassword
    }
}

/// The sign-in in progress, between the person's answers.
actor ConversationHolder {
    private(set) var current: SignInConversation?

    func set(_ conversation: SignInConversation?) {
        current = conversation
    }
}
