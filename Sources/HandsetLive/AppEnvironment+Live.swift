import Foundation
import HandsetApp
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetSync

extension AppEnvironment {
    /// The real thing over one cache for whoever signs in (tests): Cognito and the API over HTTP.
    public static func live(
        configuration: ClientConfiguration, store: LocalStore, session: SessionManager,
        transport: any HTTPTransport, flow: SignInFlow = .srp, now: @escaping @Sendable () -> Date = { Date() }
    ) -> AppEnvironment {
        let cognito = CognitoClient(configuration: configuration, transport: transport)
        let api = APIClient(configuration: configuration, transport: transport, session: session)
        let hostedUI = configuration.hostedUI.map {
            HostedUIClient(configuration: configuration, hostedUI: $0, transport: transport)
        }
        let open: @Sendable (SignedInUser) -> UserServices = { user in
            let bound = api.bound(to: user.sub, deviceId: nil)
            let engine = SyncEngine(api: bound, store: store, now: now)
            return UserServices(user: user, store: store, api: bound, sync: engine)
        }
        return live(
            api: api, cognito: cognito, session: session, scope: UserScope(initial: nil, open: open), flow: flow,
            hostedUI: hostedUI, now: now)
    }

    /// The real thing for a profile: each user's own cache, swapped at sign-in.
    public static func live(services: ClientServices, flow: SignInFlow) -> AppEnvironment {
        let scope = UserScope(initial: services.signedIn, open: { try services.userServices(for: $0) })
        let hostedUI = services.configuration.hostedUI.map {
            HostedUIClient(configuration: services.configuration, hostedUI: $0, transport: services.transport)
        }
        return live(
            api: services.api, cognito: services.cognito, session: services.session, scope: scope, flow: flow,
            hostedUI: hostedUI, now: services.now, devices: services.devices)
    }

    /// The real thing, from already-built clients; `scope` says whose data effects work on.
    public static func live(
        api: APIClient, cognito: CognitoClient, session: SessionManager, scope: UserScope, flow: SignInFlow = .srp,
        hostedUI: HostedUIClient? = nil, now: @escaping @Sendable () -> Date = { Date() },
        devices: (any RememberedDeviceStore)? = nil
    ) -> AppEnvironment {
        let relay = EventRelay()
        let live = LiveEffects(
            api: api, cognito: cognito, session: session, scope: scope, flow: flow, hostedUI: hostedUI, now: now,
            relay: relay, devices: devices)
        var environment = AppEnvironment(
            signIn: { await live.signIn(username: $0, password: $1) },
            answerSignIn: { await live.answerSignIn($0) },
            accounts: live.accounts,
            attachments: .live(scope: scope, now: now, relay: relay),
            progress: relay,
            refreshSchema: { await live.refreshSchema() },
            loadRecords: { await live.loadRecords(collection: $0, offset: $1, limit: $2) },
            sync: { await live.sync(collection: $0) },
            searchRecords: { live.searchRecords(collection: $0, text: $1) },
            saveRecord: { live.saveRecord(collection: $0, id: $1, fields: $2) },
            deleteRecord: { live.deleteRecord(collection: $0, id: $1) },
            loadCounts: { live.loadCounts() },
            loadConflicts: { live.loadConflicts() },
            resolveConflict: { live.resolveConflict(collection: $0, id: $1, resolution: $2) },
            pollInbox: { await live.pollInbox() },
            loadInbox: { live.loadInbox() },
            markRead: { await live.markRead($0) },
            openLinkedRecord: { await live.openLinkedRecord($0) },
            signOut: { await live.signOut(everywhere: $0) })
        environment.externalSignIn = ExternalSignInActions(
            web: { await live.signInInBrowser(provider: $0) }, device: { await live.signInOnAnotherDevice() },
            cancel: { await live.cancelExternalSignIn() })
        environment.loadSortedRecords = { await live.loadRecords(collection: $0, offset: $1, limit: $2, sort: $3) }
        environment.locateRecord = { live.locateRecord(collection: $0, id: $1, sort: $2) }
        environment.signInWithCode = { await live.signInWithCode(username: $0) }
        environment.relatedTitles = { await live.relatedTitles($0, titleFields: $1) }
        environment.discardRefusal = { live.discardRefusal(collection: $0, id: $1) }
        environment.saveSort = { live.saveSort(collection: $0, sort: $1) }
        return environment
    }
}
