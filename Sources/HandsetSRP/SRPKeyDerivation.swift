import Crypto
import Foundation

/// The hashes both sides of Cognito's SRP compute, in one place so that client and server cannot drift apart.
enum SRPKeyDerivation {
    /// u = H(padHex(A) | padHex(B)).
    static func scramblingParameter(clientPublicValue: [UInt8], serverPublicValue: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: SRPPadding.padded(clientPublicValue))
        hasher.update(data: SRPPadding.padded(serverPublicValue))
        return Array(hasher.finalize())
    }

    /// Cognito's HKDF: prk = HMAC(key: padHex(u), padHex(S)); key = HMAC(prk, "Caldera Derived Key" | 0x01)[0..<16].
    static func authenticationKey(premasterSecret: [UInt8], scramblingParameter: [UInt8]) -> [UInt8] {
        let pseudoRandomKey = HMAC<SHA256>.authenticationCode(
            for: SRPPadding.padded(premasterSecret), using: SymmetricKey(data: SRPPadding.padded(scramblingParameter)))
        var info = Array("Caldera Derived Key".utf8)
        info.append(1)
        let output = HMAC<SHA256>.authenticationCode(for: info, using: SymmetricKey(data: Data(pseudoRandomKey)))
        return Array(Array(output).prefix(16))
    }

    /// HMAC(key, poolName | userIdForSRP | SECRET_BLOCK bytes | TIMESTAMP): the PASSWORD_CLAIM_SIGNATURE's bytes.
    static func claimSignature(
        key: [UInt8], poolName: String, userIdForSRP: String, secretBlock: [UInt8], timestamp: String
    ) -> [UInt8] {
        var message = Array(poolName.utf8)
        message.append(contentsOf: userIdForSRP.utf8)
        message.append(contentsOf: secretBlock)
        message.append(contentsOf: timestamp.utf8)
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    static func decodeSecretBlock(_ secretBlock: String) throws(SRPProtocolError) -> [UInt8] {
        guard let data = Data(base64Encoded: secretBlock), !data.isEmpty else { throw .malformedSecretBlock }
        return Array(data)
    }

    static func decodeHex(_ text: String, field: String) throws(SRPProtocolError) -> [UInt8] {
        guard let bytes = SRPHex.decode(text) else { throw .malformedHex(field: field) }
        return bytes
    }
}

extension SRPGroup {
    /// Runs OpenSSL arithmetic, reporting failures as protocol errors.
    func arithmetic<Value>(_ body: () throws(SRPArithmeticError) -> Value) throws(SRPProtocolError) -> Value {
        do {
            return try body()
        } catch {
            throw .arithmetic(error)
        }
    }
}
