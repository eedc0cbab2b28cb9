import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird
import JWTKit
import Testing

@testable import HandsetCloud

/// An OpenID provider in memory: discovery, keys, and a token endpoint that answers one code with an ID token
/// built from what the test sets (the nonce the pool sent, claims to change, another key to sign with).
final class FakeProvider: UpstreamHTTP, @unchecked Sendable {
    static let issuer = "https://idp.example/pool"
    static let clientId = "corp-client"
    static let clientSecret = "corp-secret"
    let key: SigningKey
    let clock: TestClock
    let lock = NSLock()
    var nonce = ""
    var sub = "provider-user-1"
    var claims: [String: JSONValue] = ["email": "pat@corp.example", "email_verified": true, "name": "Pat"]
    var signWith: SigningKey?
    var tokenRequests: [(fields: FormFields, basic: (id: String, secret: String)?)] = []

    init(clock: TestClock) throws {
        key = try SigningKey.generate()
        self.clock = clock
    }

    func get(_ url: URL) async throws -> (status: Int, body: Data) {
        switch url.absoluteString {
        case Self.issuer + "/.well-known/openid-configuration":
            let document: [String: String] = [
                "issuer": Self.issuer, "authorization_endpoint": "https://idp.example/authorize",
                "token_endpoint": "https://idp.example/token", "jwks_uri": "https://idp.example/jwks.json",
            ]
            return (200, try JSONEncoder().encode(document))
        case "https://idp.example/jwks.json":
            return (200, try JSONEncoder().encode(JSONWebKeySet(keys: [try key.publicJWK()])))
        default:
            return (404, Data())
        }
    }

    func postForm(
        _ url: URL, fields: FormFields, basic: (id: String, secret: String)?
    ) async throws -> (status: Int, body: Data) {
        lock.withLock { tokenRequests.append((fields, basic)) }
        guard url.absoluteString == "https://idp.example/token", fields["code"] == "provider-code",
            basic?.id == Self.clientId, basic?.secret == Self.clientSecret
        else { return (400, Data(#"{"error":"invalid_grant"}"#.utf8)) }
        let now = Int(clock.now.timeIntervalSince1970)
        var payload: [String: JSONValue] = lock.withLock {
            var payload = claims
            payload["iss"] = payload["iss"] ?? .string(Self.issuer)
            payload["aud"] = payload["aud"] ?? .string(Self.clientId)
            payload["sub"] = .string(sub)
            payload["nonce"] = payload["nonce"] ?? .string(nonce)
            payload["iat"] = .number(Double(now))
            payload["exp"] = payload["exp"] ?? .number(Double(now + 300))
            return payload
        }
        payload = payload.filter { $0.value != .null }
        let signer = lock.withLock { signWith } ?? key
        // Always the provider's kid in the header: a forged token names the provider's key.
        let collection = await JWTKeyCollection().add(
            rsa: signer.privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.keyID))
        let token = try await collection.sign(ProviderClaims(claims: payload), kid: JWKIdentifier(string: key.keyID))
        return (200, try JSONEncoder().encode(["id_token": token, "access_token": "x", "token_type": "Bearer"]))
    }

    struct ProviderClaims: JWTPayload {
        var claims: [String: JSONValue]
        init(claims: [String: JSONValue]) { self.claims = claims }
        init(from decoder: any Decoder) throws { claims = try [String: JSONValue](from: decoder) }
        func encode(to encoder: any Encoder) throws { try claims.encode(to: encoder) }
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }
}

@Suite("Federation to an OpenID Connect provider")
struct FederationTests {
    /// A cloud whose pool has the provider `Corp` (through Cognito's own operations) and lets its client use it.
    func withFederatedCloud(
        _ body: @Sendable (any TestClientProtocol, CloudFixture, FakeProvider) async throws -> Void
    ) async throws {
        let clock = TestClock()
        let provider = try FakeProvider(clock: clock)
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try await TestBackend.sqlite.withStorage(directory: root) { storage in
            var configuration = CloudConfiguration(
                port: 0, dataDirectory: root, demo: true, now: { clock.now }, logLevel: .critical)
            configuration.upstreamHTTP = provider
            let app = try await buildApplication(configuration: configuration, storage: storage)
            let fixture = CloudFixture(
                directory: root, pool: try await PoolConfiguration.loadOrCreate(from: storage.settings, seed: nil),
                clock: clock, storage: storage)
            try await app.test(.router) { client in
                let created = try await client.call(
                    "CreateIdentityProvider",
                    [
                        "UserPoolId": fixture.pool.userPoolId, "ProviderName": "Corp", "ProviderType": "OIDC",
                        "ProviderDetails": [
                            "client_id": FakeProvider.clientId, "client_secret": FakeProvider.clientSecret,
                            "authorize_scopes": "openid email", "oidc_issuer": FakeProvider.issuer,
                            "attributes_request_method": "GET",
                        ],
                        "AttributeMapping": ["email": "email", "email_verified": "email_verified", "name": "name"],
                    ])
                #expect(created.status == .ok, "\(created.text)")
                let updated = try await client.call(
                    "UpdateUserPoolClient",
                    [
                        "UserPoolId": fixture.pool.userPoolId, "ClientId": fixture.clientId, "ClientName": "handset",
                        "ExplicitAuthFlows": [
                            "ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
                        ],
                        "CallbackURLs": AppClient.localCallbackURLs, "LogoutURLs": AppClient.localLogoutURLs,
                        "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": AppClient.standardScopes,
                        "AllowedOAuthFlowsUserPoolClient": true, "SupportedIdentityProviders": ["COGNITO", "Corp"],
                    ])
                #expect(updated.status == .ok, "\(updated.text)")
                try await body(client, fixture, provider)
            }
        }
    }

    /// The provider hop: authorize → the provider's address (read its state and nonce) → back with a code.
    func hop(
        _ browser: TestBrowser, _ request: AuthorizeFixture, _ provider: FakeProvider, setNonce: Bool = true
    ) async throws -> TestResponse {
        var request = request
        request.extra = [("identity_provider", "Corp")]
        let authorize = try await browser.get("/oauth2/authorize?" + request.query)
        let location = try TestBrowser.location(authorize)
        #expect(location.hasPrefix("https://idp.example/authorize?"))
        let sent = try #require(FormFields.parse(String(location.split(separator: "?")[1])))
        #expect(sent["redirect_uri"]?.hasSuffix("/oauth2/idpresponse") == true)
        #expect(sent["code_challenge_method"] == "S256" && sent["scope"] == "openid email")
        if setNonce { provider.lock.withLock { provider.nonce = sent["nonce"] ?? "" } }
        return try await browser.get(
            "/oauth2/idpresponse?code=provider-code&state=" + FormFields.encode(sent["state"] ?? ""))
    }

    @Test(
        "the provider's user signs in as <Provider>_<sub>, with identities, the provider's group and mapped attributes")
    func signIn() async throws {
        try await withFederatedCloud { client, fixture, provider in
            let browser = TestBrowser(client)
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let back = try await hop(browser, request, provider)
            #expect(
                back.status == .seeOther, "\(back.text.components(separatedBy: "<p>").dropFirst().first ?? back.text)")
            let code = try request.code(from: try TestBrowser.location(back))
            let tokens = try await browser.post("/oauth2/token", request.tokenForm(code: code))
            let idToken = try #require(tokens.jsonFields["id_token"]?.stringValue)
            let claims = try await idClaims(idToken)
            #expect(claims.cognitoUsername == "Corp_provider-user-1")
            #expect(claims.cognitoGroups == ["\(fixture.pool.userPoolId)_Corp"])
            #expect(claims.email == "pat@corp.example")
            let identity = try #require(claims.identities?.first)
            #expect(identity.providerName == "Corp" && identity.userId == "provider-user-1")
            #expect(identity.providerType == "OIDC" && identity.primary == "true")
            let request0 = try #require(provider.tokenRequests.first)
            let verifier = try #require(request0.fields["code_verifier"])
            #expect(PKCE.isWellFormed(verifier))

            // The next sign-in refreshes the mapped attributes.
            provider.lock.withLock { provider.claims["email"] = "pat@new.example" }
            let second = TestBrowser(client)
            let again = try await hop(second, request, provider)
            let code2 = try request.code(from: try TestBrowser.location(again))
            let tokens2 = try await second.post("/oauth2/token", request.tokenForm(code: code2))
            let claims2 = try await idClaims(try #require(tokens2.jsonFields["id_token"]?.stringValue))
            #expect(claims2.sub == claims.sub && claims2.email == "pat@new.example")

            let user = try await client.call(
                "AdminGetUser", ["UserPoolId": fixture.pool.userPoolId, "Username": "Corp_provider-user-1"])
            #expect(try user.jsonObject["UserStatus"] as? String == "EXTERNAL_PROVIDER")
            // Each sign-in through the provider is an auth event of the user's.
            let listed = try await client.call(
                "AdminListUserAuthEvents", ["UserPoolId": fixture.pool.userPoolId, "Username": "Corp_provider-user-1"])
            let events = try #require(try listed.jsonObject["AuthEvents"] as? [[String: Any]])
            #expect(events.map { $0["EventResponse"] as? String } == ["Pass", "Pass"], "\(listed.text)")

            // A disabled user's attempt is refused, and recorded as a failure.
            let disabled = try await client.call(
                "AdminDisableUser", ["UserPoolId": fixture.pool.userPoolId, "Username": "Corp_provider-user-1"])
            #expect(disabled.status == .ok)
            let refused = try await hop(TestBrowser(client), request, provider)
            #expect(refused.status != .seeOther)
            #expect(refused.text.contains("disabled"), "\(refused.text)")
            let afterDisable = try await client.call(
                "AdminListUserAuthEvents", ["UserPoolId": fixture.pool.userPoolId, "Username": "Corp_provider-user-1"])
            let latest = try #require(try afterDisable.jsonObject["AuthEvents"] as? [[String: Any]])
            // (The test clock stands still: events of the same instant come in no particular order.)
            #expect(
                latest.compactMap { $0["EventResponse"] as? String }.sorted() == ["Fail", "Pass", "Pass"],
                "\(afterDisable.text)")
            #expect(
                try await client.call(
                    "AdminEnableUser", ["UserPoolId": fixture.pool.userPoolId, "Username": "Corp_provider-user-1"]
                ).status == .ok)

            // A federated user has no password of the pool's.
            let password = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                parameters: ["USERNAME": "Corp_provider-user-1", "PASSWORD": "anything"])
            try password.expectError("NotAuthorizedException")
        }
    }

    @Test(
        "the provider's ID token is checked: nonce, audience, issuer, expiry, signature",
        arguments: [
            ("nonce", JSONValue.string("another")), ("aud", .string("someone-else")),
            ("iss", .string("https://evil.example")), ("exp", .number(1000)),
        ])
    func rejectedTokens(claim: String, value: JSONValue) async throws {
        try await withFederatedCloud { client, fixture, provider in
            provider.lock.withLock { provider.claims[claim] = value }
            let back = try await hop(TestBrowser(client), AuthorizeFixture(clientId: fixture.clientId), provider)
            #expect(back.status == .badRequest)
            #expect(back.text.contains("could not be verified"), "\(back.text)")
        }
    }

    @Test("mapped attributes: text, flags, whole and fractional numbers, and numbers no integer holds")
    func attributeMapping() {
        let mapping = [
            "a": "whole", "b": "fraction", "c": "huge", "d": "negative", "e": "text", "f": "flag", "g": "list",
        ]
        let claims: [String: JSONValue] = [
            "whole": .number(42), "fraction": .number(1.5), "huge": .number(1e300), "negative": .number(-1e19),
            "text": .string("x"), "flag": .bool(true), "list": .array([.string("y")]),
        ]
        // 1e300 used to trap converting to Int64: a provider's claim could crash the pool.
        let values = Dictionary(
            uniqueKeysWithValues: FederationService.mappedAttributes(mapping, claims: claims).map {
                ($0.name, $0.value)
            })
        #expect(values["a"] == "42" && values["b"] == "1.5" && values["e"] == "x" && values["f"] == "true")
        #expect(values["c"] == "1e+300" && values["d"] == "-1e+19")
        #expect(values["g"] == nil)
    }

    @Test("a token signed by another key, an answer in another browser, and a reused state are refused")
    func otherRefusals() async throws {
        try await withFederatedCloud { client, fixture, provider in
            provider.lock.withLock { provider.signWith = try? SigningKey.generate() }
            let forged = try await hop(TestBrowser(client), AuthorizeFixture(clientId: fixture.clientId), provider)
            #expect(forged.text.contains("bad signature"))
            provider.lock.withLock { provider.signWith = nil }

            let browser = TestBrowser(client)
            var request = AuthorizeFixture(clientId: fixture.clientId)
            request.extra = [("identity_provider", "Corp")]
            let location = try TestBrowser.location(try await browser.get("/oauth2/authorize?" + request.query))
            let sent = try #require(FormFields.parse(String(location.split(separator: "?")[1])))
            provider.lock.withLock { provider.nonce = sent["nonce"] ?? "" }
            let answer = "/oauth2/idpresponse?code=provider-code&state=" + FormFields.encode(sent["state"] ?? "")
            let elsewhere = try await TestBrowser(client).get(answer)
            #expect(elsewhere.text.contains("expired or was already used"))
            let late = try await browser.get(answer)
            #expect(late.text.contains("expired or was already used"), "the state is used up by the first answer")
        }
    }

    @Test("an immutable attribute in the mapping is set by the first sign-in; the next sign-ins are refused, as on AWS")
    func immutableMappedAttribute() async throws {
        try await withFederatedCloud { client, fixture, provider in
            let poolId = fixture.pool.userPoolId
            let declared = try await client.call(
                "AddCustomAttributes",
                [
                    "UserPoolId": poolId,
                    "CustomAttributes": [["Name": "employee", "AttributeDataType": "String", "Mutable": false]],
                ])
            #expect(declared.status == .ok, "\(declared.text)")
            let mapped = try await client.call(
                "UpdateIdentityProvider",
                [
                    "UserPoolId": poolId, "ProviderName": "Corp",
                    "AttributeMapping": ["email": "email", "custom:employee": "employee_number"],
                ])
            #expect(mapped.status == .ok, "\(mapped.text)")
            provider.lock.withLock { provider.claims["employee_number"] = "E-1001" }
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let first = try await hop(TestBrowser(client), request, provider)
            #expect(first.status == .seeOther, "\(first.text)")
            let username = "Corp_provider-user-1"
            let created = try await client.call("AdminGetUser", ["UserPoolId": poolId, "Username": username])
            #expect(created.text.contains("E-1001"), "\(created.text)")

            // The same value or another: Cognito's update of the attribute fails, and so does the sign-in.
            provider.lock.withLock { provider.claims["employee_number"] = "E-2002" }
            let second = try await hop(TestBrowser(client), request, provider)
            #expect(second.status != .seeOther)
            #expect(second.text.contains("custom:employee: Attribute cannot be updated"), "\(second.text)")
            let kept = try await client.call("AdminGetUser", ["UserPoolId": poolId, "Username": username])
            #expect(kept.text.contains("E-1001") && !kept.text.contains("E-2002"), "\(kept.text)")

            // Without the attribute in the mapping, the user signs in again.
            let unmapped = try await client.call(
                "UpdateIdentityProvider",
                ["UserPoolId": poolId, "ProviderName": "Corp", "AttributeMapping": ["email": "email"]])
            #expect(unmapped.status == .ok, "\(unmapped.text)")
            let third = try await hop(TestBrowser(client), request, provider)
            #expect(third.status == .seeOther, "\(third.text)")
        }
    }

    @Test("AdminLinkProviderForUser: the provider identity then signs in as the existing user")
    func link() async throws {
        try await withFederatedCloud { client, fixture, provider in
            let linked = try await client.call(
                "AdminLinkProviderForUser",
                [
                    "UserPoolId": fixture.pool.userPoolId,
                    "DestinationUser": ["ProviderName": "Cognito", "ProviderAttributeValue": "alice"],
                    "SourceUser": [
                        "ProviderName": "Corp", "ProviderAttributeName": "Cognito_Subject",
                        "ProviderAttributeValue": "alice-at-corp",
                    ],
                ])
            #expect(linked.status == .ok, "\(linked.text)")
            provider.lock.withLock { provider.sub = "alice-at-corp" }
            let browser = TestBrowser(client)
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let back = try await hop(browser, request, provider)
            let code = try request.code(from: try TestBrowser.location(back))
            let tokens = try await browser.post("/oauth2/token", request.tokenForm(code: code))
            let claims = try await idClaims(try #require(tokens.jsonFields["id_token"]?.stringValue))
            #expect(claims.cognitoUsername == "alice")
            #expect(claims.identities?.first?.userId == "alice-at-corp")

            let again = try await client.call(
                "AdminLinkProviderForUser",
                [
                    "UserPoolId": fixture.pool.userPoolId,
                    "DestinationUser": ["ProviderName": "Cognito", "ProviderAttributeValue": "bob"],
                    "SourceUser": ["ProviderName": "Corp", "ProviderAttributeValue": "alice-at-corp"],
                ])
            try again.expectError("AliasExistsException")
            let unknown = try await client.call(
                "AdminLinkProviderForUser",
                [
                    "UserPoolId": fixture.pool.userPoolId,
                    "DestinationUser": ["ProviderName": "Cognito", "ProviderAttributeValue": "nobody"],
                    "SourceUser": ["ProviderName": "Corp", "ProviderAttributeValue": "x"],
                ])
            try unknown.expectError("UserNotFoundException")
        }
    }
}
