import Foundation
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetSync

/// Everything a profile needs at run time, built once: the offline store, the token cache, the session, the
/// Cognito and API clients and the sync engine. The TUI and every command start from this.
public struct ClientServices: Sendable {
    public let profile: String
    public let paths: HandsetPaths
    public let configuration: ClientConfiguration
    public let store: LocalStore
    public let tokenCache: TokenCache
    public let session: SessionManager
    public let transport: any HTTPTransport
    public let cognito: CognitoClient
    public let api: APIClient
    public let sync: SyncEngine
    public let now: @Sendable () -> Date
    public let settings: Settings

    public init(
        profile: String, paths: HandsetPaths, configuration: ClientConfiguration, settings: Settings = Settings(),
        transport: any HTTPTransport = URLSessionTransport(), now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.profile = profile
        self.settings = settings
        self.paths = paths
        self.configuration = configuration
        self.transport = transport
        self.now = now
        let databaseFile = paths.cacheDatabase(profile)
        try SecureFiles.ensurePrivateDirectory(databaseFile.deletingLastPathComponent())
        do {
            store = try LocalStore(path: databaseFile.path)
        } catch {
            throw ConfigurationError("cannot open the offline cache at \(databaseFile.path): \(error)")
        }
        let tokenCache = TokenCache(file: paths.tokenFile(profile))
        self.tokenCache = tokenCache
        cognito = CognitoClient(configuration: configuration, transport: transport)
        session = SessionManager(
            cognito: cognito, tokens: tokenCache.load(), now: now, persist: { tokens in try? tokenCache.save(tokens) })
        var deviceId = try? store.meta(MetaKey.deviceId)
        if deviceId == nil {
            deviceId = UUID().uuidString.lowercased()
            try? store.setMeta(MetaKey.deviceId, deviceId)
        }
        api = APIClient(
            configuration: configuration, transport: transport, session: session, deviceId: deviceId,
            timeout: settings.requestTimeout, authorization: settings.authorizationToken)
        sync = SyncEngine(api: api, store: store, now: now, policy: { settings.conflictPolicy(for: $0) })
    }

    /// The person signed in on this profile, from the token cache (works offline).
    public var signedInUser: SignedInUser? { tokenCache.load()?.user }

    /// The schema: fresh from the API when reachable, else the cached copy.
    public func schema(refresh: Bool) async throws -> APISchema {
        if refresh {
            do {
                return try await sync.refreshSchema()
            } catch let error as RemoteError where error.isTransient {
                if let cached = store.cachedSchema() { return cached }
                throw error
            }
        }
        if let cached = store.cachedSchema() { return cached }
        return try await sync.refreshSchema()
    }

    /// The live environment of the interactive app.
    public func appEnvironment() -> AppEnvironment {
        let settings = self.settings
        return .live(
            api: api, cognito: cognito, store: store, session: session, flow: settings.signInFlow, now: now,
            policy: { settings.conflictPolicy(for: $0) })
    }
}
