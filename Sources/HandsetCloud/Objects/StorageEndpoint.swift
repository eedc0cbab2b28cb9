import Foundation
import HTTPTypes
import Hummingbird

/// The storage endpoint the signed URLs point at, S3 style: `PUT`, `GET` and `HEAD`
/// `/_s3/<bucket>/<key>?X-Amz-...&X-Amz-Signature=...`. No `Authorization`: the signature is the permission.
/// Errors are S3's XML; expired and tampered URLs are 403, uploads over the limit 413.
///
/// Clients that send `Expect: 100-continue` (curl does for bodies over 1 MB) get no interim answer and send the body
/// after their own timeout; `curl -H 'Expect:'` skips the wait.
struct StorageEndpoint: Sendable {
    static let pathPrefix = "_s3"

    let store: ObjectStore
    let signer: ObjectSigner
    let settings: ObjectStorageSettings

    func addRoutes(to router: Router<CloudRequestContext>) {
        let path = RouterPath(stringLiteral: "\(Self.pathPrefix)/:bucket/**")
        router.put(path) { request, context in
            context.requestLog.function = "s3.putObject"
            return try await upload(request, context: context)
        }
        router.get(path) { request, context in
            context.requestLog.function = "s3.getObject"
            return try await download(request, context: context, head: false)
        }
        router.head(path) { request, context in
            context.requestLog.function = "s3.headObject"
            return try await download(request, context: context, head: true)
        }
    }

    private func target(
        _ request: Request, context: CloudRequestContext
    ) throws -> (key: String, query: [String: String]) {
        guard context.parameters.get("bucket") == settings.bucket else { throw S3Error.noSuchBucket }
        let key = context.parameters.getCatchAll().joined(separator: "/")
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        return (key, query)
    }

    private func upload(_ request: Request, context: CloudRequestContext) async throws -> Response {
        let (key, query) = try target(request, context: context)
        guard let lengthText = request.headers[.contentLength], let length = Int(lengthText), length >= 0 else {
            throw S3Error.missingContentLength
        }
        guard length <= settings.maximumSize else { throw S3Error.entityTooLarge(limit: settings.maximumSize) }
        let contentType = request.headers[.contentType]?.trimmingCharacters(in: .whitespaces) ?? ""
        let grant: ObjectSigner.Grant
        switch signer.verify(
            query: query, method: "PUT", bucket: settings.bucket, key: key, contentLength: length,
            contentType: contentType, now: store.now())
        {
        case .success(let verified): grant = verified
        case .failure(let error): throw error
        }
        guard let objectKey = ObjectKey(key) else { throw S3Error.signatureMismatch }
        // A record deleted since the URL was signed takes no more attachments.
        let record = try await store.records.record(collection: objectKey.collection, id: objectKey.recordId)
        if let record, record.deleted {
            throw S3Error(status: .forbidden, code: "AccessDenied", message: "The record was deleted")
        }
        // Presigning checked the quota, but several URLs may have been signed before any upload arrived.
        let referenced = record.map { ObjectStore.referencedStrings(in: $0.body).contains(key) } ?? false
        if !referenced,
            try await store.exceedsUnattachedQuota(owner: grant.credential, adding: length, settings: settings)
        {
            throw S3Error.quotaExceeded
        }
        let object = try await store.receive(
            request.body, key: objectKey, size: length, contentType: contentType, owner: grant.credential,
            originalName: grant.fileName, context: context)
        return Response(status: .ok, headers: [.eTag: object.eTag])
    }

    private func download(_ request: Request, context: CloudRequestContext, head: Bool) async throws -> Response {
        let (key, query) = try target(request, context: context)
        let now = store.now()
        if case .failure(let error) = signer.verify(
            query: query, method: "GET", bucket: settings.bucket, key: key, contentLength: nil, contentType: nil,
            now: now)
        {
            throw error
        }
        guard let object = try await store.repository.object(key: key) else { throw S3Error.noSuchKey }
        guard object.isReadable(at: now) else {
            throw object.restoreState(at: now) == .inProgress ? S3Error.restoreInProgress : S3Error.invalidObjectState
        }
        var headers: HTTPFields = [.contentType: object.contentType, .eTag: object.eTag]
        headers[.lastModified] = Self.httpDate(object.createdAt)
        // The bytes are whatever a user uploaded, served from the same origin as the API and the loopback-only
        // routes: never rendered, never sniffed into something else, never scripted (stored XSS).
        headers[.contentDisposition] = ContentDisposition.attachment(
            fileName: object.fileName ?? ObjectKey(object.key)?.fileName ?? "object")
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = "sandbox; default-src 'none'"
        if object.tier == .archive {
            headers[HTTPField.Name("x-amz-storage-class")!] = "GLACIER"
            if let expires = object.restoreExpiresAt {
                headers[HTTPField.Name("x-amz-restore")!] =
                    "ongoing-request=\"false\", expiry-date=\"\(Self.httpDate(expires))\""
            }
        }
        if head {
            headers[.contentLength] = String(object.size)
            return Response(status: .ok, headers: headers)
        }
        let body = try await FileIO().loadFile(path: store.fileURL(of: object).path, context: context)
        return Response(status: .ok, headers: headers, body: body)
    }

    /// `Fri, 27 Nov 2026 12:00:00 GMT`.
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
