import Foundation
import HandsetCloudStorage
import JWTKit
import Logging

/// The pool's signing keys as this instance uses them: the current key signs; it and every retired key that may
/// still have signed a live token verify, and the JWKS lists them all.
///
/// Keys live in the storage, shared by every instance. `handset-cloud keys rotate` adds a current key there; each
/// instance picks it up at its next `refresh` (every `refreshInterval`), and at once when a token names a kid it
/// does not know yet (another instance signed with the new key first). A retired key stays valid until
/// `retiredAt + validity`: the longest token lifetime plus the refresh interval, within which every instance has
/// stopped signing with it.
final class SigningKeyring: @unchecked Sendable {
    struct State: Sendable {
        var current: SigningKey
        var verifying: [SigningKey]
        var collection: JWTKeyCollection
        var keyIDs: Set<String>
        var keySet: JSONWebKeySet
    }

    static let refreshInterval: Duration = .seconds(30)
    /// At most one unknown-kid refresh per this long, so that tokens with made-up kids cannot turn into reads.
    static let unknownKeyRefreshSpacing: TimeInterval = 5

    private let repository: (any KeyRepository)?
    private let validity: TimeInterval
    private let now: @Sendable () -> Date
    private let lock = NSLock()
    private var state: State
    private var lastUnknownKeyRefresh: Date = .distantPast

    private init(
        repository: (any KeyRepository)?, validity: TimeInterval, now: @escaping @Sendable () -> Date, state: State
    ) {
        self.repository = repository
        self.validity = validity
        self.now = now
        self.state = state
    }

    /// Reads (creating on the first start) the keys of `repository`. Tokens live at most `longestTokenLifetime`.
    static func load(
        from repository: any KeyRepository, longestTokenLifetime: TimeInterval, now: @escaping @Sendable () -> Date
    ) async throws -> SigningKeyring {
        let validity = validity(longestTokenLifetime: longestTokenLifetime)
        let state = try await makeState(repository, validity: validity, now: now())
        return SigningKeyring(repository: repository, validity: validity, now: now, state: state)
    }

    /// How long a retired key keeps verifying: the longest token lifetime, plus the time every instance may take to
    /// stop signing with it, plus a minute for clocks.
    static func validity(longestTokenLifetime: TimeInterval) -> TimeInterval {
        longestTokenLifetime + Double(refreshInterval.components.seconds) + 60
    }

    /// A keyring of fixed keys (the first signs), never refreshed: for tests and fuzz targets.
    static func fixed(_ keys: [SigningKey]) async throws -> SigningKeyring {
        let state = State(
            current: keys[0], verifying: keys, collection: await SigningKey.keyCollection(keys),
            keyIDs: Set(keys.map(\.keyID)), keySet: JSONWebKeySet(keys: try keys.map { try $0.publicJWK() }))
        return SigningKeyring(repository: nil, validity: 0, now: { Date() }, state: state)
    }

    private static func makeState(
        _ repository: any KeyRepository, validity: TimeInterval, now: Date
    ) async throws -> State {
        let stored = try await repository.signingKeys(creatingWith: {
            try SigningKey.generate().privateKey.pemRepresentation
        })
        guard let currentStored = stored.first(where: { $0.retiredAt == nil }) else {
            throw CloudStartupError.unreadableFile(path: "signing keys", reason: "no current key is stored")
        }
        let current = try SigningKey(pem: currentStored.privateKeyPEM)
        var verifying = [current]
        for key in stored where key.retiredAt.map({ $0.addingTimeInterval(validity) > now }) == true {
            if let key = try? SigningKey(pem: key.privateKeyPEM), key.keyID != current.keyID { verifying.append(key) }
        }
        return State(
            current: current, verifying: verifying, collection: await SigningKey.keyCollection(verifying),
            keyIDs: Set(verifying.map(\.keyID)), keySet: JSONWebKeySet(keys: try verifying.map { try $0.publicJWK() }))
    }

    var current: State { lock.withLock { state } }

    /// Re-reads the keys; returns whether the current key or the verifying set changed.
    @discardableResult
    func refresh() async throws -> Bool {
        guard let repository else { return false }
        let fresh = try await Self.makeState(repository, validity: validity, now: now())
        return lock.withLock {
            let changed = fresh.keyIDs != state.keyIDs || fresh.current.keyID != state.current.keyID
            if changed { state = fresh }
            return changed
        }
    }

    /// The state to verify a token with `kid`: refreshed first when `kid` is unknown (rate-limited).
    func state(verifying kid: String) async -> State {
        let (known, mayRefresh) = lock.withLock { () -> (State?, Bool) in
            if state.keyIDs.contains(kid) { return (state, false) }
            let time = now()
            guard time.timeIntervalSince(lastUnknownKeyRefresh) >= Self.unknownKeyRefreshSpacing else {
                return (nil, false)
            }
            lastUnknownKeyRefresh = time
            return (nil, true)
        }
        if let known { return known }
        if mayRefresh { _ = try? await refresh() }
        return current
    }

    /// Signs `claims` with the current key, its kid in the header.
    func sign(_ claims: some JWTPayload) async throws -> String {
        let state = current
        return try await state.collection.sign(claims, kid: JWKIdentifier(string: state.current.keyID))
    }
}
