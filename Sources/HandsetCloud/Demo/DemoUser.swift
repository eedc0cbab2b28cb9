/// A user `--demo` seeds, printed at start so that people know how to sign in.
public struct DemoUser: Sendable, Equatable {
    public var username: String
    public var password: String
    public var email: String
    /// What this user's data shows, in a few words.
    public var covers: String

    public init(username: String, password: String, email: String, covers: String) {
        self.username = username
        self.password = password
        self.email = email
        self.covers = covers
    }
}
