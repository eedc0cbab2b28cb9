/// How long tokens live, in seconds.
public struct TokenLifetimes: Codable, Sendable, Equatable {
    public var idTokenSeconds: Int
    public var accessTokenSeconds: Int
    public var refreshTokenSeconds: Int

    public init(idTokenSeconds: Int = 3600, accessTokenSeconds: Int = 3600, refreshTokenSeconds: Int = 30 * 24 * 3600) {
        self.idTokenSeconds = idTokenSeconds
        self.accessTokenSeconds = accessTokenSeconds
        self.refreshTokenSeconds = refreshTokenSeconds
    }
}
