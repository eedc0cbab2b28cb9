/// The rules a new password must satisfy (Cognito's `PasswordPolicyType`); read from `pool.json`, where each field
/// may be left out to take its default: 8+ characters with lower case, upper case, a number and a symbol.
public struct PasswordPolicy: Codable, Sendable, Equatable {
    public var minimumLength: Int
    public var requireLowercase: Bool
    public var requireUppercase: Bool
    public var requireNumbers: Bool
    public var requireSymbols: Bool
    /// How long an administrator's temporary password works.
    public var temporaryPasswordValidityDays: Int

    public init(
        minimumLength: Int = 8, requireLowercase: Bool = true, requireUppercase: Bool = true,
        requireNumbers: Bool = true, requireSymbols: Bool = true, temporaryPasswordValidityDays: Int = 7
    ) {
        self.minimumLength = minimumLength
        self.requireLowercase = requireLowercase
        self.requireUppercase = requireUppercase
        self.requireNumbers = requireNumbers
        self.requireSymbols = requireSymbols
        self.temporaryPasswordValidityDays = temporaryPasswordValidityDays
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = PasswordPolicy()
        minimumLength = try container.decodeIfPresent(Int.self, forKey: .minimumLength) ?? defaults.minimumLength
        requireLowercase =
            try container.decodeIfPresent(Bool.self, forKey: .requireLowercase) ?? defaults.requireLowercase
        requireUppercase =
            try container.decodeIfPresent(Bool.self, forKey: .requireUppercase) ?? defaults.requireUppercase
        requireNumbers = try container.decodeIfPresent(Bool.self, forKey: .requireNumbers) ?? defaults.requireNumbers
        requireSymbols = try container.decodeIfPresent(Bool.self, forKey: .requireSymbols) ?? defaults.requireSymbols
        temporaryPasswordValidityDays =
            try container.decodeIfPresent(Int.self, forKey: .temporaryPasswordValidityDays)
            ?? defaults.temporaryPasswordValidityDays
    }
}
