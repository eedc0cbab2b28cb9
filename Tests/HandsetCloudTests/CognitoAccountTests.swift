import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

@Suite("Cognito accounts: sign-up, recovery, the signed-in user")
struct CognitoAccountTests {
    func signUp(
        _ client: any TestClientProtocol, _ fixture: CloudFixture, username: String = "carol",
        password: String = "Carol-Password-1"
    ) async throws -> TestResponse {
        try await client.call(
            "SignUp",
            [
                "ClientId": fixture.clientId, "Username": username, "Password": password,
                "UserAttributes": [
                    ["Name": "email", "Value": "\(username)@example.com"], ["Name": "name", "Value": "Carol"],
                ],
            ])
    }

    @Test("sign-up → code in the mailbox → confirm → sign-in")
    func signUpFlow() async throws {
        try await withCloud(demo: false) { client, fixture in
            let signedUp = try await signUp(client, fixture).jsonObject
            #expect(signedUp["UserConfirmed"] as? Bool == false)
            #expect(UUID(uuidString: signedUp["UserSub"] as? String ?? "") != nil)
            let delivery = try #require(signedUp["CodeDeliveryDetails"] as? [String: String])
            #expect(delivery == ["Destination": "c***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"])
            let message = try #require(fixture.mailbox.last)
            #expect(message.purpose == "SignUp" && message.destination == "carol@example.com")
            #expect(message.code.count == 6)

            try await client.srpSignIn("carol", "Carol-Password-1", fixture: fixture).expectError(
                "UserNotConfirmedException")
            let wrong = message.code == "000000" ? "111111" : "000000"
            try await client.call(
                "ConfirmSignUp", ["ClientId": fixture.clientId, "Username": "carol", "ConfirmationCode": wrong]
            ).expectError("CodeMismatchException")
            let confirmed = try await client.call(
                "ConfirmSignUp", ["ClientId": fixture.clientId, "Username": "carol", "ConfirmationCode": message.code])
            #expect(confirmed.status == .ok && confirmed.text == "{}", "\(confirmed.text)")
            // Confirming again is refused like a wrong code: the answer does not tell who is confirmed.
            try await client.call(
                "ConfirmSignUp", ["ClientId": fixture.clientId, "Username": "carol", "ConfirmationCode": message.code]
            ).expectError("CodeMismatchException")

            let tokens = try await client.srpSignIn("carol", "Carol-Password-1", fixture: fixture).tokens()
            let claims = try await idClaims(tokens.idToken)
            #expect(claims.sub == signedUp["UserSub"] as? String)
            #expect(claims.email == "carol@example.com" && claims.emailVerified == true)
        }
    }

    @Test("sign-up enforces the password policy and unique usernames; a resent code replaces the old one")
    func signUpRules() async throws {
        try await withCloud { client, fixture in
            try await signUp(client, fixture, password: "short").expectError("InvalidPasswordException")
            try await signUp(client, fixture, password: "nouppercase-1!").expectError("InvalidPasswordException")
            try await signUp(client, fixture, password: "NoNumbers-here!").expectError("InvalidPasswordException")
            try await signUp(client, fixture, password: "NoSymbols123").expectError("InvalidPasswordException")
            try await signUp(client, fixture, username: "ALICE").expectError("UsernameExistsException")

            _ = try await signUp(client, fixture)
            let first = try fixture.lastCode(for: "carol")
            let sentBefore = fixture.mailbox.filter { $0.username == "carol" }.count
            // A fresh code is random, so it may repeat the old one by chance (one in a million): resend until it
            // differs, a few times at most. A server that sends the old code again never gets past this.
            var second = first
            for _ in 0..<5 where second == first {
                let resent = try await client.call(
                    "ResendConfirmationCode", ["ClientId": fixture.clientId, "Username": "carol"])
                #expect(resent.status == .ok)
                second = try fixture.lastCode(for: "carol")
            }
            #expect(fixture.mailbox.filter { $0.username == "carol" }.count > sentBefore, "a resend sends a message")
            #expect(second != first, "a resend sends a new code")
            try await client.call(
                "ConfirmSignUp", ["ClientId": fixture.clientId, "Username": "carol", "ConfirmationCode": first]
            ).expectError("CodeMismatchException")
            let confirmed = try await client.call(
                "ConfirmSignUp", ["ClientId": fixture.clientId, "Username": "carol", "ConfirmationCode": second])
            #expect(confirmed.status == .ok)
        }
    }

    @Test("confirmation codes expire after a day (refused like a wrong code: only a known user can have one)")
    func codeExpiry() async throws {
        try await withCloud(demo: false) { client, fixture in
            _ = try await signUp(client, fixture)
            fixture.clock.advance(by: 24 * 3600 + 1)
            try await client.call(
                "ConfirmSignUp",
                [
                    "ClientId": fixture.clientId, "Username": "carol",
                    "ConfirmationCode": try fixture.lastCode(for: "carol"),
                ]
            ).expectError("CodeMismatchException")
        }
    }

    @Test("forgot password: a code by email resets it; unknown users get an answer of the same shape")
    func forgotPassword() async throws {
        try await withCloud { client, fixture in
            let known = try await client.call("ForgotPassword", ["ClientId": fixture.clientId, "Username": "alice"])
            let unknown = try await client.call(
                "ForgotPassword", ["ClientId": fixture.clientId, "Username": "mallory"])
            #expect(known.status == .ok && unknown.status == .ok)
            #expect(try known.jsonObject.keys.sorted() == unknown.jsonObject.keys.sorted())
            let code = try fixture.lastCode(for: "alice")
            #expect(fixture.mailbox.last?.purpose == "ForgotPassword")
            try await client.call(
                "ConfirmForgotPassword",
                ["ClientId": fixture.clientId, "Username": "alice", "ConfirmationCode": code, "Password": "weak"]
            ).expectError("InvalidPasswordException")
            let reset = try await client.call(
                "ConfirmForgotPassword",
                [
                    "ClientId": fixture.clientId, "Username": "alice", "ConfirmationCode": code,
                    "Password": "Looking-Glass-7",
                ])
            #expect(reset.status == .ok, "\(reset.text)")
            try await client.srpSignIn("alice", "Wonderland-42!", fixture: fixture).expectError(
                "NotAuthorizedException")
            _ = try await client.srpSignIn("alice", "Looking-Glass-7", fixture: fixture).tokens()
            try await client.call(
                "ConfirmForgotPassword",
                [
                    "ClientId": fixture.clientId, "Username": "alice", "ConfirmationCode": code,
                    "Password": "Another-One-8",
                ]
            ).expectError("CodeMismatchException")
        }
    }

    @Test("change password, get and update the user, verify a new email")
    func signedInUser() async throws {
        try await withCloud { client, fixture in
            let tokens = try await client.srpSignIn("bob", "Builder-42!", fixture: fixture).tokens()
            try await client.call(
                "ChangePassword",
                ["AccessToken": tokens.accessToken, "PreviousPassword": "nope", "ProposedPassword": "Builder-43!"]
            ).expectError("NotAuthorizedException")
            let changed = try await client.call(
                "ChangePassword",
                [
                    "AccessToken": tokens.accessToken, "PreviousPassword": "Builder-42!",
                    "ProposedPassword": "Builder-43!",
                ])
            #expect(changed.status == .ok, "\(changed.text)")
            _ = try await client.srpSignIn("bob", "Builder-43!", fixture: fixture).tokens()

            let updated = try await client.call(
                "UpdateUserAttributes",
                [
                    "AccessToken": tokens.accessToken,
                    "UserAttributes": [
                        ["Name": "email", "Value": "robert@example.com"], ["Name": "name", "Value": "Bob"],
                    ],
                ]
            ).jsonObject
            #expect((updated["CodeDeliveryDetailsList"] as? [Any])?.count == 1)
            var user = try await client.call("GetUser", ["AccessToken": tokens.accessToken]).jsonObject
            #expect(user["Username"] as? String == "bob")
            var attributes = try #require(user["UserAttributes"] as? [[String: String]])
            // bob's verified address stays in use until the new one's code is confirmed.
            #expect(attributes.contains(["Name": "email", "Value": "bob@example.com"]))
            #expect(attributes.contains(["Name": "email_verified", "Value": "true"]))
            #expect(attributes.contains(["Name": "name", "Value": "Bob"]))
            #expect(fixture.mailbox.last?.destination == "robert@example.com")

            let verified = try await client.call(
                "VerifyUserAttribute",
                ["AccessToken": tokens.accessToken, "AttributeName": "email", "Code": try fixture.lastCode(for: "bob")])
            #expect(verified.status == .ok, "\(verified.text)")
            user = try await client.call("GetUser", ["AccessToken": tokens.accessToken]).jsonObject
            attributes = try #require(user["UserAttributes"] as? [[String: String]])
            #expect(attributes.contains(["Name": "email", "Value": "robert@example.com"]))
            #expect(attributes.contains(["Name": "email_verified", "Value": "true"]))

            try await client.call(
                "UpdateUserAttributes",
                ["AccessToken": tokens.accessToken, "UserAttributes": [["Name": "sub", "Value": "x"]]]
            ).expectError("InvalidParameterException")
            try await client.call("GetUser", ["AccessToken": tokens.idToken]).expectError(
                "NotAuthorizedException", "Invalid Access Token")
            fixture.clock.advance(by: 3600)
            try await client.call("GetUser", ["AccessToken": tokens.accessToken]).expectError(
                "NotAuthorizedException", "expired")
        }
    }

    @Test("GlobalSignOut refuses every refresh token and the access token afterwards")
    func globalSignOut() async throws {
        try await withCloud { client, fixture in
            let first = try await client.srpSignIn("alice", "Wonderland-42!", fixture: fixture).tokens()
            let second = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let signedOut = try await client.call("GlobalSignOut", ["AccessToken": first.accessToken])
            #expect(signedOut.status == .ok, "\(signedOut.text)")
            for token in [first.refreshToken!, second.refreshToken!] {
                try await client.initiateAuth(
                    clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken, parameters: ["REFRESH_TOKEN": token]
                ).expectError("NotAuthorizedException")
            }
            try await client.call("GetUser", ["AccessToken": second.accessToken]).expectError(
                "NotAuthorizedException", "revoked")
            _ = try await client.srpSignIn("alice", "Wonderland-42!", fixture: fixture).tokens()
        }
    }

    @Test("RevokeToken refuses that refresh token only")
    func revokeToken() async throws {
        try await withCloud { client, fixture in
            let first = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let second = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let revoked = try await client.call(
                "RevokeToken", ["ClientId": fixture.clientId, "Token": first.refreshToken!])
            #expect(revoked.status == .ok, "\(revoked.text)")
            try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": first.refreshToken!]
            ).expectError("NotAuthorizedException")
            try await client.call("GetUser", ["AccessToken": first.accessToken]).expectError("NotAuthorizedException")
            let refreshed = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": second.refreshToken!])
            #expect(refreshed.status == .ok)
        }
    }

    @Test("with rotation on, a refresh returns a new refresh token and the old one stops working")
    func rotation() async throws {
        try await withPool(rotation: true) { client, fixture in
            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let refreshed = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": signIn.refreshToken!]
            ).tokens()
            let newToken = try #require(refreshed.refreshToken)
            #expect(newToken != signIn.refreshToken)
            try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": signIn.refreshToken!]
            ).expectError("NotAuthorizedException")
            _ = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken, parameters: ["REFRESH_TOKEN": newToken]
            ).tokens()
        }
    }

    @Test("the request log never holds passwords, codes, tokens, secrets or SRP values")
    func logHygiene() async throws {
        try await withCloud { client, fixture in
            let (srp, started) = try await client.startSRP("alice", fixture: fixture)
            let challenge = try started.challenge("PASSWORD_VERIFIER")
            let responses = try client.passwordVerifierResponses(
                srp, challenge: challenge, password: "Wonderland-42!", fixture: fixture)
            let tokens = try await client.respond(
                "PASSWORD_VERIFIER", session: nil, responses: responses, fixture: fixture
            )
            .tokens()
            let emma = try await client.srpSignIn("emma", "Envelope-42!", fixture: fixture).challenge("EMAIL_OTP")
            let emmaCode = try fixture.lastCode(for: "emma")
            _ = try await client.respond(
                "EMAIL_OTP", session: emma.session, responses: ["USERNAME": "emma", "EMAIL_OTP_CODE": emmaCode],
                fixture: fixture)
            _ = try await client.call("ForgotPassword", ["ClientId": fixture.clientId, "Username": "bob"])

            // Written off the request path: the ForgotPassword line comes shortly after its answer.
            try await waitUntil {
                ((try? String(contentsOf: fixture.dataDirectory.requestLog, encoding: .utf8)) ?? "")
                    .contains("cognito.ForgotPassword")
            }
            let log = try String(contentsOf: fixture.dataDirectory.requestLog, encoding: .utf8)
            #expect(log.contains("cognito.RespondToAuthChallenge"))
            let secrets = [
                "Wonderland-42!", "Envelope-42!", emmaCode, try fixture.lastCode(for: "bob"), tokens.idToken,
                tokens.accessToken, tokens.refreshToken!, srp.publicValueHex.prefix(32).description,
                challenge.challengeParameters!["SRP_B"]!.prefix(32).description,
                challenge.challengeParameters!["SECRET_BLOCK"]!.prefix(24).description,
                responses["PASSWORD_CLAIM_SIGNATURE"]!, emma.session!, DemoData.tinaTOTPSecret,
            ]
            for secret in secrets {
                #expect(!log.contains(secret), "the request log contains a secret")
            }
        }
    }
}
