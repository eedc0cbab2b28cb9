import Crypto
import Foundation
import HandsetCloudStorage

/// Checks AWS Signature Version 4 (the `Authorization` header form) against the access keys of
/// `--admin-credentials`, as AWS's documentation describes it: the credential scope must name this pool's region,
/// the service and the day of `X-Amz-Date`; `X-Amz-Date` must be within five minutes of the server's clock (both
/// ways: AWS's window against replays of old requests); `host`, `x-amz-date` and every `x-amz-*` header sent must be
/// signed (so that `X-Amz-Target`, the operation, cannot be swapped under a signature); the body must hash to the
/// signed payload hash; and the signature, recomputed with the derived signing key, must match in constant time.
///
/// Like AWS, it does not stop a signed request from being replayed within the window: deploy behind TLS.
struct SigV4Verifier: Sendable {
    let credentials: AdminCredentials
    let region: String
    let service: String
    /// How far `X-Amz-Date` may be from the server's clock, either way.
    var allowedSkew: TimeInterval = 300

    /// The key that signed `message`, or why it is refused.
    func verify(_ message: SigV4Message, now: Date) -> Result<AdminCredentials.AccessKey, SigV4Failure> {
        let authorizations = message.values(of: "authorization")
        guard let header = authorizations.first else { return .failure(.missing) }
        guard authorizations.count == 1 else { return .failure(.incomplete("Only one Authorization header")) }
        let authorization: SigV4Authorization
        switch SigV4Authorization.parse(header) {
        case .success(let parsed): authorization = parsed
        case .failure(let failure): return .failure(failure)
        }
        let dates = message.values(of: "x-amz-date")
        guard dates.count == 1, let amzDate = dates.first, let signedAt = ObjectSigner.date(fromAmzDate: amzDate) else {
            return .failure(.incomplete("Authorization requires one X-Amz-Date header in the form yyyyMMddTHHmmssZ"))
        }
        for required in ["host", "x-amz-date"] where !authorization.signedHeaders.contains(required) {
            return .failure(.incomplete("'\(required)' must be a signed header"))
        }
        for field in message.headers where field.name.hasPrefix("x-amz-") && field.name != "x-amz-content-sha256" {
            guard authorization.signedHeaders.contains(field.name) else {
                return .failure(.incomplete("'\(field.name)' must be a signed header"))
            }
        }
        guard authorization.date == String(amzDate.prefix(8)) else {
            return .failure(
                .wrongScope(
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                        + "'\(authorization.date)' != '\(amzDate.prefix(8))', from '\(amzDate)'."))
        }
        guard authorization.region == region else {
            return .failure(
                .wrongScope("Credential should be scoped to a valid region. This pool is in '\(region)'."))
        }
        guard authorization.service == service else {
            return .failure(.wrongScope("Credential should be scoped to correct service: '\(service)'."))
        }
        if let failure = skew(signedAt: signedAt, amzDate: amzDate, now: now) { return .failure(failure) }
        guard let key = credentials.keys[authorization.accessKeyId] else { return .failure(.unknownKey) }
        let tokens = message.values(of: "x-amz-security-token")
        switch (key.sessionToken, tokens.first) {
        case (nil, nil): break
        case (let expected?, let sent?) where tokens.count == 1:
            guard ConstantTime.equals(Array(expected.utf8), Array(sent.utf8)) else { return .failure(.unknownKey) }
        default: return .failure(.unknownKey)
        }
        // A client may send the payload's hash itself (S3 style); it must then be the body's.
        for sent in message.values(of: "x-amz-content-sha256") where sent.lowercased() != message.payloadHash {
            return .failure(.mismatch)
        }
        guard
            let canonical = SigV4Canonical.canonicalRequest(message, signedHeaders: authorization.signedHeaders)
        else { return .failure(.incomplete("A signed header is missing from the request")) }
        let stringToSign = SigV4Canonical.stringToSign(
            canonicalRequest: canonical, amzDate: amzDate, scope: authorization.scope)
        let signingKey = SigV4Canonical.signingKey(
            secret: key.secretAccessKey, date: authorization.date, region: region, service: service)
        let expected = SigV4Canonical.signature(stringToSign: stringToSign, key: signingKey)
        guard ConstantTime.equals(Array(expected.utf8), Array(authorization.signature.utf8)) else {
            return .failure(.mismatch)
        }
        return .success(key)
    }

    /// AWS's messages for a request signed too long ago or too far ahead.
    private func skew(signedAt: Date, amzDate: String, now: Date) -> SigV4Failure? {
        let minutes = Int(allowedSkew / 60)
        if signedAt < now.addingTimeInterval(-allowedSkew) {
            return .skewed(
                "Signature expired: \(amzDate) is now earlier than "
                    + "\(ObjectSigner.amzDate(now.addingTimeInterval(-allowedSkew))) "
                    + "(\(ObjectSigner.amzDate(now)) - \(minutes) min.)")
        }
        if signedAt > now.addingTimeInterval(allowedSkew) {
            return .skewed(
                "Signature not yet current: \(amzDate) is still later than "
                    + "\(ObjectSigner.amzDate(now.addingTimeInterval(allowedSkew))) "
                    + "(\(ObjectSigner.amzDate(now)) + \(minutes) min.)")
        }
        return nil
    }

    /// The SHA-256 of a body as SigV4's payload hash.
    static func payloadHash(_ body: some DataProtocol) -> String {
        SigV4Canonical.hex(SHA256.hash(data: body))
    }
}
