import Foundation

/// `Content-Disposition: attachment` with the person's file name, as RFC 6266 and RFC 5987 write it: an ASCII
/// `filename` for old clients and `filename*=UTF-8''…` (percent-encoded) with the name as typed.
enum ContentDisposition {
    static func attachment(fileName: String) -> String {
        let name = cleaned(fileName)
        return "attachment; filename=\"\(asciiFallback(name))\"; filename*=UTF-8''\(extendedValue(name))"
    }

    /// The last path component, without control characters, at most 255 UTF-8 bytes; `object` when nothing is left.
    static func cleaned(_ fileName: String) -> String {
        let last = fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        var bytes = 0
        for scalar in last.unicodeScalars where scalar.value >= 0x20 && scalar.value != 0x7F {
            let size = String(scalar).utf8.count
            guard bytes + size <= 255 else { break }
            bytes += size
            scalars.append(scalar)
        }
        let name = String(scalars).trimmingCharacters(in: .whitespaces)
        return name.isEmpty || name == "." || name == ".." ? "object" : name
    }

    /// The quoted-string form: printable ASCII except `"` and `\`, anything else as `_`.
    static func asciiFallback(_ name: String) -> String {
        String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { scalar in
                    scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\" ? scalar : "_"
                }))
    }

    /// RFC 5987's `value-chars`: `attr-char`s as they are, every other UTF-8 byte as `%XX`.
    static func extendedValue(_ name: String) -> String {
        var text = ""
        for byte in name.utf8 {
            if isAttributeCharacter(byte) {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += String(format: "%%%02X", byte)
            }
        }
        return text
    }

    private static func isAttributeCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$&+-.^_`|~".utf8.contains(byte)
        }
    }
}
