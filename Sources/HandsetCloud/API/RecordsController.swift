import Crypto
import Foundation
import HTTPTypes
import HandsetCloudStorage
import HandsetWire
import Hummingbird

/// The record API under `/api`: the OpenAPI document, and behind the throttle and the authorizer, every function of
/// `SyncWire.swift` for every collection the document declares.
struct RecordsController: Sendable {
    let document: APIDocument
    let records: any RecordRepository
    let writes: RecordWriteService
    let bodyLimit: Int
    let limits: APILimits
    let idempotencyKeyLifetime: TimeInterval
    let now: @Sendable () -> Date
    /// Counts what change feeds hand out (`handset_change_feed_changes_total`).
    var metrics: CloudMetrics?

    init(
        document: APIDocument, records: any RecordRepository, bodyLimit: Int = APIConfiguration.defaultBodyLimit,
        limits: APILimits = APILimits(), idempotencyKeyLifetime: TimeInterval = 86_400,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.document = document
        self.records = records
        self.writes = RecordWriteService(records: records, now: now)
        self.bodyLimit = bodyLimit
        self.limits = limits
        self.idempotencyKeyLifetime = idempotencyKeyLifetime
        self.now = now
    }

    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    func addRoutes(
        to api: RouterGroup<CloudRequestContext>, authorizer: CognitoAuthorizerMiddleware,
        throttle: ThrottleMiddleware? = nil
    ) {
        let api = throttle.map { api.group().add(middleware: $0) } ?? api
        api.get(RouterPath(stringLiteral: APIRoute.openAPIDocument)) { _, context in
            context.requestLog.function = "api.openapi"
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: document.data)))
        }
        let authorized = api.group().add(middleware: authorizer)
        for method in Self.methods {
            authorized.on(":collection", method: method) { request, context in
                try await collectionRoute(request, context: context)
            }
            authorized.on(":collection/:id", method: method) { request, context in
                try await itemRoute(request, context: context)
            }
        }
    }

    /// Removes idempotency keys past their lifetime.
    func purgeExpiredIdempotencyKeys() async throws {
        try await records.purgeIdempotencyKeys(before: now().addingTimeInterval(-idempotencyKeyLifetime))
    }

    // MARK: Dispatch

    private func collectionRoute(_ request: Request, context: CloudRequestContext) async throws -> Response {
        let (collection, identity) = try resolve(context)
        switch request.method {
        case .get:
            context.requestLog.function = "api.list"
            return try await list(request, collection: collection, identity: identity)
        case .post:
            context.requestLog.function = "api.create"
            return try await create(request, collection: collection, identity: identity)
        default:
            context.requestLog.function = "api.methodNotAllowed"
            throw Self.methodNotAllowed(allow: "GET, POST")
        }
    }

    private func itemRoute(_ request: Request, context: CloudRequestContext) async throws -> Response {
        let (collection, identity) = try resolve(context)
        let id = context.parameters.get("id") ?? ""
        switch (id, request.method) {
        case (APIRoute.changes, .get):
            context.requestLog.function = "api.changes"
            return try await changes(request, collection: collection, identity: identity)
        case (APIRoute.changes, _):
            context.requestLog.function = "api.methodNotAllowed"
            throw Self.methodNotAllowed(allow: "GET")
        case (APIRoute.batch, .post):
            context.requestLog.function = "api.batch"
            return try await batch(request, collection: collection, identity: identity)
        case (APIRoute.batch, _):
            context.requestLog.function = "api.methodNotAllowed"
            throw Self.methodNotAllowed(allow: "POST")
        case (_, .get):
            context.requestLog.function = "api.get"
            return try await get(collection: collection, identity: identity, id: id)
        case (_, .put):
            var request = request
            let precondition = try Self.precondition(request)
            let ifNoneMatch = request.headers[.ifNoneMatch]
            let body = try await Self.readJSONBody(&request, limit: bodyLimit)
            if let ifNoneMatch {
                guard ifNoneMatch.trimmingCharacters(in: .whitespaces) == "*", precondition == .none else {
                    throw APIError(.badRequest, "If-None-Match must be * (create), and cannot go with If-Match")
                }
                context.requestLog.function = "api.createWithId"
                return Self.respond(
                    try await writes.run(
                        writes.planCreate(collection, caller: identity, id: id, body: body), in: collection))
            }
            context.requestLog.function = "api.replace"
            guard RecordID.isValid(id) else { throw APIError.recordNotFound(collection.name, id) }
            return Self.respond(
                try await writes.run(
                    writes.planReplace(collection, caller: identity, id: id, precondition: precondition, body: body),
                    in: collection))
        case (_, .patch):
            context.requestLog.function = "api.patch"
            var request = request
            let precondition = try Self.precondition(request)
            let body = try await Self.readJSONBody(&request, limit: bodyLimit)
            guard RecordID.isValid(id) else { throw APIError.recordNotFound(collection.name, id) }
            return Self.respond(
                try await writes.run(
                    writes.planPatch(collection, caller: identity, id: id, precondition: precondition, body: body),
                    in: collection))
        case (_, .delete):
            context.requestLog.function = "api.delete"
            let precondition = try Self.precondition(request)
            guard RecordID.isValid(id) else { throw APIError.recordNotFound(collection.name, id) }
            return Self.respond(
                try await writes.run(
                    writes.planDelete(collection, caller: identity, id: id, precondition: precondition),
                    in: collection))
        default:
            context.requestLog.function = "api.methodNotAllowed"
            throw Self.methodNotAllowed(allow: "GET, PUT, PATCH, DELETE")
        }
    }

    private func resolve(_ context: CloudRequestContext) throws -> (CollectionDefinition, Identity) {
        guard let identity = context.identity else { throw APIError.unauthorized }
        let name = context.parameters.get("collection") ?? ""
        guard let collection = document.collections[name] else {
            context.requestLog.function = "api.notFound"
            throw APIError.collectionNotFound(name)
        }
        return (collection, identity)
    }

    // MARK: Get and create

    /// `GET <api>/<c>/<id>`: the record with its ETag; 404 for tombstones and records no rule lets the caller read.
    func get(collection: CollectionDefinition, identity: Identity, id: String) async throws -> Response {
        guard RecordID.isValid(id), let record = try await records.record(collection: collection.name, id: id),
            !record.deleted, collection.grant(for: identity).allows(.read, on: record)
        else { throw APIError.recordNotFound(collection.name, id) }
        return Self.respond(.record(.ok, record))
    }

    /// `POST <api>/<c>`: a record with a server id; `Idempotency-Key` makes a retry return the first answer.
    func create(_ request: Request, collection: CollectionDefinition, identity: Identity) async throws -> Response {
        var request = request
        let key = try Self.idempotencyKey(request)
        let body = try await Self.readJSONBody(&request, limit: bodyLimit)
        let claim = key.map { Self.claim(key: $0, identity: identity, request: request, body: body) }
        return Self.respond(
            try await writes.run(
                writes.planCreate(collection, caller: identity, id: nil, body: body), in: collection,
                idempotency: claim))
    }

    // MARK: Requests

    /// The body as JSON (`nil` when empty); 413 past the limit, 400 when it is not JSON.
    static func readJSONBody(_ request: inout Request, limit: Int) async throws -> JSONValue? {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError.payloadTooLarge
        }
        guard buffer.readableBytes > 0 else { return nil }
        do {
            return try JSONValue.parse(Data(buffer: buffer))
        } catch {
            throw APIError(.badRequest, "The request body is not valid JSON")
        }
    }

    /// `If-Match`: none, `*`, or one entity tag.
    static func precondition(_ request: Request) throws -> RecordWriteService.Precondition {
        guard let header = request.headers[.ifMatch] else { return .none }
        if header.trimmingCharacters(in: .whitespaces) == "*" { return .anyVersion }
        guard let version = APIHeader.version(fromETag: header) else {
            throw APIError(.badRequest, "If-Match must be an entity tag like \"3\"")
        }
        return .version(version)
    }

    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let name = HTTPField.Name(APIHeader.idempotencyKey), let key = request.headers[name] else { return nil }
        guard (1...255).contains(key.utf8.count), key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else {
            throw APIError(.badRequest, "Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        return key
    }

    /// The key with a fingerprint of what it came with: method, path and canonical body.
    static func claim(key: String, identity: Identity, request: Request, body: JSONValue?) -> IdempotencyClaim {
        var hash = SHA256()
        hash.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hash.update(data: body?.encoded() ?? Data())
        let fingerprint = hash.finalize().map { String(format: "%02x", $0) }.joined()
        return IdempotencyClaim(scope: identity.sub, key: key, fingerprint: fingerprint)
    }

    // MARK: Responses

    static func respond(_ answer: WriteAnswer) -> Response {
        var headers: HTTPFields = [:]
        if let eTag = answer.eTag { headers[.eTag] = eTag }
        if let location = answer.location { headers[.location] = location }
        if answer.status == .noContent { return Response(status: .noContent, headers: headers) }
        headers[.contentType] = "application/json"
        let text: String
        if let record = answer.record {
            text = record
        } else {
            text =
                APIError(
                    answer.status, answer.error?.message ?? answer.status.reasonPhrase, fields: answer.error?.fields
                )
                .bodyText
        }
        return Response(status: answer.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func methodNotAllowed(allow: String) -> APIError {
        var error = APIError.methodNotAllowed
        error.headers[.allow] = allow
        return error
    }
}
