import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import JWTKit
import Testing

@testable import HandsetCloud

@Suite("API Gateway Cognito authorizer")
struct AuthorizerTests {
    static let unauthorized = #"{"message":"Unauthorized"}"#
    static let expired = #"{"message":"The incoming token has expired"}"#

    @Test(
        "malformed tokens are refused with 401 Unauthorized",
        arguments: [
            "", "garbage", "Bearer ", "a.b", "a.b.c", "a.b.c.d", "..", "eyJhbGciOiJub25lIn0.e30.",
            // alg none with a kid-less header, and an unsigned token
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4IiwidG9rZW5fdXNlIjoiaWQifQ.",
            "!!!.###.$$$",
        ])
    func malformed(token: String) async throws {
        try await withCloud(demo: false) { client, _ in
            let response = try await client.get("/api/tasks", token: token.isEmpty ? nil : token)
            #expect(response.status == .unauthorized)
            #expect(response.text == Self.unauthorized)
        }
    }

    @Test("forged, foreign and misused tokens are refused with 401 Unauthorized")
    func forged() async throws {
        try await withCloud { client, fixture in
            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let realKey = try await fixture.signingKey()
            let claims = try await JWTKeyCollection().unverified(signIn.idToken, as: IDTokenClaims.self)

            // Another key claiming the pool key's kid.
            let impostor = JWTKeyCollection()
            await impostor.add(
                rsa: try SigningKey.generate().privateKey, digestAlgorithm: .sha256,
                kid: JWKIdentifier(string: realKey.keyID))
            let forgedSignature = try await impostor.sign(claims, kid: JWKIdentifier(string: realKey.keyID))

            // Another key under its own kid.
            let otherKey = try SigningKey.generate()
            let foreignKid = try await otherKey.keyCollection().sign(claims, kid: JWKIdentifier(string: otherKey.keyID))

            // The real key, but wrong claims.
            let realKeys = await realKey.keyCollection()
            let realKid = JWKIdentifier(string: realKey.keyID)
            var wrongIssuer = claims
            wrongIssuer.iss = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1234"
            var wrongAudience = claims
            wrongAudience.aud = "someotherclientid000000000"
            let wrongUse = IDTokenClaims(
                sub: claims.sub, aud: claims.aud, tokenUse: "access", authTime: claims.authTime, iat: claims.iat,
                exp: claims.exp, iss: claims.iss, cognitoUsername: "alice", jti: "j", originJti: "o", eventId: "e")

            // A tampered payload keeps the original signature.
            let parts = signIn.idToken.split(separator: ".")
            var tamperedClaims = claims
            tamperedClaims.sub = "00000000-0000-0000-0000-000000000000"
            let tamperedPayload = Base64URL.encode(try JSONEncoder().encode(tamperedClaims))
            let tampered = "\(parts[0]).\(tamperedPayload).\(parts[2])"

            let tokens: [(String, String)] = [
                ("signed by another key with the pool's kid", forgedSignature),
                ("signed by another key", foreignKid),
                ("wrong issuer", try await realKeys.sign(wrongIssuer, kid: realKid)),
                ("wrong audience", try await realKeys.sign(wrongAudience, kid: realKid)),
                ("token_use access in an ID token", try await realKeys.sign(wrongUse, kid: realKid)),
                ("access token instead of ID token", signIn.accessToken),
                ("refresh token", signIn.refreshToken!),
                ("tampered payload", tampered),
                ("no kid", try await Self.signWithoutKid(claims, key: realKey)),
            ]
            for (name, token) in tokens {
                let response = try await client.get("/api/tasks", token: token)
                #expect(response.status == .unauthorized, "\(name)")
                #expect(response.text == Self.unauthorized, "\(name)")
            }
        }
    }

    @Test("a token that is not valid yet is refused")
    func notBefore() async throws {
        try await withCloud { client, fixture in
            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let claims = try await JWTKeyCollection().unverified(signIn.idToken, as: IDTokenClaims.self)
            let key = try await fixture.signingKey()
            let future = ClaimsWithNotBefore(base: claims, nbf: claims.iat + 300)
            let token = try await key.keyCollection().sign(future, kid: JWKIdentifier(string: key.keyID))
            let response = try await client.get("/api/tasks", token: token)
            #expect(response.status == .unauthorized)
            #expect(response.text == Self.unauthorized)
            fixture.clock.advance(by: 301)
            #expect(try await client.get("/api/tasks", token: token).status == .ok)
        }
    }

    @Test("an expired ID token gets API Gateway's expiry message")
    func expiredToken() async throws {
        try await withCloud { client, fixture in
            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            fixture.clock.advance(by: 3599)
            #expect(try await client.get("/api/tasks", token: signIn.idToken).status == .ok)
            fixture.clock.advance(by: 1)
            let response = try await client.get("/api/tasks", token: signIn.idToken)
            #expect(response.status == .unauthorized)
            #expect(response.text == Self.expired)
        }
    }

    @Test("a valid token is accepted raw or with a Bearer prefix")
    func validToken() async throws {
        try await withCloud { client, fixture in
            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            for header in [signIn.idToken, "Bearer \(signIn.idToken)", "bearer \(signIn.idToken)"] {
                let response = try await client.get("/api/tasks", token: header)
                #expect(response.status == .ok)
            }
        }
    }

    @Test("the issuer can be configured")
    func configuredIssuer() async throws {
        try await withCloud(issuerBaseURL: "https://cognito-idp.us-east-1.amazonaws.com/") { client, fixture in
            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let claims = try await JWTKeyCollection().unverified(signIn.idToken, as: IDTokenClaims.self)
            #expect(claims.iss == "https://cognito-idp.us-east-1.amazonaws.com/\(fixture.pool.userPoolId)")
            #expect(try await client.get("/api/tasks", token: signIn.idToken).status == .ok)
        }
    }

    /// Signs by hand so that the header has no kid.
    static func signWithoutKid(_ claims: IDTokenClaims, key: SigningKey) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: key.privateKey, digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }
}

/// ID token claims plus `nbf`.
struct ClaimsWithNotBefore: JWTPayload {
    var base: IDTokenClaims
    var nbf: Int

    func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(nbf, forKey: Key(stringValue: "nbf"))
    }

    init(base: IDTokenClaims, nbf: Int) {
        self.base = base
        self.nbf = nbf
    }

    init(from decoder: any Decoder) throws {
        self.base = try IDTokenClaims(from: decoder)
        self.nbf = try decoder.container(keyedBy: Key.self).decode(Int.self, forKey: Key(stringValue: "nbf"))
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
