import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

@Suite("JWKS and OpenID discovery")
struct WellKnownTests {
    @Test("the JWKS lists the pool's RS256 key by its kid")
    func jwks() async throws {
        try await withCloud(demo: false) { client, fixture in
            let response = try await client.get("/\(fixture.pool.userPoolId)/.well-known/jwks.json")
            #expect(response.status == .ok)
            let set = try response.decode(JSONWebKeySet.self)
            let key = try #require(set.keys.first)
            #expect(set.keys.count == 1)
            #expect(key.alg == "RS256" && key.kty == "RSA" && key.use == "sig")
            let keyID = try await fixture.signingKey().keyID
            #expect(key.kid == keyID)
            #expect(key.e == "AQAB")
            #expect(Base64URL.decode(key.n)?.count == 256)
            #expect(!key.n.contains("=") && !key.n.contains("+") && !key.n.contains("/"))
            let fields = try #require(try response.json()["keys"]?.arrayValue?.first?.objectValue)
            #expect(Set(fields.keys) == ["alg", "e", "kid", "kty", "n", "use"])
        }
    }

    @Test("the OpenID configuration names the issuer and the JWKS")
    func openIDConfiguration() async throws {
        try await withCloud(demo: false) { client, fixture in
            let response = try await client.get("/\(fixture.pool.userPoolId)/.well-known/openid-configuration")
            #expect(response.status == .ok)
            let configuration = try response.decode(OpenIDConfiguration.self)
            #expect(configuration.issuer.hasSuffix("/\(fixture.pool.userPoolId)"))
            #expect(configuration.jwksURI == configuration.issuer + "/.well-known/jwks.json")
            #expect(configuration.idTokenSigningAlgValuesSupported == ["RS256"])
            #expect(configuration.subjectTypesSupported == ["public"])
            #expect(configuration.responseTypesSupported == ["code"])
        }
    }

    @Test("another pool's JWKS path is not found")
    func otherPool() async throws {
        try await withCloud(demo: false) { client, _ in
            let response = try await client.get("/us-east-1_Other1234/.well-known/jwks.json")
            #expect(response.status == .notFound)
        }
    }
}
