import Foundation
import HandsetWire
import Hummingbird

/// The API's record routes under `/api`: the OpenAPI document, and (behind the authorizer) the caller's records.
struct RecordsController: Sendable {
    static let defaultLimit = 50
    static let maximumLimit = 500

    let document: APIDocument
    let records: any RecordRepository

    func addRoutes(to api: RouterGroup<CloudRequestContext>, authorizer: CognitoAuthorizerMiddleware) {
        api.get("openapi.json") { request, context in
            context.requestLog.function = "api.openapi"
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: document.data)))
        }
        api.group()
            .add(middleware: authorizer)
            .get(":collection") { request, context in
                context.requestLog.function = "api.list"
                return try await list(request, context: context)
            }
    }

    /// `GET /api/<collection>?limit&cursor`: one page of the caller's own records, keyset-paginated by id.
    func list(_ request: Request, context: CloudRequestContext) async throws -> Response {
        guard let identity = context.identity else { throw APIError.unauthorized }
        let name = try context.parameters.require("collection")
        guard let collection = document.collections[name] else { throw APIError.collectionNotFound(name) }

        let query = request.uri.queryParameters
        var limit = Self.defaultLimit
        if let rawLimit = query["limit"] {
            guard let value = Int(rawLimit), (1...Self.maximumLimit).contains(value) else {
                throw APIError(.badRequest, "limit must be an integer from 1 to \(Self.maximumLimit)")
            }
            limit = value
        }
        var afterId: String?
        if let cursor = query["cursor"], !cursor.isEmpty {
            guard let id = RecordCursor.decode(String(cursor)) else { throw APIError(.badRequest, "Invalid cursor") }
            afterId = id
        }

        // One row more than the page tells whether another page follows, without counting.
        let rows = try await records.list(
            RecordListQuery(
                collection: collection.name, owner: identity.sub,
                after: afterId.map { RecordListPosition(value: .string($0), id: $0) }, limit: limit + 1))
        let page = rows.prefix(limit)
        let nextCursor = rows.count > limit ? page.last.map { RecordCursor.encode(lastId: $0.record.id) } : nil
        let body = RecordPage(items: page.map(\.record.json), nextCursor: nextCursor)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }
}
