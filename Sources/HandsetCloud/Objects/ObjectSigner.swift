import Crypto
import Foundation
import HandsetCloudStorage

/// Signs and checks storage URLs, in the shape of S3's query-string authentication (`X-Amz-Algorithm`,
/// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`).
///
/// The signature is HMAC-SHA256, under a key every instance shares (`KeyRepository`), over the method, bucket and key,
/// the signer (the user it was issued to), the time it was issued and how long it lasts, and for an upload the exact
/// `Content-Length` and `Content-Type` the request must carry. Changing any of them gives another signature.
struct ObjectSigner: Sendable {
    static let algorithm = "HANDSET-HMAC-SHA256"
    /// The signed query parameter carrying an upload's file name.
    static let fileNameParameter = "X-Handset-File-Name"

    let key: SymmetricKey

    /// What one signed URL allows.
    struct Grant: Sendable, Equatable {
        /// `PUT` (upload) or `GET` (download, which also allows `HEAD`).
        var method: String
        var bucket: String
        var key: String
        /// The `sub` of the user it was issued to.
        var credential: String
        var issuedAt: Date
        var lifetime: Int
        /// Uploads only: the exact size and content type.
        var size: Int?
        var contentType: String?
        /// Uploads only: the file's name as the person gave it, kept for downloads' `Content-Disposition`.
        var fileName: String? = nil

        var expiresAt: Date { issuedAt.addingTimeInterval(TimeInterval(lifetime)) }
    }

    /// The signing key every instance shares, created on the first start.
    static func load(from keys: any KeyRepository) async throws -> ObjectSigner {
        let bytes = try await keys.secret(named: .objectSigning, creatingWith: { SecureRandom.bytes(32) })
        return ObjectSigner(key: SymmetricKey(data: bytes))
    }

    /// The hex signature of a grant.
    func signature(of grant: Grant) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(Self.canonicalText(of: grant).utf8), using: key)
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// The path and query of the signed URL (to be appended to the server's base URL).
    func pathAndQuery(for grant: Grant) -> String {
        let signedHeaders = grant.method == "PUT" ? "content-length;content-type" : "host"
        var parameters: [(String, String)] = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", grant.credential),
            ("X-Amz-Date", Self.amzDate(grant.issuedAt)),
            ("X-Amz-Expires", String(grant.lifetime)),
            ("X-Amz-SignedHeaders", signedHeaders),
        ]
        if let fileName = grant.fileName { parameters.append((Self.fileNameParameter, fileName)) }
        parameters.append(("X-Amz-Signature", signature(of: grant)))
        let query = parameters.map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
        return "/\(StorageEndpoint.pathPrefix)/\(grant.bucket)/\(grant.key)?\(query)"
    }

    /// Checks a request's query against its method, bucket, key and (for uploads) headers; answers the grant, or the
    /// S3 error to send: expired and tampered URLs are both 403.
    func verify(
        query: [String: String], method: String, bucket: String, key: String, contentLength: Int?,
        contentType: String?, now: Date
    ) -> Result<Grant, S3Error> {
        guard query["X-Amz-Algorithm"] == Self.algorithm, let credential = query["X-Amz-Credential"],
            let dateText = query["X-Amz-Date"], let expiresText = query["X-Amz-Expires"],
            let signature = query["X-Amz-Signature"]
        else { return .failure(.missingAuthentication) }
        guard let issuedAt = Self.date(fromAmzDate: dateText), let lifetime = Int(expiresText), lifetime > 0,
            lifetime <= 604_800
        else { return .failure(.signatureMismatch) }
        let grant = Grant(
            method: method, bucket: bucket, key: key, credential: credential, issuedAt: issuedAt, lifetime: lifetime,
            size: method == "PUT" ? contentLength : nil, contentType: method == "PUT" ? contentType : nil,
            fileName: method == "PUT" ? query[Self.fileNameParameter] : nil)
        guard now < grant.expiresAt else { return .failure(.expired) }
        let expected = Array(self.signature(of: grant).utf8)
        guard ConstantTime.equals(expected, Array(signature.lowercased().utf8)) else {
            return .failure(.signatureMismatch)
        }
        return .success(grant)
    }

    static func canonicalText(of grant: Grant) -> String {
        [
            algorithm,
            grant.method,
            "/\(grant.bucket)/\(grant.key)",
            "credential:\(grant.credential)",
            "date:\(amzDate(grant.issuedAt))",
            "expires:\(grant.lifetime)",
            "content-length:\(grant.size.map(String.init) ?? "")",
            "content-type:\(grant.contentType ?? "")",
            // Percent-encoded, so that no name can add a line of its own to this text.
            "file-name:\(grant.fileName.map(Self.percentEncoded) ?? "")",
        ].joined(separator: "\n")
    }

    /// `20261127T120000Z`, as `X-Amz-Date`.
    static func amzDate(_ date: Date) -> String {
        let text = Timestamp.string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
        // 2026-11-27T12:00:00.000Z
        let digits = text.prefix(19).filter { $0 != "-" && $0 != ":" }
        return digits + "Z"
    }

    /// Parses `X-Amz-Date` as the bytes of a protocol field: exactly `YYYYMMDD'T'HHMMSS'Z'` in ASCII digits (any
    /// other digit, such as Arabic-Indic ones that `Character.isNumber` accepts, is refused), a real date from 1970
    /// on (no URL was signed earlier; and before 1582 calendars disagree on what a date is).
    static func date(fromAmzDate text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            year >= 1970, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        let rfc3339 = String(
            format: "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.000Z", year, month, day, hour, minute, second)
        return Timestamp.date(from: rfc3339)
    }

    /// RFC 3986's unreserved characters as they are, every other UTF-8 byte as `%XX` (`CharacterSet.alphanumerics`
    /// would keep letters outside ASCII raw, which a URL may not carry).
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }
}
