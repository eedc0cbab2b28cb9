import Foundation
import HandsetWire

/// The OpenAPI document the API serves, and the collections its component schemas declare.
struct APIDocument: Sendable {
    /// The name of the REST API in `amplify_outputs.json` (`custom.API.<name>`).
    static let apiName = "handset"

    /// The document exactly as served.
    let data: Data
    /// Collections by name (the path segment under `/api`).
    let collections: [String: CollectionDefinition]

    init(json: String) throws {
        let data = Data(json.utf8)
        let document: JSONValue
        do {
            document = try JSONValue.parse(data)
        } catch {
            throw CloudStartupError.invalidAPIDocument(reason: "not JSON: \(error)")
        }
        guard let schemas = document["components"]?["schemas"]?.objectValue else {
            throw CloudStartupError.invalidAPIDocument(reason: "no components.schemas")
        }
        var collections: [String: CollectionDefinition] = [:]
        for (schemaName, schema) in schemas {
            guard let name = schema[APIDocumentKeys.collection]?.stringValue else { continue }
            guard !name.isEmpty, !name.contains("/"), name != "openapi.json" else {
                throw CloudStartupError.invalidAPIDocument(reason: "schema \(schemaName) names collection '\(name)'")
            }
            guard collections[name] == nil else {
                throw CloudStartupError.invalidAPIDocument(reason: "two schemas declare collection \(name)")
            }
            collections[name] = CollectionDefinition(
                name: name, schemaName: schemaName, authRules: schema[APIDocumentKeys.auth]?.arrayValue ?? [])
        }
        self.data = data
        self.collections = collections
    }
}

/// A collection the API serves, as declared by one component schema.
struct CollectionDefinition: Sendable, Equatable {
    var name: String
    var schemaName: String
    /// The schema's `x-handset-auth` rules, like `[{"allow": "owner"}]`.
    var authRules: [JSONValue]
}
