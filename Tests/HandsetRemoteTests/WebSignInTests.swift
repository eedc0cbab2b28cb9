import Crypto
import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetRemote

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `handset login --web` and `--device` below the command: the authorize address, the loopback listener (a real
/// socket on 127.0.0.1, visited by URLSession as the browser), state and nonce checks, and the device grant's
/// polling with its waits recorded instead of slept.
@Suite struct WebSignInTests {
    static let hostedUI = HostedUIConfiguration(
        endpoint: URL(string: "http://cloud.invalid:8900")!,
        scopes: ["openid", "email", "aws.cognito.signin.user.admin"],
        redirectSignIn: ["myapp://cb", "http://127.0.0.1/callback"], redirectSignOut: ["http://127.0.0.1/signed-out"],
        identityProviders: ["Corp"],
        deviceAuthorizationEndpoint: URL(string: "http://cloud.invalid:8900/oauth2/device_authorization"))

    static func configuration(secret: String? = nil) -> ClientConfiguration {
        ClientConfiguration(
            region: "us-east-1", userPoolId: "us-east-1_TEST", clientId: "client-1", clientSecret: secret,
            cognitoEndpoint: URL(string: "http://cloud.invalid/")!,
            apiEndpoint: URL(string: "http://cloud.invalid/api")!,
            hostedUI: hostedUI)
    }

    /// An unsigned token with these claims (the client reads claims; the token endpoint is its only source).
    static func token(_ claims: [String: String]) -> String {
        let payload = try! JSONEncoder().encode(claims)
        return "e30."
            + payload.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "") + ".c2ln"
    }

    /// The token endpoint: answers a code with tokens carrying the nonce the authorize address sent (or another).
    final class TokenEndpoint: HTTPTransport, @unchecked Sendable {
        let lock = NSLock()
        var authorizeURL: URL?
        var wrongNonce = false
        var requests: [HTTPRequest] = []

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            let nonce: String = lock.withLock {
                requests.append(request)
                let sent = authorizeURL.flatMap { URLComponents(url: $0, resolvingAgainstBaseURL: false)?.queryItems }
                return wrongNonce ? "not-it" : (sent?.first { $0.name == "nonce" }?.value ?? "")
            }
            let body: [String: JSONValue] = [
                "id_token": .string(WebSignInTests.token(["sub": "s-1", "cognito:username": "alice", "nonce": nonce])),
                "access_token": .string("access"), "refresh_token": .string("refresh"), "expires_in": .number(3600),
            ]
            return HTTPResponse(status: 200, body: JSONValue.object(body).encoded())
        }
    }

    static func visit(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    static func query(_ url: URL) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map {
                ($0.name, $0.value ?? "")
            })
    }

    @Test func theAuthorizeAddressAsksForACodeWithS256AndEncodesEveryPlus() {
        let client = HostedUIClient(
            configuration: Self.configuration(), hostedUI: Self.hostedUI, transport: ScriptedTransport([]))
        let url = client.authorizeURL(
            redirectURI: "http://127.0.0.1:5/callback", state: "a+b", codeChallenge: "c", nonce: "n", provider: "Corp")
        #expect(url.absoluteString.hasPrefix("http://cloud.invalid:8900/oauth2/authorize?response_type=code&"))
        #expect(url.absoluteString.contains("state=a%2Bb"), "a + in a query would arrive as a space")
        let items = Self.query(url)
        #expect(items["code_challenge_method"] == "S256" && items["identity_provider"] == "Corp")
        #expect(items["scope"] == "openid email aws.cognito.signin.user.admin" && items["client_id"] == "client-1")
        #expect(
            client.logoutURL(logoutURI: "http://127.0.0.1:9/signed-out").absoluteString
                == "http://cloud.invalid:8900/logout?client_id=client-1&logout_uri=http://127.0.0.1:9/signed-out")
    }

    @Test func theListenerReadsOnlyAGetRequestLine() {
        func parse(_ text: String) -> LoopbackListener.Request? { LoopbackListener.request(fromHead: Array(text.utf8)) }
        let request = parse("GET /callback?code=a%2Bb&state=s HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(request?.path == "/callback" && request?.parameter("code") == "a+b" && request?.parameter("x") == nil)
        #expect(parse("GET /?only HTTP/1.0\n")?.query == "only")
        for refused in [
            "POST /callback HTTP/1.1\r\n", "GET /callback HTTP/1.1", "GET callback HTTP/1.1\r\n",
            "GET /a b HTTP/1.1\r\n", "\r\n", "",
        ] {
            #expect(parse(refused) == nil, "\(refused)")
        }
    }

    @Test func aBrowserSignInEndsOnlyWithItsOwnStateAndChecksTheNonce() async throws {
        let endpoint = TokenEndpoint()
        let signIn = WebSignIn(
            client: HostedUIClient(configuration: Self.configuration(), hostedUI: Self.hostedUI, transport: endpoint))
        async let tokens = signIn.run(provider: nil, timeout: 30) { url in
            endpoint.lock.withLock { endpoint.authorizeURL = url }
        }
        let url = try await waitFor { endpoint.lock.withLock { endpoint.authorizeURL } }
        let sent = Self.query(url)
        let redirect = try #require(sent["redirect_uri"])
        #expect(redirect.hasPrefix("http://127.0.0.1:") && redirect.hasSuffix("/callback"))
        #expect(URL(string: redirect)?.port != 0)

        // Someone else's visits do not end the wait.
        #expect(try await Self.visit(redirect + "?code=stolen&state=forged").0 == 400)
        #expect(try await Self.visit(redirect + "?code=stolen").0 == 400)
        #expect(try await Self.visit(redirect.replacingOccurrences(of: "/callback", with: "/favicon.ico")).0 == 404)
        let (status, page) = try await Self.visit(redirect + "?code=the-code&state=" + (sent["state"] ?? ""))
        #expect(status == 200 && page.contains("The terminal has taken over"))

        let result = try await tokens
        #expect(result.accessToken == "access" && result.refreshToken == "refresh")
        let exchange = try #require(endpoint.lock.withLock { endpoint.requests.first })
        let form = String(decoding: exchange.body ?? Data(), as: UTF8.self)
        #expect(form.contains("code=the-code") && form.contains("client_id=client-1"))
        let verifier = try #require(
            form.split(separator: "&").first { $0.hasPrefix("code_verifier=") }?.dropFirst("code_verifier=".count))
        let challenge = Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        #expect(challenge == sent["code_challenge"], "the verifier is the one behind the challenge sent")
    }

    @Test func anErrorFromThePoolAndAWrongNonceAreRefusals() async throws {
        let endpoint = TokenEndpoint()
        let signIn = WebSignIn(
            client: HostedUIClient(configuration: Self.configuration(), hostedUI: Self.hostedUI, transport: endpoint))
        let refused = Task {
            try await signIn.run(provider: "Nobody", timeout: 30) { url in
                endpoint.lock.withLock { endpoint.authorizeURL = url }
            }
        }
        var url = try await waitFor { endpoint.lock.withLock { endpoint.authorizeURL } }
        var sent = Self.query(url)
        _ = try await Self.visit(
            (sent["redirect_uri"] ?? "") + "?error=invalid_request&error_description=No%20such%20provider&state="
                + (sent["state"] ?? ""))
        await #expect(throws: WebSignInError.refused("invalid_request: No such provider")) { try await refused.value }
        #expect(endpoint.lock.withLock { endpoint.requests.isEmpty }, "no code, no token request")

        endpoint.lock.withLock {
            endpoint.authorizeURL = nil
            endpoint.wrongNonce = true
        }
        let mismatched = Task {
            try await signIn.run(provider: nil, timeout: 30) { url in
                endpoint.lock.withLock { endpoint.authorizeURL = url }
            }
        }
        url = try await waitFor { endpoint.lock.withLock { endpoint.authorizeURL } }
        sent = Self.query(url)
        _ = try await Self.visit((sent["redirect_uri"] ?? "") + "?code=c&state=" + (sent["state"] ?? ""))
        await #expect(throws: WebSignInError.nonceMismatch) { try await mismatched.value }
    }

    @Test func withoutALoopbackRedirectThereIsNoBrowserSignIn() async {
        var hostedUI = Self.hostedUI
        hostedUI.redirectSignIn = ["myapp://cb"]
        let signIn = WebSignIn(
            client: HostedUIClient(configuration: Self.configuration(), hostedUI: hostedUI, transport: TokenEndpoint()))
        await #expect(throws: WebSignInError.noLoopbackRedirect) { try await signIn.run(provider: nil) { _ in } }
    }

    static let deviceStart = ScriptedTransport.Step.answer(
        200,
        #"{"device_code":"dev-1","user_code":"BCDF-GHJK","verification_uri":"http://c/device","#
            + #""verification_uri_complete":"http://c/device?user_code=BCDF-GHJK","expires_in":600,"interval":5}"#)

    static func oauthError(_ code: String) -> ScriptedTransport.Step { .answer(400, #"{"error":"\#(code)"}"#) }

    @Test func devicePollingWaitsLongerAfterSlowDownUntilApproved() async throws {
        let transport = ScriptedTransport([
            Self.deviceStart, Self.oauthError("authorization_pending"), Self.oauthError("slow_down"),
            .answer(200, #"{"id_token":"i","access_token":"a","expires_in":3600}"#),
        ])
        let sleeps = Sleeps()
        let device = DeviceSignIn(
            client: HostedUIClient(
                configuration: Self.configuration(secret: "s3"), hostedUI: Self.hostedUI, transport: transport),
            sleep: { sleeps.add($0) })
        let authorization = try await device.start()
        #expect(authorization.userCode == "BCDF-GHJK" && authorization.interval == 5)
        #expect(transport.sent[0].url.absoluteString == "http://cloud.invalid:8900/oauth2/device_authorization")
        let tokens = try await device.waitForApproval(authorization)
        #expect(tokens.accessToken == "a")
        #expect(sleeps.all == [5, 5, 10])
        let poll = transport.sent[1]
        #expect(poll.headers["Authorization"]?.hasPrefix("Basic ") == true, "a client with a secret uses Basic")
        let body = String(decoding: poll.body ?? Data(), as: UTF8.self)
        #expect(body.contains("device_code=dev-1") && !body.contains("client_id="))
    }

    @Test func aPoolWithoutDeviceSignInSaysSoWithoutAsking() async throws {
        var hostedUI = Self.hostedUI
        hostedUI.deviceAuthorizationEndpoint = nil
        let transport = ScriptedTransport([])
        let device = DeviceSignIn(
            client: HostedUIClient(configuration: Self.configuration(), hostedUI: hostedUI, transport: transport))
        await #expect(throws: WebSignInError.noDeviceSignIn) { try await device.start() }
        #expect(transport.sent.isEmpty)
    }

    @Test func deviceDeniedOrExpiredEndsTheWait() async throws {
        for (answer, expected) in [("access_denied", WebSignInError.denied), ("expired_token", .expired)] {
            let transport = ScriptedTransport([Self.deviceStart, Self.oauthError(answer)])
            let device = DeviceSignIn(
                client: HostedUIClient(
                    configuration: Self.configuration(), hostedUI: Self.hostedUI, transport: transport),
                sleep: { _ in })
            let authorization = try await device.start()
            await #expect(throws: expected) { try await device.waitForApproval(authorization) }
        }
        // Still pending when the code's lifetime is over: expired, without asking the server to say so.
        let clock = Sleeps()
        let transport = ScriptedTransport(
            [Self.deviceStart] + Array(repeating: Self.oauthError("authorization_pending"), count: 200))
        let device = DeviceSignIn(
            client: HostedUIClient(configuration: Self.configuration(), hostedUI: Self.hostedUI, transport: transport),
            sleep: { clock.add($0) },
            now: { Date(timeIntervalSince1970: 1_000 + clock.all.reduce(0, +)) })
        let authorization = try await device.start()
        await #expect(throws: WebSignInError.expired) { try await device.waitForApproval(authorization) }
        #expect(clock.all.reduce(0, +) <= 610)
    }

    func waitFor<Value>(_ read: () -> Value?) async throws -> Value {
        for _ in 0..<400 {
            if let value = read() { return value }
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        throw CancellationError()
    }
}
