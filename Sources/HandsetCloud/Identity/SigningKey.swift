import Crypto
import Foundation
import JWTKit
import _CryptoExtras

/// The pool's RSA-2048 signing key: created once per data directory, kept as PEM (0600), named by a stable kid.
struct SigningKey: Sendable {
    let privateKey: JWTKit.Insecure.RSA.PrivateKey
    /// base64url of the first 16 bytes of SHA-256 over the public key's DER encoding.
    let keyID: String

    init(privateKey: JWTKit.Insecure.RSA.PrivateKey) {
        self.privateKey = privateKey
        let digest = SHA256.hash(data: privateKey.publicKey.derRepresentation)
        self.keyID = Base64URL.encode(Array(digest.prefix(16)))
    }

    /// A new random key (not saved).
    static func generate() throws -> SigningKey {
        SigningKey(privateKey: try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048)))
    }

    /// Reads the key of a data directory.
    static func load(from directory: DataDirectory) throws -> SigningKey {
        let file = directory.signingKey
        do {
            let pem = try String(contentsOf: file, encoding: .utf8)
            return SigningKey(privateKey: try JWTKit.Insecure.RSA.PrivateKey(pem: pem))
        } catch {
            throw CloudStartupError.unreadableFile(path: file.path, reason: "\(error)")
        }
    }

    /// Reads the key of a data directory, creating it on the first start.
    static func loadOrCreate(in directory: DataDirectory) throws -> SigningKey {
        if FileManager.default.fileExists(atPath: directory.signingKey.path) {
            return try load(from: directory)
        }
        let key = try generate()
        do {
            try AtomicFile.write(
                Data(key.privateKey.pemRepresentation.utf8), to: directory.signingKey, permissions: 0o600)
        } catch {
            throw CloudStartupError.unwritableFile(path: directory.signingKey.path, reason: "\(error)")
        }
        return key
    }

    /// The public half as a JSON Web Key, as Cognito's JWKS lists it.
    func publicJWK() throws -> PublicJSONWebKey {
        let primitives = try privateKey.publicKey.getKeyPrimitives()
        return PublicJSONWebKey(
            alg: "RS256", e: Base64URL.encode(primitives.publicExponent.drop { $0 == 0 }), kid: keyID, kty: "RSA",
            n: Base64URL.encode(primitives.modulus.drop { $0 == 0 }), use: "sig")
    }

    /// A key collection that knows this key by its kid only.
    ///
    /// jwt-kit falls back to a collection's default key when a token names an unknown kid (or none); registering
    /// with a kid makes the key the default too, so the default is cleared: unknown kids then fail.
    func keyCollection() async -> JWTKeyCollection {
        // Claims are written like Cognito writes them: `"iss":"http://..."`, not `"http:\/\/..."`.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let keys = JWTKeyCollection()
        await keys.add(
            rsa: privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: keyID),
            serializer: DefaultJWTSerializer(jsonEncoder: encoder))
        await keys.clearDefault()
        return keys
    }
}
