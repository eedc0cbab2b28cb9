import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetFuzzing
import HandsetWire

@testable import HandsetCloud

/// The OpenAPI loader: any bytes either load as a document whose collections are sane, or are refused.
enum OpenAPIFuzzing {
    static let target = FuzzTarget("openapi") { data in
        guard let document = try? APIDocument(data: data) else { return }
        for (name, collection) in document.collections {
            FuzzCheck.that(collection.name == name, "a collection under another name")
            FuzzCheck.that(CollectionDefinition.isCollectionName(name), "a collection name a path cannot carry")
            _ = SQLiteRecordRepository.indexStatements(for: collection.layout)
        }
        FuzzCheck.that((try? JSONValue.parse(document.data)) != nil, "the served document is not JSON")
    }
}
