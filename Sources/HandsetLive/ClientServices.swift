import Foundation
import HandsetApp
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetSync

/// Everything a profile needs at run time, built once: the token cache, the session, the Cognito and API clients,
/// and the signed-in user's data. The TUI and every command start from this.
public struct ClientServices: Sendable {
    public let profile: String
    public let paths: HandsetPaths
    public let configuration: ClientConfiguration
    public let tokenCache: TokenCache
    /// The profile's remembered devices, one per user: their secrets sign in without a second factor.
    public let devices: DeviceFile
    public let session: SessionManager
    public let transport: any HTTPTransport
    public let cognito: CognitoClient
    /// The API for calls that belong to no user (the API document); user data goes through `UserServices.api`.
    public let api: APIClient
    public let now: @Sendable () -> Date
    public let settings: Settings
    /// The profile's offline caches, one per user.
    public let caches: UserCaches
    /// The data of the user whose session is cached, `nil` when nobody is signed in.
    public let signedIn: UserServices?

    public init(
        profile: String, paths: HandsetPaths, configuration: ClientConfiguration, settings: Settings = Settings(),
        transport: any HTTPTransport = LiveHTTPTransport(), now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.profile = profile
        self.settings = settings
        self.paths = paths
        self.configuration = configuration
        self.transport = transport
        self.now = now
        let tokenCache = TokenCache(file: paths.tokenFile(profile))
        self.tokenCache = tokenCache
        let devices = DeviceFile(file: paths.deviceFile(profile))
        self.devices = devices
        let tokens = tokenCache.load()
        cognito = CognitoClient(configuration: configuration, transport: transport)
        session = SessionManager(
            cognito: cognito, tokens: tokens, now: now, devices: devices,
            persist: { tokens in try? tokenCache.save(tokens) })
        api = APIClient(
            configuration: configuration, transport: transport, session: session,
            timeout: settings.requestTimeout, authorization: settings.authorizationToken)
        caches = UserCaches(paths: paths, profile: profile)
        do {
            try caches.adoptSharedCache(sessionUser: tokens?.user?.sub)
        } catch {
            throw ConfigurationError(
                "cannot move the offline cache at \(paths.sharedCacheDatabase(profile).path) to its user: \(error)")
        }
        if let user = tokens?.user, !user.sub.isEmpty {
            signedIn = try Self.userServices(
                for: user, caches: caches, api: api, now: now, settings: settings)
        } else {
            signedIn = nil
        }
    }

    /// The person signed in on this profile, from the token cache (works offline).
    public var signedInUser: SignedInUser? { signedIn?.user }

    /// The data of `user` (after a sign-in in this process).
    public func userServices(for user: SignedInUser) throws -> UserServices {
        try Self.userServices(for: user, caches: caches, api: api, now: now, settings: settings)
    }

    static func userServices(
        for user: SignedInUser, caches: UserCaches, api: APIClient, now: @escaping @Sendable () -> Date,
        settings: Settings
    ) throws -> UserServices {
        let store: LocalStore
        do {
            store = try caches.open(user: user.sub)
        } catch {
            let file = caches.paths.cacheDatabase(caches.profile, user: user.sub)
            throw ConfigurationError("cannot open the offline cache at \(file.path): \(error)")
        }
        var deviceId = try? store.meta(MetaKey.deviceId)
        if deviceId == nil {
            deviceId = UUID().uuidString.lowercased()
            try? store.setMeta(MetaKey.deviceId, deviceId)
        }
        let userAPI = api.bound(to: user.sub, deviceId: deviceId)
        return UserServices(
            user: user, store: store, api: userAPI,
            sync: SyncEngine(api: userAPI, store: store, now: now, policy: { settings.conflictPolicy(for: $0) }))
    }

    /// The live environment of the interactive app.
    public func appEnvironment() -> AppEnvironment {
        .live(services: self, flow: settings.signInFlow)
    }
}
