/// The rules a new password must satisfy.
public struct PasswordPolicy: Codable, Sendable, Equatable {
    public var minimumLength: Int

    public init(minimumLength: Int = 8) {
        self.minimumLength = minimumLength
    }
}
