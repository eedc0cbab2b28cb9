import Foundation
import HandsetWire
import Hummingbird

/// API Gateway's Cognito user pool authorizer: the raw ID token in `Authorization` (a `Bearer ` prefix is tolerated)
/// becomes `context.identity`; anything else is a 401 in API Gateway's words.
///
/// Verified tokens are remembered by their exact text until they expire, so a client's steady stream of requests
/// costs one RSA verification, not one each; expiry is still checked on every request.
struct CognitoAuthorizerMiddleware: RouterMiddleware {
    typealias Context = CloudRequestContext

    /// The function named in the request log when the authorizer refuses a request (it never reaches the handler).
    static let logName = "api.authorizer"

    let verifier: IDTokenVerifier
    let cache: VerifiedTokenCache

    init(verifier: IDTokenVerifier, cache: VerifiedTokenCache = VerifiedTokenCache()) {
        self.verifier = verifier
        self.cache = cache
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], let token = Self.token(in: header) else {
            context.requestLog.function = Self.logName
            throw APIError.unauthorized
        }
        let now = verifier.now().timeIntervalSince1970
        let identity: Identity
        // A remembered token counts only while its app client exists (clients can be deleted at run time) and its
        // signing key is still one the pool verifies with (keys can be removed).
        if let cached = cache.entry(for: token, at: now), verifier.clientIds.contains(cached.identity.clientId),
            verifier.keys.current.keyIDs.contains(cached.keyID)
        {
            identity = cached.identity
        } else {
            switch await verifier.verify(token) {
            case .failure(.expired):
                context.requestLog.function = Self.logName
                throw APIError.tokenExpired
            case .failure(.unauthorized):
                context.requestLog.function = Self.logName
                throw APIError.unauthorized
            case .success(let verified):
                identity = verified
                if let (expiry, keyID) = Self.expiryAndKeyID(of: token) {
                    cache.remember(token, identity: verified, keyID: keyID, until: expiry)
                }
            }
        }
        var context = context
        context.identity = identity
        context.requestLog.sub = identity.sub
        return try await next(request, context)
    }

    /// The token in an `Authorization` value: trimmed, with an optional `Bearer ` prefix (any case) removed.
    /// Works on UTF-8 bytes: this runs on every request, and tokens are a kilobyte long.
    static func token(in header: String) -> String? {
        var bytes = Substring(header).utf8[...]
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        let prefix = "bearer ".utf8
        if bytes.count >= prefix.count,
            zip(bytes.prefix(prefix.count), prefix).allSatisfy({ $0 | 0x20 == $1 || ($0 == $1) })
        {
            bytes = bytes.dropFirst(prefix.count)
            while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        }
        return bytes.isEmpty ? nil : String(Substring(bytes))
    }

    /// The `exp` and the header's `kid` of a token that has just been verified.
    static func expiryAndKeyID(of token: String) -> (Double, String)? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Base64URL.decode(parts[0]), let payload = Base64URL.decode(parts[1]),
            let keyID = (try? JSONValue.parse(header))?["kid"]?.stringValue,
            let expiry = (try? JSONValue.parse(payload))?["exp"]?.doubleValue
        else { return nil }
        return (expiry, keyID)
    }
}

/// Identities of verified tokens, by the token's exact text (all of it: a token is only as verified as its signature
/// over that header and payload), until the token's `exp`. Bounded: when full it starts over, which costs a
/// verification per client and nothing else. Like API Gateway's Cognito authorizer, the REST API honours an ID
/// token until it expires, signed out or not (GlobalSignOut and RevokeToken revoke refresh and access tokens; see
/// `AccessTokenVerifier`), so remembering one changes no answer.
final class VerifiedTokenCache: @unchecked Sendable {
    struct Entry {
        var identity: Identity
        var keyID: String
        var expiry: Double
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The identity of a remembered, unexpired token. An expired one is forgotten and verified afresh, which
    /// answers with the expiry message.
    func entry(for token: String, at now: Double) -> Entry? {
        lock.withLock {
            guard let entry = entries[token] else { return nil }
            guard now < entry.expiry else {
                entries[token] = nil
                return nil
            }
            return entry
        }
    }

    func remember(_ token: String, identity: Identity, keyID: String, until expiry: Double) {
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = Entry(identity: identity, keyID: keyID, expiry: expiry)
        }
    }
}
