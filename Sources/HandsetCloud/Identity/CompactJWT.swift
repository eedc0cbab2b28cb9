/// The shape of a JWT in compact serialization (RFC 7515 §7.1): three non-empty base64url segments without padding,
/// joined by dots. Anything else is refused before a decoder sees it: a signature with `=` padding, or any
/// other byte a lenient base64 decoder would skip, would make two different texts verify as one token.
enum CompactJWT {
    /// Longer than any token this pool issues by far.
    static let maximumLength = 16 * 1024

    static func hasCompactShape(_ token: String) -> Bool {
        guard token.utf8.count <= maximumLength else { return false }
        var dots = 0
        var segmentLength = 0
        for byte in token.utf8 {
            switch byte {
            case UInt8(ascii: "."):
                guard segmentLength > 0 else { return false }
                dots += 1
                segmentLength = 0
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                segmentLength += 1
            default:
                return false
            }
        }
        return dots == 2 && segmentLength > 0
    }
}
