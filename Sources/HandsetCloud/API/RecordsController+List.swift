import Foundation
import HandsetCloudStorage
import HandsetWire
import Hummingbird

extension RecordsController {
    /// Query parameters of a list that are not field filters.
    static let listParameters: Set<String> = ["limit", "cursor", "sort", "order", "q", "count"]

    /// `GET <api>/<c>?limit&cursor&sort&order&q&count&<field>=<value>`: a keyset page of the records the caller may
    /// read. One row past the page tells whether another follows; a COUNT runs only for `count=true`.
    func list(_ request: Request, collection: CollectionDefinition, identity: Identity) async throws -> Response {
        let parameters = request.uri.queryParameters
        var query = RecordListQuery(collection: collection.name, owner: nil, limit: limits.defaultPageSize)
        let grant = collection.grant(for: identity)
        switch grant.listScope {
        case .none: throw APIError.forbidden
        case .own: query.owner = grant.owner
        case .everyone: query.owner = nil
        }

        var limit = limits.defaultPageSize
        if let raw = parameters["limit"] {
            guard let value = Int(raw), (1...limits.maximumPageSize).contains(value) else {
                throw APIError(.badRequest, "limit must be an integer from 1 to \(limits.maximumPageSize)")
            }
            limit = value
        }
        query.limit = limit + 1

        var sortName = RecordField.id
        if let raw = parameters["sort"], !raw.isEmpty {
            guard let key = collection.sortKeys.first(where: { $0.name == raw }) else {
                throw APIError(
                    .badRequest, "sort must be one of \(collection.sortKeys.map(\.name).joined(separator: ", "))")
            }
            sortName = key.name
            query.sort = key.key
        }
        switch parameters["order"] {
        case nil, "", "asc": query.descending = false
        case "desc": query.descending = true
        default: throw APIError(.badRequest, "order must be asc or desc")
        }
        if let raw = parameters["cursor"], !raw.isEmpty {
            guard let cursor = RecordCursor.decode(String(raw)) else { throw APIError(.badRequest, "Invalid cursor") }
            guard cursor.sort == sortName, cursor.descending == query.descending else {
                throw APIError(.badRequest, "The cursor belongs to another sort or order")
            }
            query.after = cursor.position
        }
        if let raw = parameters["q"] {
            query.searchWords = SearchWords.queryWords(in: String(raw))
        }
        var counting = false
        switch parameters["count"] {
        case nil, "", "false": counting = false
        case "true": counting = true
        default: throw APIError(.badRequest, "count must be true or false")
        }
        query.filters = try Self.filters(
            parameters, collection: collection, maximumValues: limits.maximumFilterValues)

        let rows = try await records.list(query)
        let page = rows.prefix(limit)
        let nextCursor =
            rows.count > limit
            ? page.last.map {
                RecordCursor(sort: sortName, descending: query.descending, position: $0.position).encoded
            }
            : nil
        let count = counting ? try await records.count(query) : nil

        var text = "{\"items\":["
        text.reserveCapacity(page.count * 400 + 64)
        var first = true
        for row in page {
            if !first { text += "," }
            first = false
            text += row.record.jsonText
        }
        text += "],\"nextCursor\":"
        if let nextCursor { JSONText.appendQuoted(nextCursor, to: &text) } else { text += "null" }
        if let count { text += ",\"count\":\(count)" }
        text += "}"
        return Self.json(text)
    }

    /// Field filters: `status=todo`, repeated for any of several values (at most `maximumValues` in all); values
    /// typed by the schema.
    static func filters<Parameters: Sequence>(
        _ parameters: Parameters, collection: CollectionDefinition, maximumValues: Int = APILimits().maximumFilterValues
    ) throws -> [RecordFilter] where Parameters.Element == (key: Substring, value: Substring) {
        guard parameters.contains(where: { !listParameters.contains(String($0.key)) }) else { return [] }
        let filterable = Set(collection.filterFields)
        var values: [String: [JSONValue]] = [:]
        var order: [String] = []
        var problems: [String: String] = [:]
        var count = 0
        for (rawName, rawValue) in parameters {
            let name = String(rawName)
            if listParameters.contains(name) { continue }
            count += 1
            guard count <= maximumValues else {
                throw APIError(.badRequest, "At most \(maximumValues) filter values per list")
            }
            guard filterable.contains(name) else {
                throw APIError(.badRequest, "Unknown query parameter \(name)")
            }
            let text = String(rawValue)
            let value: JSONValue?
            if name == RecordField.owner {
                value = .string(text)
            } else if let property = collection.properties[name] {
                value = property.value(fromQuery: text)
                if let value, let problem = property.problem(with: value), property.enumValues != nil {
                    problems[name] = problem
                }
            } else {
                value = nil
            }
            guard let value else {
                problems[name] = collection.properties[name]?.problem(with: .string(text)) ?? "is not a valid value"
                continue
            }
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(value)
        }
        guard problems.isEmpty else { throw APIError(.badRequest, "Invalid filter", fields: problems) }
        return order.map { name in
            RecordFilter(field: name == RecordField.owner ? .owner : .field(name), values: values[name] ?? [])
        }
    }
}
