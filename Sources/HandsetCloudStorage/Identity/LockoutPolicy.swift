import Foundation

/// Cognito's documented lockout: after 5 failed attempts the user is locked for 1 s, doubling with each further
/// failure up to about 15 minutes. Attempts during a lockout are refused without counting (so they do not lengthen
/// it). About 15 minutes without attempts clears the counter, and so does a correct credential. Passwords and MFA
/// codes have separate counters (`LockoutKind`) that follow the same rule.
package struct LockoutPolicy: Sendable, Equatable {
    /// Failures allowed before the first lock.
    package var freeFailures = 4
    package var firstLock: TimeInterval = 1
    package var longestLock: TimeInterval = 15 * 60
    /// A quiet period that forgets earlier failures.
    package var resetAfter: TimeInterval = 15 * 60

    package init(
        freeFailures: Int = 4, firstLock: TimeInterval = 1, longestLock: TimeInterval = 15 * 60,
        resetAfter: TimeInterval = 15 * 60
    ) {
        self.freeFailures = freeFailures
        self.firstLock = firstLock
        self.longestLock = longestLock
        self.resetAfter = resetAfter
    }

    package static let cognito = LockoutPolicy()

    /// How long to lock after the `failures`-th failure in a row; `nil` while none is due.
    package func lockDuration(afterFailures failures: Int) -> TimeInterval? {
        guard failures > freeFailures else { return nil }
        let doublings = failures - freeFailures - 1
        guard doublings < 30 else { return longestLock }
        return min(firstLock * Double(1 << doublings), longestLock)
    }
}

/// Which counter an attempt counts against.
package enum LockoutKind: String, Sendable {
    /// Passwords (SRP, USER_PASSWORD_AUTH, ChangePassword), counted per lowercased username, known or not, so that
    /// an unknown user behaves like a known one.
    case password
    /// MFA codes (TOTP, SMS, email), counted per user.
    case mfa
    /// Confirmation and reset codes, counted per user.
    case code
}
