import Crypto
import Foundation

/// Signs and checks storage URLs, in the shape of S3's query-string authentication (`X-Amz-Algorithm`,
/// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`).
///
/// The signature is HMAC-SHA256, under a key kept in the data directory (0600), over the method, bucket and key,
/// the signer (the user it was issued to), the time it was issued and how long it lasts, and for an upload the exact
/// `Content-Length` and `Content-Type` the request must carry. Changing any of them gives another signature.
struct ObjectSigner: Sendable {
    static let algorithm = "HANDSET-HMAC-SHA256"

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

        var expiresAt: Date { issuedAt.addingTimeInterval(TimeInterval(lifetime)) }
    }

    static func loadOrCreate(in directory: DataDirectory) throws -> ObjectSigner {
        let file = directory.objectSigningKey
        if let data = try? Data(contentsOf: file), data.count == 32 {
            return ObjectSigner(key: SymmetricKey(data: data))
        }
        let bytes = SecureRandom.bytes(32)
        do {
            try AtomicFile.write(Data(bytes), to: file, permissions: 0o600)
        } catch {
            throw CloudStartupError.unwritableFile(path: file.path, reason: "\(error)")
        }
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
        let parameters: [(String, String)] = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", grant.credential),
            ("X-Amz-Date", Self.amzDate(grant.issuedAt)),
            ("X-Amz-Expires", String(grant.lifetime)),
            ("X-Amz-SignedHeaders", signedHeaders),
            ("X-Amz-Signature", signature(of: grant)),
        ]
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
            size: method == "PUT" ? contentLength : nil, contentType: method == "PUT" ? contentType : nil)
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
        ].joined(separator: "\n")
    }

    /// `20261127T120000Z`, as `X-Amz-Date`.
    static func amzDate(_ date: Date) -> String {
        let text = Timestamp.string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
        // 2026-11-27T12:00:00.000Z
        let digits = text.prefix(19).filter { $0 != "-" && $0 != ":" }
        return digits + "Z"
    }

    static func date(fromAmzDate text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        let digits = String(decoding: bytes[0..<8] + bytes[9..<15], as: UTF8.self)
        guard digits.allSatisfy(\.isNumber) else { return nil }
        let chars = Array(digits)
        let rfc3339 =
            "\(String(chars[0..<4]))-\(String(chars[4..<6]))-\(String(chars[6..<8]))T"
            + "\(String(chars[8..<10])):\(String(chars[10..<12])):\(String(chars[12..<14])).000Z"
        return Timestamp.date(from: rfc3339)
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
