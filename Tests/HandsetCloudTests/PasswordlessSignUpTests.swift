import Foundation
import HandsetWire
import Testing

@testable import HandsetCloud

/// SignUp without a password: allowed where users may sign in with a one-time code, refused elsewhere.
@Suite("Passwordless sign-up")
struct PasswordlessSignUpTests {
    /// The pool lets a code by email be the first factor, and the app client uses USER_AUTH.
    static func allowEmailCodesFirst(_ client: any TestClientProtocol, _ fixture: CloudFixture) async throws {
        let pool = try await client.call(
            "UpdateUserPool",
            [
                "UserPoolId": fixture.pool.userPoolId, "MfaConfiguration": "OPTIONAL",
                "Policies": ["SignInPolicy": ["AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]]],
            ])
        #expect(pool.status == .ok, "\(pool.text)")
        let flows = try await client.call(
            "UpdateUserPoolClient",
            [
                "UserPoolId": fixture.pool.userPoolId, "ClientId": fixture.clientId, "ClientName": "handset",
                "ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            ])
        #expect(flows.status == .ok, "\(flows.text)")
    }

    @Test("refused in a password-only pool; in a pool with EMAIL_OTP, the account is created and confirmed")
    func signUpWithoutPassword() async throws {
        try await withCloud(demo: false) { client, fixture in
            let request: [String: Any] = [
                "ClientId": fixture.clientId, "Username": "nopass",
                "UserAttributes": [["Name": "email", "Value": "nopass@example.com"]],
            ]
            try await client.call("SignUp", request).expectError("InvalidParameterException", "password is required")
            try await client.call("SignUp", request.merging(["Password": ""]) { $1 })
                .expectError("InvalidParameterException", "password is required")
            try await client.call("AdminGetUser", ["UserPoolId": fixture.pool.userPoolId, "Username": "nopass"])
                .expectError("UserNotFoundException")

            let updated = try await client.call(
                "UpdateUserPool",
                [
                    "UserPoolId": fixture.pool.userPoolId, "MfaConfiguration": "OPTIONAL",
                    "Policies": ["SignInPolicy": ["AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]]],
                ])
            #expect(updated.status == .ok, "\(updated.text)")
            let signedUp = try await client.call("SignUp", request)
            #expect(signedUp.status == .ok, "\(signedUp.text)")
            let code = try #require(fixture.mailbox.last?.code)
            let confirmed = try await client.call(
                "ConfirmSignUp", ["ClientId": fixture.clientId, "Username": "nopass", "ConfirmationCode": code])
            #expect(confirmed.status == .ok, "\(confirmed.text)")
            let user = try await client.call(
                "AdminGetUser", ["UserPoolId": fixture.pool.userPoolId, "Username": "nopass"])
            #expect(try user.jsonObject["UserStatus"] as? String == "CONFIRMED")
            // No password signs this account in; a weak one given is still checked against the policy.
            for password in ["", "x", "Anything-At-All-1!"] {
                let attempt = try await client.initiateAuth(
                    clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                    parameters: ["USERNAME": "nopass", "PASSWORD": password])
                #expect(attempt.status != .ok)
            }
            try await client.call(
                "SignUp", ["ClientId": fixture.clientId, "Username": "weak", "Password": "x"]
            ).expectError("InvalidPasswordException")
        }
    }

    @Test("USER_AUTH offers a passwordless user only the codes, until a password is set; others keep PASSWORD")
    func passwordlessUserIsNotOfferedThePassword() async throws {
        try await withCloud(demo: false) { client, fixture in
            let poolId = fixture.pool.userPoolId
            try await Self.allowEmailCodesFirst(client, fixture)
            for (username, password) in [("nopass", nil), ("withpass", "With-A-Password-1!")] {
                var request: [String: Any] = [
                    "ClientId": fixture.clientId, "Username": username,
                    "UserAttributes": [["Name": "email", "Value": "\(username)@example.com"]],
                ]
                request["Password"] = password
                let signedUp = try await client.call("SignUp", request)
                #expect(signedUp.status == .ok, "\(signedUp.text)")
                let code = try #require(fixture.mailbox.last?.code)
                let confirmed = try await client.call(
                    "ConfirmSignUp", ["ClientId": fixture.clientId, "Username": username, "ConfirmationCode": code])
                #expect(confirmed.status == .ok, "\(confirmed.text)")
            }
            func start(_ username: String, _ extra: [String: String] = [:]) async throws -> TestResponse {
                try await client.initiateAuth(
                    clientId: fixture.clientId, flow: "USER_AUTH",
                    parameters: ["USERNAME": username].merging(extra) { $1 })
            }
            let offered = try await start("nopass").challenge("SELECT_CHALLENGE")
            #expect(offered.availableChallenges == ["EMAIL_OTP"])
            #expect(
                try await start("withpass").challenge("SELECT_CHALLENGE").availableChallenges
                    == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"])
            #expect(
                try await start("nobody").challenge("SELECT_CHALLENGE").availableChallenges
                    == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"], "a name that is no user looks like one with all")
            // Asking for the password falls back to the choice; answering it is refused.
            let preferred = try await start("nopass", ["PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "guess"])
                .challenge("SELECT_CHALLENGE")
            #expect(preferred.availableChallenges == ["EMAIL_OTP"])
            try await client.respond(
                "SELECT_CHALLENGE", session: offered.session,
                responses: ["USERNAME": "nopass", "ANSWER": "PASSWORD", "PASSWORD": "guess"], fixture: fixture
            ).expectError("InvalidParameterException", "ANSWER must be one of")
            let code = try await client.respond(
                "SELECT_CHALLENGE", session: preferred.session,
                responses: ["USERNAME": "nopass", "ANSWER": "EMAIL_OTP"], fixture: fixture
            ).challenge("EMAIL_OTP")
            #expect(code.session != nil)

            // Once an administrator sets a password, the user has one to answer with.
            let set = try await client.call(
                "AdminSetUserPassword",
                ["UserPoolId": poolId, "Username": "nopass", "Password": "Now-A-Password-1!", "Permanent": true])
            #expect(set.status == .ok, "\(set.text)")
            #expect(
                try await start("nopass").challenge("SELECT_CHALLENGE").availableChallenges
                    == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"])
            let tokens = try await start(
                "nopass", ["PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Now-A-Password-1!"])
            #expect(tokens.status == .ok && tokens.text.contains("AccessToken"), "\(tokens.text)")
        }
    }

    @Test("ChangePassword without PreviousPassword sets a passwordless user's first password; others must give theirs")
    func passwordlessUserSetsAPassword() async throws {
        try await withCloud(demo: false) { client, fixture in
            try await Self.allowEmailCodesFirst(client, fixture)
            let signedUp = try await client.call(
                "SignUp",
                [
                    "ClientId": fixture.clientId, "Username": "nopass",
                    "UserAttributes": [["Name": "email", "Value": "nopass@example.com"]],
                ])
            #expect(signedUp.status == .ok, "\(signedUp.text)")
            let confirmed = try await client.call(
                "ConfirmSignUp",
                [
                    "ClientId": fixture.clientId, "Username": "nopass",
                    "ConfirmationCode": try #require(fixture.mailbox.last?.code),
                ])
            #expect(confirmed.status == .ok, "\(confirmed.text)")
            let started = try await client.initiateAuth(
                clientId: fixture.clientId, flow: "USER_AUTH",
                parameters: ["USERNAME": "nopass", "PREFERRED_CHALLENGE": "EMAIL_OTP"]
            ).challenge("EMAIL_OTP")
            let signedIn = try await client.respond(
                "EMAIL_OTP", session: started.session,
                responses: ["USERNAME": "nopass", "EMAIL_OTP_CODE": try #require(fixture.mailbox.last?.code)],
                fixture: fixture
            ).tokens()

            // Without PreviousPassword: the first password. A weak one is still held to the policy.
            try await client.call(
                "ChangePassword", ["AccessToken": signedIn.accessToken, "ProposedPassword": "x"]
            ).expectError("InvalidPasswordException")
            let changed = try await client.call(
                "ChangePassword", ["AccessToken": signedIn.accessToken, "ProposedPassword": "First-Password-1!"])
            #expect(changed.status == .ok, "\(changed.text)")
            let withPassword = try await client.initiateAuth(
                clientId: fixture.clientId, flow: "USER_AUTH",
                parameters: ["USERNAME": "nopass", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "First-Password-1!"])
            #expect(withPassword.status == .ok && withPassword.text.contains("AccessToken"), "\(withPassword.text)")

            // Now the user has a password: leaving it out, or a wrong one, is refused.
            try await client.call(
                "ChangePassword", ["AccessToken": signedIn.accessToken, "ProposedPassword": "Second-Password-1!"]
            ).expectError("NotAuthorizedException")
            try await client.call(
                "ChangePassword",
                [
                    "AccessToken": signedIn.accessToken, "PreviousPassword": "wrong",
                    "ProposedPassword": "Second-Password-1!",
                ]
            ).expectError("NotAuthorizedException")
            let second = try await client.call(
                "ChangePassword",
                [
                    "AccessToken": signedIn.accessToken, "PreviousPassword": "First-Password-1!",
                    "ProposedPassword": "Second-Password-1!",
                ])
            #expect(second.status == .ok, "\(second.text)")
        }
    }
}
