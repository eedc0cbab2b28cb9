import Foundation
import HandsetCloudStorage
import HandsetWire
import Hummingbird

/// The record API's part of `buildApplication`: the document, storage preparation and routes.
enum RecordAPISetup {
    /// The configured document (or the demo's), naming the pool in its authorizer.
    static func document(_ api: APIConfiguration, pool: PoolConfiguration) throws -> APIDocument {
        let arn = "arn:aws:cognito-idp:\(pool.region):000000000000:userpool/\(pool.userPoolId)"
        if let file = api.documentFile {
            return try APIDocument.load(file: file, userPoolARN: arn)
        }
        return try APIDocument(json: DemoAPI.document, userPoolARN: arn)
    }

    /// Adds the routes under `/api` (storage is prepared for the document's collections before: `buildApplication`).
    static func addRoutes(
        to router: Router<CloudRequestContext>, api: APIConfiguration, document: APIDocument,
        records: any RecordRepository, verifier: IDTokenVerifier, metrics: CloudMetrics? = nil,
        now: @escaping @Sendable () -> Date
    ) async throws {
        var controller = RecordsController(
            document: document, records: records, bodyLimit: api.bodyLimit,
            idempotencyKeyLifetime: api.idempotencyKeyLifetime, now: now)
        controller.metrics = metrics
        try await controller.purgeExpiredIdempotencyKeys()
        controller.addRoutes(
            to: router.group("api"), authorizer: CognitoAuthorizerMiddleware(verifier: verifier),
            throttle: api.throttle.map { ThrottleMiddleware(bucket: TokenBucket($0)) })
    }
}
