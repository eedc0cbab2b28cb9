import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetSRP
import HandsetWire
import Testing

@testable import HandsetCloud

@Suite("Cognito USER_SRP_AUTH")
struct CognitoSRPSignInTests {
    @Test(
        "SRP sign-in end to end with the shared client session; the tokens are alice's",
        arguments: TestBackend.allCases)
    func signIn(backend: TestBackend) async throws {
        try await withCloud(backend: backend) { client, fixture in
            let (srp, started) = try await client.startSRP("alice", fixture: fixture)
            let challenge = try started.challenge("PASSWORD_VERIFIER")
            let parameters = try #require(challenge.challengeParameters)
            #expect(parameters["USER_ID_FOR_SRP"] == "alice")
            #expect(parameters["USERNAME"] == "alice")
            #expect(SRPHex.decode(parameters["SALT"] ?? "") != nil)
            #expect(Data(base64Encoded: parameters["SECRET_BLOCK"] ?? "") != nil)
            #expect(challenge.session == nil, "like Cognito, PASSWORD_VERIFIER is answered without a Session")

            let responses = try client.passwordVerifierResponses(
                srp, challenge: challenge, password: "Wonderland-42!", fixture: fixture)
            let answered = try await client.respond(
                "PASSWORD_VERIFIER", session: nil, responses: responses, fixture: fixture)
            let tokens = try answered.tokens()
            #expect(try await idClaims(tokens.idToken).cognitoUsername == "alice")
            #expect(tokens.refreshToken != nil)
        }
    }

    @Test("the salt is stable per user and B is fresh per attempt; usernames match case-insensitively")
    func challengeShape() async throws {
        try await withCloud { client, fixture in
            let first = try await client.startSRP("alice", fixture: fixture).1.challenge("PASSWORD_VERIFIER")
            let second = try await client.startSRP("ALICE", fixture: fixture).1.challenge("PASSWORD_VERIFIER")
            #expect(first.challengeParameters?["SALT"] == second.challengeParameters?["SALT"])
            #expect(first.challengeParameters?["SRP_B"] != second.challengeParameters?["SRP_B"])
            #expect(second.challengeParameters?["USERNAME"] == "alice")
            let signedIn = try await client.srpSignIn("Alice", "Wonderland-42!", fixture: fixture)
            _ = try signedIn.tokens()
        }
    }

    @Test("a wrong password is refused exactly like an unknown user, whose challenge looks real")
    func wrongPasswordAndUnknownUser() async throws {
        try await withCloud { client, fixture in
            let wrong = try await client.srpSignIn("alice", "Wonderland-43!", fixture: fixture)
            let unknown = try await client.srpSignIn("mallory", "Wonderland-42!", fixture: fixture)
            try wrong.expectError("NotAuthorizedException", "Incorrect username or password.")
            #expect(wrong.status == unknown.status)
            #expect(wrong.text == unknown.text)

            let decoy1 = try await client.startSRP("mallory", fixture: fixture).1.challenge("PASSWORD_VERIFIER")
            let decoy2 = try await client.startSRP("mallory", fixture: fixture).1.challenge("PASSWORD_VERIFIER")
            #expect(
                decoy1.challengeParameters?.keys.sorted() == [
                    "SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP",
                ])
            #expect(decoy1.challengeParameters?["SALT"] == decoy2.challengeParameters?["SALT"], "a stable salt")
        }
    }

    @Test("A in {0, N, 2N} is refused")
    func zeroClientPublicValue() async throws {
        try await withCloud { client, fixture in
            let prime = SRPGroup.cognito.prime
            let twice = try SRPGroup.cognito.multiplyAdd([0], prime, [2])
            for value in ["0", SRPHex.encode(prime), SRPHex.encode(twice), "not-hex"] {
                let response = try await client.initiateAuth(
                    clientId: fixture.clientId, flow: CognitoAuthFlow.userSRP,
                    parameters: ["USERNAME": "alice", "SRP_A": value])
                try response.expectError("InvalidParameterException", "SRP_A")
            }
        }
    }

    @Test("a PASSWORD_VERIFIER answer works once")
    func singleUse() async throws {
        try await withCloud { client, fixture in
            let (srp, started) = try await client.startSRP("alice", fixture: fixture)
            let responses = try client.passwordVerifierResponses(
                srp, challenge: try started.challenge("PASSWORD_VERIFIER"), password: "Wonderland-42!",
                fixture: fixture)
            _ = try await client.respond("PASSWORD_VERIFIER", session: nil, responses: responses, fixture: fixture)
                .tokens()
            let replay = try await client.respond(
                "PASSWORD_VERIFIER", session: nil, responses: responses, fixture: fixture)
            try replay.expectError("NotAuthorizedException", "Invalid session")
        }
    }

    @Test("a PASSWORD_VERIFIER challenge expires after 3 minutes")
    func expiry() async throws {
        try await withCloud { client, fixture in
            for (wait, works) in [(179.0, true), (181.0, false)] {
                let (srp, started) = try await client.startSRP("alice", fixture: fixture)
                let challenge = try started.challenge("PASSWORD_VERIFIER")
                fixture.clock.advance(by: wait)
                let responses = try client.passwordVerifierResponses(
                    srp, challenge: challenge, password: "Wonderland-42!", fixture: fixture)
                let answer = try await client.respond(
                    "PASSWORD_VERIFIER", session: nil, responses: responses, fixture: fixture)
                if works {
                    _ = try answer.tokens()
                } else {
                    try answer.expectError("NotAuthorizedException", "Invalid session")
                }
            }
        }
    }

    @Test("the SECRET_BLOCK is bound to its user and cannot be altered")
    func secretBlockBinding() async throws {
        try await withCloud { client, fixture in
            // bob's block answered in alice's sign-in, signed correctly over that block with alice's own SRP session
            // and password: only the block's binding to its user and session can refuse it, and it must say so.
            let bobChallenge = try await client.startSRP("bob", fixture: fixture).1.challenge("PASSWORD_VERIFIER")
            let bobBlock = try #require(bobChallenge.challengeParameters?["SECRET_BLOCK"])
            let (srp, started) = try await client.startSRP("alice", fixture: fixture)
            let aliceChallenge = try started.challenge("PASSWORD_VERIFIER")
            func responses(withBlock block: String) throws -> [String: String] {
                var forged = aliceChallenge
                forged.challengeParameters?["SECRET_BLOCK"] = block
                return try client.passwordVerifierResponses(
                    srp, challenge: forged, password: "Wonderland-42!", fixture: fixture)
            }
            try await client.respond(
                "PASSWORD_VERIFIER", session: nil, responses: try responses(withBlock: bobBlock), fixture: fixture
            ).expectError("NotAuthorizedException", "Invalid session")

            // alice's own block with one bit flipped, signed over the flipped block: the seal refuses it.
            let aliceBlock = try #require(aliceChallenge.challengeParameters?["SECRET_BLOCK"])
            var tampered = Array(try #require(Data(base64Encoded: aliceBlock)))
            tampered[20] ^= 1
            try await client.respond(
                "PASSWORD_VERIFIER", session: nil,
                responses: try responses(withBlock: Data(tampered).base64EncodedString()), fixture: fixture
            ).expectError("NotAuthorizedException", "Invalid session")

            var untouched = try responses(withBlock: aliceBlock)
            untouched["TIMESTAMP"] = "2026-08-04T08:32:12Z"
            try await client.respond("PASSWORD_VERIFIER", session: nil, responses: untouched, fixture: fixture)
                .expectError("InvalidParameterException", "TIMESTAMP")

            // The untouched answer still signs alice in: the refusals above were about the blocks alone.
            let answer = try await client.respond(
                "PASSWORD_VERIFIER", session: nil, responses: try responses(withBlock: aliceBlock), fixture: fixture)
            _ = try answer.tokens()
        }
    }

    @Test("USER_PASSWORD_AUTH and USER_SRP_AUTH accept the same password, so both check one verifier")
    func bothFlows() async throws {
        try await withCloud { client, fixture in
            _ = try await client.signIn("bob", "Builder-42!", fixture: fixture)
            _ = try await client.srpSignIn("bob", "Builder-42!", fixture: fixture).tokens()
        }
    }
}
