import Crypto
import Foundation

/// The server half of Cognito's SRP-6a: from a stored verifier, issues B and checks the client's
/// PASSWORD_CLAIM_SIGNATURE.
///
/// The ephemeral secret b must survive between `InitiateAuth` and `RespondToAuthChallenge`; a server keeps
/// `privateValue` (sealed, never in clear on the wire or in a log) and rebuilds the session with
/// `init(verifier:privateValue:)`.
public struct SRPServerSession: Sendable {
    public let group: SRPGroup
    public let verifier: SRPVerifier
    /// b, big-endian; secret.
    public let privateValue: [UInt8]
    /// B = (k·v + g^b) mod N, left-padded to the length of N.
    public let publicValue: [UInt8]

    /// A fresh b of 32 random bytes (a 256-bit exponent: 128-bit security in the 3072-bit group).
    public init(verifier: SRPVerifier, group: SRPGroup = .cognito) throws {
        while true {
            if let session = try? SRPServerSession(
                verifier: verifier, privateValue: SecureBytes.random(32), group: group)
            {
                self = session
                return
            }
        }
    }

    /// A session with a known b, to rebuild one between requests (or for tests).
    public init(verifier: SRPVerifier, privateValue: [UInt8], group: SRPGroup = .cognito) throws {
        guard privateValue.contains(where: { $0 != 0 }) else { throw SRPProtocolError.invalidPrivateValue }
        let publicValue = try group.arithmetic { () throws(SRPArithmeticError) in
            try group.add(group.multiply(group.multiplier, verifier.verifier), group.generatorPower(privateValue))
        }
        guard publicValue.contains(where: { $0 != 0 }) else { throw SRPProtocolError.invalidPrivateValue }
        self.group = group
        self.verifier = verifier
        self.privateValue = privateValue
        self.publicValue = publicValue
    }

    /// Rebuilds a session from b and the B it produced (kept from the first request), without recomputing B.
    public init(verifier: SRPVerifier, privateValue: [UInt8], publicValue: [UInt8], group: SRPGroup = .cognito) {
        self.group = group
        self.verifier = verifier
        self.privateValue = privateValue
        self.publicValue = publicValue
    }

    /// SRP_B as lowercase hex without leading zeros.
    public var publicValueHex: String { SRPHex.minimal(publicValue) }

    /// Whether the client proved knowledge of the password. False (never an error) for a malformed or zero A, a
    /// zero u, undecodable SECRET_BLOCK or signature, or a wrong password; the signature is compared in constant
    /// time.
    public func verify(
        clientPublicValueHex: String, signature: String, poolName: String, userIdForSRP: String, secretBlock: String,
        timestamp: String
    ) -> Bool {
        guard
            let expected = try? expectedSignature(
                clientPublicValueHex: clientPublicValueHex, poolName: poolName, userIdForSRP: userIdForSRP,
                secretBlock: secretBlock, timestamp: timestamp),
            let provided = Data(base64Encoded: signature)
        else { return false }
        return ConstantTimeBytes.equals(expected, Array(provided))
    }

    /// The signature a client that knows the password sends.
    func expectedSignature(
        clientPublicValueHex: String, poolName: String, userIdForSRP: String, secretBlock: String, timestamp: String
    ) throws(SRPProtocolError) -> [UInt8] {
        let clientPublicValue = try SRPKeyDerivation.decodeHex(clientPublicValueHex, field: "SRP_A")
        let secretBlockBytes = try SRPKeyDerivation.decodeSecretBlock(secretBlock)
        let group = self.group
        guard try !group.arithmetic({ () throws(SRPArithmeticError) in try group.isZeroModulo(clientPublicValue) })
        else { throw .invalidClientPublicValue }
        let scrambling = SRPKeyDerivation.scramblingParameter(
            clientPublicValue: clientPublicValue, serverPublicValue: publicValue)
        guard scrambling.contains(where: { $0 != 0 }) else { throw .zeroScramblingParameter }
        // S = (A · v^u)^b mod N
        let privateValue = self.privateValue
        let verifierValue = verifier.verifier
        let premasterSecret = try group.arithmetic { () throws(SRPArithmeticError) in
            // u is public: the faster, variable-time exponentiation is fine for v^u.
            let base = try group.multiply(clientPublicValue, group.publicPower(verifierValue, scrambling))
            return try group.power(base, privateValue)
        }
        let key = SRPKeyDerivation.authenticationKey(premasterSecret: premasterSecret, scramblingParameter: scrambling)
        return SRPKeyDerivation.claimSignature(
            key: key, poolName: poolName, userIdForSRP: userIdForSRP, secretBlock: secretBlockBytes,
            timestamp: timestamp)
    }
}
