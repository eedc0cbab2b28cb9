import Foundation
import Hummingbird
import JWTKit

/// Wires the user pool into the router: Cognito's JSON protocol on `POST /` and the loopback-only outbox at
/// `GET /_local/outbox`. `buildApplication` calls this once.
enum UserPoolRoutes {
    @discardableResult
    static func add(
        to router: Router<CloudRequestContext>, settings: any PoolSettingsRepository, store: IdentityStore,
        directory: DataDirectory, keys: JWTKeyCollection, keyID: String, issuer: Issuer, tokens: TokenIssuer,
        host: String, now: @escaping @Sendable () -> Date,
        moreOperations: (UserPool) -> [CognitoOperation] = { _ in [] }
    ) throws -> UserPool {
        let outbox = OutboxFile(url: directory.outbox)
        let pool = UserPool(
            settings: settings, store: store, tokens: tokens,
            accessTokens: AccessTokenVerifier(
                keys: keys, keyIDs: [keyID], issuer: issuer, clientIds: KnownClients(settings: settings),
                store: store, now: now),
            sealer: try SecretBlockSealer.loadOrCreate(in: directory),
            delivery: CodeDelivery(outbox: outbox, now: now), now: now)
        let gate = LoopbackGate(bindHost: host)
        CognitoController(pool: pool, gate: gate, more: moreOperations(pool)).addRoutes(to: router)
        OutboxController(outbox: outbox, gate: gate).addRoutes(to: router)
        return pool
    }
}
