import Crypto
import Foundation

/// A password as Cognito's SRP stores it: a random salt and the verifier v = g^x mod N, never the password.
public struct SRPVerifier: Sendable, Equatable {
    /// 16 random bytes.
    public var salt: [UInt8]
    /// v, left-padded to the length of N.
    public var verifier: [UInt8]

    public init(salt: [UInt8], verifier: [UInt8]) {
        self.salt = salt
        self.verifier = verifier
    }

    /// 16 fresh random bytes.
    public static func randomSalt() -> [UInt8] {
        SecureBytes.random(16)
    }

    /// Derives the verifier for `password`.
    public static func make(
        password: String, poolName: String, userIdForSRP: String, salt: [UInt8] = SRPVerifier.randomSalt(),
        group: SRPGroup = .cognito
    ) throws -> SRPVerifier {
        let exponent = privateKey(salt: salt, poolName: poolName, userIdForSRP: userIdForSRP, password: password)
        return SRPVerifier(salt: salt, verifier: try group.generatorPower(exponent))
    }

    /// x = H(padHex(salt) | H(poolName | userIdForSRP | ":" | password)), with H = SHA-256.
    ///
    /// The inner hash is concatenated as its 64 hex digits, which hex-decode to exactly its 32 bytes.
    public static func privateKey(
        salt: [UInt8], poolName: String, userIdForSRP: String, password: String
    )
        -> [UInt8]
    {
        let identityHash = SHA256.hash(data: Data((poolName + userIdForSRP + ":" + password).utf8))
        var hasher = SHA256()
        hasher.update(data: SRPPadding.padded(salt))
        hasher.update(data: Data(identityHash))
        return Array(hasher.finalize())
    }

    /// The salt as the `SALT` challenge parameter: padHex, so that clients that hash the hex text (pycognito) and
    /// clients that hash the number (amazon-cognito-identity-js) agree.
    public var saltHex: String { SRPPadding.hex(salt) }

    /// Whether `password` yields this verifier; compares in constant time.
    public func matches(
        password: String, poolName: String, userIdForSRP: String, group: SRPGroup = .cognito
    )
        throws -> Bool
    {
        let candidate = try SRPVerifier.make(
            password: password, poolName: poolName, userIdForSRP: userIdForSRP, salt: salt, group: group)
        return ConstantTimeBytes.equals(candidate.verifier, verifier)
    }
}

extension SRPGroup {
    /// The SRP-6a multiplier k = H(padHex(N) | padHex(g)).
    public var multiplier: [UInt8] {
        var hasher = SHA256()
        hasher.update(data: SRPPadding.padded(prime))
        hasher.update(data: SRPPadding.padded(generator))
        return Array(hasher.finalize())
    }
}
