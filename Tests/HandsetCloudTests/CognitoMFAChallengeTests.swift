import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

@Suite("Cognito challenges: MFA and new passwords")
struct CognitoMFAChallengeTests {
    @Test("SOFTWARE_TOKEN_MFA: tina signs in with a TOTP code; her groups are in the token")
    func softwareToken() async throws {
        try await withCloud { client, fixture in
            let challenge = try await client.srpSignIn("tina", "Authenticator-42!", fixture: fixture)
                .challenge("SOFTWARE_TOKEN_MFA")
            let session = try #require(challenge.session)
            let tokens = try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: session,
                responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp()], fixture: fixture
            ).tokens()
            #expect(try await idClaims(tokens.idToken).cognitoGroups == ["admins"])

            let reused = try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: session,
                responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp(offsetSteps: 1)],
                fixture: fixture)
            try reused.expectError("NotAuthorizedException", "Invalid session")
        }
    }

    @Test("TOTP accepts one step of drift either way, refuses two, and never accepts a code twice")
    func totpWindowAndReplay() async throws {
        try await withCloud { client, fixture in
            func attempt(_ code: String) async throws -> TestResponse {
                let challenge = try await client.srpSignIn("tina", "Authenticator-42!", fixture: fixture)
                    .challenge("SOFTWARE_TOKEN_MFA")
                return try await client.respond(
                    "SOFTWARE_TOKEN_MFA", session: challenge.session,
                    responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": code], fixture: fixture)
            }
            try await attempt(fixture.totp(offsetSteps: -2)).expectError("CodeMismatchException")
            try await attempt(fixture.totp(offsetSteps: 2)).expectError("CodeMismatchException")
            _ = try await attempt(fixture.totp(offsetSteps: -1)).tokens()
            _ = try await attempt(fixture.totp()).tokens()
            try await attempt(fixture.totp()).expectError("CodeMismatchException", "already been used")
            _ = try await attempt(fixture.totp(offsetSteps: 1)).tokens()
            try await attempt(fixture.totp()).expectError("CodeMismatchException", "already been used")
        }
    }

    @Test(
        "one TOTP code on two sessions at once: one signs in, the other is refused, writes nothing, keeps its session",
        arguments: TestBackend.allCases)
    func parallelTOTPReplay(backend: TestBackend) async throws {
        try await withCloud(CloudOptions(backend: backend)) { client, fixture in
            let identity = fixture.storage.identity
            let tina = try #require(try await identity.user(named: "tina"))
            let passesBefore = try await identity.authEvents(sub: tina.sub, before: nil, limit: 50)
                .filter { $0.response == .pass }.count
            var sessions: [String] = []
            for _ in 0..<2 {
                let challenge = try await client.srpSignIn("tina", "Authenticator-42!", fixture: fixture)
                    .challenge("SOFTWARE_TOKEN_MFA")
                sessions.append(try #require(challenge.session))
            }
            let code = fixture.totp()
            let answers = try await withThrowingTaskGroup(of: (String, TestResponse).self) { group in
                for session in sessions {
                    group.addTask {
                        let answer = try await client.respond(
                            "SOFTWARE_TOKEN_MFA", session: session,
                            responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": code], fixture: fixture)
                        return (session, answer)
                    }
                }
                return try await group.reduce(into: [(String, TestResponse)]()) { $0.append($1) }
            }
            let signedIn = answers.filter { (try? $0.1.authResponse)?.authenticationResult != nil }
            try #require(signedIn.count == 1, "exactly one answer signs in")
            let refused = try #require(answers.first { (try? $0.1.authResponse)?.authenticationResult == nil })
            try refused.1.expectError("CodeMismatchException", "already been used")

            let passes = try await identity.authEvents(sub: tina.sub, before: nil, limit: 50)
                .filter { $0.response == .pass }
            #expect(passes.count == passesBefore + 1, "the refused answer recorded no sign-in")
            let refreshToken = try #require(try signedIn[0].1.tokens().refreshToken)
            let stored = try #require(try await identity.refreshToken(hash: RefreshTokenSecret.hash(refreshToken)))
            #expect(stored.session.eventId == passes.first?.eventId)

            // The refused answer's session was given back: the next code signs in with it.
            _ = try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: refused.0,
                responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp(offsetSteps: 1)],
                fixture: fixture
            ).tokens()
        }
    }

    @Test(
        "a correct password clears its counter with the MFA session; a correct code clears the MFA counter",
        arguments: TestBackend.allCases)
    func countersClearedWithTheNextWrite(backend: TestBackend) async throws {
        try await withCloud(CloudOptions(backend: backend)) { client, fixture in
            let identity = fixture.storage.identity
            let tina = try #require(try await identity.user(named: "tina"))
            try await client.srpSignIn("tina", "Wrong-password-1", fixture: fixture).expectError(
                "NotAuthorizedException")
            #expect(try await identity.failureCount(subject: "tina", kind: .password) == 1)
            let challenge = try await client.srpSignIn("tina", "Authenticator-42!", fixture: fixture)
                .challenge("SOFTWARE_TOKEN_MFA")
            #expect(try await identity.failureCount(subject: "tina", kind: .password) == 0)
            try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: challenge.session,
                responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp(offsetSteps: 3)],
                fixture: fixture
            ).expectError("CodeMismatchException")
            #expect(try await identity.failureCount(subject: tina.sub, kind: .mfa) == 1)
            _ = try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: challenge.session,
                responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp()], fixture: fixture
            ).tokens()
            #expect(try await identity.failureCount(subject: tina.sub, kind: .mfa) == 0)
        }
    }

    @Test("EMAIL_OTP: the code goes to the mailbox; a wrong code may be retried within the session")
    func emailOTP() async throws {
        try await withCloud { client, fixture in
            let challenge = try await client.srpSignIn("emma", "Envelope-42!", fixture: fixture)
                .challenge("EMAIL_OTP")
            #expect(challenge.challengeParameters?["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL")
            #expect(challenge.challengeParameters?["CODE_DELIVERY_DESTINATION"] == "e***@e***")
            let message = try #require(fixture.mailbox.last)
            #expect(message.username == "emma" && message.medium == "EMAIL" && message.purpose == "EMAIL_OTP")
            #expect(message.destination == "emma@example.com")
            let wrong = message.code == "000000" ? "111111" : "000000"
            try await client.respond(
                "EMAIL_OTP", session: challenge.session, responses: ["USERNAME": "emma", "EMAIL_OTP_CODE": wrong],
                fixture: fixture
            ).expectError("CodeMismatchException")
            _ = try await client.respond(
                "EMAIL_OTP", session: challenge.session,
                responses: ["USERNAME": "emma", "EMAIL_OTP_CODE": message.code], fixture: fixture
            ).tokens()
        }
    }

    @Test("SMS_MFA: the code goes to the mailbox as an SMS")
    func smsMFA() async throws {
        try await withCloud { client, fixture in
            let challenge = try await client.srpSignIn("sam", "Messenger-42!", fixture: fixture).challenge("SMS_MFA")
            #expect(challenge.challengeParameters?["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS")
            #expect(challenge.challengeParameters?["CODE_DELIVERY_DESTINATION"] == "+*******0123")
            let message = try #require(fixture.mailbox.last)
            #expect(message.medium == "SMS" && message.destination == "+15555550123")
            _ = try await client.respond(
                "SMS_MFA", session: challenge.session, responses: ["USERNAME": "sam", "SMS_MFA_CODE": message.code],
                fixture: fixture
            ).tokens()
        }
    }

    @Test("TOTP set up with an access token; two factors without a preference ask SELECT_MFA_TYPE (EMAIL_MFA too)")
    func selectMFAType() async throws {
        try await withCloud { client, fixture in
            func emmaSignIn() async throws -> TestResponse {
                try await client.srpSignIn("emma", "Envelope-42!", fixture: fixture)
            }
            let emailChallenge = try await emmaSignIn().challenge("EMAIL_OTP")
            let tokens = try await client.respond(
                "EMAIL_OTP", session: emailChallenge.session,
                responses: ["USERNAME": "emma", "EMAIL_OTP_CODE": try fixture.lastCode(for: "emma")], fixture: fixture
            ).tokens()

            let associated = try await client.call("AssociateSoftwareToken", ["AccessToken": tokens.accessToken])
            #expect(associated.status == .ok, "\(associated.text)")
            let secretCode = try #require(try associated.jsonObject["SecretCode"] as? String)
            let secret = try #require(Base32.decode(secretCode))
            #expect(secret.count == 20)
            let verified = try await client.call(
                "VerifySoftwareToken", ["AccessToken": tokens.accessToken, "UserCode": fixture.totp(secret)])
            #expect(try verified.jsonObject["Status"] as? String == "SUCCESS", "\(verified.text)")

            let preference = try await client.call(
                "SetUserMFAPreference",
                [
                    "AccessToken": tokens.accessToken,
                    "EmailMfaSettings": ["Enabled": true, "PreferredMfa": false],
                    "SoftwareTokenMfaSettings": ["Enabled": true, "PreferredMfa": false],
                ])
            #expect(preference.status == .ok, "\(preference.text)")
            let user = try await client.call("GetUser", ["AccessToken": tokens.accessToken]).jsonObject
            #expect(user["UserMFASettingList"] as? [String] == ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"])
            #expect(user["PreferredMfaSetting"] == nil)

            let select = try await emmaSignIn().challenge("SELECT_MFA_TYPE")
            #expect(select.challengeParameters?["MFAS_CAN_CHOOSE"] == #"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#)
            try await client.respond(
                "SELECT_MFA_TYPE", session: select.session, responses: ["USERNAME": "emma", "ANSWER": "SMS_MFA"],
                fixture: fixture
            ).expectError("InvalidParameterException")
            let email = try await client.respond(
                "SELECT_MFA_TYPE", session: select.session, responses: ["USERNAME": "emma", "ANSWER": "EMAIL_MFA"],
                fixture: fixture
            ).challenge("EMAIL_OTP")
            _ = try await client.respond(
                "EMAIL_OTP", session: email.session,
                responses: ["USERNAME": "emma", "EMAIL_OTP_CODE": try fixture.lastCode(for: "emma")], fixture: fixture
            ).tokens()

            fixture.clock.advance(by: 30)
            let totp = try await client.respond(
                "SELECT_MFA_TYPE", session: try await emmaSignIn().challenge("SELECT_MFA_TYPE").session,
                responses: ["USERNAME": "emma", "ANSWER": "SOFTWARE_TOKEN_MFA"], fixture: fixture
            ).challenge("SOFTWARE_TOKEN_MFA")
            _ = try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: totp.session,
                responses: ["USERNAME": "emma", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp(secret)], fixture: fixture
            ).tokens()
        }
    }

    @Test("MFA ON: a user without a factor sets up TOTP during sign-in (MFA_SETUP with Sessions)")
    func mfaSetup() async throws {
        try await withPool(mfa: .on) { client, fixture in
            let setup = try await client.srpSignIn("alice", "Wonderland-42!", fixture: fixture).challenge("MFA_SETUP")
            #expect(setup.challengeParameters?["MFAS_CAN_SETUP"] == #"["SOFTWARE_TOKEN_MFA"]"#)
            try await client.respond(
                "MFA_SETUP", session: setup.session, responses: ["USERNAME": "alice"], fixture: fixture
            ).expectError("InvalidParameterException", "AssociateSoftwareToken")

            let associated = try await client.call("AssociateSoftwareToken", ["Session": setup.session!]).jsonObject
            let secretCode = try #require(associated["SecretCode"] as? String)
            let secret = try #require(Base32.decode(secretCode))
            let associateSession = try #require(associated["Session"] as? String)
            let wrongCode = try await client.call(
                "VerifySoftwareToken", ["Session": associateSession, "UserCode": "12345x"])
            try wrongCode.expectError("EnableSoftwareTokenMFAException")
            let verified = try await client.call(
                "VerifySoftwareToken",
                ["Session": associateSession, "UserCode": fixture.totp(secret), "FriendlyDeviceName": "phone"]
            ).jsonObject
            #expect(verified["Status"] as? String == "SUCCESS")
            let finalSession = try #require(verified["Session"] as? String)
            _ = try await client.respond(
                "MFA_SETUP", session: finalSession, responses: ["USERNAME": "alice"], fixture: fixture
            ).tokens()

            fixture.clock.advance(by: 30)
            let next = try await client.srpSignIn("alice", "Wonderland-42!", fixture: fixture)
                .challenge("SOFTWARE_TOKEN_MFA")
            _ = try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: next.session,
                responses: ["USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp(secret)], fixture: fixture
            ).tokens()
        }
    }

    @Test("MFA OFF: factors are ignored")
    func mfaOff() async throws {
        try await withPool(mfa: .off) { client, fixture in
            _ = try await client.srpSignIn("tina", "Authenticator-42!", fixture: fixture).tokens()
        }
    }

    @Test("enabled factors come from pool.json: without EMAIL_OTP, emma signs in with her password only")
    func enabledFactors() async throws {
        try await withPool(enabledMFAs: ["SOFTWARE_TOKEN_MFA"]) { client, fixture in
            _ = try await client.srpSignIn("emma", "Envelope-42!", fixture: fixture).tokens()
            _ = try await client.srpSignIn("tina", "Authenticator-42!", fixture: fixture).challenge(
                "SOFTWARE_TOKEN_MFA")
        }
    }

    @Test("MFA sessions expire after 3 minutes")
    func mfaSessionExpiry() async throws {
        try await withCloud { client, fixture in
            let challenge = try await client.srpSignIn("tina", "Authenticator-42!", fixture: fixture)
                .challenge("SOFTWARE_TOKEN_MFA")
            fixture.clock.advance(by: 181)
            try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: challenge.session,
                responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp()], fixture: fixture
            ).expectError("NotAuthorizedException", "Invalid session")
            try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: "made-up", responses: ["SOFTWARE_TOKEN_MFA_CODE": fixture.totp()],
                fixture: fixture
            ).expectError("NotAuthorizedException", "Invalid session")
        }
    }

    @Test("NEW_PASSWORD_REQUIRED: nora must choose a password that meets the policy; then the new one works")
    func newPasswordRequired() async throws {
        try await withCloud { client, fixture in
            let challenge = try await client.srpSignIn("nora", "Temporary-42!", fixture: fixture)
                .challenge("NEW_PASSWORD_REQUIRED")
            #expect(challenge.challengeParameters?["requiredAttributes"] == "[]")
            #expect(challenge.challengeParameters?["userAttributes"]?.contains("nora@example.com") == true)
            try await client.respond(
                "NEW_PASSWORD_REQUIRED", session: challenge.session,
                responses: ["USERNAME": "nora", "NEW_PASSWORD": "short"], fixture: fixture
            ).expectError("InvalidPasswordException", "not long enough")
            try await client.respond(
                "NEW_PASSWORD_REQUIRED", session: challenge.session,
                responses: ["USERNAME": "nora", "NEW_PASSWORD": "alllowercase-42!"], fixture: fixture
            ).expectError("InvalidPasswordException", "uppercase")
            let tokens = try await client.respond(
                "NEW_PASSWORD_REQUIRED", session: challenge.session,
                responses: ["USERNAME": "nora", "NEW_PASSWORD": "Chosen-Password-7", "userAttributes.name": "Nora N."],
                fixture: fixture
            ).tokens()
            #expect(try await idClaims(tokens.idToken).cognitoUsername == "nora")

            try await client.srpSignIn("nora", "Temporary-42!", fixture: fixture).expectError("NotAuthorizedException")
            _ = try await client.srpSignIn("nora", "Chosen-Password-7", fixture: fixture).tokens()
            let user = try await client.call("GetUser", ["AccessToken": tokens.accessToken]).jsonObject
            let attributes = try #require(user["UserAttributes"] as? [[String: String]])
            #expect(attributes.contains(["Name": "name", "Value": "Nora N."]))
        }
    }
}
