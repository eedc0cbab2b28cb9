import Foundation
import HandsetWire
import Testing

@testable import HandsetCloud

/// SignUp without a password: allowed where users may sign in with a one-time code, refused elsewhere.
@Suite("Passwordless sign-up")
struct PasswordlessSignUpTests {
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
}
