/// Why a verification code was refused.
package enum CodeCheck: Sendable, Equatable {
    case accepted
    case mismatch
    /// No code is pending, or it expired.
    case expired
}

/// What a verification code is for; one pending code per user and purpose.
package enum CodePurpose: String, Sendable, CaseIterable {
    case confirmSignUp = "confirm_sign_up"
    case forgotPassword = "forgot_password"
    case verifyEmail = "verify_email"
    case verifyPhoneNumber = "verify_phone_number"
}
