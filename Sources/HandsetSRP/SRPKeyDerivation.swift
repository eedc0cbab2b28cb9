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

    /// The SECRET_BLOCK's bytes, decoded as leniently as the JavaScript SDK (Node's `Buffer.from(text, "base64")`)
    /// and the Python SDKs do: some Cognito emulators send it with line breaks, without padding or in the URL-safe
    /// alphabet. Whitespace and other characters outside the alphabet are skipped, `-` and `_` read as `+` and `/`,
    /// the first `=` ends the data, and a last lone character (less than a byte) is dropped. The block itself is
    /// sent back exactly as received; only the signature needs its bytes.
    static func decodeSecretBlock(_ secretBlock: String) throws(SRPProtocolError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(secretBlock.utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in secretBlock.utf8 {
            let value: UInt8
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = character - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="): return try nonEmpty(bytes)
            default: continue
            }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return try nonEmpty(bytes)
    }

    private static func nonEmpty(_ bytes: [UInt8]) throws(SRPProtocolError) -> [UInt8] {
        guard !bytes.isEmpty else { throw .malformedSecretBlock }
        return bytes
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
