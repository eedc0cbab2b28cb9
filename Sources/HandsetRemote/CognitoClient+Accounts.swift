import Foundation
import HandsetWire

/// Creating and recovering accounts: the calls behind `handset signup | confirm | password` and the TUI's
/// sign-up and forgot-password screens.
extension CognitoClient {
    /// Where Cognito sent a code (masked, e.g. `a***@e***.com`), if it says.
    public typealias Destination = String?

    /// `SignUp` with an email attribute. Returns whether the account is already confirmed (a pool may auto-confirm)
    /// and where the confirmation code went. Without a password the account signs in with one-time codes only
    /// (pools that allow them as a first factor; others refuse).
    public func signUp(
        username: String, password: String?, email: String
    ) async throws -> (confirmed: Bool, destination: Destination) {
        var body = accountBody(username: username)
        if let password { body["Password"] = .string(password) }
        body["UserAttributes"] = [["Name": "email", "Value": .string(email)]]
        let answer = try await call("SignUp", body: .object(body))
        return (answer["UserConfirmed"]?.boolValue == true, answer["CodeDeliveryDetails"]?["Destination"]?.stringValue)
    }

    /// `ConfirmSignUp` with the emailed code.
    public func confirmSignUp(username: String, code: String) async throws {
        var body = accountBody(username: username)
        body["ConfirmationCode"] = .string(code)
        _ = try await call("ConfirmSignUp", body: .object(body))
    }

    /// `ForgotPassword`: sends a reset code.
    public func forgotPassword(username: String) async throws -> Destination {
        let answer = try await call("ForgotPassword", body: .object(accountBody(username: username)))
        return answer["CodeDeliveryDetails"]?["Destination"]?.stringValue
    }

    /// `ConfirmForgotPassword`: the reset code and the new password.
    public func confirmForgotPassword(username: String, code: String, newPassword: String) async throws {
        var body = accountBody(username: username)
        body["ConfirmationCode"] = .string(code)
        body["Password"] = .string(newPassword)
        _ = try await call("ConfirmForgotPassword", body: .object(body))
    }

    private func accountBody(username: String) -> [String: JSONValue] {
        var body: [String: JSONValue] = ["ClientId": .string(configuration.clientId), "Username": .string(username)]
        if let hash = secretHash(username: username) { body["SecretHash"] = .string(hash) }
        return body
    }
}
