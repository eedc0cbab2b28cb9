import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetSRP
import HandsetWire
import Hummingbird
import JWTKit
import Testing

@testable import HandsetCloud

/// A pool configuration written to a fresh data directory before the cloud starts, for tests that need other
/// settings than the generated ones.
func withPool<Value: Sendable>(
    mfa: PoolConfiguration.MFAMode = .optional, enabledMFAs: [String] = PoolConfiguration.allMFAs,
    rotation: Bool = false, demo: Bool = true, clock: TestClock = TestClock(),
    _ body: @Sendable (any TestClientProtocol, CloudFixture) async throws -> Value
) async throws -> Value {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var pool = PoolConfiguration.generate()
    pool.mfaConfiguration = mfa
    pool.enabledMFAs = enabledMFAs
    pool.refreshTokenRotation = rotation
    try pool.fileContents().write(to: DataDirectory(root: directory).poolConfiguration)
    return try await withCloud(demo: demo, directory: directory, clock: clock, body)
}

/// The fixed TOTP secret of the demo user tina.
let tinaSecret = Base32.decode(DemoData.tinaTOTPSecret)!

extension CloudFixture {
    var mailbox: [SentMessage] { MailboxFile(url: dataDirectory.mailbox).allMessages() }

    /// The newest code the pool "sent" to `username`.
    func lastCode(for username: String) throws -> String {
        try #require(mailbox.last { $0.username == username }?.code, "no message to \(username) in the mailbox")
    }

    func totp(_ secret: [UInt8] = tinaSecret, offsetSteps: Int64 = 0) -> String {
        TOTP.code(secret: secret, step: TOTP.step(at: clock.now) + offsetSteps)
    }
}

extension TestClientProtocol {
    /// Any Cognito operation with a JSON object body.
    func call(_ operation: String, _ body: [String: Any]) async throws -> TestResponse {
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return try await cognito(operation, body: String(decoding: data, as: UTF8.self))
    }

    func respond(
        _ challenge: String, session: String?, responses: [String: String], fixture: CloudFixture
    ) async throws -> TestResponse {
        var body: [String: Any] = [
            "ClientId": fixture.clientId, "ChallengeName": challenge, "ChallengeResponses": responses,
        ]
        if let session { body["Session"] = session }
        return try await call("RespondToAuthChallenge", body)
    }

    /// USER_SRP_AUTH's first step with a fresh client session.
    func startSRP(
        _ username: String, fixture: CloudFixture, session: SRPClientSession? = nil
    ) async throws
        -> (SRPClientSession, TestResponse)
    {
        let srp = try session ?? SRPClientSession()
        let response = try await initiateAuth(
            clientId: fixture.clientId, flow: CognitoAuthFlow.userSRP,
            parameters: ["USERNAME": username, "SRP_A": srp.publicValueHex])
        return (srp, response)
    }

    /// The PASSWORD_VERIFIER answer a client that knows `password` sends.
    func passwordVerifierResponses(
        _ srp: SRPClientSession, challenge: AuthResponse, password: String, fixture: CloudFixture
    ) throws -> [String: String] {
        let parameters = try #require(challenge.challengeParameters)
        let timestamp = CognitoTimestamp.string(from: fixture.clock.now)
        let signature = try srp.passwordClaimSignature(
            poolName: fixture.pool.poolName, userIdForSRP: try #require(parameters["USER_ID_FOR_SRP"]),
            password: password, saltHex: try #require(parameters["SALT"]),
            serverPublicValueHex: try #require(parameters["SRP_B"]),
            secretBlock: try #require(parameters["SECRET_BLOCK"]), timestamp: timestamp)
        return [
            "USERNAME": try #require(parameters["USERNAME"]),
            "PASSWORD_CLAIM_SECRET_BLOCK": parameters["SECRET_BLOCK"]!,
            "PASSWORD_CLAIM_SIGNATURE": signature, "TIMESTAMP": timestamp,
        ]
    }

    /// A full USER_SRP_AUTH password step; returns the answer to PASSWORD_VERIFIER (tokens or the next challenge).
    func srpSignIn(_ username: String, _ password: String, fixture: CloudFixture) async throws -> TestResponse {
        let (srp, started) = try await startSRP(username, fixture: fixture)
        #expect(started.status == .ok, "\(started.text)")
        let challenge = try started.decode(AuthResponse.self)
        #expect(challenge.challengeName == "PASSWORD_VERIFIER")
        let responses = try passwordVerifierResponses(srp, challenge: challenge, password: password, fixture: fixture)
        return try await respond(
            "PASSWORD_VERIFIER", session: challenge.session, responses: responses, fixture: fixture)
    }
}

extension TestResponse {
    var authResponse: AuthResponse {
        get throws { try decode(AuthResponse.self) }
    }

    /// The tokens of a successful sign-in, failing the test otherwise.
    func tokens(sourceLocation: SourceLocation = #_sourceLocation) throws -> AuthenticationResult {
        #expect(status == .ok, "\(text)", sourceLocation: sourceLocation)
        return try #require(try authResponse.authenticationResult, "\(text)", sourceLocation: sourceLocation)
    }

    /// The challenge of a sign-in step, failing the test when it is another.
    func challenge(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> AuthResponse {
        #expect(status == .ok, "\(text)", sourceLocation: sourceLocation)
        let response = try authResponse
        #expect(response.challengeName == name, "\(text)", sourceLocation: sourceLocation)
        #expect(response.authenticationResult == nil, sourceLocation: sourceLocation)
        return response
    }

    /// Asserts a Cognito error of `type`.
    func expectError(
        _ type: String, _ messageContains: String = "", sourceLocation: SourceLocation = #_sourceLocation
    )
        throws
    {
        try CognitoInitiateAuthTests.expectCognitoError(
            self, type: type, messageContains: messageContains, sourceLocation: sourceLocation)
    }

    var jsonObject: [String: Any] {
        get throws { try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:] }
    }
}

func idClaims(_ token: String) async throws -> IDTokenClaims {
    try await JWTKeyCollection().unverified(token, as: IDTokenClaims.self)
}
