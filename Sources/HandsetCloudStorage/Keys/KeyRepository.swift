import Foundation

/// The cloud's keys: RSA keys that sign tokens (one current, and retired ones kept for verifying the tokens they
/// signed) and named secrets (the SECRET_BLOCK sealing key, the storage URL signing key). Every instance on one
/// database uses the same keys: whatever is created is created once, and every instance reads what won.
package protocol KeyRepository: Sendable {
    /// The signing keys, the current one first, then retired ones newest first. When there is none yet, stores
    /// `generate()`'s key as the current one (of concurrent first starts, one key wins and all return it).
    func signingKeys(
        creatingWith generate: @escaping @Sendable () throws -> String
    ) async throws
        -> [StoredSigningKey]
    /// Makes `privateKeyPEM` the current key and retires the previous current one at `date`. Returns the keys after.
    func rotateSigningKey(to privateKeyPEM: String, at date: Date) async throws -> [StoredSigningKey]
    /// Forgets keys retired before `date` (no token they signed can still be valid); returns how many.
    @discardableResult
    func removeSigningKeys(retiredBefore date: Date) async throws -> Int
    /// The secret named `name`, created from `generate()` when absent (once across instances).
    func secret(
        named name: SecretName, creatingWith generate: @escaping @Sendable () -> [UInt8]
    ) async throws
        -> [UInt8]
}

/// A token signing key as stored: its private key (PEM) and when it was made and retired.
package struct StoredSigningKey: Sendable, Equatable {
    package var privateKeyPEM: String
    package var createdAt: Date
    /// `nil` for the current key.
    package var retiredAt: Date?

    package init(privateKeyPEM: String, createdAt: Date, retiredAt: Date?) {
        self.privateKeyPEM = privateKeyPEM
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}

/// The cloud's symmetric secrets.
package enum SecretName: String, Sendable, CaseIterable {
    /// AES-256 key that seals SRP's SECRET_BLOCK between InitiateAuth and the PASSWORD_VERIFIER answer.
    case secretBlock = "srp-secret-block"
    /// HMAC key of storage URLs.
    case objectSigning = "object-signing"
}
