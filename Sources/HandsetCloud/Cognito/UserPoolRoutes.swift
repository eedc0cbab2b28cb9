import Foundation
import Hummingbird
import JWTKit

/// Wires the user pool into the router: Cognito's JSON protocol on `POST /` and the loopback-only outbox at
/// `GET /_local/outbox`. `buildApplication` calls this once.
enum UserPoolRoutes {
    @discardableResult
    static func add(
        to router: Router<CloudRequestContext>, configuration: PoolConfiguration, store: IdentityStore,
        directory: DataDirectory, keys: JWTKeyCollection, keyID: String, issuer: Issuer, tokens: TokenIssuer,
        host: String, adminCredentials: AdminCredentials? = nil, metrics: CloudMetrics? = nil,
        now: @escaping @Sendable () -> Date
    ) throws -> UserPool {
        let outbox = OutboxFile(url: directory.outbox)
        let pool = UserPool(
            configuration: configuration, store: store, tokens: tokens,
            accessTokens: AccessTokenVerifier(
                keys: keys, keyIDs: [keyID], issuer: issuer, clientIds: Set(configuration.clients.map(\.clientId)),
                store: store, now: now),
            sealer: try SecretBlockSealer.loadOrCreate(in: directory),
            delivery: CodeDelivery(outbox: outbox, now: now), now: now)
        let gate = LoopbackGate(bindHost: host)
        let admin = AdminAuthorization(
            gate: gate,
            verifier: adminCredentials.map {
                SigV4Verifier(credentials: $0, region: configuration.region, service: "cognito-idp")
            }, now: now)
        CognitoController(pool: pool, adminAuthorization: admin, metrics: metrics).addRoutes(to: router)
        OutboxController(outbox: outbox, gate: gate).addRoutes(to: router)
        return pool
    }
}
