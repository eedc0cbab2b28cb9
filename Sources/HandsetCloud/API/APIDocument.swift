import Foundation
import HandsetCloudStorage
import HandsetWire

/// The OpenAPI document the API is built from: its component schemas with `x-handset-collection` are the
/// collections (fields, validation, list columns, access rules), and the document served at `<api>/openapi.json`
/// is the author's, completed with every route of `SyncWire.swift` for each collection.
struct APIDocument: Sendable {
    /// The name of the REST API in `amplify_outputs.json` (`custom.API.<name>`).
    static let apiName = "handset"

    /// The document as served (JSON).
    let data: Data
    /// Collections by name (the path segment under `/api`).
    let collections: [String: CollectionDefinition]

    /// Reads a document; `userPoolARN` names the pool in the served document's API Gateway authorizer.
    init(json: String, userPoolARN: String? = nil, limits: APILimits = APILimits()) throws {
        try self.init(data: Data(json.utf8), userPoolARN: userPoolARN, limits: limits)
    }

    init(data: Data, userPoolARN: String? = nil, limits: APILimits = APILimits()) throws {
        let document: JSONValue
        do {
            document = try JSONValue.parse(data)
        } catch {
            throw CloudStartupError.invalidAPIDocument(reason: "not JSON: \(error)")
        }
        guard document.objectValue != nil, let schemas = document["components"]?["schemas"]?.objectValue else {
            throw CloudStartupError.invalidAPIDocument(reason: "no components.schemas")
        }
        var collections: [String: CollectionDefinition] = [:]
        for (schemaName, schema) in schemas.sorted(by: { $0.key < $1.key })
        where schema[APIDocumentKeys.collection] != nil {
            let collection: CollectionDefinition
            do {
                collection = try CollectionDefinition(schemaName: schemaName, schema: schema)
            } catch let error as SchemaError {
                throw CloudStartupError.invalidAPIDocument(reason: error.description)
            }
            guard collections[collection.name] == nil else {
                throw CloudStartupError.invalidAPIDocument(reason: "two schemas declare collection \(collection.name)")
            }
            collections[collection.name] = collection
        }
        self.collections = collections
        let served = ServedDocumentBuilder(
            document: document, collections: collections, userPoolARN: userPoolARN, limits: limits
        ).build()
        self.data = served.encoded()
    }

    /// Loads a document from a file (JSON).
    static func load(file: URL, userPoolARN: String? = nil, limits: APILimits = APILimits()) throws -> APIDocument {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw CloudStartupError.unreadableFile(path: file.path, reason: (error as NSError).localizedDescription)
        }
        return try APIDocument(data: data, userPoolARN: userPoolARN, limits: limits)
    }

    /// Collections in the order of the document's tags (then by name), as clients show them.
    var orderedCollections: [CollectionDefinition] {
        let document = (try? JSONValue.parse(data)) ?? .null
        let tags = document["tags"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        return collections.values.sorted { lhs, rhs in
            (tags.firstIndex(of: lhs.name) ?? tags.count, lhs.name) < (
                tags.firstIndex(of: rhs.name) ?? tags.count, rhs.name
            )
        }
    }
}

/// Sizes the API enforces, also written into the served document.
struct APILimits: Sendable, Equatable {
    var defaultPageSize = 50
    var maximumPageSize = 500
    var defaultChangesPageSize = 100
    var maximumChangesPageSize = 1000
    var maximumBatchOperations = 100
    /// Filter values of one list request, all fields together (`?status=todo&status=doing` is two).
    var maximumFilterValues = 100
}
