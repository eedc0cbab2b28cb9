import Foundation
import HandsetCloudStorage
import Testing

/// `IdentityRepository.completeSignIn` on every backend: what a passed sign-in writes (the TOTP step's use, the
/// counters its credentials clear, its event and refresh token) is one transaction, all or nothing, and a TOTP step
/// completes one sign-in only, also when several instances race with it.
@Suite("Contract: sign-in completion")
struct SignInCompletionContractTests {
    static func event(_ id: String, sub: String = "sub-dave") -> AuthEvent {
        AuthEvent(
            eventId: id, sub: sub, type: "SignIn", response: .pass,
            challenges: [.init(challenge: "Password", succeeded: true)], clientId: "client", createdAt: testEpoch)
    }

    static func completion(_ name: String, step: Int64?, sub: String = "sub-dave") -> SignInCompletion {
        SignInCompletion(
            sub: sub, totpStep: step, clearedCounters: [LockoutCounter(sub, .mfa), LockoutCounter("dave", .password)],
            event: event("event-\(name)", sub: sub),
            refreshToken: IdentityContractTests.token("token-\(name)", sub: sub, origin: "origin-\(name)"))
    }

    @Test(
        "a completion uses the TOTP step, clears the counters, records the event and stores the refresh token",
        arguments: StorageBackend.allCases)
    func completes(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            try await identity.create(IdentityContractTests.user("dave"))
            _ = try await identity.beginAttempt(subject: "sub-dave", kind: .mfa, now: testEpoch)
            _ = try await identity.beginAttempt(subject: "dave", kind: .password, now: testEpoch)
            _ = try await identity.beginAttempt(subject: "sub-dave", kind: .code, now: testEpoch)

            #expect(try await identity.completeSignIn(Self.completion("first", step: 100)))
            #expect(try await identity.failureCount(subject: "sub-dave", kind: .mfa) == 0)
            #expect(try await identity.failureCount(subject: "dave", kind: .password) == 0)
            #expect(try await identity.failureCount(subject: "sub-dave", kind: .code) == 1, "not named: kept")
            #expect(
                try await identity.authEvents(sub: "sub-dave", before: nil, limit: 10) == [Self.event("event-first")])
            #expect(
                try await identity.refreshToken(hash: "token-first")
                    == IdentityContractTests.token("token-first", sub: "sub-dave", origin: "origin-first"))
            #expect(try await !identity.acceptTOTPStep(sub: "sub-dave", step: 100), "the step is used")
            #expect(try await identity.acceptTOTPStep(sub: "sub-dave", step: 101))
        }
    }

    @Test(
        "a completion with a used TOTP step writes nothing: no event, no token, every counter as it was",
        arguments: StorageBackend.allCases)
    func replayWritesNothing(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            try await identity.create(IdentityContractTests.user("dave"))
            #expect(try await identity.acceptTOTPStep(sub: "sub-dave", step: 200))
            _ = try await identity.beginAttempt(subject: "sub-dave", kind: .mfa, now: testEpoch)
            _ = try await identity.beginAttempt(subject: "dave", kind: .password, now: testEpoch)

            #expect(try await !identity.completeSignIn(Self.completion("same", step: 200)))
            #expect(try await !identity.completeSignIn(Self.completion("older", step: 199)))
            #expect(try await identity.failureCount(subject: "sub-dave", kind: .mfa) == 1)
            #expect(try await identity.failureCount(subject: "dave", kind: .password) == 1)
            #expect(try await identity.authEvents(sub: "sub-dave", before: nil, limit: 10).isEmpty)
            #expect(try await identity.refreshToken(hash: "token-same") == nil)
            #expect(try await identity.refreshToken(hash: "token-older") == nil)
            #expect(try await identity.acceptTOTPStep(sub: "sub-dave", step: 201), "later steps still pass")
        }
    }

    @Test(
        "without a TOTP step (SMS, email, no MFA) the rest is written; an empty completion writes nothing",
        arguments: StorageBackend.allCases)
    func withoutStep(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            try await identity.create(IdentityContractTests.user("dave"))
            _ = try await identity.beginAttempt(subject: "sub-dave", kind: .mfa, now: testEpoch)
            #expect(try await identity.completeSignIn(Self.completion("sms", step: nil)))
            #expect(try await identity.failureCount(subject: "sub-dave", kind: .mfa) == 0)
            #expect(try await identity.refreshToken(hash: "token-sms") != nil)
            #expect(
                try await identity.authEvents(sub: "sub-dave", before: nil, limit: 10).map(\.eventId) == ["event-sms"])
            #expect(try await identity.completeSignIn(SignInCompletion(sub: "sub-dave")))
            #expect(try await identity.acceptTOTPStep(sub: "sub-dave", step: 1), "no step was used")
        }
    }

    @Test(
        "concurrent completions with one TOTP step on several instances: exactly one is written",
        arguments: StorageBackend.allCases)
    func race(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            try await instances[0].identity.create(IdentityContractTests.user("erin"))
            let completed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try await instances[index % 3].identity.completeSignIn(
                            Self.completion("race-\(index)", step: 500, sub: "sub-erin"))
                    }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(completed == 1)
            let identity = instances[1].identity
            #expect(try await identity.authEvents(sub: "sub-erin", before: nil, limit: 20).count == 1)
            var tokens = 0
            for index in 0..<12 where try await identity.refreshToken(hash: "token-race-\(index)") != nil {
                tokens += 1
            }
            #expect(tokens == 1)
        }
    }
}

/// `claimSession(idHash:now:countingAttempt:policy:)` on every backend: an answer's claim and its attempt's count
/// are one transaction; a locked counter leaves the session unclaimed; of parallel answers one claims and only it
/// is counted.
@Suite("Contract: a session's claim with its attempt")
struct CountedClaimContractTests {
    static let mfa: @Sendable (ChallengeSession) -> LockoutCounter? = { session in
        session.userSub.map { LockoutCounter($0, .mfa) }
    }

    @Test(
        "the claim counts one attempt; a taken session counts none; a session may name no counter",
        arguments: StorageBackend.allCases)
    func claimCounts(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            let session = IdentityContractTests.session("c1")
            try await identity.createSession(session)
            #expect(
                try await identity.claimSession(
                    idHash: "c1", now: testEpoch, countingAttempt: Self.mfa, policy: .cognito)
                    == .claimed(session))
            #expect(try await identity.failureCount(subject: "sub-frank", kind: .mfa) == 1)
            #expect(
                try await identity.claimSession(
                    idHash: "c1", now: testEpoch, countingAttempt: Self.mfa, policy: .cognito)
                    == .unavailable)
            #expect(
                try await identity.claimSession(
                    idHash: "none", now: testEpoch, countingAttempt: Self.mfa, policy: .cognito)
                    == .unavailable)
            #expect(try await identity.failureCount(subject: "sub-frank", kind: .mfa) == 1, "nothing claimed: no count")

            try await identity.createSession(IdentityContractTests.session("c2"))
            #expect(
                try await identity.claimSession(
                    idHash: "c2", now: testEpoch, countingAttempt: { _ in nil }, policy: .cognito) != .unavailable)
            #expect(try await identity.failureCount(subject: "sub-frank", kind: .mfa) == 1)
        }
    }

    @Test("a new session clears the counters it is given, in the same write", arguments: StorageBackend.allCases)
    func createClears(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            _ = try await identity.beginAttempt(subject: "frank", kind: .password, now: testEpoch)
            _ = try await identity.beginAttempt(subject: "sub-frank", kind: .mfa, now: testEpoch)
            let session = IdentityContractTests.session("n1")
            try await identity.createSession(session, clearing: [LockoutCounter("frank", .password)])
            #expect(try await identity.failureCount(subject: "frank", kind: .password) == 0)
            #expect(try await identity.failureCount(subject: "sub-frank", kind: .mfa) == 1, "not named: kept")
            #expect(try await identity.claimSession(idHash: "n1", now: testEpoch) == session)
        }
    }

    @Test(
        "while the counter is locked the session stays unclaimed and nothing is counted",
        arguments: StorageBackend.allCases)
    func lockedLeavesSession(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            let session = IdentityContractTests.session("l1")
            try await identity.createSession(session)
            for _ in 0..<5 {
                _ = try await identity.beginAttempt(subject: "sub-frank", kind: .mfa, now: testEpoch)
            }
            let claim = try await identity.claimSession(
                idHash: "l1", now: testEpoch, countingAttempt: Self.mfa, policy: .cognito)
            #expect(claim == .locked(until: testEpoch.addingTimeInterval(1)))
            #expect(try await identity.failureCount(subject: "sub-frank", kind: .mfa) == 5)
            #expect(try await identity.claimSession(idHash: "l1", now: testEpoch) == session, "still unclaimed")
        }
    }

    @Test(
        "parallel answers to one session on several instances: one claims it, and only that one is counted",
        arguments: StorageBackend.allCases)
    func race(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            for round in 0..<3 {
                try await instances[round % 3].identity.createSession(IdentityContractTests.session("r\(round)"))
                let claimed = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<9 {
                        group.addTask {
                            try await instances[index % 3].identity.claimSession(
                                idHash: "r\(round)", now: testEpoch, countingAttempt: Self.mfa, policy: .cognito)
                                != .unavailable
                        }
                    }
                    return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
                }
                #expect(claimed == 1, "round \(round)")
                #expect(try await instances[0].identity.failureCount(subject: "sub-frank", kind: .mfa) == round + 1)
            }
        }
    }
}
