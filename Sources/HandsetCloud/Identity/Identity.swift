/// Who is calling: the claims of a verified ID token, as API Gateway's authorizer hands them to a function.
public struct Identity: Sendable, Equatable {
    /// The user's immutable id (the `sub` claim).
    public var sub: String
    public var username: String
    public var email: String?
    public var groups: [String]
    /// The app client the token was issued to (the `aud` claim).
    public var clientId: String
    /// The user's custom attributes (`custom:legacy_id`), as the ID token carries them.
    public var customAttributes: [String: String]

    public init(
        sub: String, username: String, email: String?, groups: [String], clientId: String,
        customAttributes: [String: String] = [:]
    ) {
        self.sub = sub
        self.username = username
        self.email = email
        self.groups = groups
        self.clientId = clientId
        self.customAttributes = customAttributes
    }

    /// A claim of the ID token by name (`sub`, `email`, `cognito:username`, `custom:…`), if the token has it.
    public func claim(_ name: String) -> String? {
        switch name {
        case "sub": sub
        case "email": email
        case "cognito:username", "username": username
        default: customAttributes[name]
        }
    }
}
