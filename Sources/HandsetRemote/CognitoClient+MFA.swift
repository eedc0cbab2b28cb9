import Foundation
import HandsetModel
import HandsetWire

/// The signed-in person's multi-factor settings: what `handset mfa setup` and the account screen use.
extension CognitoClient {
    /// `GetUser`: the account's MFA settings.
    public func mfaSettings(accessToken: String) async throws -> MFASettings {
        let user = try await call("GetUser", body: ["AccessToken": .string(accessToken)])
        let list = user["UserMFASettingList"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return MFASettings(enabled: list, preferred: user["PreferredMfaSetting"]?.stringValue)
    }

    /// `AssociateSoftwareToken`: a new authenticator secret (not active until verified).
    public func associateSoftwareToken(accessToken: String) async throws -> String {
        let answer = try await call("AssociateSoftwareToken", body: ["AccessToken": .string(accessToken)])
        guard let secret = answer["SecretCode"]?.stringValue, !secret.isEmpty else {
            throw RemoteError.badResponse("AssociateSoftwareToken answered without a secret")
        }
        return secret
    }

    /// `VerifySoftwareToken` with the app's first code, then `SetUserMFAPreference` making it the preferred factor.
    public func verifyAndPreferSoftwareToken(accessToken: String, code: String) async throws {
        let verified = try await call(
            "VerifySoftwareToken",
            body: ["AccessToken": .string(accessToken), "UserCode": .string(code), "FriendlyDeviceName": "handset"])
        guard verified["Status"]?.stringValue == "SUCCESS" else {
            throw RemoteError.cognito(
                type: "EnableSoftwareTokenMFAException", message: "That code did not verify; try the next one")
        }
        try await setSoftwareTokenMFA(accessToken: accessToken, enabled: true)
    }

    /// `SetUserMFAPreference` for the authenticator app: on and preferred, or off.
    public func setSoftwareTokenMFA(accessToken: String, enabled: Bool) async throws {
        _ = try await call(
            "SetUserMFAPreference",
            body: [
                "AccessToken": .string(accessToken),
                "SoftwareTokenMfaSettings": ["Enabled": .bool(enabled), "PreferredMfa": .bool(enabled)],
            ])
    }
}
