import Foundation
import HandsetWire
import Testing

@testable import HandsetCloud

/// A `custom:*` attribute exists only once the pool's schema declares it (AddCustomAttributes, or pool.json), as in
/// Cognito: every operation that writes attributes refuses an undeclared one with Cognito's error.
@Suite("Custom attributes and the pool's schema")
struct CognitoCustomAttributeTests {
    static let notInSchema = "Attributes did not conform to the schema: custom:team: Attribute does not exist"

    @Test("SignUp, AdminCreateUser, UpdateUserAttributes and AdminUpdateUserAttributes refuse undeclared ones")
    func undeclaredAreRefused() async throws {
        try await withCloud { client, fixture in
            let poolId = fixture.pool.userPoolId
            let team = [["Name": "custom:team", "Value": "blue"]]
            try await client.call(
                "SignUp",
                [
                    "ClientId": fixture.clientId, "Username": "newcomer", "Password": "Newcomer-Pass-1!",
                    "UserAttributes": [["Name": "email", "Value": "new@example.com"]] + team,
                ]
            ).expectError("InvalidParameterException", Self.notInSchema)
            try await client.call(
                "AdminCreateUser",
                ["UserPoolId": poolId, "Username": "made", "MessageAction": "SUPPRESS", "UserAttributes": team]
            ).expectError("InvalidParameterException", Self.notInSchema)
            try await client.call(
                "AdminUpdateUserAttributes", ["UserPoolId": poolId, "Username": "alice", "UserAttributes": team]
            ).expectError("InvalidParameterException", Self.notInSchema)
            let tokens = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            try await client.call("UpdateUserAttributes", ["AccessToken": tokens.accessToken, "UserAttributes": team])
                .expectError("InvalidParameterException", Self.notInSchema)
            // Nothing was created or changed.
            try await client.call("AdminGetUser", ["UserPoolId": poolId, "Username": "newcomer"])
                .expectError("UserNotFoundException")
            let alice = try await client.call("AdminGetUser", ["UserPoolId": poolId, "Username": "alice"]).jsonObject
            let names = (alice["UserAttributes"] as? [[String: Any]] ?? []).compactMap { $0["Name"] as? String }
            #expect(!names.contains("custom:team"))

            // Declared, the same requests work; a developer-only attribute is the administrator's alone.
            let declared = try await client.call(
                "AddCustomAttributes",
                [
                    "UserPoolId": poolId,
                    "CustomAttributes": [
                        ["Name": "team", "AttributeDataType": "String"],
                        ["Name": "score", "AttributeDataType": "Number", "DeveloperOnlyAttribute": true],
                    ],
                ])
            #expect(declared.status == .ok, "\(declared.text)")
            let signedUp = try await client.call(
                "SignUp",
                [
                    "ClientId": fixture.clientId, "Username": "newcomer", "Password": "Newcomer-Pass-1!",
                    "UserAttributes": [["Name": "email", "Value": "new@example.com"]] + team,
                ])
            #expect(signedUp.status == .ok, "\(signedUp.text)")
            let updated = try await client.call(
                "UpdateUserAttributes", ["AccessToken": tokens.accessToken, "UserAttributes": team])
            #expect(updated.status == .ok, "\(updated.text)")
            try await client.call(
                "UpdateUserAttributes",
                ["AccessToken": tokens.accessToken, "UserAttributes": [["Name": "custom:score", "Value": "3"]]]
            ).expectError("NotAuthorizedException")
            let byAdmin = try await client.call(
                "AdminUpdateUserAttributes",
                [
                    "UserPoolId": poolId, "Username": "alice",
                    "UserAttributes": [["Name": "custom:score", "Value": "3"]],
                ])
            #expect(byAdmin.status == .ok, "\(byAdmin.text)")
            let after = try await client.call("AdminGetUser", ["UserPoolId": poolId, "Username": "alice"]).jsonObject
            let values = Dictionary(
                (after["UserAttributes"] as? [[String: Any]] ?? []).compactMap { attribute in
                    (attribute["Name"] as? String).map { ($0, attribute["Value"] as? String) }
                }, uniquingKeysWith: { first, _ in first })
            #expect(values["custom:team"] == "blue" && values["custom:score"] == "3")
        }
    }

    @Test("a NEW_PASSWORD_REQUIRED answer cannot set an undeclared custom attribute")
    func newPasswordChallenge() async throws {
        try await withCloud(demo: false) { client, fixture in
            let poolId = fixture.pool.userPoolId
            let created = try await client.call(
                "AdminCreateUser",
                [
                    "UserPoolId": poolId, "Username": "fresh", "TemporaryPassword": "Temporary-Pass-1",
                    "MessageAction": "SUPPRESS",
                ])
            #expect(created.status == .ok, "\(created.text)")
            let challenge = try await client.srpSignIn("fresh", "Temporary-Pass-1", fixture: fixture)
                .challenge("NEW_PASSWORD_REQUIRED")
            try await client.respond(
                "NEW_PASSWORD_REQUIRED", session: challenge.session,
                responses: [
                    "USERNAME": "fresh", "NEW_PASSWORD": "Fresh-Chosen-Pass-1", "userAttributes.custom:team": "red",
                ], fixture: fixture
            ).expectError("InvalidParameterException", Self.notInSchema)
        }
    }

    @Test("an immutable custom attribute is set at SignUp and AdminCreateUser, and never changed afterwards")
    func immutableAttributes() async throws {
        try await withCloud { client, fixture in
            let poolId = fixture.pool.userPoolId
            let declared = try await client.call(
                "AddCustomAttributes",
                [
                    "UserPoolId": poolId,
                    "CustomAttributes": [
                        ["Name": "badge", "AttributeDataType": "String", "Mutable": false],
                        ["Name": "team", "AttributeDataType": "String"],
                    ],
                ])
            #expect(declared.status == .ok, "\(declared.text)")
            let badge = { (value: String) in [["Name": "custom:badge", "Value": value]] }
            let signedUp = try await client.call(
                "SignUp",
                [
                    "ClientId": fixture.clientId, "Username": "newcomer", "Password": "Newcomer-Pass-1!",
                    "UserAttributes": [["Name": "email", "Value": "new@example.com"]] + badge("gold"),
                ])
            #expect(signedUp.status == .ok, "\(signedUp.text)")
            let created = try await client.call(
                "AdminCreateUser",
                ["UserPoolId": poolId, "Username": "made", "MessageAction": "SUPPRESS", "UserAttributes": badge("red")])
            #expect(created.status == .ok, "\(created.text)")
            func values(_ username: String) async throws -> [String: String] {
                let user = try await client.call("AdminGetUser", ["UserPoolId": poolId, "Username": username])
                var values: [String: String] = [:]
                for attribute in try user.jsonObject["UserAttributes"] as? [[String: Any]] ?? [] {
                    if let name = attribute["Name"] as? String { values[name] = attribute["Value"] as? String }
                }
                return values
            }
            #expect(try await values("newcomer")["custom:badge"] == "gold")
            #expect(try await values("made")["custom:badge"] == "red")

            let message = "user.custom:badge: Attribute cannot be updated. (changing an immutable attribute)"
            // Changed, cleared, or set for the first time on a user created without it: all refused, and nothing
            // else in the same request is applied.
            for (username, value) in [("made", "blue"), ("made", ""), ("alice", "green")] {
                try await client.call(
                    "AdminUpdateUserAttributes",
                    [
                        "UserPoolId": poolId, "Username": username,
                        "UserAttributes": [["Name": "custom:team", "Value": "x"]] + badge(value),
                    ]
                ).expectError("InvalidParameterException", message)
            }
            let tokens = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            try await client.call(
                "UpdateUserAttributes",
                [
                    "AccessToken": tokens.accessToken,
                    "UserAttributes": [["Name": "custom:team", "Value": "x"]] + badge("green"),
                ]
            ).expectError("InvalidParameterException", message)
            try await client.call(
                "AdminDeleteUserAttributes",
                ["UserPoolId": poolId, "Username": "made", "UserAttributeNames": ["custom:badge"]]
            ).expectError("InvalidParameterException", message)
            #expect(try await values("made")["custom:badge"] == "red")
            #expect(try await values("made")["custom:team"] == nil)
            #expect(try await values("alice")["custom:badge"] == nil)
            #expect(try await values("alice")["custom:team"] == nil)
            // The mutable one alone still changes.
            let team = try await client.call(
                "UpdateUserAttributes",
                ["AccessToken": tokens.accessToken, "UserAttributes": [["Name": "custom:team", "Value": "blue"]]])
            #expect(team.status == .ok, "\(team.text)")
            #expect(try await values("alice")["custom:team"] == "blue")
        }
    }
}
