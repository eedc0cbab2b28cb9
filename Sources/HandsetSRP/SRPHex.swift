/// Hex text for SRP values as Cognito's wire carries them (SRP_A, SRP_B, SALT).
public enum SRPHex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex, two digits per byte.
    public static func encode(_ bytes: [UInt8]) -> String {
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The big-endian bytes of a hex number, either case, odd length allowed (a leading `0` is implied); `nil` for
    /// empty text or any non-hex character.
    public static func decode(_ text: String) -> [UInt8]? {
        var nibbles: [UInt8] = []
        nibbles.reserveCapacity(text.utf8.count + 1)
        for character in text.utf8 {
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibbles.append(character - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibbles.append(character - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibbles.append(character - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        guard !nibbles.isEmpty else { return nil }
        if nibbles.count % 2 == 1 { nibbles.insert(0, at: 0) }
        return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
    }

    /// A number as hex without leading zeros (`"0"` for zero), the way SRP_A is usually sent.
    public static func minimal(_ bytes: [UInt8]) -> String {
        let text = encode(Array(bytes.drop { $0 == 0 }))
        if text.isEmpty { return "0" }
        return text.first == "0" ? String(text.dropFirst()) : text
    }
}
