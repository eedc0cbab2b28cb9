import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetFuzzing
import HandsetWire

@testable import HandsetCloud

/// Record validation against the demo API's schemas: the first byte picks a collection and a function (create,
/// patch, list filters), the rest is the body or query. A body that validates has only the schema's fields.
enum RecordFuzzing {
    static let document = try! APIDocument(json: DemoAPI.document)
    static let collections = document.orderedCollections

    static let target = FuzzTarget("record") { data in
        guard let selector = data.first, !collections.isEmpty else { return }
        let collection = collections[Int(selector) % collections.count]
        let rest = data.dropFirst()
        let validator = RecordValidator(collection: collection)
        switch (selector / 16) % 3 {
        case 0:
            let body = try? JSONValue.parse(rest)
            guard let fields = try? validator.validateFull(body) else { return }
            for name in fields.keys {
                FuzzCheck.that(
                    collection.properties[name] != nil || collection.allowsUnknownFields, "an unknown field passed")
                FuzzCheck.that(!RecordField.serverManaged.contains(name), "a server-managed field passed")
            }
            _ = StoredRecord.canonicalText(of: fields)
        case 1:
            let body = try? JSONValue.parse(rest)
            guard let changes = try? validator.validatePatch(body) else { return }
            _ = try? validator.merge(changes, into: [:])
        default:
            let text = String(decoding: rest, as: UTF8.self)
            let parameters = text.split(separator: "&").map { pair -> (key: Substring, value: Substring) in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            }
            guard let filters = try? RecordsController.filters(parameters, collection: collection) else { return }
            FuzzCheck.that(
                filters.map(\.values.count).reduce(0, +) <= APILimits().maximumFilterValues, "too many filter values")
            _ = SQLiteRecordRepository.listSQL(
                RecordListQuery(collection: collection.name, filters: filters, limit: 10), counting: false)
        }
    }
}
