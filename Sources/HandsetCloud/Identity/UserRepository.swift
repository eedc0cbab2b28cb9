/// Where the pool's users live.
protocol UserRepository: Sendable {
    /// The user with this username, compared case-insensitively as Cognito does.
    func user(named username: String) async throws -> StoredUser?
    func user(sub: String) async throws -> StoredUser?
    /// Adds a user; throws `UserRepositoryError.usernameExists` when the name is taken.
    func create(_ user: StoredUser) async throws
}

enum UserRepositoryError: Error, Equatable {
    case usernameExists
}
