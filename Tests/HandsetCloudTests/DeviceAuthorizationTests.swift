import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// Device sign-in (RFC 8628): the device's endpoint and polling, the person's verification page.
@Suite("Device authorization")
struct DeviceAuthorizationTests {
    static func start(_ client: any TestClientProtocol, clientId: String) async throws -> [String: JSONValue] {
        let response = try await TestBrowser(client).post(
            "/oauth2/device_authorization", [("client_id", clientId), ("scope", "openid email")])
        #expect(response.status == .ok, "\(response.text)")
        return response.jsonFields
    }

    static func poll(
        _ client: any TestClientProtocol, clientId: String, deviceCode: String
    ) async throws -> TestResponse {
        try await TestBrowser(client).post(
            "/oauth2/token",
            [("grant_type", OAuthService.deviceCodeGrant), ("client_id", clientId), ("device_code", deviceCode)])
    }

    @Test("pending, slow_down, then approved on the page after signing in there; the code works once")
    func approve() async throws {
        try await withCloud { client, fixture in
            let started = try await Self.start(client, clientId: fixture.clientId)
            let deviceCode = try #require(started["device_code"]?.stringValue)
            let userCode = try #require(started["user_code"]?.stringValue)
            #expect(userCode.count == 9 && userCode.contains("-"))
            let complete = try #require(started["verification_uri_complete"]?.stringValue)
            #expect(complete.hasSuffix("/device?user_code=\(userCode)"))
            #expect(started["interval"]?.doubleValue == 5)

            #expect(
                try await Self.poll(client, clientId: fixture.clientId, deviceCode: deviceCode).oauthError
                    == "authorization_pending")
            fixture.clock.advance(by: 1)
            #expect(
                try await Self.poll(client, clientId: fixture.clientId, deviceCode: deviceCode).oauthError
                    == "slow_down")
            fixture.clock.advance(by: 6)
            #expect(
                try await Self.poll(client, clientId: fixture.clientId, deviceCode: deviceCode).oauthError
                    == "slow_down",
                "the interval grew by 5 seconds")
            fixture.clock.advance(by: 16)
            #expect(
                try await Self.poll(client, clientId: fixture.clientId, deviceCode: deviceCode).oauthError
                    == "authorization_pending")

            let browser = TestBrowser(client)
            let path = "/device?user_code=" + userCode
            let login = try await browser.get(path)
            #expect(login.text.contains("Sign in to connect your device."))
            let signedIn = try await browser.post(
                "/login?device=1&user_code=" + userCode.replacingOccurrences(of: "-", with: ""),
                [
                    ("_csrf", try TestBrowser.csrf(login)), ("username", "alice"),
                    ("password", DemoData.alice.user.password),
                ])
            #expect(signedIn.status == .seeOther, "\(signedIn.text)")
            let confirm = try await browser.get(try TestBrowser.location(signedIn))
            #expect(confirm.text.contains("Allow this device?"))
            #expect(confirm.text.contains(userCode))
            let allowed = try await browser.post(
                "/device/confirm",
                [("_csrf", try TestBrowser.csrf(confirm)), ("user_code", userCode), ("decision", "allow")])
            #expect(allowed.text.contains("Device connected"))

            fixture.clock.advance(by: 16)
            let tokens = try await Self.poll(client, clientId: fixture.clientId, deviceCode: deviceCode)
            #expect(tokens.status == .ok, "\(tokens.text)")
            let idToken = try #require(tokens.jsonFields["id_token"]?.stringValue)
            #expect(try await idClaims(idToken).cognitoUsername == "alice")
            fixture.clock.advance(by: 16)
            #expect(
                try await Self.poll(client, clientId: fixture.clientId, deviceCode: deviceCode).oauthError
                    == "invalid_grant")
        }
    }

    @Test("denied, expired, another client's device code, wrong user codes locked out")
    func refusals() async throws {
        try await withCloud { client, fixture in
            let started = try await Self.start(client, clientId: fixture.clientId)
            let deviceCode = try #require(started["device_code"]?.stringValue)
            let userCode = try #require(started["user_code"]?.stringValue)
            let browser = TestBrowser(client)
            let request = AuthorizeFixture(clientId: fixture.clientId)
            _ = try await request.signIn(browser, username: "bob", password: DemoData.bob.user.password)
            var page = try await browser.get("/device")
            #expect(page.text.contains("Enter the code your device shows."))
            for _ in 0..<5 {
                page = try await browser.post(
                    "/device", [("_csrf", try TestBrowser.csrf(page)), ("user_code", "BBBB-BBBB")])
                #expect(page.text.contains("not valid"))
            }
            page = try await browser.post("/device", [("_csrf", try TestBrowser.csrf(page)), ("user_code", userCode)])
            #expect(page.text.contains("Too many"), "locked out after wrong codes, even for a right one")
            fixture.clock.advance(by: 2)
            page = try await browser.post(
                "/device", [("_csrf", try TestBrowser.csrf(page)), ("user_code", userCode.lowercased())])
            #expect(page.text.contains("Allow this device?"), "codes are typed in any case")
            let denied = try await browser.post(
                "/device/confirm",
                [("_csrf", try TestBrowser.csrf(page)), ("user_code", userCode), ("decision", "deny")])
            #expect(denied.text.contains("Device refused"))
            fixture.clock.advance(by: 6)
            #expect(
                try await Self.poll(client, clientId: fixture.clientId, deviceCode: deviceCode).oauthError
                    == "access_denied")

            let second = try await Self.start(client, clientId: fixture.clientId)
            let secondCode = try #require(second["device_code"]?.stringValue)
            #expect(
                try await Self.poll(client, clientId: "someoneelse", deviceCode: secondCode).oauthError
                    == "invalid_client")
            fixture.clock.advance(by: 601)
            #expect(
                try await Self.poll(client, clientId: fixture.clientId, deviceCode: secondCode).oauthError
                    == "expired_token")
        }
    }

    @Test("guessing codes straight at /device/confirm counts toward the same lockout")
    func guessingAtConfirm() async throws {
        try await withCloud { client, fixture in
            let started = try await Self.start(client, clientId: fixture.clientId)
            let deviceCode = try #require(started["device_code"]?.stringValue)
            let userCode = try #require(started["user_code"]?.stringValue)
            let browser = TestBrowser(client)
            _ = try await AuthorizeFixture(clientId: fixture.clientId).signIn(
                browser, username: "bob", password: DemoData.bob.user.password)
            var page = try await browser.get("/device")
            for _ in 0..<5 {
                page = try await browser.post(
                    "/device/confirm",
                    [("_csrf", try TestBrowser.csrf(page)), ("user_code", "BBBB-BBBB"), ("decision", "allow")])
                #expect(page.text.contains("not valid"))
            }
            // Before the fix the sixth guess was as welcome as the first: codes could be tried without limit.
            page = try await browser.post(
                "/device/confirm",
                [("_csrf", try TestBrowser.csrf(page)), ("user_code", userCode), ("decision", "allow")])
            #expect(page.text.contains("Too many"), "locked out after wrong codes, even for a right one")
            fixture.clock.advance(by: 6)
            #expect(
                try await Self.poll(client, clientId: fixture.clientId, deviceCode: deviceCode).oauthError
                    == "authorization_pending")
        }
    }

    @Test("user codes: 8 letters of the consonant alphabet, typed with or without the dash")
    func userCodes() {
        for _ in 0..<200 {
            let code = UserCode.generate()
            #expect(code.count == 8 && code.allSatisfy(UserCode.alphabet.contains))
            #expect(UserCode.normalize(UserCode.display(code).lowercased()) == code)
        }
        #expect(UserCode.normalize("BCDF-GHJ") == nil)
        #expect(UserCode.normalize("ABCD-EFGH") == nil)
    }
}
