import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

@Suite("Cognito lockout")
struct CognitoLockoutTests {
    static let locked = "Password attempts exceeded"

    func passwordAttempt(
        _ client: any TestClientProtocol, _ fixture: CloudFixture, user: String = "alice", password: String
    ) async throws -> TestResponse {
        try await client.initiateAuth(
            clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
            parameters: ["USERNAME": user, "PASSWORD": password])
    }

    @Test("5 failures lock for 1 s, doubling; attempts during a lockout are refused without lengthening it")
    func timings() async throws {
        try await withCloud { client, fixture in
            for _ in 1...5 {
                try await passwordAttempt(client, fixture, password: "wrong").expectError(
                    "NotAuthorizedException", "Incorrect username or password.")
            }
            // Locked for 1 s: even the right password is refused, and the refusal does not count.
            try await passwordAttempt(client, fixture, password: "Wonderland-42!").expectError(
                "NotAuthorizedException", Self.locked)
            fixture.clock.advance(by: 0.5)
            try await passwordAttempt(client, fixture, password: "wrong").expectError(
                "NotAuthorizedException", Self.locked)
            fixture.clock.advance(by: 0.5)
            // The lock ended at 1 s, not lengthened: the sixth failure is checked and locks for 2 s.
            try await passwordAttempt(client, fixture, password: "wrong").expectError(
                "NotAuthorizedException", "Incorrect")
            fixture.clock.advance(by: 1.9)
            try await passwordAttempt(client, fixture, password: "Wonderland-42!").expectError(
                "NotAuthorizedException", Self.locked)
            fixture.clock.advance(by: 0.1)
            try await passwordAttempt(client, fixture, password: "wrong").expectError(
                "NotAuthorizedException", "Incorrect")
            fixture.clock.advance(by: 3.9)
            try await passwordAttempt(client, fixture, password: "Wonderland-42!").expectError(
                "NotAuthorizedException", Self.locked)
            fixture.clock.advance(by: 0.1)
            _ = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            // A correct password starts the count over.
            try await passwordAttempt(client, fixture, password: "wrong").expectError(
                "NotAuthorizedException", "Incorrect")
            _ = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
        }
    }

    @Test(
        "parallel wrong passwords are all counted: exactly 5 are checked, the rest refused",
        arguments: TestBackend.allCases)
    func parallelAttempts(backend: TestBackend) async throws {
        try await withCloud(backend: backend) { client, fixture in
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await passwordAttempt(client, fixture, password: "wrong").text }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(bodies.filter { $0.contains("Incorrect username or password.") }.count == 5)
            #expect(bodies.filter { $0.contains(Self.locked) }.count == 15)
            let store = fixture.storage.identity
            #expect(try await store.failureCount(subject: "alice", kind: .password) == 5)
        }
    }

    @Test("an unknown user is locked out like a real one")
    func unknownUser() async throws {
        try await withCloud { client, fixture in
            for _ in 1...5 {
                try await passwordAttempt(client, fixture, user: "mallory", password: "x").expectError(
                    "NotAuthorizedException", "Incorrect")
            }
            try await passwordAttempt(client, fixture, user: "mallory", password: "x").expectError(
                "NotAuthorizedException", Self.locked)
        }
    }

    @Test("SRP answers count too, and a locked user cannot start SRP")
    func srpCounts() async throws {
        try await withCloud { client, fixture in
            for _ in 1...5 {
                try await client.srpSignIn("bob", "wrong", fixture: fixture).expectError(
                    "NotAuthorizedException", "Incorrect")
            }
            let (_, started) = try await client.startSRP("bob", fixture: fixture)
            try started.expectError("NotAuthorizedException", Self.locked)
            fixture.clock.advance(by: 1)
            _ = try await client.srpSignIn("bob", "Builder-42!", fixture: fixture).tokens()
        }
    }

    @Test("wrong MFA codes follow the same rule")
    func mfaCodes() async throws {
        try await withCloud { client, fixture in
            let challenge = try await client.srpSignIn("tina", "Authenticator-42!", fixture: fixture)
                .challenge("SOFTWARE_TOKEN_MFA")
            let wrong = fixture.totp() == "000000" ? "111111" : "000000"
            for _ in 1...5 {
                try await client.respond(
                    "SOFTWARE_TOKEN_MFA", session: challenge.session,
                    responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": wrong], fixture: fixture
                ).expectError("CodeMismatchException")
            }
            try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: challenge.session,
                responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp()], fixture: fixture
            ).expectError("NotAuthorizedException", "temporarily locked")
            fixture.clock.advance(by: 1)
            _ = try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: challenge.session,
                responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp()], fixture: fixture
            ).tokens()
        }
    }

    @Test("lockout state survives a restart")
    func persistsAcrossRestarts() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestClock()
        try await withCloud(directory: directory, clock: clock) { client, fixture in
            for _ in 1...5 { _ = try await passwordAttempt(client, fixture, password: "wrong") }
        }
        try await withCloud(directory: directory, clock: clock) { client, fixture in
            try await passwordAttempt(client, fixture, password: "Wonderland-42!").expectError(
                "NotAuthorizedException", Self.locked)
        }
    }
}
