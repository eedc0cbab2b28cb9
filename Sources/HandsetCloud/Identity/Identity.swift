/// Who is calling: the claims of a verified ID token, as API Gateway's authorizer hands them to a function.
public struct Identity: Sendable, Equatable {
    /// The user's immutable id (the `sub` claim).
    public var sub: String
    public var username: String
    public var email: String?
    public var groups: [String]
    /// The app client the token was issued to (the `aud` claim).
    public var clientId: String

    public init(sub: String, username: String, email: String?, groups: [String], clientId: String) {
        self.sub = sub
        self.username = username
        self.email = email
        self.groups = groups
        self.clientId = clientId
    }
}
