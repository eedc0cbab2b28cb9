import Foundation

/// The account calls of the sign-in screen.
public struct AccountActions: Sendable {
    public var signUp: @Sendable (_ username: String, _ email: String, _ password: String) async -> AppEvent
    public var confirmSignUp: @Sendable (_ username: String, _ code: String) async -> AppEvent
    public var forgotPassword: @Sendable (_ username: String) async -> AppEvent
    public var resetPassword: @Sendable (_ username: String, _ code: String, _ newPassword: String) async -> AppEvent
    /// The signed-in person's MFA: read it, add an authenticator app (two steps), turn the app off.
    public var mfaSettings: @Sendable () async -> AppEvent = { .account(.mfaFailed("Not available")) }
    public var startTOTP: @Sendable () async -> AppEvent = { .account(.mfaFailed("Not available")) }
    public var verifyTOTP: @Sendable (_ code: String) async -> AppEvent = { _ in .account(.mfaFailed("Not available")) }
    public var disableTOTP: @Sendable () async -> AppEvent = { .account(.mfaFailed("Not available")) }
    /// The person's remembered devices; forgetting one.
    public var devices: @Sendable () async -> AppEvent = { .account(.devicesFailed("Not available")) }
    public var forgetDevice: @Sendable (_ key: String) async -> AppEvent = { _ in
        .account(.devicesFailed("Not available"))
    }

    public init(
        signUp: @escaping @Sendable (String, String, String) async -> AppEvent = { _, _, _ in
            .signIn(.stepFailed("Not available"))
        },
        confirmSignUp: @escaping @Sendable (String, String) async -> AppEvent = { _, _ in
            .signIn(.stepFailed("Not available"))
        },
        forgotPassword: @escaping @Sendable (String) async -> AppEvent = { _ in .signIn(.stepFailed("Not available")) },
        resetPassword: @escaping @Sendable (String, String, String) async -> AppEvent = { _, _, _ in
            .signIn(.stepFailed("Not available"))
        }
    ) {
        self.signUp = signUp
        self.confirmSignUp = confirmSignUp
        self.forgotPassword = forgotPassword
        self.resetPassword = resetPassword
    }
}
