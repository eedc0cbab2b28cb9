import Foundation
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// `handset-cloud keys rotate` (`KeyAdmin.rotate`) against a running cloud, on every backend: the new key signs new
/// tokens, the old one stays in the JWKS and keeps verifying the tokens it signed.
@Suite("Token signing key rotation")
struct KeyRotationTests {
    static func keyID(of token: String) throws -> String {
        let header = try #require(Base64URL.decode(String(token.split(separator: ".")[0])))
        return try #require(try JSONValue.parse(header)["kid"]?.stringValue)
    }

    static func tasks(_ cloud: APICloud, token: String) async throws -> HTTPResponse.Status {
        try await cloud.client.execute(uri: "/api/tasks", method: .get, headers: [.authorization: token]).status
    }

    @Test(
        "after a rotation new sign-ins use the new key; the old key stays in the JWKS and its tokens keep working",
        arguments: TestBackend.allCases)
    func rotate(backend: TestBackend) async throws {
        try await withAPICloud(backend: backend) { cloud in
            let storage = cloud.fixture.storage
            let now = cloud.fixture.clock.now
            let oldToken = try #require(cloud.tokens["alice"])
            let oldKeyID = try Self.keyID(of: oldToken)
            let rotation = try await KeyAdmin.rotate(storage: storage, seed: nil, now: now)
            #expect(rotation.retiredKeyID == oldKeyID && rotation.currentKeyID != oldKeyID)
            #expect(rotation.retiredKeyValidUntil > now.addingTimeInterval(3600), "longer than an ID token lives")

            // A token signed with the new key makes the server read the keys again at once.
            let minted = try await mintIDToken(
                fixture: cloud.fixture, sub: try #require(cloud.subs["alice"]), username: "alice", groups: [])
            #expect(try Self.keyID(of: minted) == rotation.currentKeyID)
            #expect(try await Self.tasks(cloud, token: minted) == .ok)
            let jwks = try await cloud.client.get("/\(cloud.fixture.pool.userPoolId)/.well-known/jwks.json")
            #expect(Set(try jwks.decode(JSONWebKeySet.self).keys.map(\.kid)) == [oldKeyID, rotation.currentKeyID])

            let fresh = try await cloud.client.signIn("alice", "Wonderland-42!", fixture: cloud.fixture)
            #expect(try Self.keyID(of: fresh.idToken) == rotation.currentKeyID)
            #expect(try await Self.tasks(cloud, token: fresh.idToken) == .ok)
            #expect(try await Self.tasks(cloud, token: oldToken) == .ok, "the old key still verifies its tokens")

            let listing = try await KeyAdmin.list(storage: storage, seed: nil, now: now)
            #expect(listing.map(\.kid) == [rotation.currentKeyID, oldKeyID])
            #expect(listing.map(\.state) == ["current", "retired"])
            let later = try await KeyAdmin.list(
                storage: storage, seed: nil, now: rotation.retiredKeyValidUntil.addingTimeInterval(1))
            #expect(later.map(\.state) == ["current", "expired"])
        }
    }

    @Test(
        "a remembered token whose signing key the pool no longer serves is refused, cached or not",
        arguments: TestBackend.allCases)
    func removedKeyRefusesCachedToken(backend: TestBackend) async throws {
        try await withAPICloud(backend: backend) { cloud in
            let storage = cloud.fixture.storage
            let now = cloud.fixture.clock.now
            let oldToken = try #require(cloud.tokens["alice"])
            let oldKeyID = try Self.keyID(of: oldToken)
            // Verified once with the RSA check, then remembered: the next request with it is a cache hit.
            #expect(try await Self.tasks(cloud, token: oldToken) == .ok)
            #expect(try await Self.tasks(cloud, token: oldToken) == .ok)

            let rotation = try await KeyAdmin.rotate(storage: storage, seed: nil, now: now)
            #expect(try await storage.keys.removeSigningKeys(retiredBefore: now.addingTimeInterval(1)) == 1)
            // A token with the new key's kid makes the server read its keys again: the old key is gone from them.
            let minted = try await mintIDToken(
                fixture: cloud.fixture, sub: try #require(cloud.subs["alice"]), username: "alice", groups: [])
            #expect(try Self.keyID(of: minted) == rotation.currentKeyID)
            #expect(try await Self.tasks(cloud, token: minted) == .ok)
            let jwks = try await cloud.client.get("/\(cloud.fixture.pool.userPoolId)/.well-known/jwks.json")
            #expect(try jwks.decode(JSONWebKeySet.self).keys.map(\.kid) == [rotation.currentKeyID])

            // Still unexpired and still in the cache, but its key is no longer served.
            #expect(oldKeyID != rotation.currentKeyID)
            #expect(try await Self.tasks(cloud, token: oldToken) == .unauthorized)
        }
    }
}
