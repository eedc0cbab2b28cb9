import HandsetModel

/// The account screen's state.
public struct AccountState: Sendable, Equatable {
    /// The signed-in person's MFA settings, once the account screen has asked.
    public var mfa: MFASettings?

    public init() {}

    public var hasAuthenticatorApp: Bool { mfa?.enabled.contains("SOFTWARE_TOKEN_MFA") ?? false }
}
