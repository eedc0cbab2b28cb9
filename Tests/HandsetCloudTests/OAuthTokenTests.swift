import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird
import JWTKit
import Testing

@testable import HandsetCloud

/// `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke`: the grants, and every refusal the issue lists.
@Suite("OAuth token endpoint")
struct OAuthTokenTests {
    static let alicePassword = DemoData.alice.user.password

    @Test("a code redeemed with its verifier gives tokens carrying the scopes, nonce and at_hash")
    func redeem() async throws {
        try await withCloud { client, fixture in
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let browser = TestBrowser(client)
            let code = try await request.signIn(browser, username: "alice", password: Self.alicePassword)
            let response = try await browser.post("/oauth2/token", request.tokenForm(code: code))
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.cacheControl] == "no-store")
            let fields = response.jsonFields
            #expect(fields["token_type"]?.stringValue == "Bearer")
            let idToken = try #require(fields["id_token"]?.stringValue)
            let accessToken = try #require(fields["access_token"]?.stringValue)
            #expect(fields["refresh_token"]?.stringValue != nil)
            let claims = try await idClaims(idToken)
            #expect(claims.cognitoUsername == "alice")
            #expect(claims.aud == fixture.clientId)
            #expect(claims.nonce == request.nonce)
            #expect(claims.atHash == TokenIssuer.accessTokenHash(accessToken))
            let access = try await JWTKeyCollection().unverified(accessToken, as: AccessTokenClaims.self)
            #expect(access.scope == request.scope)

            // The ID token works with the API's authorizer like any other.
            let api = try await client.get("/api/tasks?limit=1", token: idToken)
            #expect(api.status == .ok)
        }
    }

    @Test("refusals: a reused code (which also ends the sign-in it made), a wrong verifier, another redirect URI")
    func refusals() async throws {
        try await withCloud { client, fixture in
            let browser = TestBrowser(client)
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let code = try await request.signIn(browser, username: "alice", password: Self.alicePassword)
            let first = try await browser.post("/oauth2/token", request.tokenForm(code: code))
            let refresh = try #require(first.jsonFields["refresh_token"]?.stringValue)
            let reused = try await browser.post("/oauth2/token", request.tokenForm(code: code))
            #expect(reused.status == .badRequest)
            #expect(reused.oauthError == "invalid_grant")
            let refreshed = try await browser.post(
                "/oauth2/token",
                [("grant_type", "refresh_token"), ("client_id", fixture.clientId), ("refresh_token", refresh)])
            #expect(refreshed.oauthError == "invalid_grant", "a reused code revokes what the code gave")

            let second = try await request.signIn(browser, username: "alice", password: Self.alicePassword)
            let wrongVerifier = try await browser.post(
                "/oauth2/token", request.tokenForm(code: second, verifier: PKCE.newVerifier()))
            #expect(wrongVerifier.oauthError == "invalid_grant")
            // The code is used up by the failed attempt.
            let retry = try await browser.post("/oauth2/token", request.tokenForm(code: second))
            #expect(retry.oauthError == "invalid_grant")

            let third = try await request.signIn(browser, username: "alice", password: Self.alicePassword)
            let otherRedirect = try await browser.post(
                "/oauth2/token", request.tokenForm(code: third, redirectURI: "http://127.0.0.1:54322/callback"))
            #expect(otherRedirect.oauthError == "invalid_grant")

            let fourth = try await request.signIn(browser, username: "alice", password: Self.alicePassword)
            var noVerifier = request.tokenForm(code: fourth)
            noVerifier.removeAll { $0.0 == "code_verifier" }
            #expect(try await browser.post("/oauth2/token", noVerifier).oauthError == "invalid_grant")

            let missing = try await browser.post(
                "/oauth2/token", [("grant_type", "authorization_code"), ("client_id", fixture.clientId)])
            #expect(missing.oauthError == "invalid_request")
            let unknownGrant = try await browser.post(
                "/oauth2/token", [("grant_type", "password"), ("client_id", fixture.clientId)])
            #expect(unknownGrant.oauthError == "unsupported_grant_type")
            let unknownClient = try await browser.post(
                "/oauth2/token", [("grant_type", "refresh_token"), ("client_id", "nobody")])
            #expect(unknownClient.oauthError == "invalid_client")
            let json = try await client.execute(
                uri: "/oauth2/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            #expect(json.status == .badRequest)
        }
    }

    @Test("a code expires after 5 minutes and serves only the client it was issued to")
    func expiryAndClient() async throws {
        try await withCloud { client, fixture in
            let browser = TestBrowser(client)
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let code = try await request.signIn(browser, username: "alice", password: Self.alicePassword)
            fixture.clock.advance(by: 301)
            #expect(
                try await browser.post("/oauth2/token", request.tokenForm(code: code)).oauthError == "invalid_grant")

            let created = try await client.call(
                "CreateUserPoolClient",
                [
                    "UserPoolId": fixture.pool.userPoolId, "ClientName": "other",
                    "CallbackURLs": ["http://127.0.0.1/callback"],
                    "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"],
                    "AllowedOAuthFlowsUserPoolClient": true,
                    "SupportedIdentityProviders": ["COGNITO"],
                ])
            let other = try #require(try created.jsonObject["UserPoolClient"] as? [String: Any])["ClientId"] as! String
            let fresh = try await request.signIn(browser, username: "alice", password: Self.alicePassword)
            var form = request.tokenForm(code: fresh)
            form.removeAll { $0.0 == "client_id" }
            form.append(("client_id", other))
            #expect(try await browser.post("/oauth2/token", form).oauthError == "invalid_grant")
        }
    }

    @Test("refresh, userInfo, revoke")
    func refreshUserInfoRevoke() async throws {
        try await withCloud { client, fixture in
            let browser = TestBrowser(client)
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let code = try await request.signIn(browser, username: "alice", password: Self.alicePassword)
            let tokens = try await browser.post("/oauth2/token", request.tokenForm(code: code)).jsonFields
            let refresh = try #require(tokens["refresh_token"]?.stringValue)
            let access = try #require(tokens["access_token"]?.stringValue)

            let info = try await client.execute(
                uri: "/oauth2/userInfo", method: .get, headers: [.authorization: "Bearer \(access)"])
            #expect(info.status == .ok, "\(info.text)")
            #expect(info.jsonFields["username"]?.stringValue == "alice")
            #expect(info.jsonFields["email"]?.stringValue == "alice@example.com")
            #expect(info.jsonFields["email_verified"]?.stringValue == "true")
            let posted = try await client.execute(
                uri: "/oauth2/userInfo", method: .post, headers: [.authorization: "Bearer \(access)"])
            #expect(posted.status == .ok)

            let refreshed = try await browser.post(
                "/oauth2/token",
                [("grant_type", "refresh_token"), ("client_id", fixture.clientId), ("refresh_token", refresh)])
            #expect(refreshed.status == .ok, "\(refreshed.text)")
            let newAccess = try #require(refreshed.jsonFields["access_token"]?.stringValue)
            let claims = try await JWTKeyCollection().unverified(newAccess, as: AccessTokenClaims.self)
            #expect(claims.scope == request.scope, "a refresh keeps the scopes of the sign-in")
            #expect(refreshed.jsonFields["refresh_token"] == nil)

            let revoked = try await browser.post(
                "/oauth2/revoke", [("token", refresh), ("client_id", fixture.clientId)])
            #expect(revoked.status == .ok)
            let after = try await browser.post(
                "/oauth2/token",
                [("grant_type", "refresh_token"), ("client_id", fixture.clientId), ("refresh_token", refresh)])
            #expect(after.oauthError == "invalid_grant")
            let infoAfter = try await client.execute(
                uri: "/oauth2/userInfo", method: .get, headers: [.authorization: "Bearer \(newAccess)"])
            #expect(infoAfter.status == .unauthorized)
            #expect(infoAfter.headers[.wwwAuthenticate]?.contains("invalid_token") == true)

            let unknown = try await browser.post(
                "/oauth2/revoke", [("token", "nothing"), ("client_id", fixture.clientId)])
            #expect(unknown.status == .ok)
            let jwt = try await browser.post("/oauth2/revoke", [("token", newAccess), ("client_id", fixture.clientId)])
            #expect(jwt.oauthError == "unsupported_token_type")
            let noToken = try await client.execute(uri: "/oauth2/userInfo", method: .get)
            #expect(noToken.status == .unauthorized)
        }
    }

    @Test("client credentials with HTTP Basic: only a client with a secret, only its custom scopes")
    func clientCredentials() async throws {
        try await withCloud(demo: false) { client, fixture in
            let created = try await client.call(
                "CreateUserPoolClient",
                [
                    "UserPoolId": fixture.pool.userPoolId, "ClientName": "machine", "GenerateSecret": true,
                    "AllowedOAuthFlows": ["client_credentials"],
                    "AllowedOAuthScopes": ["records/read", "records/write"],
                    "AllowedOAuthFlowsUserPoolClient": true,
                ])
            #expect(created.status == .ok, "\(created.text)")
            let wire = try #require(try created.jsonObject["UserPoolClient"] as? [String: Any])
            let id = try #require(wire["ClientId"] as? String)
            let secret = try #require(wire["ClientSecret"] as? String)
            let basic = "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
            let browser = TestBrowser(client)
            let answer = try await browser.post(
                "/oauth2/token", [("grant_type", "client_credentials"), ("scope", "records/read")],
                headers: [.authorization: basic])
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.jsonFields["id_token"] == nil && answer.jsonFields["refresh_token"] == nil)
            let token = try #require(answer.jsonFields["access_token"]?.stringValue)
            let claims = try await JWTKeyCollection().unverified(token, as: ClientAccessTokenClaims.self)
            #expect(claims.sub == id && claims.scope == "records/read")

            let wrongSecret = try await browser.post(
                "/oauth2/token", [("grant_type", "client_credentials")],
                headers: [.authorization: "Basic " + Data("\(id):nope".utf8).base64EncodedString()])
            #expect(wrongSecret.status == .unauthorized)
            #expect(wrongSecret.oauthError == "invalid_client")
            #expect(wrongSecret.headers[.wwwAuthenticate] != nil)
            let badScope = try await browser.post(
                "/oauth2/token", [("grant_type", "client_credentials"), ("scope", "openid")],
                headers: [.authorization: basic])
            #expect(badScope.oauthError == "invalid_scope")
            let publicClient = try await browser.post(
                "/oauth2/token", [("grant_type", "client_credentials"), ("client_id", fixture.clientId)])
            #expect(publicClient.oauthError == "unauthorized_client")
            let both = try await browser.post(
                "/oauth2/token", [("grant_type", "client_credentials"), ("client_secret", secret)],
                headers: [.authorization: basic])
            #expect(both.oauthError == "invalid_request")
        }
    }
}
