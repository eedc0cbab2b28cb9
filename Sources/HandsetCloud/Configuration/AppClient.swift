import Foundation
import HandsetWire

/// An app client of the pool (Cognito's `UserPoolClient`): how it signs in through Cognito's API, and how it may
/// use the pool's OAuth 2.0 authorization server (managed login).
public struct AppClient: Codable, Sendable, Equatable {
    public var clientId: String
    public var name: String
    /// When set, every call must carry `SECRET_HASH`, and the token endpoint wants the secret (HTTP Basic).
    public var secret: String?
    /// The `AuthFlow` names this client may use.
    public var allowedFlows: [String]
    /// Where the authorization server may send the browser back with a code (`redirect_uri`), compared exactly,
    /// except that a loopback URL matches on any port (RFC 8252 §7.3).
    public var callbackURLs: [String]
    /// Where `/logout` may send the browser afterwards (`logout_uri`), compared the same way.
    public var logoutURLs: [String]
    public var defaultRedirectURI: String?
    /// `code` and `client_credentials` (Cognito's `implicit` is accepted in the configuration, but the
    /// authorization server never puts a token in a URL).
    public var allowedOAuthFlows: [String]
    public var allowedOAuthScopes: [String]
    /// Cognito's `AllowedOAuthFlowsUserPoolClient`: whether the OAuth settings above are in force at all.
    public var allowedOAuthFlowsUserPoolClient: Bool
    /// `COGNITO` (the pool's own users) and the names of identity providers this client may sign in with.
    public var supportedIdentityProviders: [String]
    /// This client's token lifetimes, when they differ from the pool's.
    public var tokenValidity: ClientTokenValidity?
    /// Whether `/oauth2/revoke` and `RevokeToken` work for this client's tokens.
    public var enableTokenRevocation: Bool
    public var createdAt: Date?
    public var lastModifiedAt: Date?

    public init(
        clientId: String, name: String, secret: String?, allowedFlows: [String],
        callbackURLs: [String] = AppClient.localCallbackURLs, logoutURLs: [String] = AppClient.localLogoutURLs,
        defaultRedirectURI: String? = nil, allowedOAuthFlows: [String] = ["code"],
        allowedOAuthScopes: [String] = AppClient.standardScopes, allowedOAuthFlowsUserPoolClient: Bool = true,
        supportedIdentityProviders: [String] = [AppClient.cognitoProvider], tokenValidity: ClientTokenValidity? = nil,
        enableTokenRevocation: Bool = true, createdAt: Date? = nil, lastModifiedAt: Date? = nil
    ) {
        self.clientId = clientId
        self.name = name
        self.secret = secret
        self.allowedFlows = allowedFlows
        self.callbackURLs = callbackURLs
        self.logoutURLs = logoutURLs
        self.defaultRedirectURI = defaultRedirectURI
        self.allowedOAuthFlows = allowedOAuthFlows
        self.allowedOAuthScopes = allowedOAuthScopes
        self.allowedOAuthFlowsUserPoolClient = allowedOAuthFlowsUserPoolClient
        self.supportedIdentityProviders = supportedIdentityProviders
        self.tokenValidity = tokenValidity
        self.enableTokenRevocation = enableTokenRevocation
        self.createdAt = createdAt
        self.lastModifiedAt = lastModifiedAt
    }

    /// The pool's own user directory, as `SupportedIdentityProviders` and `identity_provider` name it.
    public static let cognitoProvider = "COGNITO"
    /// The scopes a client gets unless configured otherwise.
    public static let standardScopes = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"]
    /// Loopback callbacks for terminal clients: any port matches (RFC 8252), so `handset login --web` can listen
    /// on a free one.
    public static let localCallbackURLs = ["http://127.0.0.1/callback", "http://localhost/callback"]
    public static let localLogoutURLs = ["http://127.0.0.1/signed-out", "http://localhost/signed-out"]

    enum CodingKeys: String, CodingKey {
        case clientId, name, secret, allowedFlows, callbackURLs, logoutURLs, defaultRedirectURI, allowedOAuthFlows
        case allowedOAuthScopes, allowedOAuthFlowsUserPoolClient, supportedIdentityProviders, tokenValidity
        case enableTokenRevocation, createdAt, lastModifiedAt
    }

    /// Clients written before the authorization server existed get the local defaults: code flow with PKCE to a
    /// loopback callback, the standard scopes, the pool's own users.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        clientId = try container.decode(String.self, forKey: .clientId)
        name = try container.decode(String.self, forKey: .name)
        secret = try container.decodeIfPresent(String.self, forKey: .secret)
        allowedFlows = try container.decode([String].self, forKey: .allowedFlows)
        callbackURLs = try container.decodeIfPresent([String].self, forKey: .callbackURLs) ?? Self.localCallbackURLs
        logoutURLs = try container.decodeIfPresent([String].self, forKey: .logoutURLs) ?? Self.localLogoutURLs
        defaultRedirectURI = try container.decodeIfPresent(String.self, forKey: .defaultRedirectURI)
        allowedOAuthFlows = try container.decodeIfPresent([String].self, forKey: .allowedOAuthFlows) ?? ["code"]
        allowedOAuthScopes =
            try container.decodeIfPresent([String].self, forKey: .allowedOAuthScopes) ?? Self.standardScopes
        allowedOAuthFlowsUserPoolClient =
            try container.decodeIfPresent(Bool.self, forKey: .allowedOAuthFlowsUserPoolClient) ?? true
        supportedIdentityProviders =
            try container.decodeIfPresent([String].self, forKey: .supportedIdentityProviders)
            ?? [Self.cognitoProvider]
        tokenValidity = try container.decodeIfPresent(ClientTokenValidity.self, forKey: .tokenValidity)
        enableTokenRevocation = try container.decodeIfPresent(Bool.self, forKey: .enableTokenRevocation) ?? true
        createdAt = try container.decodeIfPresent(Date.self, forKey: .createdAt)
        lastModifiedAt = try container.decodeIfPresent(Date.self, forKey: .lastModifiedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clientId, forKey: .clientId)
        try container.encode(name, forKey: .name)
        // Written as an explicit null so that the file shows the setting exists.
        try container.encode(secret, forKey: .secret)
        try container.encode(allowedFlows, forKey: .allowedFlows)
        try container.encode(callbackURLs, forKey: .callbackURLs)
        try container.encode(logoutURLs, forKey: .logoutURLs)
        try container.encodeIfPresent(defaultRedirectURI, forKey: .defaultRedirectURI)
        try container.encode(allowedOAuthFlows, forKey: .allowedOAuthFlows)
        try container.encode(allowedOAuthScopes, forKey: .allowedOAuthScopes)
        try container.encode(allowedOAuthFlowsUserPoolClient, forKey: .allowedOAuthFlowsUserPoolClient)
        try container.encode(supportedIdentityProviders, forKey: .supportedIdentityProviders)
        try container.encodeIfPresent(tokenValidity, forKey: .tokenValidity)
        try container.encode(enableTokenRevocation, forKey: .enableTokenRevocation)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(lastModifiedAt, forKey: .lastModifiedAt)
    }

    /// Whether this client may use `flow`; the refresh flow's two spellings count as one.
    public func allows(flow: String) -> Bool {
        let canonical = flow == CognitoAuthFlow.refreshTokenAlias ? CognitoAuthFlow.refreshToken : flow
        return allowedFlows.contains(canonical)
    }

    /// Whether the authorization server serves this client's `flow` (`code`, `client_credentials`).
    public func allowsOAuth(flow: String) -> Bool {
        allowedOAuthFlowsUserPoolClient && allowedOAuthFlows.contains(flow)
    }
}

/// An app client's own token lifetimes, as Cognito configures them: a number and a unit for each token.
public struct ClientTokenValidity: Codable, Sendable, Equatable {
    public var accessToken: Int
    public var idToken: Int
    public var refreshToken: Int
    public var accessTokenUnit: TimeUnit
    public var idTokenUnit: TimeUnit
    public var refreshTokenUnit: TimeUnit

    public init(
        accessToken: Int, idToken: Int, refreshToken: Int, accessTokenUnit: TimeUnit = .hours,
        idTokenUnit: TimeUnit = .hours, refreshTokenUnit: TimeUnit = .days
    ) {
        self.accessToken = accessToken
        self.idToken = idToken
        self.refreshToken = refreshToken
        self.accessTokenUnit = accessTokenUnit
        self.idTokenUnit = idTokenUnit
        self.refreshTokenUnit = refreshTokenUnit
    }

    /// Cognito's `TimeUnitsType`.
    public enum TimeUnit: String, Codable, Sendable, CaseIterable {
        case seconds, minutes, hours, days

        public var seconds: Int {
            switch self {
            case .seconds: 1
            case .minutes: 60
            case .hours: 3600
            case .days: 86400
            }
        }
    }

    /// The longest lifetime Cognito allows any token (ten years).
    public static let longestLifetime = 315_360_000

    /// In seconds, from 1 second to ten years: CreateUserPoolClient and UpdateUserPoolClient refuse numbers out of
    /// Cognito's range, and a hand-edited pool.json must not overflow the arithmetic of token expiries either.
    public var lifetimes: TokenLifetimes {
        func seconds(_ count: Int, _ unit: TimeUnit) -> Int {
            let (product, overflow) = count.multipliedReportingOverflow(by: unit.seconds)
            if overflow { return count < 0 ? 1 : Self.longestLifetime }
            return Swift.min(Swift.max(product, 1), Self.longestLifetime)
        }
        return TokenLifetimes(
            idTokenSeconds: seconds(idToken, idTokenUnit), accessTokenSeconds: seconds(accessToken, accessTokenUnit),
            refreshTokenSeconds: seconds(refreshToken, refreshTokenUnit))
    }
}
