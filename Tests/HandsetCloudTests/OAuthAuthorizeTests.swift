import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// `/oauth2/authorize`: what it accepts, and Cognito's answers to what it refuses.
@Suite("OAuth authorize endpoint")
struct OAuthAuthorizeTests {
    @Test("a valid request with PKCE goes on to the sign-in page with the same parameters")
    func toLogin() async throws {
        try await withCloud(demo: false) { client, fixture in
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let response = try await client.get("/oauth2/authorize?" + request.query)
            #expect(response.status == .found)
            #expect(try TestBrowser.location(response) == "/login?" + request.query)
        }
    }

    @Test(
        "loopback callbacks match on any port (RFC 8252), other parts exactly",
        arguments: [
            ("http://127.0.0.1:1/callback", true), ("http://127.0.0.1:65535/callback", true),
            ("http://127.0.0.1/callback", true), ("http://localhost:8080/callback", true),
            ("http://127.0.0.1:5000/callback/", false), ("http://127.0.0.1:5000/Callback", false),
            ("http://127.0.0.1:5000/callback?x=1", false), ("https://127.0.0.1:5000/callback", false),
            ("http://127.0.0.2:5000/callback", false), ("http://evil.example/callback", false),
            ("http://127.0.0.1:5000/callback#fragment", false), ("http://127.0.0.1@evil.example/callback", false),
            ("http://evil.example@127.0.0.1:5000/callback", false), ("//127.0.0.1/callback", false),
            ("http://127.0.0.1.evil.example/callback", false), ("http://127.0.0.1:5000/callback\r\nX: y", false),
        ])
    func loopbackMatching(uri: String, matches: Bool) {
        #expect(RedirectURIMatcher.matches(uri, registered: AppClient.localCallbackURLs) == matches, "\(uri)")
    }

    @Test("an unknown client or a redirect URI the client did not register goes to the error page, never the URI")
    func openRedirects() async throws {
        try await withCloud(demo: false) { client, fixture in
            for (clientId, redirect, error) in [
                (fixture.clientId, "https://evil.example/steal", "redirect_mismatch"),
                (fixture.clientId, "http://127.0.0.1:5000/other", "redirect_mismatch"),
                (fixture.clientId, "http://localhost.evil.example/callback", "redirect_mismatch"),
                ("nosuchclient0000000000000", "http://127.0.0.1:5000/callback", "invalid_request"),
            ] {
                var request = AuthorizeFixture(clientId: clientId)
                request.redirectURI = redirect
                let response = try await client.get("/oauth2/authorize?" + request.query)
                #expect(response.status == .found)
                let location = try TestBrowser.location(response)
                #expect(location.hasPrefix("/error?error=\(error)"), "\(redirect): \(location)")
                let page = try await client.get(location)
                #expect(page.status == .badRequest)
                #expect(page.text.contains("An error was encountered with the requested page."))
            }
            let missing = try await client.get("/oauth2/authorize?response_type=code&client_id=\(fixture.clientId)")
            #expect(try TestBrowser.location(missing).hasPrefix("/error?error=redirect_mismatch"))
        }
    }

    @Test("refusals with a good redirect URI go back to it, with the state")
    func refusalsAtRedirect() async throws {
        try await withCloud(demo: false) { client, fixture in
            func refused(_ change: (inout [(String, String)]) -> Void) async throws -> FormFields {
                let base = AuthorizeFixture(clientId: fixture.clientId)
                var fields = base.fields
                change(&fields)
                let response = try await client.get("/oauth2/authorize?" + FormFields(fields).encoded)
                #expect(response.status == .found)
                let location = try TestBrowser.location(response)
                #expect(location.hasPrefix(base.redirectURI + "?"), "\(location)")
                let answer = try #require(FormFields.parse(String(location.split(separator: "?")[1])))
                #expect(answer["state"] == base.state)
                return answer
            }
            // No challenge from a client without a secret.
            var answer = try await refused {
                $0.removeAll { $0.0 == "code_challenge" || $0.0 == "code_challenge_method" }
            }
            #expect(answer["error"] == "invalid_request")
            #expect(answer["error_description"]?.contains("code_challenge") == true)
            // The plain method.
            answer = try await refused {
                $0.removeAll { $0.0 == "code_challenge_method" }
                $0.append(("code_challenge_method", "plain"))
            }
            #expect(answer["error"] == "invalid_request")
            #expect(answer["error_description"] == "code_challenge_method must be S256")
            // A challenge that is no S256 hash.
            answer = try await refused {
                $0.removeAll { $0.0 == "code_challenge" }
                $0.append(("code_challenge", "short"))
            }
            #expect(answer["error"] == "invalid_request")
            // The implicit grant would put a token in the URL.
            answer = try await refused {
                $0.removeAll { $0.0 == "response_type" }
                $0.append(("response_type", "token"))
            }
            #expect(answer["error"] == "unsupported_response_type")
            answer = try await refused {
                $0.removeAll { $0.0 == "scope" }
                $0.append(("scope", "openid admin:everything"))
            }
            #expect(answer["error"] == "invalid_scope")
            answer = try await refused { $0.append(("state", "second")) }
            #expect(answer["error"] == "invalid_request")
            answer = try await refused { $0.append(("identity_provider", "Nobody")) }
            #expect(answer["error"] == "invalid_request")
        }
    }

    @Test("prompt=none without a signed-in browser answers login_required; with one, a code at once")
    func promptNone() async throws {
        try await withCloud { client, fixture in
            var request = AuthorizeFixture(clientId: fixture.clientId)
            request.extra = [("prompt", "none")]
            let response = try await client.get("/oauth2/authorize?" + request.query)
            let location = try TestBrowser.location(response)
            #expect(location.contains("error=login_required"))

            let browser = TestBrowser(client)
            _ = try await AuthorizeFixture(clientId: fixture.clientId).signIn(
                browser, username: "alice", password: DemoData.alice.user.password)
            let again = try await browser.get("/oauth2/authorize?" + request.query)
            #expect(again.status == .seeOther)
            _ = try request.code(from: try TestBrowser.location(again))
        }
    }

    @Test("the discovery document lists the authorization server's endpoints")
    func discovery() async throws {
        try await withCloud(demo: false) { client, fixture in
            let response = try await client.get("/\(fixture.pool.userPoolId)/.well-known/openid-configuration")
            let document = try response.decode(OpenIDConfiguration.self)
            let base = try #require(
                document.authorizationEndpoint?.replacingOccurrences(of: "/oauth2/authorize", with: ""))
            #expect(document.tokenEndpoint == base + "/oauth2/token")
            #expect(document.userinfoEndpoint == base + "/oauth2/userInfo")
            #expect(document.revocationEndpoint == base + "/oauth2/revoke")
            #expect(document.deviceAuthorizationEndpoint == base + "/oauth2/device_authorization")
            #expect(document.codeChallengeMethodsSupported == ["S256"])
            #expect(document.responseTypesSupported == ["code"])
        }
    }
}
