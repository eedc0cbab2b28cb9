import Foundation

/// What the lockout counter says about an attempt that is about to be checked.
package enum AttemptDecision: Sendable, Equatable {
    /// Check the credential; report the outcome with `attemptSucceeded` (a failure needs no call: it was counted).
    case allowed
    /// Refuse without checking and without counting.
    case locked(until: Date)
}
