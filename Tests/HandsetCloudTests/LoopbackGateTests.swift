import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// `Host` as a field (HTTPTypes marks `.host` unavailable: HTTP/1 parsing turns the first one into the authority).
let hostField = HTTPField.Name("Host")!

/// Issue 12, item 4: DNS rebinding against admin operations and `/_loopback/*`, and a gate that checked a `127.` prefix.
@Suite("Loopback-only routes")
struct LoopbackGateTests {
    @Test(
        "the gate checks the bind address as an address",
        arguments: [
            ("127.0.0.1", true), ("127.8.9.10", true), ("::1", true), ("localhost", true), ("LOCALHOST", true),
            ("::ffff:127.0.0.1", true), ("127.x.example", false), ("127.0.0.1.nip.io", false), ("0.0.0.0", false),
            ("::", false), ("192.168.1.2", false), ("127.1", false), ("", false), ("localhost.example", false),
        ])
    func bindAddress(host: String, loopback: Bool) {
        #expect(LoopbackGate(bindHost: host).listensOnLoopback == loopback)
    }

    @Test(
        "Host values: a loopback address or localhost, with or without a port",
        arguments: [
            ("127.0.0.1:8900", "127.0.0.1"), ("localhost", "localhost"), ("[::1]:8900", "::1"), ("[::1]", "::1"),
            ("evil.example:8900", "evil.example"),
        ])
    func authority(authority: String, host: String) {
        #expect(LoopbackGate.host(ofAuthority: authority) == host)
    }

    @Test("malformed Host and Origin values name no host")
    func malformed() {
        for authority in ["", "127.0.0.1:", "127.0.0.1:99999x", "[::1", "[::1]x"] {
            #expect(LoopbackGate.host(ofAuthority: authority) == nil, "\(authority)")
        }
        #expect(LoopbackGate.host(ofOrigin: "null") == nil)
        #expect(LoopbackGate.host(ofOrigin: "file://") == nil)
        #expect(LoopbackGate.host(ofOrigin: "http://localhost:3000") == "localhost")
    }

    /// What a page on a rebound domain sends: its own name in Host, its origin in Origin.
    static let rebound: [(String, HTTPFields)] = [
        ("Host of a rebound domain", [hostField: "rebind.attacker.example:8900"]),
        ("a 127.-prefixed host name", [hostField: "127.0.0.1.attacker.example"]),
        ("an attacker's Origin", [hostField: "127.0.0.1:8900", .origin: "http://rebind.attacker.example:8900"]),
        ("a null Origin", [hostField: "localhost:8900", .origin: "null"]),
    ]

    @Test("admin operations refuse requests that name another host or origin; loopback ones work")
    func adminOperations() async throws {
        try await withCloud { client, fixture in
            let body = #"{"UserPoolId":"\#(fixture.pool.userPoolId)","Username":"bob","GroupName":"admins"}"#
            for (name, fields) in Self.rebound {
                var headers = fields
                headers[.contentType] = CognitoWire.contentType
                headers[HTTPField.Name(CognitoWire.targetHeader)!] = CognitoWire.targetPrefix + "AdminAddUserToGroup"
                let response = try await client.execute(
                    uri: "/", method: .post, headers: headers, body: ByteBuffer(string: body))
                try response.expectError("AccessDeniedException", "this machine")
                #expect(response.status == .badRequest, "\(name)")
            }
            let groups = try await client.call(
                "AdminListGroupsForUser", ["UserPoolId": fixture.pool.userPoolId, "Username": "bob"])
            #expect(!groups.text.contains("admins"), "no rebound request made bob an admin")
            var headers: HTTPFields = [
                .contentType: CognitoWire.contentType, hostField: "127.0.0.1:8900", .origin: "http://localhost:8900",
            ]
            headers[HTTPField.Name(CognitoWire.targetHeader)!] = CognitoWire.targetPrefix + "AdminAddUserToGroup"
            let local = try await client.execute(
                uri: "/", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(local.status == .ok, "\(local.text)")
        }
    }

    @Test("every /_loopback route refuses a rebound Host or a foreign Origin")
    func localRoutes() async throws {
        try await withCloud { client, fixture in
            _ = try await client.call("ForgotPassword", ["ClientId": fixture.clientId, "Username": "alice"])
            for (name, headers) in Self.rebound {
                let mailbox = try await client.execute(uri: "/_loopback/mailbox", method: .get, headers: headers)
                #expect(mailbox.status == .forbidden, "mailbox, \(name)")
                #expect(!mailbox.text.contains("reset code"))
                let wake = try await client.execute(
                    uri: "/_loopback/inbox/wake", method: .post, headers: headers,
                    body: ByteBuffer(string: #"{"subs":[]}"#))
                #expect(wake.status == .forbidden, "wake, \(name)")
            }
            let local = try await client.execute(
                uri: "/_loopback/mailbox", method: .get, headers: [hostField: "localhost:8900"])
            #expect(local.status == .ok && local.text.contains("reset code"))
        }
    }

    @Test("bound to a host name that starts with 127., admin operations are refused")
    func prefixedBindHost() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await buildApplication(
            configuration: CloudConfiguration(
                host: "127.x.example", port: 0, dataDirectory: directory, demo: true, logLevel: .critical))
        let pool = try PoolConfiguration.load(from: DataDirectory(root: directory))
        try await app.test(.router) { client in
            try await client.call("AdminGetUser", ["UserPoolId": pool.userPoolId, "Username": "alice"])
                .expectError("AccessDeniedException", "loopback")
            #expect(try await client.get("/_loopback/mailbox").status == .forbidden)
        }
    }
}
