import HandsetCloudStorage

/// What a passed sign-in step has yet to write: they are written with the sign-in's event and refresh token, in the
/// one transaction that ends the sign-in (`SignInCompletion`), before the tokens are answered.
struct PendingSignInWrites: Sendable, Equatable {
    /// The TOTP step the last code matched; its use is what makes the code one-time, so when it turns out used
    /// meanwhile the sign-in is refused (TOTP replay) and nothing is written.
    var totpStep: Int64?
    /// Counters the correct credentials clear.
    var clearedCounters: [LockoutCounter] = []
    /// The challenge session (its id hash) the last answer claimed, given back when the TOTP step was used meanwhile,
    /// as after any refused code.
    var claimedSession: String?

    static let none = PendingSignInWrites()
}
