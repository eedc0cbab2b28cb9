import Foundation
import Testing

@testable import HandsetCloud

/// A request botocore signed (`Tests/Fixtures/sigv4/make_fixtures.py`), as the server receives it.
struct BotocoreFixture: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var method: String
    var host: String
    var path: String
    var query: String
    var headers: [[String]]
    var body: String
    var accessKeyId: String
    var secretAccessKey: String
    var sessionToken: String?
    var region: String
    var service: String
    var amzDate: String

    var testDescription: String { name }

    static let all: [BotocoreFixture] = {
        struct File: Decodable { var fixtures: [BotocoreFixture] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sigv4/botocore-requests.json")
        return (try? JSONDecoder().decode(File.self, from: Data(contentsOf: url)))?.fixtures ?? []
    }()

    var bodyData: Data { Data(base64Encoded: body)! }

    var message: SigV4Message {
        SigV4Message(
            method: method, path: path, query: query,
            headers: [("host", host)] + headers.map { ($0[0].lowercased(), $0[1]) },
            payloadHash: SigV4Verifier.payloadHash(bodyData))
    }

    var signedAt: Date { ObjectSigner.date(fromAmzDate: amzDate)! }

    var verifier: SigV4Verifier {
        SigV4Verifier(
            credentials: AdminCredentials(keys: [
                .init(
                    accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken,
                    profile: "test"),
                .init(
                    accessKeyId: "AKIAOTHERKEY00000000", secretAccessKey: "another secret", sessionToken: nil,
                    profile: "other"),
            ]), region: region, service: service)
    }
}

extension SigV4Message {
    /// The same message with one header's value replaced (or removed, with nil).
    func replacing(_ name: String, with value: String?) -> SigV4Message {
        var copy = self
        copy.headers = headers.compactMap { field in
            guard field.name == name else { return field }
            return value.map { (name, $0) }
        }
        return copy
    }
}

@Suite("SigV4 verification against botocore-signed requests")
struct SigV4VerifierTests {
    @Test("the fixtures are there")
    func fixturesLoad() {
        #expect(BotocoreFixture.all.count >= 5)
    }

    @Test(
        "every request botocore signed verifies, at its time and up to five minutes either side",
        arguments: BotocoreFixture.all)
    func accepted(fixture: BotocoreFixture) throws {
        for offset: TimeInterval in [0, -299, 299] {
            let result = fixture.verifier.verify(fixture.message, now: fixture.signedAt.addingTimeInterval(offset))
            let key = try result.get()
            #expect(key.accessKeyId == fixture.accessKeyId)
        }
    }

    @Test("any change to what was signed is refused", arguments: BotocoreFixture.all)
    func tampered(fixture: BotocoreFixture) {
        let original = fixture.message
        let now = fixture.signedAt
        var cases: [(String, SigV4Message, SigV4Failure)] = []

        var body = original
        var bytes = [UInt8](fixture.bodyData)
        if bytes.isEmpty { bytes = [0x20] } else { bytes[bytes.count / 2] ^= 0x01 }
        body.payloadHash = SigV4Verifier.payloadHash(bytes)
        cases.append(("one bit of the body", body, .mismatch))

        var method = original
        method.method = original.method == "POST" ? "PUT" : "POST"
        cases.append(("the method", method, .mismatch))

        var path = original
        path.path = original.path + "x"
        cases.append(("the path", path, .mismatch))

        var query = original
        query.query = original.query.isEmpty ? "a=1" : original.query + "&z=1"
        cases.append(("the query", query, .mismatch))

        cases.append(("the host", original.replacing("host", with: "evil.example:8900"), .mismatch))
        if original.values(of: "x-amz-target").first != nil {
            cases.append(
                (
                    "the operation",
                    original.replacing("x-amz-target", with: "AWSCognitoIdentityProviderService.AdminAddUserToGroup"),
                    .mismatch
                ))
        }
        cases.append(
            (
                "the content type", original.replacing("content-type", with: "application/json"), .mismatch
            ))

        let authorization = original.values(of: "authorization")[0]
        let signature = String(authorization.suffix(64))
        let flipped = String(signature.prefix(63)) + (signature.last == "0" ? "1" : "0")
        cases.append(
            (
                "one digit of the signature",
                original.replacing("authorization", with: String(authorization.dropLast(64)) + flipped), .mismatch
            ))
        cases.append(
            (
                "an unknown key",
                original.replacing(
                    "authorization",
                    with: authorization.replacingOccurrences(of: fixture.accessKeyId, with: "AKIAUNKNOWNKEY000000")),
                .unknownKey
            ))
        cases.append(
            (
                "another known key's id",
                original.replacing(
                    "authorization",
                    with: authorization.replacingOccurrences(of: fixture.accessKeyId, with: "AKIAOTHERKEY00000000")),
                // The other key has no session token, so a request carrying one is refused before its signature.
                fixture.sessionToken == nil ? .mismatch : .unknownKey
            ))
        cases.append(("no Authorization", original.replacing("authorization", with: nil), .missing))

        var unsigned = original
        unsigned.headers.append(("x-amz-extra", "1"))
        cases.append(("an unsigned x-amz- header", unsigned, .incomplete("'x-amz-extra' must be a signed header")))

        for (what, message, expected) in cases {
            let result = fixture.verifier.verify(message, now: now)
            guard case .failure(let failure) = result else {
                Issue.record("changing \(what) was accepted: \(result)")
                continue
            }
            #expect(failure == expected, "changing \(what)")
        }
    }

    @Test(
        "a wrong secret, region, service or day, or a clock more than five minutes off, is refused",
        arguments: BotocoreFixture.all)
    func wrongContext(fixture: BotocoreFixture) {
        let message = fixture.message
        var wrongSecret = fixture.verifier
        wrongSecret = SigV4Verifier(
            credentials: AdminCredentials(keys: [
                .init(
                    accessKeyId: fixture.accessKeyId, secretAccessKey: fixture.secretAccessKey + "x",
                    sessionToken: fixture.sessionToken, profile: "test")
            ]), region: fixture.region, service: fixture.service)
        #expect(wrongSecret.verify(message, now: fixture.signedAt) == .failure(.mismatch))

        let otherRegion = SigV4Verifier(
            credentials: fixture.verifier.credentials, region: "eu-west-1", service: fixture.service)
        guard case .failure(.wrongScope) = otherRegion.verify(message, now: fixture.signedAt) else {
            Issue.record("another region was accepted")
            return
        }
        let otherService = SigV4Verifier(
            credentials: fixture.verifier.credentials, region: fixture.region, service: "s3")
        guard case .failure(.wrongScope) = otherService.verify(message, now: fixture.signedAt) else {
            Issue.record("another service was accepted")
            return
        }
        for offset: TimeInterval in [-301, 301, -86_400 * 365] {
            guard
                case .failure(.skewed(let text)) = fixture.verifier.verify(
                    message, now: fixture.signedAt.addingTimeInterval(offset))
            else {
                Issue.record("a clock \(offset) s off was accepted")
                continue
            }
            #expect(text.hasPrefix(offset < 0 ? "Signature not yet current" : "Signature expired"))
        }
        // A date that is moved changes the string to sign, and the scope's day must match it.
        let nextDay = ObjectSigner.amzDate(fixture.signedAt.addingTimeInterval(86_400))
        guard
            case .failure(.wrongScope) = fixture.verifier.verify(
                message.replacing("x-amz-date", with: nextDay), now: fixture.signedAt.addingTimeInterval(86_400))
        else {
            Issue.record("a request signed for another day was accepted")
            return
        }
        let sameDayLater = ObjectSigner.amzDate(fixture.signedAt.addingTimeInterval(60))
        if sameDayLater.prefix(8) == fixture.amzDate.prefix(8) {
            #expect(
                fixture.verifier.verify(
                    message.replacing("x-amz-date", with: sameDayLater), now: fixture.signedAt)
                    == .failure(.mismatch))
        }
    }

    @Test("a session-token key signs only with its token")
    func sessionToken() throws {
        let fixture = try #require(BotocoreFixture.all.first { $0.sessionToken != nil })
        let message = fixture.message
        #expect(
            fixture.verifier.verify(message.replacing("x-amz-security-token", with: "other"), now: fixture.signedAt)
                == .failure(.unknownKey))
        #expect(
            fixture.verifier.verify(message.replacing("x-amz-security-token", with: nil), now: fixture.signedAt)
                == .failure(.unknownKey))
    }

    @Test("the canonical path and query follow botocore's rules")
    func canonicalForms() {
        #expect(SigV4Canonical.canonicalURI("/a%20b/./c/../d//e%2Ff") == "/a%2520b/d/e%252Ff")
        #expect(SigV4Canonical.canonicalURI("") == "/")
        #expect(SigV4Canonical.canonicalURI("/") == "/")
        #expect(SigV4Canonical.canonicalURI("/x/") == "/x/")
        #expect(
            SigV4Canonical.canonicalQuery("b=2&a=1&a=0&c=%E2%9C%93&e&f=x%2By~") == "a=0&a=1&b=2&c=%E2%9C%93&e=&f=x%2By~"
        )
        #expect(SigV4Canonical.canonicalQuery("k=%FF") == "k=%FF", "a byte that is not UTF-8 stays that byte")
        #expect(SigV4Canonical.canonicalValue("  a   b\tc  ") == "a b c")
    }

    @Test(
        "malformed Authorization headers say what is wrong",
        arguments: [
            "Basic dXNlcjpwYXNz",
            "AWS4-HMAC-SHA256 Credential=AKIAHANDSETTEST00001/20261130/us-east-1/cognito-idp/aws4_request",
            "AWS4-HMAC-SHA256 Credential=AKIAHANDSETTEST00001/20261130/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
            "AWS4-HMAC-SHA256 Credential=short/20261130/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                + String(repeating: "a", count: 64),
            "AWS4-HMAC-SHA256 Credential=AKIAHANDSETTEST00001/2026113/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                + String(repeating: "a", count: 64),
            "AWS4-HMAC-SHA256 Credential=AKIAHANDSETTEST00001/20261130/us-east-1/cognito-idp/aws4_request, SignedHeaders=x-amz-date;host, Signature="
                + String(repeating: "a", count: 64),
            "AWS4-HMAC-SHA256 Credential=AKIAHANDSETTEST00001/20261130/us-east-1/cognito-idp/aws4_request, SignedHeaders=Host;x-amz-date, Signature="
                + String(repeating: "a", count: 64),
            "AWS4-HMAC-SHA256 Credential=AKIAHANDSETTEST00001/20261130/us-east-1/cognito-idp/aws4_request, Credential=AKIAHANDSETTEST00001/20261130/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature="
                + String(repeating: "a", count: 64),
            "AWS4-HMAC-SHA256 Credential=AKIAHANDSETTEST00001/20261130/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                + String(repeating: "A", count: 64),
        ])
    func malformed(header: String) {
        guard case .failure(.incomplete(let message)) = SigV4Authorization.parse(header) else {
            Issue.record("accepted: \(header)")
            return
        }
        #expect(!message.isEmpty)
    }
}

@Suite("Admin credentials files")
struct AdminCredentialsTests {
    @Test("the AWS CLI's format: profiles, comments, spaces, CRLF, session tokens")
    func parses() throws {
        let text = """
            # admin keys\r
            [default]\r
            aws_access_key_id = AKIAHANDSETADMIN0001\r
            aws_secret_access_key=s3cr3t/with+signs=\r
            region = us-east-1\r

            ; a second one
            [ops]
            AWS_ACCESS_KEY_ID   =   ASIAHANDSETADMIN0002
            aws_secret_access_key = other
            aws_session_token = token==
            """
        let credentials = try AdminCredentials.parse(text)
        #expect(credentials.keys.count == 2)
        #expect(credentials.keys["AKIAHANDSETADMIN0001"]?.secretAccessKey == "s3cr3t/with+signs=")
        #expect(credentials.keys["AKIAHANDSETADMIN0001"]?.profile == "default")
        #expect(credentials.keys["ASIAHANDSETADMIN0002"]?.sessionToken == "token==")
    }

    @Test(
        "files it cannot use are refused without quoting a secret",
        arguments: [
            ("", "no [profile] with a key"),
            ("aws_access_key_id = AKIAHANDSETADMIN0001", "a setting before any [profile]"),
            ("[a]\naws_access_key_id = AKIAHANDSETADMIN0001", "needs aws_access_key_id and aws_secret_access_key"),
            ("[a]\naws_access_key_id = short\naws_secret_access_key = topsecret", "16 to 128"),
            ("[a\naws_access_key_id = AKIAHANDSETADMIN0001", "a profile header must be [name]"),
            ("[a]\njust words", "expected name = value"),
            (
                "[a]\naws_access_key_id = AKIAHANDSETADMIN0001\naws_secret_access_key = topsecret\n[b]\n"
                    + "aws_access_key_id = AKIAHANDSETADMIN0001\naws_secret_access_key = topsecret", "repeats"
            ),
        ])
    func refused(text: String, expected: String) {
        do {
            _ = try AdminCredentials.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
            #expect(!"\(error)".contains("topsecret"))
        }
    }

    @Test("a file other users may read is refused")
    func permissions() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("credentials")
        try "[default]\naws_access_key_id = AKIAHANDSETADMIN0001\naws_secret_access_key = x\n".write(
            to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(throws: AdminCredentialsError.self) { try AdminCredentials.load(from: file) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        #expect(try AdminCredentials.load(from: file).keys.count == 1)
        #expect(throws: AdminCredentialsError.self) {
            try AdminCredentials.load(from: directory.appendingPathComponent("missing"))
        }
    }
}
