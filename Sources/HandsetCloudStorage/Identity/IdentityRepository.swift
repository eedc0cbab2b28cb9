import Foundation

/// The user pool's state: users and groups, challenge sessions, verification codes, refresh tokens and lockout
/// counters. One implementation per backend conforms to all of it, so that the operations that cross concerns
/// (an accepted TOTP code clears the MFA counter; deleting a user drops their tokens) stay one transaction.
package protocol IdentityRepository: UserRepository, ChallengeSessionRepository, VerificationCodeRepository,
    RefreshTokenRepository, LockoutRepository, AuthEventRepository, DeviceRepository
{
    /// Removes what can no longer matter, so that requests from anyone (unknown users included) cannot grow the
    /// database without bound: challenge sessions past their expiry, lockout counters that are not locking and
    /// would be forgotten anyway (`policy.resetAfter` without an attempt), expired verification codes and refresh
    /// tokens. When more than `maximumFailureRows` counters remain, the oldest that lock nobody go first.
    func purgeExpired(now: Date, policy: LockoutPolicy, maximumFailureRows: Int) async throws -> IdentityPurgeReport

    /// Row counts of the tables requests can grow (for tests and diagnostics).
    func rowCounts() async throws -> (sessions: Int, failures: Int)

    /// Commits what a passed sign-in writes (see `SignInCompletion`) in one transaction. False, with nothing
    /// written, when its TOTP step is not later than every step accepted before (of concurrent completions with one
    /// step, on any instances, exactly one is true). An empty completion writes nothing and is true.
    func completeSignIn(_ completion: SignInCompletion) async throws -> Bool
}

extension IdentityRepository {
    @discardableResult
    package func purgeExpired(
        now: Date, policy: LockoutPolicy = .cognito, maximumFailureRows: Int = 100_000
    ) async throws -> IdentityPurgeReport {
        try await purgeExpired(now: now, policy: policy, maximumFailureRows: maximumFailureRows)
    }
}

/// Why a user or group operation was refused.
package enum IdentityRepositoryFailure: Error, Equatable {
    case usernameExists
    case userNotFound
    case groupExists
    case groupNotFound
}

/// Users and groups. Usernames are unique case-insensitively (as Cognito's are): `user(named:)` finds "Alice" as
/// "alice".
package protocol UserRepository: Sendable {
    /// The user with this username, compared case-insensitively.
    func user(named username: String) async throws -> PoolUser?
    func user(sub: String) async throws -> PoolUser?
    /// Adds a user; throws `IdentityRepositoryFailure.usernameExists` when the name is taken.
    func create(_ user: PoolUser) async throws
    /// Reads the user, lets `change` edit it, and writes it back, all in one transaction (the username, sub and
    /// creation time never change). Returns the new state; throws `.userNotFound`.
    @discardableResult
    func update(sub: String, _ change: @Sendable @escaping (inout PoolUser) throws -> Void) async throws -> PoolUser
    /// Removes the user with their memberships, codes, refresh tokens and devices.
    func delete(sub: String) async throws
    /// Users in case-insensitive username order, after `afterUsername` when paging.
    func users(after afterUsername: String?, limit: Int) async throws -> [PoolUser]
    /// Accepts a TOTP time step at most once per user: true when `step` is later than every step accepted before.
    /// Atomic, so two requests with the same code cannot both pass. An accepted code also clears the user's MFA
    /// failure counter, in the same transaction.
    func acceptTOTPStep(sub: String, step: Int64) async throws -> Bool

    /// Adds a group; throws `.groupExists`.
    func createGroup(_ group: PoolGroup) async throws
    func group(named name: String) async throws -> PoolGroup?
    /// The groups `sub` belongs to, by name.
    func groups(of sub: String) async throws -> [PoolGroup]
    func allGroups() async throws -> [PoolGroup]
    /// Adds or removes a membership; throws `.groupNotFound` or `.userNotFound`.
    func setMembership(sub: String, group: String, member: Bool) async throws
    /// Reads the group, lets `change` edit it (not its name or creation time) and writes it back in one
    /// transaction; throws `.groupNotFound`.
    @discardableResult
    func updateGroup(
        named name: String, _ change: @Sendable @escaping (inout PoolGroup) throws -> Void
    ) async throws
        -> PoolGroup
    /// Removes the group and every membership in it; throws `.groupNotFound`.
    func deleteGroup(named name: String) async throws
    /// The members of a group in the order of `users(after:limit:)`; throws `.groupNotFound`.
    func users(inGroup name: String, after afterUsername: String?, limit: Int) async throws -> [PoolUser]
}

/// Pending sign-in steps. A session is answered once: of concurrent claims (on any instance), exactly one wins.
package protocol ChallengeSessionRepository: Sendable {
    /// Stores a new session and, in the same transaction, clears `counters` (the password counter of a correct
    /// password whose sign-in goes on with this challenge).
    func createSession(_ session: ChallengeSession, clearing counters: [LockoutCounter]) async throws
    /// Takes a session for answering: atomically marks it used and returns it, or `nil` when it is unknown,
    /// expired or already taken.
    func claimSession(idHash: String, now: Date) async throws -> ChallengeSession?
    /// Gives a claimed session back after a wrong code, so the user may try again until it expires (the lockout
    /// counter limits how often).
    func releaseSession(idHash: String) async throws
    /// `claimSession` and `beginAttempt` in one transaction, for an answer that is a credential: claims the session
    /// and counts an attempt on the counter `counter` names for it (none when it gives `nil`: a session for another
    /// client or challenge). While that counter is locked the session is left unclaimed and nothing is written.
    func claimSession(
        idHash: String, now: Date, countingAttempt counter: @escaping @Sendable (ChallengeSession) -> LockoutCounter?,
        policy: LockoutPolicy
    ) async throws -> SessionClaim
}

extension ChallengeSessionRepository {
    package func createSession(_ session: ChallengeSession) async throws {
        try await createSession(session, clearing: [])
    }
}

/// What `claimSession(idHash:now:countingAttempt:policy:)` found.
package enum SessionClaim: Sendable, Equatable {
    /// Claimed, and its attempt counted (when one was named).
    case claimed(ChallengeSession)
    /// The attempt's counter is locked until then: nothing was written, the session stays as it was.
    case locked(until: Date)
    /// Unknown, expired or taken.
    case unavailable
}

/// One pending code per user and purpose, kept only as a hash.
package protocol VerificationCodeRepository: Sendable {
    /// Stores a new code's hash, replacing any pending one of the same purpose.
    func storeCode(sub: String, purpose: CodePurpose, codeHash: String, expiresAt: Date) async throws
    /// Compares the hash of a presented code with the pending one and, when they match, consumes it (a code works
    /// once). An expired code is removed.
    func consumeCode(sub: String, purpose: CodePurpose, codeHash: String, now: Date) async throws -> CodeCheck
}

/// Refresh tokens, kept by hash. Every token of one sign-in shares its `originJti` (a family).
package protocol RefreshTokenRepository: Sendable {
    func storeRefreshToken(_ token: StoredRefreshToken) async throws
    func refreshToken(hash: String) async throws -> StoredRefreshToken?
    /// Revokes one refresh token and, with it, the access tokens of its sign-in (they share `origin_jti`).
    func revokeRefreshToken(hash: String) async throws
    /// GlobalSignOut: revokes every refresh token of the user.
    func revokeAllRefreshTokens(sub: String) async throws
    /// Rotation: revokes `oldHash` (noting when) and stores `replacement` atomically; false when the old token was
    /// already revoked (a replayed refresh token). Of concurrent rotations of one token, exactly one succeeds.
    func rotateRefreshToken(oldHash: String, replacement: StoredRefreshToken, at date: Date) async throws -> Bool
    /// Reuse of a rotated token: revokes every refresh token of its family. Returns how many were live.
    @discardableResult
    func revokeRefreshTokenFamily(originJti: String) async throws -> Int
    /// Whether the sign-in that issued a token is still live: some refresh token of it exists and is not revoked.
    func isSignInActive(originJti: String) async throws -> Bool
}

/// Failed-attempt counters, shared by every instance on one database.
package protocol LockoutRepository: Sendable {
    /// Counts an attempt before its credential is checked, in one transaction.
    ///
    /// Counting first is what makes parallel attempts safe: of many concurrent wrong passwords (on any instances),
    /// exactly as many are checked as the policy allows (the fifth sets the lock before the sixth is looked at) and
    /// every checked one is counted. A correct credential then clears the counter (`attemptSucceeded`).
    func beginAttempt(
        subject: String, kind: LockoutKind, now: Date, policy: LockoutPolicy
    ) async throws
        -> AttemptDecision
    /// A correct credential: the counter and any lock it set start over.
    func attemptSucceeded(subject: String, kind: LockoutKind) async throws
    /// The end of a running lockout, without counting anything.
    func lockedUntil(subject: String, kind: LockoutKind, now: Date) async throws -> Date?
    /// The failures counted so far (for tests and diagnostics).
    func failureCount(subject: String, kind: LockoutKind) async throws -> Int
}

extension LockoutRepository {
    package func beginAttempt(subject: String, kind: LockoutKind, now: Date) async throws -> AttemptDecision {
        try await beginAttempt(subject: subject, kind: kind, now: now, policy: .cognito)
    }
}
