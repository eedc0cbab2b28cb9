import HandsetModel

/// The account screen's state.
public struct AccountState: Sendable, Equatable {
    /// The signed-in person's MFA settings, once the account screen has asked.
    public var mfa: MFASettings?
    /// The person's remembered devices, once the account screen has asked; `devicesError` when it could not.
    public var devices: [AccountDevice]?
    public var devicesError: String?
    /// The device ↑/↓ select, for `f` (forget).
    public var selectedDevice = 0

    public init() {}

    public var hasAuthenticatorApp: Bool { mfa?.enabled.contains("SOFTWARE_TOKEN_MFA") ?? false }
}
