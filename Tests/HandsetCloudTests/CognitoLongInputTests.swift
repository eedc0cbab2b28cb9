import Foundation
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// Usernames and attribute values as long as anyone cares to send reach storage as they are (a typed username is
/// counted and kept in its challenge session whatever its length; attribute values may have 2048 characters): every
/// backend answers them like any other, never with an internal error. MariaDB once did (columns too short).
@Suite("Cognito: long usernames and attribute values")
struct CognitoLongInputTests {
    @Test("each operation answers long input as it answers short input", arguments: TestBackend.allCases)
    func longInput(backend: TestBackend) async throws {
        try await withCloud(backend: backend) { client, fixture in
            let typed = String(repeating: "z", count: 3000)
            let email = String(repeating: "a", count: 300) + "@" + String(repeating: "b", count: 500) + ".com"
            let calls: [(String, [String: Any], HTTPResponse.Status)] = [
                (
                    "SignUp",
                    [
                        "ClientId": fixture.clientId, "Username": "longmail", "Password": "Long-Input-42!",
                        "UserAttributes": [["Name": "email", "Value": email]],
                    ], .ok
                ),
                (
                    "InitiateAuth",
                    [
                        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": fixture.clientId,
                        "AuthParameters": ["USERNAME": typed, "PASSWORD": "wrong"],
                    ], .badRequest
                ),
                (
                    "InitiateAuth",
                    [
                        "AuthFlow": "USER_SRP_AUTH", "ClientId": fixture.clientId,
                        "AuthParameters": ["USERNAME": typed, "SRP_A": String(repeating: "ab", count: 384)],
                    ], .ok
                ),
                (
                    "ConfirmSignUp", ["ClientId": fixture.clientId, "Username": typed, "ConfirmationCode": "123456"],
                    .badRequest
                ),
                ("ForgotPassword", ["ClientId": fixture.clientId, "Username": typed], .ok),
                (
                    "ConfirmForgotPassword",
                    [
                        "ClientId": fixture.clientId, "Username": typed, "ConfirmationCode": "123456",
                        "Password": "Long-Input-42!",
                    ], .badRequest
                ),
            ]
            for (operation, body, expected) in calls {
                let response = try await client.call(operation, body)
                #expect(response.status == expected, "\(operation): \(response.text)")
            }
            let user = try #require(try await fixture.storage.identity.user(named: "longmail"))
            #expect(user.email == email)
        }
    }
}
