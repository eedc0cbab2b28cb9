/// Cognito's `padHex`: how SRP values become bytes before they are hashed.
///
/// A value is written as hex, made even-length, and given a leading `00` byte when its first nibble is 8-f, so that
/// the bytes never read as a negative two's-complement number. Working on bytes instead of hex: drop leading zero
/// bytes, then prefix `0x00` when the top bit of the first byte is set. Zero is the single byte `00`.
public enum SRPPadding {
    public static func padded(_ value: [UInt8]) -> [UInt8] {
        let significant = Array(value.drop { $0 == 0 })
        guard let first = significant.first else { return [0] }
        return first >= 0x80 ? [0] + significant : significant
    }

    /// `padded` as lowercase hex, which is what Cognito's clients concatenate and hash.
    public static func hex(_ value: [UInt8]) -> String {
        SRPHex.encode(padded(value))
    }
}
