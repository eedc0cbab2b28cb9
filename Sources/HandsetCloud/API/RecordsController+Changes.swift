import Foundation
import HandsetCloudStorage
import HandsetWire
import Hummingbird

extension RecordsController {
    /// `GET <api>/<c>/_changes?since&limit`: records and tombstones the caller may read, in server sequence order.
    func changes(_ request: Request, collection: CollectionDefinition, identity: Identity) async throws -> Response {
        let parameters = request.uri.queryParameters
        for (name, _) in parameters where name != "since" && name != "limit" {
            throw APIError(.badRequest, "Unknown query parameter \(name)")
        }
        let owner: String?
        let grant = collection.grant(for: identity)
        switch grant.listScope {
        case .none: throw APIError.forbidden
        case .own: owner = grant.owner
        case .everyone: owner = nil
        }
        var limit = limits.defaultChangesPageSize
        if let raw = parameters["limit"] {
            guard let value = Int(raw), (1...limits.maximumChangesPageSize).contains(value) else {
                throw APIError(.badRequest, "limit must be an integer from 1 to \(limits.maximumChangesPageSize)")
            }
            limit = value
        }
        var since: Int64 = 0
        if let raw = parameters["since"], !raw.isEmpty {
            guard let sequence = ChangeCursor.decode(String(raw)) else { throw APIError(.badRequest, "Invalid since") }
            since = sequence
        }
        let rows = try await records.changes(collection: collection.name, owner: owner, after: since, limit: limit + 1)
        let page = rows.prefix(limit)
        let cursor = ChangeCursor.encode(page.last?.sequence ?? since)
        metrics?.changesServed(page.count, collection: collection.name)

        var text = "{\"items\":["
        text.reserveCapacity(page.count * 400 + 64)
        var first = true
        for record in page {
            if !first { text += "," }
            first = false
            text += record.jsonText
        }
        text += "],\"cursor\":"
        JSONText.appendQuoted(cursor, to: &text)
        text += ",\"hasMore\":\(rows.count > limit)}"
        return Self.json(text)
    }
}
