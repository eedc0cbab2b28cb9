import Crypto
import Foundation
import HandsetCloudStorage
import JWTKit
import _CryptoExtras

/// One of the pool's RSA-2048 signing keys, named by a stable kid.
struct SigningKey: Sendable {
    let privateKey: JWTKit.Insecure.RSA.PrivateKey
    /// base64url of the first 16 bytes of SHA-256 over the public key's DER encoding.
    let keyID: String

    init(privateKey: JWTKit.Insecure.RSA.PrivateKey) {
        self.privateKey = privateKey
        let digest = SHA256.hash(data: privateKey.publicKey.derRepresentation)
        self.keyID = Base64URL.encode(Array(digest.prefix(16)))
    }

    init(pem: String) throws {
        self.init(privateKey: try JWTKit.Insecure.RSA.PrivateKey(pem: pem))
    }

    /// A new random key (not saved).
    static func generate() throws -> SigningKey {
        SigningKey(privateKey: try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048)))
    }

    /// The current signing key of a storage, creating the first one when there is none.
    static func current(in keys: any KeyRepository) async throws -> SigningKey {
        let stored = try await keys.signingKeys(creatingWith: { try SigningKey.generate().privateKey.pemRepresentation }
        )
        guard let current = stored.first(where: { $0.retiredAt == nil }) ?? stored.first else {
            throw CloudStartupError.unreadableFile(path: "signing keys", reason: "none is stored")
        }
        return try SigningKey(pem: current.privateKeyPEM)
    }

    /// The public half as a JSON Web Key, as Cognito's JWKS lists it.
    func publicJWK() throws -> PublicJSONWebKey {
        let primitives = try privateKey.publicKey.getKeyPrimitives()
        return PublicJSONWebKey(
            alg: "RS256", e: Base64URL.encode(primitives.publicExponent.drop { $0 == 0 }), kid: keyID, kty: "RSA",
            n: Base64URL.encode(primitives.modulus.drop { $0 == 0 }), use: "sig")
    }

    /// A key collection that knows this key by its kid only.
    func keyCollection() async -> JWTKeyCollection {
        await Self.keyCollection([self])
    }

    /// A key collection that knows these keys by their kids only.
    ///
    /// jwt-kit falls back to a collection's default key when a token names an unknown kid (or none); registering
    /// with a kid makes the key the default too, so the default is cleared: unknown kids then fail.
    static func keyCollection(_ keys: [SigningKey]) async -> JWTKeyCollection {
        // Claims are written like Cognito writes them: `"iss":"http://..."`, not `"http:\/\/..."`.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let collection = JWTKeyCollection()
        for key in keys {
            await collection.add(
                rsa: key.privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.keyID),
                serializer: DefaultJWTSerializer(jsonEncoder: encoder))
        }
        await collection.clearDefault()
        return collection
    }
}
