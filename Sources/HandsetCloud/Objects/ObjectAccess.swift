import Foundation
import HandsetCloudStorage
import HandsetWire

/// Who may touch an object: ownership follows the record the object belongs to (named in its key). Whoever may write
/// the (live) record may upload to it; whoever may read it may download, see and restore its objects. Before the record
/// exists (an attachment uploaded ahead of an offline-created record), only the uploader may read the object.
struct ObjectAccess: Sendable {
    let document: APIDocument
    let records: any RecordRepository

    enum UploadRefusal: Error, Equatable {
        case unknownCollection
        case notAnAttachmentField
        case forbidden
    }

    /// Whether `identity` may upload an object to `collection/recordId`'s `field`.
    func checkUpload(
        identity: Identity, collection name: String, recordId: String, field: String
    ) async throws
        -> Result<Void, UploadRefusal>
    {
        guard let collection = document.collections[name] else { return .failure(.unknownCollection) }
        guard let property = collection.properties[field], Self.isAttachment(property) else {
            return .failure(.notAnAttachmentField)
        }
        let grant = collection.grant(for: identity)
        guard let record = try await records.record(collection: name, id: recordId) else {
            return grant.mayCreate ? .success(()) : .failure(.forbidden)
        }
        // A deleted record takes no attachment (its objects were removed with it); revive it first.
        guard !record.deleted, grant.allows(.read, on: record),
            grant.allows(.update, on: record)
        else { return .failure(.forbidden) }
        return .success(())
    }

    /// Whether `identity` may download, inspect or restore `object`.
    func mayRead(_ object: StoredObject, identity: Identity) async throws -> Bool {
        guard let collection = document.collections[object.collection] else { return object.owner == identity.sub }
        guard let record = try await records.record(collection: object.collection, id: object.recordId) else {
            return object.owner == identity.sub
        }
        guard !record.deleted else { return false }
        return collection.grant(for: identity).allows(.read, on: record)
    }

    /// A field that holds object keys: format `x-object-key` (a string, or an array of keys).
    static func isAttachment(_ property: PropertySchema) -> Bool {
        property.format == "x-object-key"
    }
}
