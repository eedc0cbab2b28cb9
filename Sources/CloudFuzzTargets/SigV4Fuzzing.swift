import Foundation
import HandsetFuzzing

@testable import HandsetCloud

/// The admin operations' SigV4 check: an input is an HTTP/1.1 request as it arrives (request line, header lines,
/// a blank line, the body), verified against fixed keys at a fixed clock. The seeds are requests botocore signed
/// at that clock (`Tests/Fixtures/sigv4`), so mutations start from ones that pass. Whatever passes must carry the
/// signature its key gives it, signed `host` and `x-amz-date`, and a date inside the window. The credentials
/// file parser and the canonical forms get the same bytes.
enum SigV4Fuzzing {
    /// The moment the seed requests were signed (`make_fixtures.py`), as the server's clock.
    static let now = ObjectSigner.date(fromAmzDate: "20261130T123448Z")!
    static let credentials = AdminCredentials(keys: [
        .init(
            accessKeyId: "AKIAHANDSETTEST00001", secretAccessKey: "hAnDsEt/TeSt+SeCrEt/KeY0000000000000000",
            sessionToken: nil, profile: "default"),
        .init(
            accessKeyId: "ASIAHANDSETTEST00002", secretAccessKey: "sEsSiOn/SeCrEt+KeY/1111111111111111111111",
            sessionToken: "FwoGZXIvYXdzEHandsetTestSessionToken//////////wEaDA==", profile: "token"),
    ])
    static let verifier = SigV4Verifier(credentials: credentials, region: "us-east-1", service: "cognito-idp")

    /// Splits raw request bytes the way the server's parser hands them over; nil when there is no request line.
    static func message(from data: Data) -> SigV4Message? {
        let bytes = [UInt8](data)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd = bytes.count
        var bodyStart = bytes.count
        if bytes.count >= 4 {
            for index in 0...(bytes.count - 4) where Array(bytes[index..<index + 4]) == separator {
                headEnd = index
                bodyStart = index + 4
                break
            }
        }
        let head = String(decoding: bytes[..<headEnd], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3 else { return nil }
        let target = requestLine[1]
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return SigV4Message(
            method: String(requestLine[0]), path: String(path[0]), query: path.count > 1 ? String(path[1]) : "",
            headers: headers, payloadHash: SigV4Verifier.payloadHash(bytes[bodyStart...]))
    }

    static let target = FuzzTarget("sigv4") { data in
        let text = String(decoding: data, as: UTF8.self)
        _ = try? AdminCredentials.parse(text)
        let uri = SigV4Canonical.canonicalURI(text)
        FuzzCheck.that(
            uri.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "?") }, "a canonical path with \(uri)")
        _ = SigV4Canonical.canonicalQuery(text)
        _ = SigV4Authorization.parse(text)

        guard let message = message(from: data) else { return }
        guard case .success(let key) = verifier.verify(message, now: now) else { return }
        guard case .success(let authorization) = SigV4Authorization.parse(message.values(of: "authorization")[0])
        else { return FuzzCheck.that(false, "accepted with an Authorization header that does not parse") }
        FuzzCheck.that(key.accessKeyId == authorization.accessKeyId, "accepted for another key")
        FuzzCheck.that(
            authorization.signedHeaders.contains("host") && authorization.signedHeaders.contains("x-amz-date"),
            "accepted without host and x-amz-date signed")
        let amzDate = message.values(of: "x-amz-date")[0]
        let signedAt = ObjectSigner.date(fromAmzDate: amzDate)!
        FuzzCheck.that(abs(signedAt.timeIntervalSince(now)) <= 300, "accepted outside the window")
        let canonical = SigV4Canonical.canonicalRequest(message, signedHeaders: authorization.signedHeaders)!
        let signature = SigV4Canonical.signature(
            stringToSign: SigV4Canonical.stringToSign(
                canonicalRequest: canonical, amzDate: amzDate, scope: authorization.scope),
            key: SigV4Canonical.signingKey(
                secret: key.secretAccessKey, date: authorization.date, region: "us-east-1", service: "cognito-idp"))
        FuzzCheck.that(signature == authorization.signature, "accepted a signature the key does not give")
    }
}
