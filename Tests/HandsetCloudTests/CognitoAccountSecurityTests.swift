import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// Issue 12's reproductions against accounts: a stolen session's email change (6), sessions that outlive a reset
/// (12), usernames that hide characters (14), and the smaller token findings (15).
@Suite("Cognito: account takeover paths")
struct CognitoAccountSecurityTests {
    @Test("a changed email stays pending; reset codes go to the verified address only")
    func emailChangeTakeover() async throws {
        try await withCloud { client, fixture in
            let tokens = try await client.srpSignIn("bob", "Builder-42!", fixture: fixture).tokens()
            // The stolen access token changes the email to the attacker's.
            let changed = try await client.call(
                "UpdateUserAttributes",
                [
                    "AccessToken": tokens.accessToken,
                    "UserAttributes": [["Name": "email", "Value": "eve@evil.example"]],
                ])
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(fixture.mailbox.last?.destination == "eve@evil.example")
            #expect(fixture.mailbox.last?.purpose == "VerifyUserAttribute")
            let user = try await client.call("GetUser", ["AccessToken": tokens.accessToken]).jsonObject
            let attributes = try #require(user["UserAttributes"] as? [[String: String]])
            #expect(attributes.contains(["Name": "email", "Value": "bob@example.com"]))
            #expect(attributes.contains(["Name": "email_verified", "Value": "true"]))

            // The reset code goes to bob's verified address, not to the attacker's.
            _ = try await client.call("ForgotPassword", ["ClientId": fixture.clientId, "Username": "bob"])
            let reset = try #require(fixture.mailbox.last)
            #expect(reset.purpose == "ForgotPassword" && reset.destination == "bob@example.com")
            #expect(!fixture.mailbox.contains { $0.purpose == "ForgotPassword" && $0.destination.contains("evil") })

            // The new address takes over once its own code is confirmed.
            let code = try #require(fixture.mailbox.last { $0.destination == "eve@evil.example" }?.code)
            let verified = try await client.call(
                "VerifyUserAttribute", ["AccessToken": tokens.accessToken, "AttributeName": "email", "Code": code])
            #expect(verified.status == .ok, "\(verified.text)")
            let after = try await client.call("GetUser", ["AccessToken": tokens.accessToken]).jsonObject
            let newAttributes = try #require(after["UserAttributes"] as? [[String: String]])
            #expect(newAttributes.contains(["Name": "email", "Value": "eve@evil.example"]))
            #expect(newAttributes.contains(["Name": "email_verified", "Value": "true"]))
        }
    }

    @Test("an unverified email gets no reset code, and a reset does not verify it")
    func unverifiedEmail() async throws {
        try await withCloud(demo: false) { client, fixture in
            try await client.call(
                "AdminCreateUser",
                [
                    "UserPoolId": fixture.pool.userPoolId, "Username": "dora", "TemporaryPassword": "Temporary-Pass-1",
                    "MessageAction": "SUPPRESS", "UserAttributes": [["Name": "email", "Value": "dora@example.com"]],
                ]
            ).expectStatus(.ok)
            try await client.call(
                "AdminSetUserPassword",
                [
                    "UserPoolId": fixture.pool.userPoolId, "Username": "dora", "Password": "Permanent-Pass-1",
                    "Permanent": true,
                ]
            ).expectStatus(.ok)
            let before = fixture.mailbox.count
            let forgot = try await client.call("ForgotPassword", ["ClientId": fixture.clientId, "Username": "dora"])
            #expect(forgot.status == .ok, "answered like anyone else")
            #expect(fixture.mailbox.count == before, "no code went to the unverified address")
        }
    }

    @Test("a password reset ends every session: refresh tokens and access tokens stop working")
    func resetRevokesSessions() async throws {
        try await withCloud { client, fixture in
            let tokens = try await client.srpSignIn("alice", "Wonderland-42!", fixture: fixture).tokens()
            let refreshToken = try #require(tokens.refreshToken)
            _ = try await client.call("ForgotPassword", ["ClientId": fixture.clientId, "Username": "alice"])
            let reset = try await client.call(
                "ConfirmForgotPassword",
                [
                    "ClientId": fixture.clientId, "Username": "alice",
                    "ConfirmationCode": try fixture.lastCode(for: "alice"), "Password": "Looking-Glass-7",
                ])
            #expect(reset.status == .ok, "\(reset.text)")
            try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": refreshToken]
            ).expectError("NotAuthorizedException")
            try await client.call("GetUser", ["AccessToken": tokens.accessToken]).expectError(
                "NotAuthorizedException")
            _ = try await client.srpSignIn("alice", "Looking-Glass-7", fixture: fixture).tokens()
        }
    }

    @Test(
        "usernames that hide characters or pass for someone else's are refused",
        arguments: [
            "zw\u{200B}sp", "rlo\u{202E}exe", "\u{430}lice", "bob\u{0}", "tab\tname", "a b", "x\u{2028}y",
            "\u{5D0}\u{5D1}c", "\u{5D0}\u{202B}", "smile\u{1F600}", "",
        ])
    func refusedUsernames(name: String) async throws {
        try await withCloud(demo: false) { client, fixture in
            let response = try await client.call(
                "SignUp",
                [
                    "ClientId": fixture.clientId, "Username": name, "Password": "Carol-Password-1",
                    "UserAttributes": [["Name": "email", "Value": "x@example.com"]],
                ])
            try response.expectError("InvalidParameterException", "Username")
        }
    }

    @Test("usernames are stored as PRECIS maps them: case and width folded, so every spelling finds one user")
    func mappedUsernames() async throws {
        try await withCloud(demo: false) { client, fixture in
            let response = try await client.call(
                "SignUp",
                [
                    "ClientId": fixture.clientId, "Username": "ＣＡＲＯＬ", "Password": "Carol-Password-1",
                    "UserAttributes": [["Name": "email", "Value": "carol@example.com"]],
                ])
            #expect(response.status == .ok, "\(response.text)")
            try await client.call(
                "SignUp",
                [
                    "ClientId": fixture.clientId, "Username": "Carol", "Password": "Carol-Password-1",
                    "UserAttributes": [["Name": "email", "Value": "carol@example.com"]],
                ]
            ).expectError("UsernameExistsException")
            try await client.call(
                "ConfirmSignUp",
                ["ClientId": fixture.clientId, "Username": "carol", "ConfirmationCode": fixture.lastCode(for: "carol")]
            ).expectStatus(.ok)
            let tokens = try await client.srpSignIn("CAROL", "Carol-Password-1", fixture: fixture).tokens()
            #expect(try await idClaims(tokens.idToken).cognitoUsername == "carol")
            // Japanese names mix Han, Hiragana and Katakana; that is one writing system, not a lookalike.
            try await client.call(
                "SignUp",
                [
                    "ClientId": fixture.clientId, "Username": "山田たろうタロウ", "Password": "Carol-Password-1",
                    "UserAttributes": [["Name": "email", "Value": "taro@example.com"]],
                ]
            ).expectStatus(.ok)
        }
    }

    @Test("phone numbers: a plus and ASCII digits only", arguments: ["+١٢٣٤٥٦٧٨", "+1 555 0100", "+", "5550100"])
    func phoneNumbers(number: String) async throws {
        try await withCloud { client, fixture in
            let tokens = try await client.srpSignIn("bob", "Builder-42!", fixture: fixture).tokens()
            try await client.call(
                "UpdateUserAttributes",
                ["AccessToken": tokens.accessToken, "UserAttributes": [["Name": "phone_number", "Value": number]]]
            ).expectError("InvalidParameterException", "phone")
        }
    }

    @Test("a JWT whose signature carries = padding is refused, by the authorizer and by Cognito's operations")
    func paddedSignature() async throws {
        try await withCloud { client, fixture in
            let tokens = try await client.srpSignIn("alice", "Wonderland-42!", fixture: fixture).tokens()
            #expect(try await client.get("/api/tasks", token: tokens.idToken).status == .ok)
            let padded = tokens.idToken + "="
            #expect(try await client.get("/api/tasks", token: padded).status == .unauthorized)
            #expect(try await client.get("/api/tasks", token: tokens.idToken + "==").status == .unauthorized)
            try await client.call("GetUser", ["AccessToken": tokens.accessToken + "="]).expectError(
                "NotAuthorizedException")
            #expect(CompactJWT.hasCompactShape("a.b.c"))
            for bad in ["a.b.c=", "a.b", "a.b.c.d", ".b.c", "a..c", "a.b.c ", "a.b+.c", "a.b/.c"] {
                #expect(!CompactJWT.hasCompactShape(bad), "\(bad)")
            }
        }
    }

    @Test("token answers say Cache-Control: no-store")
    func noStore() async throws {
        try await withCloud { client, fixture in
            let response = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                parameters: ["USERNAME": "alice", "PASSWORD": "Wonderland-42!"])
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
        }
    }

    @Test("a rotated refresh token presented again revokes its whole family")
    func refreshTokenReuse() async throws {
        try await withPool(rotation: true) { client, fixture in
            let first = try #require(
                try await client.srpSignIn("alice", "Wonderland-42!", fixture: fixture).tokens().refreshToken)
            func refresh(_ token: String) async throws -> TestResponse {
                try await client.initiateAuth(
                    clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                    parameters: ["REFRESH_TOKEN": token])
            }
            let second = try #require(try await refresh(first).tokens().refreshToken)
            // A retry right after the rotation (a lost answer) is only refused.
            try await refresh(first).expectError("NotAuthorizedException")
            let third = try #require(try await refresh(second).tokens().refreshToken)
            fixture.clock.advance(by: AuthenticationService.rotationRetryGrace + 1)
            // The thief replays a token rotated earlier: the family ends, the current token included.
            try await refresh(second).expectError("NotAuthorizedException")
            try await refresh(third).expectError("NotAuthorizedException")
            // Another sign-in is a family of its own.
            let other = try #require(
                try await client.srpSignIn("alice", "Wonderland-42!", fixture: fixture).tokens().refreshToken)
            _ = try await refresh(other).tokens()
        }
    }

    @Test("an unknown X-Amz-Target is not echoed whole")
    func unknownTargetEcho() async throws {
        try await withCloud { client, _ in
            let target = String(repeating: "A", count: 10_000)
            for operation in [target, "AWSCognitoIdentityProviderService." + target] {
                var headers: HTTPFields = [.contentType: CognitoWire.contentType]
                headers[HTTPField.Name(CognitoWire.targetHeader)!] = operation
                let response = try await client.execute(
                    uri: "/", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
                try response.expectError("UnknownOperationException")
                #expect(response.body.readableBytes < 400, "\(response.body.readableBytes) bytes")
            }
        }
    }

    @Test("SRP_A longer than N is refused before it is stored")
    func oversizedPublicValue() async throws {
        try await withCloud { client, fixture in
            let huge = String(repeating: "f", count: 250_000)
            try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.userSRP,
                parameters: ["USERNAME": "alice", "SRP_A": huge]
            ).expectError("InvalidParameterException", "SRP_A")
            let counts = try await fixture.storage.identity.rowCounts()
            #expect(counts.sessions == 0)
        }
    }

    @Test("a Cognito body nested thousands deep is refused at once as malformed")
    func nestedBody() async throws {
        try await withCloud { client, _ in
            let body = String(repeating: "[", count: 16_384) + String(repeating: "]", count: 16_384)
            try await client.cognito("InitiateAuth", body: body).expectError("SerializationException")
            let wrapped =
                #"{"ClientId":"x","AuthFlow":"USER_SRP_AUTH","AuthParameters":{},"ClientMetadata":"#
                + String(repeating: "{\"a\":", count: 5000) + "1" + String(repeating: "}", count: 5001)
            try await client.cognito("InitiateAuth", body: wrapped).expectError("SerializationException")
        }
    }
}

extension TestResponse {
    func expectStatus(_ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.status == status, "\(text)", sourceLocation: sourceLocation)
    }
}
