import Foundation
import HandsetWire

/// Ending sessions on the server; `SessionManager.signOut(everywhere:)` calls these and forgets the tokens here.
extension CognitoClient {
    /// `RevokeToken`: ends the sign-in this refresh token belongs to. An app client with a secret must prove it
    /// (Cognito refuses the call otherwise).
    public func revokeToken(_ refreshToken: String) async throws {
        var body: [String: JSONValue] = ["Token": .string(refreshToken), "ClientId": .string(configuration.clientId)]
        if let secret = configuration.clientSecret { body["ClientSecret"] = .string(secret) }
        _ = try await call("RevokeToken", body: .object(body))
    }

    /// `GlobalSignOut`: ends every session of the user, on every device.
    public func globalSignOut(accessToken: String) async throws {
        _ = try await call("GlobalSignOut", body: ["AccessToken": .string(accessToken)])
    }
}
