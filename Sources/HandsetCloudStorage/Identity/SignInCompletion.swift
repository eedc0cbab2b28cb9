import Foundation

/// What a sign-in writes once its last step has passed, committed as one transaction before its answer is sent: the
/// TOTP step it used, the lockout counters its correct credentials clear, its `Pass` event and its refresh token.
/// One transaction instead of four keeps a sign-in's waits for the disk few, and makes it all or nothing: a TOTP
/// step that was used meanwhile (a replay, on any instance) leaves no event, no token and every counter as it was.
package struct SignInCompletion: Sendable, Equatable {
    /// The user signing in.
    package var sub: String
    /// A TOTP time step to use up: accepted only when later than every step the user's codes used before.
    package var totpStep: Int64?
    /// Counters to clear, by subject and kind (the user's MFA counter, the typed name's password counter).
    package var clearedCounters: [LockoutCounter]
    package var event: AuthEvent?
    package var refreshToken: StoredRefreshToken?

    package init(
        sub: String, totpStep: Int64? = nil, clearedCounters: [LockoutCounter] = [], event: AuthEvent? = nil,
        refreshToken: StoredRefreshToken? = nil
    ) {
        self.sub = sub
        self.totpStep = totpStep
        self.clearedCounters = clearedCounters
        self.event = event
        self.refreshToken = refreshToken
    }

    /// Whether committing it writes anything at all.
    package var isEmpty: Bool {
        totpStep == nil && clearedCounters.isEmpty && event == nil && refreshToken == nil
    }
}

/// One lockout counter: its subject (a mapped username, a sub, `device:<key>`) and kind.
package struct LockoutCounter: Sendable, Hashable {
    package var subject: String
    package var kind: LockoutKind

    package init(_ subject: String, _ kind: LockoutKind) {
        self.subject = subject
        self.kind = kind
    }
}

extension [LockoutCounter] {
    /// Each counter once, in one order on every instance, so that two transactions clearing the same counters take
    /// their row locks in the same order.
    package var inLockOrder: [LockoutCounter] {
        Set(self).sorted { ($0.kind.rawValue, $0.subject) < ($1.kind.rawValue, $1.subject) }
    }
}
