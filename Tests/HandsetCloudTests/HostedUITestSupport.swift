import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// A browser for router tests: keeps the managed-login cookie, sends forms, reads CSRF tokens off pages.
final class TestBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    private let lock = NSLock()
    private var cookieValue: String?
    private var cookieNameValue = "handset-ui-"

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    var cookie: String? {
        get { lock.withLock { cookieValue } }
        set { lock.withLock { cookieValue = newValue } }
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(uri, method: .get, headers: headers, body: nil)
    }

    /// A form post (`application/x-www-form-urlencoded`).
    func post(_ uri: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.map { FormFields.encode($0.0) + "=" + FormFields.encode($0.1) }.joined(separator: "&")
        return try await send(uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    private func send(
        _ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?
    ) async throws -> TestResponse {
        var headers = headers
        if let cookie { headers[.cookie] = "\(lock.withLock { cookieNameValue })=\(cookie)" }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        if let set = response.headers[.setCookie], set.hasPrefix("handset-ui-"), let equals = set.firstIndex(of: "=") {
            lock.withLock { cookieNameValue = String(set[..<equals]) }
            let value = set[set.index(after: equals)...].prefix { $0 != ";" }
            cookie = value.isEmpty ? nil : String(value)
        }
        return response
    }

    /// The CSRF token of the page's first form.
    static func csrf(_ response: TestResponse) throws -> String {
        let html = response.text
        let marker = "name=\"_csrf\" value=\""
        let start = try #require(html.range(of: marker), "no form on the page:\n\(html)").upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    static func location(_ response: TestResponse) throws -> String {
        try #require(response.headers[.location], "no redirect: \(response.status) \(response.text)")
    }
}

/// An authorization request of the pool's default client, with PKCE.
struct AuthorizeFixture {
    var clientId: String
    var redirectURI = "http://127.0.0.1:54321/callback"
    var state = "state-\(UUID().uuidString)"
    var verifier = PKCE.newVerifier()
    var scope = "openid email profile aws.cognito.signin.user.admin"
    var nonce: String? = "nonce-\(UUID().uuidString)"
    var extra: [(String, String)] = []

    var challenge: String { PKCE.challenge(for: verifier) }

    var fields: [(String, String)] {
        var fields = [
            ("response_type", "code"), ("client_id", clientId), ("redirect_uri", redirectURI), ("state", state),
            ("scope", scope), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ]
        if let nonce { fields.append(("nonce", nonce)) }
        return fields + extra
    }

    var query: String { FormFields(fields).encoded }

    /// Signs in on the hosted pages with a password and returns the code from the redirect.
    func signIn(
        _ browser: TestBrowser, username: String, password: String, totp: (@Sendable () -> String)? = nil
    ) async throws -> String {
        let authorize = try await browser.get("/oauth2/authorize?" + query)
        // A browser signed in already gets its code at once.
        if authorize.status == .seeOther { return try code(from: try TestBrowser.location(authorize)) }
        #expect(authorize.status == .found)
        let login = try await browser.get(try TestBrowser.location(authorize))
        #expect(login.status == .ok, "\(login.text)")
        var answer = try await browser.post(
            "/login?" + query, [("_csrf", try TestBrowser.csrf(login)), ("username", username), ("password", password)])
        if let totp {
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.text.contains("authenticator app"))
            answer = try await browser.post(
                "/login/challenge?" + query, [("_csrf", try TestBrowser.csrf(answer)), ("code", totp())])
        }
        #expect(answer.status == .seeOther, "\(answer.text)")
        return try code(from: try TestBrowser.location(answer))
    }

    /// The code of a callback URL, after checking it is this request's redirect URI and state.
    func code(from location: String) throws -> String {
        #expect(location.hasPrefix(redirectURI + "?"), "\(location)")
        let fields = try #require(FormFields.parse(String(location.split(separator: "?", maxSplits: 1)[1])))
        #expect(fields["state"] == state)
        return try #require(fields["code"], "no code in \(location)")
    }

    /// The token request that redeems `code`.
    func tokenForm(code: String, verifier: String? = nil, redirectURI: String? = nil) -> [(String, String)] {
        [
            ("grant_type", "authorization_code"), ("client_id", clientId), ("code", code),
            ("redirect_uri", redirectURI ?? self.redirectURI), ("code_verifier", verifier ?? self.verifier),
        ]
    }
}

extension TestResponse {
    /// The `error` of an OAuth error answer.
    var oauthError: String? {
        (try? JSONValue.parse(Data(buffer: body)))?.objectValue?["error"]?.stringValue
    }

    var jsonFields: [String: JSONValue] {
        (try? JSONValue.parse(Data(buffer: body)))?.objectValue ?? [:]
    }
}
