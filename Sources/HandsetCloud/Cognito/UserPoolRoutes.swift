import Foundation
import HandsetCloudStorage
import Hummingbird

/// Wires the user pool into the router: Cognito's JSON protocol on `POST /` and the loopback-only mailbox at
/// `GET /_loopback/mailbox`. `buildApplication` calls this once.
enum UserPoolRoutes {
    @discardableResult
    static func add(
        to router: Router<CloudRequestContext>, settings: any PoolSettingsRepository, storage: CloudStorage,
        keys: SigningKeyring, issuer: Issuer, tokens: TokenIssuer, host: String,
        adminCredentials: AdminCredentials? = nil, metrics: CloudMetrics? = nil, now: @escaping @Sendable () -> Date,
        moreOperations: (UserPool) -> [CognitoOperation] = { _ in [] }
    ) async throws -> UserPool {
        let store = storage.identity
        let mailbox = storage.mailbox
        let pool = UserPool(
            settings: settings, store: store, tokens: tokens,
            accessTokens: AccessTokenVerifier(
                keys: keys, issuer: issuer, clientIds: KnownClients(settings: settings), store: store, now: now),
            sealer: try await SecretBlockSealer.load(from: storage.keys),
            delivery: CodeDelivery(mailbox: mailbox, now: now), now: now)
        let gate = LoopbackGate(bindHost: host)
        let configuration = settings.current()
        let admin = AdminAuthorization(
            gate: gate,
            verifier: adminCredentials.map {
                SigV4Verifier(credentials: $0, region: configuration.region, service: "cognito-idp")
            }, now: now)
        CognitoController(pool: pool, adminAuthorization: admin, metrics: metrics, more: moreOperations(pool))
            .addRoutes(to: router)
        MailboxController(mailbox: mailbox, gate: gate).addRoutes(to: router)
        return pool
    }
}
