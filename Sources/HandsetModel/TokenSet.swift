import Foundation
import HandsetWire

/// Which token the API wants in `Authorization`: the ID token (what API Gateway's Cognito authorizer checks by
/// default) or the access token (authorizers with OAuth scopes).
public enum AuthorizationToken: String, Sendable, Equatable, CaseIterable {
    case id
    case access
}

/// The tokens of one signed-in session.
public struct TokenSet: Sendable, Equatable, Codable {
    public var idToken: String
    public var accessToken: String
    public var refreshToken: String?
    /// When the ID and access tokens stop being accepted.
    public var expiresAt: Date
    /// Signed in through the pool's managed login in a browser (signing out ends that browser session too).
    public var viaHostedUI: Bool

    public init(
        idToken: String, accessToken: String, refreshToken: String?, expiresAt: Date, viaHostedUI: Bool = false
    ) {
        self.idToken = idToken
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.viaHostedUI = viaHostedUI
    }

    enum CodingKeys: String, CodingKey {
        case idToken, accessToken, refreshToken, expiresAt, viaHostedUI
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        idToken = try container.decode(String.self, forKey: .idToken)
        accessToken = try container.decode(String.self, forKey: .accessToken)
        refreshToken = try container.decodeIfPresent(String.self, forKey: .refreshToken)
        expiresAt = try container.decode(Date.self, forKey: .expiresAt)
        viaHostedUI = try container.decodeIfPresent(Bool.self, forKey: .viaHostedUI) ?? false
    }

    /// The tokens of Cognito's answer to a sign-in or a refresh, received at `receivedAt`. A refresh answer carries
    /// no refresh token: the one it was made with (`keeping`) goes on being used, as does the way it signed in.
    public init(
        _ result: AuthenticationResult, receivedAt: Date, keeping refreshToken: String? = nil, viaHostedUI: Bool = false
    ) {
        self.init(
            idToken: result.idToken, accessToken: result.accessToken, refreshToken: result.refreshToken ?? refreshToken,
            expiresAt: receivedAt.addingTimeInterval(TimeInterval(result.expiresIn)), viaHostedUI: viaHostedUI)
    }

    /// Whether the tokens should be refreshed before use: expired, or expiring within `margin`.
    public func needsRefresh(at now: Date, margin: TimeInterval = 120) -> Bool {
        now.addingTimeInterval(margin) >= expiresAt
    }

    /// The signed-in user as the ID token names them (unverified: the server verifies, the client only displays).
    public var user: SignedInUser? {
        guard let claims = JWTClaims(token: idToken) else { return nil }
        return SignedInUser(
            sub: claims.string("sub") ?? "",
            username: claims.string("cognito:username") ?? claims.string("username") ?? "",
            email: claims.string("email"), groups: claims.strings("cognito:groups"),
            claims: claims.stringClaims.filter { Self.isAttributeClaim($0.key) })
    }

    /// Claims that name the user (attributes), not this token (`jti`, `origin_jti`, `event_id` change with every
    /// refresh): only these are kept, so the user compares equal across refreshes.
    static func isAttributeClaim(_ name: String) -> Bool {
        name.hasPrefix("custom:")
            || ["sub", "email", "phone_number", "cognito:username", "preferred_username", "name"].contains(name)
    }
}

/// Who is signed in.
public struct SignedInUser: Sendable, Equatable, Codable {
    public var sub: String
    public var username: String
    public var email: String?
    /// The Cognito groups the ID token names (`cognito:groups`), for showing only what the API's rules allow.
    public var groups: [String]
    /// The ID token's claims whose values are strings (`email`, `custom:customer_id`, …), for telling which records
    /// owner rules that match another claim than `sub` count as this user's.
    public var claims: [String: String]

    public init(
        sub: String, username: String, email: String?, groups: [String] = [], claims: [String: String] = [:]
    ) {
        self.sub = sub
        self.username = username
        self.email = email
        self.groups = groups
        self.claims = claims
    }
}

/// The payload of a JWT, decoded without verification (for display and expiry only).
public struct JWTClaims: Sendable {
    private let claims: [String: JSONValue]

    public init?(token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Self.base64URLDecode(String(parts[1])),
            let object = (try? JSONValue.parse(data))?.objectValue
        else { return nil }
        claims = object
    }

    public func string(_ name: String) -> String? { claims[name]?.stringValue }

    /// Every claim whose value is a string.
    public var stringClaims: [String: String] { claims.compactMapValues(\.stringValue) }

    /// A list of strings (or one string, as some issuers write a single group).
    public func strings(_ name: String) -> [String] {
        switch claims[name] {
        case .array(let values)?: return values.compactMap(\.stringValue)
        case .string(let value)?: return [value]
        default: return []
        }
    }

    public func date(_ name: String) -> Date? {
        claims[name]?.doubleValue.map { Date(timeIntervalSince1970: $0) }
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
