import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// A cloud for object and notification tests: the demo users alice and bob (signed in for real, so that the user
/// pool knows them by email), minted users with groups, and the settings under test. Each run gets a fresh data
/// directory and the given clock.
func withStorageCloud<Value: Sendable>(
    backend: TestBackend = .sqlite, storage: ObjectStorageSettings = ObjectStorageSettings(),
    notifications: NotificationSettings = NotificationSettings(),
    clock: TestClock = TestClock(), users: [TestUser] = [TestUser(name: "admin", groups: ["admins"])],
    live: Bool = false, keepDemoAttachment: Bool = false, _ body: @Sendable (APICloud) async throws -> Value
) async throws -> Value {
    let options = CloudOptions(
        backend: backend, clock: clock, issuerBaseURL: testIssuerBase, api: APIConfiguration(throttle: nil),
        objectSettings: storage, notifications: notifications, live: live)
    return try await withAPICloud(options, users: users) { cloud in
        if !keepDemoAttachment {
            try await removeDemoAttachment(cloud.fixture.directory, objects: cloud.fixture.storage.objects)
        }
        return try await body(cloud)
    }
}

extension APICloud {
    /// The same users with fresh tokens: ID tokens last an hour of test-clock time, so a test that moves the clock
    /// by days signs in again.
    func signedInAgain() async throws -> APICloud {
        var tokens = tokens
        for (name, password) in [("alice", "Wonderland-42!"), ("bob", "Builder-42!")] {
            tokens[name] = try await client.signIn(name, password, fixture: fixture).idToken
        }
        for (name, token) in tokens where name != "alice" && name != "bob" {
            let claims = try JSONValue.parse(Base64URL.decode(token.split(separator: ".")[1])!)
            let groups = claims["cognito:groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
            tokens[name] = try await mintIDToken(fixture: fixture, sub: subs[name]!, username: name, groups: groups)
        }
        return APICloud(client: client, fixture: fixture, tokens: tokens, subs: subs)
    }

    /// Sends a JSON body (an `Encodable` value).
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, as user: String?, json: some Encodable,
        headers: [String: String] = [:]
    ) async throws -> TestResponse {
        let text = String(decoding: try JSONEncoder().encode(json), as: UTF8.self)
        return try await send(method, path, as: user, headers: headers, body: text)
    }

    /// Creates a task owned by `user` and returns its id.
    func createTask(as user: String, title: String = "Task", extra: String = "") async throws -> String {
        let response = try await send(
            .post, "/api/tasks", as: user, body: #"{"title": "\#(title)", "status": "todo"\#(extra)}"#)
        #expect(response.status == .created, "create: \(response.text)")
        return try #require(try response.json()["id"]?.stringValue)
    }

    func presignUpload(
        as user: String, recordId: String, size: Int, contentType: String = "text/plain",
        collection: String = "tasks", field: String = "attachment", fileName: String = "notes.txt"
    ) async throws -> TestResponse {
        try await send(
            .post, "/api/_objects/presign", as: user,
            json: PresignRequest(
                operation: .upload, collection: collection, recordId: recordId, field: field, fileName: fileName,
                contentType: contentType, size: size))
    }

    func presignDownload(as user: String, key: String) async throws -> TestResponse {
        try await send(.post, "/api/_objects/presign", as: user, json: PresignRequest(operation: .download, key: key))
    }

    /// Sends a request to a signed URL (its path and query; the router test client has no host).
    @discardableResult
    func storage(
        _ url: String, method: HTTPRequest.Method, body: ByteBuffer? = nil, headers: [String: String] = [:]
    ) async throws -> TestResponse {
        let components = try #require(URLComponents(string: url))
        let target = components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        var fields: HTTPFields = [:]
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        return try await client.execute(uri: target, method: method, headers: fields, body: body)
    }

    /// Uploads `bytes` through a signed URL with the headers it was signed for.
    @discardableResult
    func upload(_ presigned: PresignedURL, bytes: [UInt8]) async throws -> TestResponse {
        var headers = presigned.headers
        headers["Content-Length"] = String(bytes.count)
        return try await storage(presigned.url, method: .put, body: ByteBuffer(bytes: bytes), headers: headers)
    }

    /// Presigns, uploads and returns the key of a new object of `user`'s record.
    func uploadObject(
        as user: String, recordId: String, bytes: [UInt8], contentType: String = "text/plain"
    )
        async throws -> String
    {
        let presigned = try await presignUpload(
            as: user, recordId: recordId, size: bytes.count, contentType: contentType
        )
        .decode(PresignedURL.self)
        let uploaded = try await upload(presigned, bytes: bytes)
        #expect(uploaded.status == .ok, "upload: \(uploaded.text)")
        return presigned.key
    }

    /// Downloads through a fresh signed URL; returns the storage endpoint's response.
    func download(as user: String, key: String) async throws -> TestResponse {
        let presigned = try await presignDownload(as: user, key: key).decode(PresignedURL.self)
        return try await storage(presigned.url, method: .get)
    }

    func inbox(as user: String, query: String = "") async throws -> InboxPage {
        let response = try await send(.get, "/api/_inbox" + query, as: user)
        #expect(response.status == .ok, "inbox: \(response.text)")
        return try response.decode(InboxPage.self)
    }

    /// A Cognito admin operation (accepted from loopback without a signature).
    func cognitoAdmin(_ operation: String, _ body: [String: String]) async throws {
        var body = body
        body["UserPoolId"] = fixture.pool.userPoolId
        let text = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
        let response = try await client.cognito(operation, body: text)
        #expect(response.status == .ok, "\(operation): \(response.text)")
    }
}

/// The object files under a data directory's tier folder.
/// Drops the demo's seeded attachment (alice's task-0005), so these tests count only the objects they make.
func removeDemoAttachment(_ root: URL, objects: any ObjectMetadataRepository) async throws {
    for object in try await objects.remove(keys: [DemoData.screenshotChecklist.key]) {
        unlink(DataDirectory(root: root).standardObjects.appendingPathComponent(object.file).path)
    }
}

func objectFiles(_ fixture: CloudFixture, _ folder: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(
        atPath: fixture.directory.appendingPathComponent("objects").appendingPathComponent(folder).path)) ?? []
}

extension TestResponse {
    /// The `<Code>` of an S3 XML error.
    var s3Code: String? {
        guard let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>") else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bare TCP connection to the local server, for what HTTP clients will not do on purpose: break off a body, send
/// one without a length.
enum RawConnection {
    struct Failure: Error {}

    /// Connects, sends `bytes`, and either reads the answer until the server closes, or closes at once (dropping
    /// the rest of the request).
    @discardableResult
    static func send(port: Int, _ bytes: [UInt8], readAnswer: Bool = false) throws -> String {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure() }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure() }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
            guard written > 0 else { throw Failure() }
            offset += written
        }
        guard readAnswer else { return "" }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            guard count > 0 else { break }
            answer += buffer[0..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }
}
