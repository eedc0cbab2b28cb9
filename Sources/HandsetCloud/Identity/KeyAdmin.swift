import Foundation
import HandsetCloudStorage

/// `handset-cloud keys`: the pool's token signing keys, listed and rotated in the storage directly. Running servers
/// pick a rotation up within `SigningKeyring.refreshInterval` (and at once when they meet a token signed with the
/// new key).
package enum KeyAdmin {
    /// One signing key as `handset-cloud keys list` shows it.
    package struct Listing: Codable, Sendable, Equatable {
        package var kid: String
        /// `current`, `retired` (still in the JWKS) or `expired` (no token it signed is valid any more).
        package var state: String
        package var createdAt: String
        package var retiredAt: String?
        /// When a retired key leaves the JWKS.
        package var validUntil: String?
    }

    /// What a rotation did.
    package struct Rotation: Sendable, Equatable {
        package var retiredKeyID: String
        package var currentKeyID: String
        /// When the retired key leaves the JWKS: once every token it signed has expired.
        package var retiredKeyValidUntil: Date
        /// Keys retired long enough ago that they were dropped now.
        package var removed: Int
    }

    package static func list(
        storage: CloudStorage, seed: DataDirectory?, now: Date = Date()
    ) async throws
        -> [Listing]
    {
        let validity = try await retiredKeyValidity(storage: storage, seed: seed)
        let stored = try await storage.keys.signingKeys(creatingWith: {
            try SigningKey.generate().privateKey.pemRepresentation
        })
        return try stored.map { key in
            let kid = try SigningKey(pem: key.privateKeyPEM).keyID
            let until = key.retiredAt.map { $0.addingTimeInterval(validity) }
            let state = key.retiredAt == nil ? "current" : (until.map { $0 > now } == true ? "retired" : "expired")
            return Listing(
                kid: kid, state: state, createdAt: Timestamp.string(from: key.createdAt),
                retiredAt: key.retiredAt.map(Timestamp.string(from:)), validUntil: until.map(Timestamp.string(from:)))
        }
    }

    /// Makes a new key the current one; the previous one keeps verifying until every token it signed has expired.
    package static func rotate(storage: CloudStorage, seed: DataDirectory?, now: Date = Date()) async throws -> Rotation
    {
        let validity = try await retiredKeyValidity(storage: storage, seed: seed)
        let previous = try await SigningKey.current(in: storage.keys)
        let next = try SigningKey.generate()
        _ = try await storage.keys.rotateSigningKey(to: next.privateKey.pemRepresentation, at: now)
        let removed = try await storage.keys.removeSigningKeys(retiredBefore: now.addingTimeInterval(-validity))
        return Rotation(
            retiredKeyID: previous.keyID, currentKeyID: next.keyID,
            retiredKeyValidUntil: now.addingTimeInterval(validity), removed: removed)
    }

    /// How long a retired key keeps verifying: as `SigningKeyring` computes it from the pool's token lifetimes.
    static func retiredKeyValidity(storage: CloudStorage, seed: DataDirectory?) async throws -> TimeInterval {
        let pool = try await PoolConfiguration.loadOrCreate(from: storage.settings, seed: seed)
        return SigningKeyring.validity(longestTokenLifetime: pool.tokenLifetimes.longestSigned)
    }
}

extension TokenLifetimes {
    /// The longest lifetime of a signed token (ID or access; refresh tokens are opaque).
    var longestSigned: TimeInterval { Double(max(idTokenSeconds, accessTokenSeconds)) }
}
