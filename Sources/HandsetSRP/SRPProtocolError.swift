/// Why an SRP exchange was abandoned. SRP-6a requires aborting, not retrying, on these.
public enum SRPProtocolError: Error, Equatable, Sendable {
    /// The server's B is 0 modulo N (a malicious or broken server).
    case invalidServerPublicValue
    /// The client's A is 0 modulo N (a malicious or broken client).
    case invalidClientPublicValue
    /// u = H(A | B) is 0.
    case zeroScramblingParameter
    /// A hex value (SRP_B, SALT, SRP_A) is not hex.
    case malformedHex(field: String)
    /// SECRET_BLOCK is not base64.
    case malformedSecretBlock
    /// A private value is empty or gives a public value of 0.
    case invalidPrivateValue
    /// OpenSSL refused an operation.
    case arithmetic(SRPArithmeticError)
}
