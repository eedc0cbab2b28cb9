import Crypto
import Foundation
import HandsetCloudStorage

/// Cognito's `SECRET_HASH` for app clients with a secret:
/// Base64(HMAC-SHA256(key: secret, message: username + clientId)).
enum SecretHash {
    static func compute(secret: String, username: String, clientId: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data((username + clientId).utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(code).base64EncodedString()
    }

    static func matches(_ provided: String?, secret: String, username: String, clientId: String) -> Bool {
        guard let provided else { return false }
        let expected = compute(secret: secret, username: username, clientId: clientId)
        return ConstantTime.equals(Array(provided.utf8), Array(expected.utf8))
    }
}
