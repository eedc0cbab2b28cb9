import HandsetWire

/// An app client of the pool (Cognito's `UserPoolClient`).
public struct AppClient: Codable, Sendable, Equatable {
    public var clientId: String
    public var name: String
    /// When set, every call must carry `SECRET_HASH`.
    public var secret: String?
    /// The `AuthFlow` names this client may use.
    public var allowedFlows: [String]

    public init(clientId: String, name: String, secret: String?, allowedFlows: [String]) {
        self.clientId = clientId
        self.name = name
        self.secret = secret
        self.allowedFlows = allowedFlows
    }

    enum CodingKeys: String, CodingKey {
        case clientId, name, secret, allowedFlows
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clientId, forKey: .clientId)
        try container.encode(name, forKey: .name)
        // Written as an explicit null so that the file shows the setting exists.
        try container.encode(secret, forKey: .secret)
        try container.encode(allowedFlows, forKey: .allowedFlows)
    }

    /// Whether this client may use `flow`; the refresh flow's two spellings count as one.
    public func allows(flow: String) -> Bool {
        let canonical = flow == CognitoAuthFlow.refreshTokenAlias ? CognitoAuthFlow.refreshToken : flow
        return allowedFlows.contains(canonical)
    }
}
