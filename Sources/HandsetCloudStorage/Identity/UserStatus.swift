/// Cognito's `UserStatus`.
package enum UserStatus: String, Sendable, Equatable {
    case confirmed = "CONFIRMED"
    case unconfirmed = "UNCONFIRMED"
    /// Created by an administrator with a temporary password: the next sign-in must set a new one.
    case forceChangePassword = "FORCE_CHANGE_PASSWORD"
    /// An administrator asked for a reset: only ForgotPassword/ConfirmForgotPassword get the user back.
    case resetRequired = "RESET_REQUIRED"
    /// Created by a sign-in through a third-party identity provider: no password of the pool's.
    case externalProvider = "EXTERNAL_PROVIDER"
}
