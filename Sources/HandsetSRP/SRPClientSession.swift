import Crypto
import Foundation

/// The client half of Cognito's SRP-6a (`USER_SRP_AUTH`): holds the ephemeral secret a and answers the server's
/// `PASSWORD_VERIFIER` challenge.
///
/// One session serves one sign-in attempt. The math follows amazon-cognito-identity-js and pycognito exactly;
/// see `cognito.md` for each formula.
public struct SRPClientSession: Sendable {
    public let group: SRPGroup
    /// a, big-endian.
    let privateValue: [UInt8]
    /// A = g^a mod N, left-padded to the length of N.
    public let publicValue: [UInt8]

    /// a = 128 random bytes; A = g^a mod N (regenerates in the negligible case A mod N == 0).
    public init(group: SRPGroup = .cognito) throws {
        while true {
            let candidate = SecureBytes.random(128)
            if let session = try? SRPClientSession(privateValue: candidate, group: group) {
                self = session
                return
            }
        }
    }

    /// For tests: a fixed private value.
    public init(privateValue: [UInt8], group: SRPGroup = .cognito) throws {
        guard privateValue.contains(where: { $0 != 0 }) else { throw SRPProtocolError.invalidPrivateValue }
        let publicValue = try group.arithmetic { () throws(SRPArithmeticError) in
            try group.generatorPower(privateValue)
        }
        guard publicValue.contains(where: { $0 != 0 }) else { throw SRPProtocolError.invalidPrivateValue }
        self.group = group
        self.privateValue = privateValue
        self.publicValue = publicValue
    }

    /// SRP_A as lowercase hex (no padding beyond what hex needs).
    public var publicValueHex: String { SRPHex.minimal(publicValue) }

    /// PASSWORD_CLAIM_SIGNATURE (base64) for a PASSWORD_VERIFIER challenge. Throws SRPProtocolError for B mod N == 0,
    /// u == 0, or malformed hex/base64.
    public func passwordClaimSignature(
        poolName: String, userIdForSRP: String, password: String, saltHex: String, serverPublicValueHex: String,
        secretBlock: String, timestamp: String
    ) throws -> String {
        let serverPublicValue = try SRPKeyDerivation.decodeHex(serverPublicValueHex, field: "SRP_B")
        let salt = try SRPKeyDerivation.decodeHex(saltHex, field: "SALT")
        let secretBlockBytes = try SRPKeyDerivation.decodeSecretBlock(secretBlock)
        let group = self.group
        let privateValue = self.privateValue
        guard try !group.arithmetic({ () throws(SRPArithmeticError) in try group.isZeroModulo(serverPublicValue) })
        else { throw SRPProtocolError.invalidServerPublicValue }

        let scrambling = SRPKeyDerivation.scramblingParameter(
            clientPublicValue: publicValue, serverPublicValue: serverPublicValue)
        guard scrambling.contains(where: { $0 != 0 }) else { throw SRPProtocolError.zeroScramblingParameter }

        let x = SRPVerifier.privateKey(salt: salt, poolName: poolName, userIdForSRP: userIdForSRP, password: password)
        // S = (B - k·g^x)^(a + u·x) mod N
        let premasterSecret = try group.arithmetic { () throws(SRPArithmeticError) in
            let verifier = try group.generatorPower(x)
            let base = try group.subtract(serverPublicValue, group.multiply(group.multiplier, verifier))
            let exponent = try group.multiplyAdd(privateValue, scrambling, x)
            return try group.power(base, exponent)
        }
        let key = SRPKeyDerivation.authenticationKey(premasterSecret: premasterSecret, scramblingParameter: scrambling)
        let signature = SRPKeyDerivation.claimSignature(
            key: key, poolName: poolName, userIdForSRP: userIdForSRP, secretBlock: secretBlockBytes,
            timestamp: timestamp)
        return Data(signature).base64EncodedString()
    }
}
