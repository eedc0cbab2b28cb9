import Crypto
import Foundation

/// A request as SigV4 sees it: the method, the path and query exactly as they came on the wire, the header fields
/// (names lowercase; `host` from the request's authority), and the SHA-256 of the body.
struct SigV4Message: Sendable, Equatable {
    var method: String
    /// The path as sent, percent-encoded, without the query.
    var path: String
    /// The query as sent, without `?`; empty when there is none.
    var query: String
    var headers: [(name: String, value: String)]
    /// Lowercase hex of SHA-256 over the body.
    var payloadHash: String

    static func == (lhs: SigV4Message, rhs: SigV4Message) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.query == rhs.query
            && lhs.headers.elementsEqual(rhs.headers, by: { $0.name == $1.name && $0.value == $1.value })
            && lhs.payloadHash == rhs.payloadHash
    }

    /// Every value of a header, in the order received.
    func values(of name: String) -> [String] {
        headers.filter { $0.name == name }.map(\.value)
    }
}

/// The text SigV4 signs, built as AWS's signing documentation describes (task 1, the canonical request; task 2, the
/// string to sign), and the signature over it (task 3, the derived signing key; task 4, the signature).
enum SigV4Canonical {
    /// `METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED;HEADERS\nPAYLOAD-HASH`, or nil when a signed header is absent.
    static func canonicalRequest(_ message: SigV4Message, signedHeaders: [String]) -> String? {
        var headerLines = ""
        for name in signedHeaders {
            let values = message.values(of: name)
            guard !values.isEmpty else { return nil }
            headerLines += name + ":" + values.map(canonicalValue).joined(separator: ",") + "\n"
        }
        return [
            message.method.uppercased(),
            canonicalURI(message.path),
            canonicalQuery(message.query),
            headerLines,
            signedHeaders.joined(separator: ";"),
            message.payloadHash,
        ].joined(separator: "\n")
    }

    /// The path with empty, `.` and `..` segments resolved (RFC 3986 §5.2.4; AWS also drops empty segments), then
    /// percent-encoded once more: services other than S3 sign the wire path encoded twice.
    static func canonicalURI(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        var normalized = path.hasPrefix("/") ? "/" : ""
        normalized += segments.joined(separator: "/")
        if path.hasSuffix("/"), !segments.isEmpty { normalized += "/" }
        return encode(normalized, keepingSlash: true)
    }

    /// `name=value` pairs, each side decoded from the wire and encoded as SigV4 requires, sorted by name then value.
    static func canonicalQuery(_ query: String) -> String {
        var pairs: [(String, String)] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = item.firstIndex(of: "=") {
                name = item[..<equals]
                value = item[item.index(after: equals)...]
            } else {
                name = item
                value = ""
            }
            // Bytes, not text: an encoded byte that is not UTF-8 must come back as the same byte.
            pairs.append(
                (encode(bytes: decode(name), keepingSlash: false), encode(bytes: decode(value), keepingSlash: false)))
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Leading and trailing whitespace removed, each run of whitespace inside as one space.
    static func canonicalValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256 of the canonical request>`.
    static func stringToSign(canonicalRequest: String, amzDate: String, scope: String) -> String {
        let hash = SHA256.hash(data: Data(canonicalRequest.utf8))
        return [SigV4Authorization.algorithm, amzDate, scope, hex(hash)].joined(separator: "\n")
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    static func signingKey(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data(("AWS4" + secret).utf8))
        for part in [date, region, service, SigV4Authorization.terminator] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// Lowercase hex of HMAC-SHA256(signing key, string to sign).
    static func signature(stringToSign: String, key: SymmetricKey) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Percent-encodes every byte but RFC 3986's unreserved ones (and `/` when asked), with uppercase hex.
    static func encode(_ text: some StringProtocol, keepingSlash: Bool) -> String {
        encode(bytes: Array(text.utf8), keepingSlash: keepingSlash)
    }

    static func encode(bytes: [UInt8], keepingSlash: Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var encoded = [UInt8]()
        encoded.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                encoded.append(byte)
            case UInt8(ascii: "/") where keepingSlash:
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Percent-decodes (a `%` not followed by two hex digits stays as it is); `+` stays `+`.
    static func decode(_ text: some StringProtocol) -> [UInt8] {
        let bytes = Array(text.utf8)
        var decoded = [UInt8]()
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                let low = hexValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
