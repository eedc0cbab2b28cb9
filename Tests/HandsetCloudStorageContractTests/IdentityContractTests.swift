import Foundation
import HandsetCloudStorage
import HandsetSRP
import Testing

/// `IdentityRepository` on every backend: users and groups, challenge sessions, codes, refresh tokens, lockout
/// counters and the purge. What must hold across instances (one claim of a session, one rotation of a token, every
/// failed attempt counted) is checked with several instances on one storage.
@Suite("Contract: IdentityRepository")
struct IdentityContractTests {
    static func user(
        _ username: String, sub: String? = nil, email: String? = nil, groups: [String] = [], at date: Date = testEpoch
    ) -> PoolUser {
        PoolUser(
            sub: sub ?? "sub-\(username.lowercased())", username: username, email: email, emailVerified: email != nil,
            phoneNumber: nil, phoneNumberVerified: false, attributes: ["name": "N \(username)"], status: .confirmed,
            enabled: true, userIdForSRP: "srp-\(username)",
            password: SRPVerifier(salt: [1, 2, 3], verifier: Array(repeating: 7, count: 384)), passwordSetAt: date,
            groups: groups, mfa: MFASettings(), createdAt: date, updatedAt: date)
    }

    static func token(
        _ hash: String, sub: String = "sub-alice", origin: String = "origin-1", expiresAt: Int = 1_795_003_600
    ) -> StoredRefreshToken {
        StoredRefreshToken(
            hash: hash, sub: sub, clientId: "client",
            session: SignInSession(
                authTime: 1_795_000_000, originJti: origin, eventId: "event-\(origin)"),
            issuedAt: 1_795_000_000, expiresAt: expiresAt, revoked: false)
    }

    @Test(
        "users: created, found by any case of the name and by sub, unique names, updated in place, paged, deleted",
        arguments: StorageBackend.allCases)
    func users(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            let alice = Self.user("Alice", email: "Alice@Example.com", groups: ["staff"])
            try await identity.create(alice)
            #expect(try await identity.user(named: "alice") == alice)
            #expect(try await identity.user(named: "ALICE") == alice)
            #expect(try await identity.user(sub: alice.sub) == alice)
            #expect(try await identity.user(named: "alicia") == nil)
            await #expect(throws: IdentityRepositoryFailure.usernameExists) {
                try await identity.create(Self.user("aLiCe", sub: "another"))
            }
            // Names that differ only outside ASCII are different users on every backend.
            try await identity.create(Self.user("Ärne", sub: "sub-arne-1"))
            try await identity.create(Self.user("ärne", sub: "sub-arne-2"))
            var bob = Self.user("bob")
            bob.passwordless = true
            try await identity.create(bob)
            #expect(try await identity.user(named: "bob")?.passwordless == true)

            let updated = try await identity.update(sub: alice.sub) { user in
                user.email = "new@example.com"
                user.attributes["custom:team"] = "blue"
                user.groups = ["readers"]
                user.mfa.totpSecret = [9, 9, 9]
                user.mfa.totpEnabled = true
                user.pendingPhoneNumber = "+15550100"
                user.passwordless = true
                user.updatedAt = testEpoch.addingTimeInterval(5)
            }
            #expect(updated.username == "Alice" && updated.email == "new@example.com" && updated.passwordless)
            #expect(try await identity.user(sub: alice.sub) == updated)
            #expect(try await identity.groups(of: alice.sub).map(\.name) == ["readers"])
            await #expect(throws: IdentityRepositoryFailure.userNotFound) {
                try await identity.update(sub: "nobody") { _ in }
            }
            struct NotToday: Error {}
            await #expect(throws: NotToday.self) {
                try await identity.update(sub: alice.sub) { user in
                    user.email = "lost@example.com"
                    throw NotToday()
                }
            }
            #expect(
                try await identity.user(sub: alice.sub)?.email == "new@example.com", "a throwing change writes nothing")

            let first = try await identity.users(after: nil, limit: 2)
            let rest = try await identity.users(after: first.last?.username, limit: 10)
            #expect(first.map(\.username) == ["Alice", "bob"])
            #expect(rest.map(\.username) == ["Ärne", "ärne"], "case-insensitive for ASCII, then by code point")

            try await identity.storeRefreshToken(Self.token("t1", sub: alice.sub))
            try await identity.storeCode(
                sub: alice.sub, purpose: .verifyEmail, codeHash: "h", expiresAt: testEpoch.addingTimeInterval(60))
            try await identity.delete(sub: alice.sub)
            #expect(try await identity.user(named: "alice") == nil)
            #expect(try await identity.refreshToken(hash: "t1") == nil, "a deleted user's tokens go with them")
            #expect(
                try await identity.consumeCode(sub: alice.sub, purpose: .verifyEmail, codeHash: "h", now: testEpoch)
                    == .expired)
            try await identity.create(Self.user("alice", sub: "sub-alice-2"))
            #expect(try await identity.user(named: "Alice")?.sub == "sub-alice-2", "the name is free again")
        }
    }

    @Test(
        "values as long as the API lets through: 2048-character attributes, typed usernames of any length",
        arguments: StorageBackend.allCases)
    func longValues(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            let email = String(repeating: "e", count: 2000) + "@example.com"
            var user = Self.user("long", email: email)
            user.phoneNumber = "+" + String(repeating: "1", count: 2000)
            user.pendingEmail = "P" + email
            user.pendingPhoneNumber = user.phoneNumber
            user.attributes["name"] = String(repeating: "ü", count: 2048)
            try await identity.create(user)
            #expect(try await identity.user(sub: user.sub) == user)
            #expect(try await storage.notifications.userSub(matching: email.uppercased()) == user.sub)
            let typed = String(repeating: "x", count: 5000)
            #expect(try await identity.user(named: typed) == nil)

            var session = Self.session("long")
            session.username = typed
            try await identity.createSession(session)
            #expect(try await identity.claimSession(idHash: "long", now: testEpoch)?.username == typed)

            // Counters of long subjects count apart, also from a subject that looks like a long one's key.
            let other = typed + "y"
            for _ in 0..<3 { _ = try await identity.beginAttempt(subject: typed, kind: .password, now: testEpoch) }
            _ = try await identity.beginAttempt(subject: other, kind: .password, now: testEpoch)
            _ = try await identity.beginAttempt(subject: "\u{1}" + typed, kind: .password, now: testEpoch)
            #expect(try await identity.failureCount(subject: typed, kind: .password) == 3)
            #expect(try await identity.failureCount(subject: other, kind: .password) == 1)
            #expect(try await identity.failureCount(subject: "\u{1}" + typed, kind: .password) == 1)
            for _ in 0..<2 { _ = try await identity.beginAttempt(subject: typed, kind: .password, now: testEpoch) }
            #expect(try await identity.lockedUntil(subject: typed, kind: .password, now: testEpoch) != nil)
            try await identity.attemptSucceeded(subject: typed, kind: .password)
            #expect(try await identity.failureCount(subject: typed, kind: .password) == 0)
        }
    }

    @Test("groups and memberships", arguments: StorageBackend.allCases)
    func groups(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            try await identity.create(Self.user("carol"))
            let editors = PoolGroup(
                name: "editors", description: "Can edit", precedence: 2, createdAt: testEpoch, updatedAt: testEpoch)
            try await identity.createGroup(editors)
            try await identity.createGroup(
                PoolGroup(name: "admins", description: nil, precedence: nil, createdAt: testEpoch, updatedAt: testEpoch)
            )
            await #expect(throws: IdentityRepositoryFailure.groupExists) { try await identity.createGroup(editors) }
            #expect(try await identity.group(named: "editors") == editors)
            #expect(try await identity.group(named: "nobody") == nil)
            #expect(try await identity.allGroups().map(\.name) == ["admins", "editors"])

            try await identity.setMembership(sub: "sub-carol", group: "editors", member: true)
            try await identity.setMembership(sub: "sub-carol", group: "editors", member: true)
            try await identity.setMembership(sub: "sub-carol", group: "admins", member: true)
            #expect(try await identity.groups(of: "sub-carol").map(\.name) == ["admins", "editors"])
            #expect(try await identity.user(sub: "sub-carol")?.groups == ["admins", "editors"])
            try await identity.setMembership(sub: "sub-carol", group: "admins", member: false)
            #expect(try await identity.groups(of: "sub-carol").map(\.name) == ["editors"])
            await #expect(throws: IdentityRepositoryFailure.groupNotFound) {
                try await identity.setMembership(sub: "sub-carol", group: "ghosts", member: true)
            }
            await #expect(throws: IdentityRepositoryFailure.userNotFound) {
                try await identity.setMembership(sub: "nobody", group: "editors", member: true)
            }
        }
    }

    @Test("a TOTP step is accepted once, only forwards, and clears the MFA counter", arguments: StorageBackend.allCases)
    func totpSteps(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            try await identity.create(Self.user("dave"))
            _ = try await identity.beginAttempt(subject: "sub-dave", kind: .mfa, now: testEpoch)
            #expect(try await identity.failureCount(subject: "sub-dave", kind: .mfa) == 1)
            #expect(try await identity.acceptTOTPStep(sub: "sub-dave", step: 100))
            #expect(try await identity.failureCount(subject: "sub-dave", kind: .mfa) == 0)
            #expect(try await !identity.acceptTOTPStep(sub: "sub-dave", step: 100))
            #expect(try await !identity.acceptTOTPStep(sub: "sub-dave", step: 99))
            #expect(try await identity.acceptTOTPStep(sub: "sub-dave", step: 101))
        }
    }

    @Test(
        "concurrent uses of one TOTP code on several instances: exactly one passes", arguments: StorageBackend.allCases)
    func totpStepRace(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            try await instances[0].identity.create(Self.user("erin"))
            let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<12 {
                    group.addTask { try await instances[index % 3].identity.acceptTOTPStep(sub: "sub-erin", step: 500) }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(accepted == 1)
        }
    }

    static func session(_ idHash: String, expiresAt: Date = testEpoch.addingTimeInterval(180)) -> ChallengeSession {
        var state = ChallengeState()
        state.codeHash = "code-hash"
        state.choices = ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
        return ChallengeSession(
            idHash: idHash, clientId: "client", username: "Frank", userSub: "sub-frank", challenge: "SMS_MFA",
            state: state, createdAt: testEpoch, expiresAt: expiresAt)
    }

    @Test("challenge sessions: claimed once, given back, never after expiry", arguments: StorageBackend.allCases)
    func sessions(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            let session = Self.session("s1")
            try await identity.createSession(session)
            #expect(try await identity.claimSession(idHash: "s1", now: testEpoch) == session)
            #expect(try await identity.claimSession(idHash: "s1", now: testEpoch) == nil, "taken already")
            try await identity.releaseSession(idHash: "s1")
            #expect(try await identity.claimSession(idHash: "s1", now: testEpoch)?.state == session.state)
            try await identity.releaseSession(idHash: "s1")
            #expect(try await identity.claimSession(idHash: "s1", now: testEpoch.addingTimeInterval(181)) == nil)
            #expect(try await identity.claimSession(idHash: "unknown", now: testEpoch) == nil)
        }
    }

    @Test(
        "concurrent answers to one challenge session on several instances: exactly one claims it",
        arguments: StorageBackend.allCases)
    func sessionRace(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            for round in 0..<5 {
                try await instances[round % 3].identity.createSession(Self.session("race-\(round)"))
                let claimed = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<9 {
                        group.addTask {
                            try await instances[index % 3].identity.claimSession(
                                idHash: "race-\(round)", now: testEpoch)
                                != nil
                        }
                    }
                    return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
                }
                #expect(claimed == 1, "round \(round)")
            }
        }
    }

    @Test(
        "verification codes: one pending per purpose, compared, consumed once, expired",
        arguments: StorageBackend.allCases)
    func codes(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            try await identity.create(Self.user("u", sub: "u"))
            let later = testEpoch.addingTimeInterval(600)
            try await identity.storeCode(sub: "u", purpose: .confirmSignUp, codeHash: "old", expiresAt: later)
            try await identity.storeCode(sub: "u", purpose: .confirmSignUp, codeHash: "new", expiresAt: later)
            try await identity.storeCode(sub: "u", purpose: .forgotPassword, codeHash: "reset", expiresAt: later)
            #expect(
                try await identity.consumeCode(sub: "u", purpose: .confirmSignUp, codeHash: "old", now: testEpoch)
                    == .mismatch)
            #expect(
                try await identity.consumeCode(sub: "u", purpose: .confirmSignUp, codeHash: "new", now: testEpoch)
                    == .accepted)
            #expect(
                try await identity.consumeCode(sub: "u", purpose: .confirmSignUp, codeHash: "new", now: testEpoch)
                    == .expired)
            #expect(
                try await identity.consumeCode(sub: "u", purpose: .forgotPassword, codeHash: "reset", now: later)
                    == .expired, "a code is refused from its expiry on")
            #expect(
                try await identity.consumeCode(
                    sub: "u", purpose: .forgotPassword, codeHash: "reset", now: testEpoch) == .expired,
                "an expired code is removed")
        }
    }

    @Test(
        "refresh tokens: revoked one, all, by family; rotated once; sign-ins live while a token is",
        arguments: StorageBackend.allCases)
    func refreshTokens(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            try await identity.create(Self.user("alice"))
            try await identity.create(Self.user("zed"))
            try await identity.storeRefreshToken(Self.token("a1", origin: "A"))
            try await identity.storeRefreshToken(Self.token("b1", origin: "B"))
            try await identity.storeRefreshToken(Self.token("z1", sub: "sub-zed", origin: "Z"))
            #expect(try await identity.refreshToken(hash: "a1") == Self.token("a1", origin: "A"))
            #expect(try await identity.isSignInActive(originJti: "A"))

            let rotatedAt = testEpoch.addingTimeInterval(30)
            #expect(
                try await identity.rotateRefreshToken(
                    oldHash: "a1", replacement: Self.token("a2", origin: "A"), at: rotatedAt))
            #expect(
                try await !identity.rotateRefreshToken(
                    oldHash: "a1", replacement: Self.token("a3", origin: "A"), at: rotatedAt))
            let old = try #require(try await identity.refreshToken(hash: "a1"))
            #expect(old.revoked && old.rotatedAt == rotatedAt)
            #expect(try await identity.refreshToken(hash: "a3") == nil)
            #expect(try await identity.isSignInActive(originJti: "A"), "a2 carries the sign-in on")

            #expect(try await identity.revokeRefreshTokenFamily(originJti: "A") == 1)
            #expect(try await !identity.isSignInActive(originJti: "A"))
            #expect(try await identity.revokeRefreshTokenFamily(originJti: "A") == 0)

            try await identity.revokeRefreshToken(hash: "b1")
            #expect(try await identity.refreshToken(hash: "b1")?.revoked == true)
            #expect(try await !identity.isSignInActive(originJti: "B"))

            try await identity.storeRefreshToken(Self.token("b2", origin: "B2"))
            try await identity.revokeAllRefreshTokens(sub: "sub-alice")
            #expect(try await !identity.isSignInActive(originJti: "B2"))
            #expect(try await identity.isSignInActive(originJti: "Z"), "another user's sign-in stays")
        }
    }

    @Test(
        "concurrent rotations of one refresh token on several instances: exactly one succeeds",
        arguments: StorageBackend.allCases)
    func rotationRace(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            try await instances[0].identity.create(Self.user("alice"))
            try await instances[0].identity.storeRefreshToken(Self.token("r0", origin: "R"))
            let rotated = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<9 {
                    group.addTask {
                        try await instances[index % 3].identity.rotateRefreshToken(
                            oldHash: "r0", replacement: Self.token("r1-\(index)", origin: "R"), at: testEpoch)
                    }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(rotated == 1)
            #expect(try await instances[1].identity.revokeRefreshTokenFamily(originJti: "R") == 1, "one live successor")
        }
    }

    @Test(
        "lockout: counted before checking, locked after the free failures, cleared by success or quiet time",
        arguments: StorageBackend.allCases)
    func lockout(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            let policy = LockoutPolicy.cognito
            var now = testEpoch
            for _ in 0..<4 {
                #expect(try await identity.beginAttempt(subject: "gina", kind: .password, now: now) == .allowed)
            }
            #expect(try await identity.lockedUntil(subject: "gina", kind: .password, now: now) == nil)
            #expect(try await identity.beginAttempt(subject: "gina", kind: .password, now: now) == .allowed)
            let until = now.addingTimeInterval(1)
            #expect(try await identity.lockedUntil(subject: "gina", kind: .password, now: now) == until)
            #expect(
                try await identity.beginAttempt(subject: "gina", kind: .password, now: now) == .locked(until: until))
            #expect(
                try await identity.failureCount(subject: "gina", kind: .password) == 5,
                "a refused attempt is not counted")
            #expect(try await identity.failureCount(subject: "gina", kind: .mfa) == 0, "kinds count apart")

            now = until
            #expect(try await identity.beginAttempt(subject: "gina", kind: .password, now: now) == .allowed)
            #expect(
                try await identity.lockedUntil(subject: "gina", kind: .password, now: now) == now.addingTimeInterval(2))
            try await identity.attemptSucceeded(subject: "gina", kind: .password)
            #expect(try await identity.failureCount(subject: "gina", kind: .password) == 0)
            #expect(try await identity.lockedUntil(subject: "gina", kind: .password, now: now) == nil)

            for _ in 0..<3 { _ = try await identity.beginAttempt(subject: "hank", kind: .code, now: now) }
            now = now.addingTimeInterval(policy.resetAfter)
            _ = try await identity.beginAttempt(subject: "hank", kind: .code, now: now)
            #expect(try await identity.failureCount(subject: "hank", kind: .code) == 1, "quiet time forgets failures")
        }
    }

    @Test(
        "parallel wrong attempts on several instances are all counted, and no more are checked than allowed",
        arguments: StorageBackend.allCases)
    func lockoutAcrossInstances(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            let outcomes = try await withThrowingTaskGroup(of: AttemptDecision.self) { group in
                for index in 0..<15 {
                    group.addTask {
                        try await instances[index % 3].identity.beginAttempt(
                            subject: "ivy", kind: .password, now: testEpoch)
                    }
                }
                return try await group.reduce(into: [AttemptDecision]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .allowed }.count == 5, "four free failures, the fifth sets the lock")
            #expect(outcomes.filter { $0 == .locked(until: testEpoch.addingTimeInterval(1)) }.count == 10)
            #expect(try await instances[2].identity.failureCount(subject: "ivy", kind: .password) == 5)
        }
    }

    @Test("the purge removes what can no longer matter and keeps the rest", arguments: StorageBackend.allCases)
    func purge(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            // Locks long enough to outlast the quiet time, so that a counter can be old and still locking.
            let policy = LockoutPolicy(freeFailures: 4, firstLock: 3600, longestLock: 3600, resetAfter: 900)
            func attempt(_ subject: String, at date: Date) async throws {
                _ = try await identity.beginAttempt(subject: subject, kind: .password, now: date, policy: policy)
            }
            try await identity.create(Self.user("alice"))
            try await identity.create(Self.user("u", sub: "u"))
            try await identity.createSession(Self.session("expired", expiresAt: testEpoch.addingTimeInterval(-1)))
            try await identity.createSession(Self.session("live"))
            let old = testEpoch.addingTimeInterval(-policy.resetAfter - 1)
            try await attempt("quiet", at: old)
            for _ in 0..<5 { try await attempt("locked", at: old) }
            try await attempt("recent", at: testEpoch)
            try await identity.storeCode(
                sub: "u", purpose: .verifyEmail, codeHash: "x", expiresAt: testEpoch.addingTimeInterval(-1))
            try await identity.storeCode(
                sub: "u", purpose: .forgotPassword, codeHash: "y", expiresAt: testEpoch.addingTimeInterval(60))
            try await identity.storeRefreshToken(
                Self.token("gone", expiresAt: Int(testEpoch.timeIntervalSince1970) - 1))
            try await identity.storeRefreshToken(Self.token("kept"))
            #expect(try await identity.rowCounts() == (sessions: 2, failures: 3))

            let report = try await identity.purgeExpired(now: testEpoch, policy: policy, maximumFailureRows: 100)
            #expect(report == IdentityPurgeReport(sessions: 1, failures: 1, codes: 1, refreshTokens: 1))
            #expect(try await identity.rowCounts() == (sessions: 1, failures: 2))
            #expect(try await identity.failureCount(subject: "locked", kind: .password) == 5, "still locking")
            #expect(try await identity.refreshToken(hash: "kept") != nil)
            #expect(
                try await identity.consumeCode(sub: "u", purpose: .forgotPassword, codeHash: "y", now: testEpoch)
                    == .accepted)

            for index in 0..<4 {
                try await attempt("many-\(index)", at: testEpoch.addingTimeInterval(Double(index + 1)))
            }
            let capped = try await identity.purgeExpired(now: testEpoch, policy: policy, maximumFailureRows: 3)
            #expect(capped.failures == 3, "the oldest counters that lock nobody go first")
            #expect(try await identity.failureCount(subject: "locked", kind: .password) == 5)
            #expect(try await identity.failureCount(subject: "recent", kind: .password) == 0)
            #expect(try await identity.failureCount(subject: "many-1", kind: .password) == 0)
            #expect(try await identity.failureCount(subject: "many-2", kind: .password) == 1)
            #expect(try await identity.failureCount(subject: "many-3", kind: .password) == 1)
        }
    }
}
