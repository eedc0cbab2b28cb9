import Crypto
import Foundation
import HandsetModel
import HandsetWire

/// The pool's OAuth 2.0 endpoints (Cognito's managed login) as a native app uses them: the authorization code
/// grant with PKCE to a loopback redirect, the device grant, revocation, and the sign-out page.
public struct HostedUIClient: Sendable {
    public let configuration: ClientConfiguration
    public let hostedUI: HostedUIConfiguration
    private let transport: any HTTPTransport

    public init(configuration: ClientConfiguration, hostedUI: HostedUIConfiguration, transport: any HTTPTransport) {
        self.configuration = configuration
        self.hostedUI = hostedUI
        self.transport = transport
    }

    /// What the token endpoint answered.
    public struct Tokens: Sendable, Equatable {
        public var idToken: String
        public var accessToken: String
        public var refreshToken: String?
        public var expiresIn: Int
    }

    /// `/oauth2/authorize` for a code with PKCE S256 (and the provider to go to at once, if any).
    public func authorizeURL(
        redirectURI: String, state: String, codeChallenge: String, nonce: String, provider: String?
    ) -> URL {
        var items = [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: configuration.clientId),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "scope", value: hostedUI.scopes.joined(separator: " ")),
            URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: codeChallenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        if let provider { items.append(URLQueryItem(name: "identity_provider", value: provider)) }
        return url("/oauth2/authorize", query: items)
    }

    /// `/logout?client_id&logout_uri`: ends the browser's managed-login session.
    public func logoutURL(logoutURI: String) -> URL {
        url(
            "/logout",
            query: [
                URLQueryItem(name: "client_id", value: configuration.clientId),
                URLQueryItem(name: "logout_uri", value: logoutURI),
            ])
    }

    /// The authorization code grant's second half.
    public func exchange(code: String, redirectURI: String, verifier: String) async throws -> Tokens {
        let answer = try await post(
            "/oauth2/token",
            [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                ("code_verifier", verifier),
            ])
        return try Self.tokens(from: answer)
    }

    /// RFC 8628 §3.1-3.2.
    public struct DeviceAuthorization: Sendable, Equatable {
        public var deviceCode: String
        public var userCode: String
        public var verificationURI: String
        public var verificationURIComplete: String?
        public var expiresIn: Int
        public var interval: Int
    }

    public func startDeviceAuthorization() async throws -> DeviceAuthorization {
        guard let endpoint = hostedUI.deviceAuthorizationEndpoint else { throw WebSignInError.noDeviceSignIn }
        let answer = try await post(endpoint, [("scope", hostedUI.scopes.joined(separator: " "))])
        return try Self.deviceAuthorization(from: answer)
    }

    /// Reads a device authorization answer; the numbers are kept within sense (a poll every 1-60 seconds, codes
    /// living at most a day) whatever the server says.
    public static func deviceAuthorization(from answer: JSONValue) throws -> DeviceAuthorization {
        guard let object = answer.objectValue, let deviceCode = object["device_code"]?.stringValue,
            let userCode = object["user_code"]?.stringValue, let uri = object["verification_uri"]?.stringValue
        else { throw RemoteError.badResponse("the device authorization answer lacks its codes") }
        return DeviceAuthorization(
            deviceCode: deviceCode, userCode: userCode, verificationURI: uri,
            verificationURIComplete: object["verification_uri_complete"]?.stringValue,
            expiresIn: seconds(object["expires_in"], default: 600, within: 1...86400),
            interval: seconds(object["interval"], default: 5, within: 1...60))
    }

    /// A number of seconds from an answer, clamped to `range`; `fallback` when it is missing or not a number.
    static func seconds(_ value: JSONValue?, default fallback: Int, within range: ClosedRange<Int>) -> Int {
        guard let number = value?.doubleValue, number.isFinite else { return fallback }
        if number <= Double(range.lowerBound) { return range.lowerBound }
        if number >= Double(range.upperBound) { return range.upperBound }
        return Int(number)
    }

    /// One poll of the device grant.
    public enum DevicePoll: Sendable, Equatable {
        case pending
        case slowDown
        case approved(Tokens)
        case denied
        case expired
    }

    public func pollDevice(deviceCode: String) async throws -> DevicePoll {
        do {
            let answer = try await post(
                "/oauth2/token",
                [("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", deviceCode)])
            return .approved(try Self.tokens(from: answer))
        } catch OAuthFailure.error(let code) {
            switch code {
            case "authorization_pending": return .pending
            case "slow_down": return .slowDown
            case "access_denied": return .denied
            case "expired_token": return .expired
            default: throw RemoteError.http(status: 400, message: Self.explain(code))
            }
        }
    }

    /// `/oauth2/revoke`: ends the sign-in a refresh token belongs to.
    public func revoke(refreshToken: String) async throws {
        _ = try await post("/oauth2/revoke", [("token", refreshToken)], expectBody: false)
    }

    // MARK: HTTP

    private enum OAuthFailure: Error {
        case error(String)
    }

    private func url(_ path: String, query: [URLQueryItem]) -> URL {
        var components = URLComponents(url: hostedUI.endpoint, resolvingAgainstBaseURL: false)!
        components.path = (components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path) + path
        components.queryItems = query
        // URLComponents leaves `+` alone in queries, which servers read as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    private func post(_ path: String, _ fields: [(String, String)], expectBody: Bool = true) async throws -> JSONValue {
        try await post(url(path, query: []), fields, expectBody: expectBody)
    }

    private func post(_ target: URL, _ fields: [(String, String)], expectBody: Bool = true) async throws -> JSONValue {
        var fields = fields
        var headers = ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"]
        if let secret = configuration.clientSecret {
            let credentials = Self.formEncode(configuration.clientId) + ":" + Self.formEncode(secret)
            headers["Authorization"] = "Basic " + Data(credentials.utf8).base64EncodedString()
        } else {
            fields.append(("client_id", configuration.clientId))
        }
        let body = fields.map { Self.formEncode($0.0) + "=" + Self.formEncode($0.1) }.joined(separator: "&")
        let response: HTTPResponse
        do {
            response = try await transport.send(
                HTTPRequest(method: "POST", url: target, headers: headers, body: Data(body.utf8)))
        } catch let error as TransportError {
            throw RemoteError.offline(error.detail)
        }
        let json = try? JSONValue.parse(response.body)
        guard response.status == 200 else {
            if let code = json?.objectValue?["error"]?.stringValue, response.status < 500 {
                throw OAuthFailure.error(code)
            }
            throw RemoteError.http(status: response.status, message: "The sign-in server answered \(response.status)")
        }
        if !expectBody { return .null }
        guard let json else { throw RemoteError.badResponse("the sign-in server's answer is not JSON") }
        return json
    }

    /// Reads a token answer (`expires_in` kept between 1 second and a day).
    public static func tokens(from answer: JSONValue) throws -> Tokens {
        guard let object = answer.objectValue, let access = object["access_token"]?.stringValue,
            let id = object["id_token"]?.stringValue
        else { throw RemoteError.badResponse("the token answer has no ID and access token") }
        return Tokens(
            idToken: id, accessToken: access, refreshToken: object["refresh_token"]?.stringValue,
            expiresIn: seconds(object["expires_in"], default: 3600, within: 1...86400))
    }

    /// The token endpoint's error codes in words.
    static func explain(_ code: String) -> String {
        switch code {
        case "invalid_grant": return "The sign-in code was refused (expired, used, or not for this app)"
        case "invalid_client": return "The app client was refused by the sign-in server"
        case "unauthorized_client": return "This app client may not sign in this way"
        case "invalid_scope": return "The app asked for scopes its client does not allow"
        default: return "The sign-in server refused: \(code)"
        }
    }

    /// RFC 3986 unreserved characters stay, everything else is percent-encoded.
    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// PKCE for the client side (RFC 7636, S256).
public enum PKCEPair {
    /// A fresh verifier (32 random bytes, base64url) and its S256 challenge.
    public static func make() -> (verifier: String, challenge: String) {
        let verifier = base64URL(randomBytes(32))
        return (verifier, base64URL(Array(SHA256.hash(data: Data(verifier.utf8)))))
    }

    public static func randomToken() -> String { base64URL(randomBytes(32)) }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
