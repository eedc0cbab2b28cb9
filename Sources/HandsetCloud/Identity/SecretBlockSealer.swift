import Crypto
import Foundation
import HandsetCloudStorage

/// Seals what the server must remember between `InitiateAuth` (USER_SRP_AUTH) and the PASSWORD_VERIFIER answer into
/// the opaque SECRET_BLOCK, as Cognito does: the session id, when it was issued and the ephemeral SRP secret b,
/// encrypted and authenticated with AES-GCM under a key every instance shares (`KeyRepository`). The user id for SRP is bound as
/// associated data, so a block issued for one user is useless for another.
struct SecretBlockSealer: Sendable {
    let key: SymmetricKey

    struct Contents: Sendable, Equatable {
        /// The challenge session's id (32 bytes): single use is enforced through its database row.
        var sessionId: [UInt8]
        var issuedAt: Date
        var serverPrivateValue: [UInt8]
    }

    /// The sealing key every instance shares, created on the first start.
    static func load(from keys: any KeyRepository) async throws -> SecretBlockSealer {
        let bytes = try await keys.secret(named: .secretBlock, creatingWith: { SecureRandom.bytes(32) })
        return SecretBlockSealer(key: SymmetricKey(data: bytes))
    }

    /// HMAC-SHA256 of `text` under the server's key: stable answers for names that are not users (decoys), which
    /// nobody without the key can tell from real ones.
    func keyedDigest(of text: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
    }

    func seal(_ contents: Contents, userIdForSRP: String) throws -> String {
        var plain: [UInt8] = [1]
        plain += contents.sessionId
        var seconds = UInt64(max(0, contents.issuedAt.timeIntervalSince1970)).bigEndian
        plain += withUnsafeBytes(of: &seconds) { Array($0) }
        plain += contents.serverPrivateValue
        let box = try AES.GCM.seal(plain, using: key, authenticating: Array(userIdForSRP.utf8))
        guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
        return combined.base64EncodedString()
    }

    /// The contents, or `nil` for a block that is not base64, was tampered with, or was issued for another user.
    func open(_ secretBlock: String, userIdForSRP: String) -> Contents? {
        guard let data = Data(base64Encoded: secretBlock), let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Array(userIdForSRP.utf8))
        else { return nil }
        let bytes = [UInt8](plain)
        guard bytes.count > 41, bytes[0] == 1 else { return nil }
        let seconds = bytes[33..<41].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Contents(
            sessionId: Array(bytes[1..<33]), issuedAt: Date(timeIntervalSince1970: TimeInterval(seconds)),
            serverPrivateValue: Array(bytes[41...]))
    }
}
