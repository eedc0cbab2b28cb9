import Foundation
import HTTPTypes
import HandsetCloudStorage
import HandsetWire
import Hummingbird

/// `<api>/_objects/...` behind the authorizer: signed URLs for uploads and downloads, an object's metadata, and
/// restores from the archive tier (`ObjectWire.swift`). Every route that takes a key checks that the caller may read
/// the object's record; a key the caller may not read answers exactly like a key that does not exist (403).
struct ObjectsController: Sendable {
    let store: ObjectStore
    let access: ObjectAccess
    let signer: ObjectSigner
    let settings: ObjectStorageSettings
    let address: ServerAddress

    static let accessDenied = APIError(.forbidden, "Access Denied")

    func addRoutes(to api: RouterGroup<CloudRequestContext>) {
        let objects = api.group(RouterPath(stringLiteral: ObjectRoute.objects))
        objects.post(RouterPath(stringLiteral: ObjectRoute.presign)) { request, context in
            context.requestLog.function = "objects.presign"
            return try await presign(request, context: context)
        }
        objects.get(RouterPath(stringLiteral: ObjectRoute.info)) { request, context in
            context.requestLog.function = "objects.info"
            let (object, _) = try await readableObject(request, context: context)
            return Self.json(object.info(at: store.now()))
        }
        objects.post(RouterPath(stringLiteral: ObjectRoute.restore)) { request, context in
            context.requestLog.function = "objects.restore"
            return try await restore(request, context: context)
        }
    }

    // MARK: Presign

    private func presign(_ request: Request, context: CloudRequestContext) async throws -> Response {
        guard let identity = context.identity else { throw APIError.unauthorized }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: 16_384)
        } catch {
            throw APIError.payloadTooLarge
        }
        let presign: PresignRequest
        do {
            presign = try JSONValueDecoder().decode(PresignRequest.self, from: Data(buffer: buffer))
        } catch {
            throw APIError(
                .badRequest,
                "The body must be {\"operation\": \"upload\"|\"download\", ...}: see PresignRequest")
        }
        let now = Date(timeIntervalSince1970: store.now().timeIntervalSince1970.rounded(.down))
        switch presign.operation {
        case .upload:
            let (key, size, contentType) = try await checkUpload(presign, identity: identity)
            guard
                try await !store.exceedsUnattachedQuota(owner: identity.sub, adding: size, settings: settings)
            else {
                throw APIError(
                    .tooManyRequests,
                    "You hold \(settings.unattachedQuotaCount) uploads or \(settings.unattachedQuotaBytes) bytes that "
                        + "no record refers to: save them in records, or wait until they expire")
            }
            let grant = ObjectSigner.Grant(
                method: "PUT", bucket: settings.bucket, key: key.description, credential: identity.sub, issuedAt: now,
                lifetime: settings.urlLifetimeSeconds, size: size, contentType: contentType,
                fileName: presign.fileName.map(ContentDisposition.cleaned))
            return Self.json(
                PresignedURL(
                    url: address.publicBaseURL + signer.pathAndQuery(for: grant), method: "PUT",
                    headers: ["Content-Type": contentType], key: key.description,
                    expiresAt: Timestamp.string(from: grant.expiresAt)))
        case .download:
            guard let key = presign.key else {
                throw APIError(.badRequest, "key is required", fields: ["key": "is required"])
            }
            let object = try await readable(key: key, identity: identity)
            let grant = ObjectSigner.Grant(
                method: "GET", bucket: settings.bucket, key: object.key, credential: identity.sub, issuedAt: now,
                lifetime: settings.urlLifetimeSeconds)
            return Self.json(
                PresignedURL(
                    url: address.publicBaseURL + signer.pathAndQuery(for: grant), method: "GET", headers: [:],
                    key: object.key, expiresAt: Timestamp.string(from: grant.expiresAt)))
        }
    }

    /// The key, size and content type of an upload the caller may make, or the refusal: 400 for a malformed
    /// request, 413 past the size limit, 415 for a content type the bucket does not take, 403 when the caller may
    /// not write the record.
    private func checkUpload(_ presign: PresignRequest, identity: Identity) async throws -> (ObjectKey, Int, String) {
        var missing: [String: String] = [:]
        for (name, value) in [
            ("collection", presign.collection), ("recordId", presign.recordId), ("field", presign.field),
            ("contentType", presign.contentType),
        ] where value?.isEmpty ?? true {
            missing[name] = "is required"
        }
        if presign.size == nil { missing["size"] = "is required" }
        guard missing.isEmpty, let collection = presign.collection, let recordId = presign.recordId,
            let field = presign.field, let contentType = presign.contentType?.trimmingCharacters(in: .whitespaces),
            let size = presign.size
        else {
            throw APIError(
                .badRequest, "An upload needs collection, recordId, field, contentType and size", fields: missing)
        }
        guard size >= 0 else { throw APIError(.badRequest, "Invalid size", fields: ["size": "must be 0 or more"]) }
        guard size <= settings.maximumSize else {
            throw APIError(.contentTooLarge, "Objects are limited to \(settings.maximumSize) bytes")
        }
        guard settings.allows(contentType: contentType), contentType.utf8.count <= 255 else {
            throw APIError(
                .unsupportedMediaType, "Content type \(contentType) is not allowed",
                fields: ["contentType": "must be one of \(settings.allowedContentTypes.joined(separator: ", "))"])
        }
        guard RecordID.isValid(recordId), ObjectKey.isSafeSegment(recordId) else {
            throw APIError(.badRequest, "Invalid recordId", fields: ["recordId": "is not a record id"])
        }
        switch try await access.checkUpload(
            identity: identity, collection: collection, recordId: recordId, field: field)
        {
        case .success:
            break
        case .failure(.unknownCollection):
            throw APIError.collectionNotFound(collection)
        case .failure(.notAnAttachmentField):
            throw APIError(
                .badRequest, "\(field) is not an attachment field of \(collection)",
                fields: ["field": "must be a field of format x-object-key"])
        case .failure(.forbidden):
            throw Self.accessDenied
        }
        guard ObjectKey.isSafeSegment(field) else {
            throw APIError(.badRequest, "Invalid field", fields: ["field": "is not usable in an object key"])
        }
        return (
            ObjectKey.make(collection: collection, recordId: recordId, field: field, fileName: presign.fileName), size,
            contentType
        )
    }

    // MARK: Info and restore

    private func restore(_ request: Request, context: CloudRequestContext) async throws -> Response {
        let (object, _) = try await readableObject(request, context: context)
        guard object.tier == .archive else {
            throw APIError(.conflict, "The object is not archived (storage class \(object.tier.rawValue))")
        }
        let now = store.now()
        let ready = now.addingTimeInterval(settings.restoreDelaySeconds)
        guard
            let restoring = try await store.repository.requestRestore(
                key: object.key, now: now, readyAt: ready,
                expiresAt: ready.addingTimeInterval(settings.restoredCopyDays * 86_400))
        else { throw Self.accessDenied }
        let info = restoring.info(at: now)
        return Self.json(info, status: info.restore == .restored ? .ok : .accepted)
    }

    private func readableObject(
        _ request: Request, context: CloudRequestContext
    ) async throws
        -> (StoredObject, Identity)
    {
        guard let identity = context.identity else { throw APIError.unauthorized }
        guard let key = request.uri.queryParameters.get("key") else {
            throw APIError(.badRequest, "key is required", fields: ["key": "is required"])
        }
        return (try await readable(key: key, identity: identity), identity)
    }

    private func readable(key: String, identity: Identity) async throws -> StoredObject {
        guard ObjectKey(key) != nil, let object = try await store.repository.object(key: key),
            try await access.mayRead(object, identity: identity)
        else { throw Self.accessDenied }
        return object
    }

    // MARK: Responses

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
