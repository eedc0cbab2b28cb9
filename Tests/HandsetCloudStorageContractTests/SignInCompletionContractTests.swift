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
