import Foundation
import HandsetModel
import HandsetStore
import HandsetWire

/// Why a record was not saved on this device.
public enum RecordSaveError: Error, Equatable, CustomStringConvertible {
    /// The API's rules let nobody in this user's groups create one (the server would only refuse it).
    case forbidden(String)
    /// What is wrong with each field, by field name.
    case invalid([String: String])

    public var description: String {
        switch self {
        case .forbidden(let reason): return reason
        case .invalid(let problems):
            return problems.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; ")
        }
    }
}

extension UserServices {
    /// Saves a record on this device and queues it for sync: the one way the app's form and `handset put` write.
    ///
    /// A new record (`id` nil) gets a fresh id and this user as its owner, if the collection's creator rules admit
    /// them; `fields` replace the record's fields and are checked against `schema` first (when it is known), so a
    /// write the server must refuse is never queued.
    /// - Returns: the record's id.
    public func saveRecord(
        collection: String, id: String?, fields: [String: JSONValue], schema: CollectionSchema?, now: Date
    ) throws -> String {
        if let schema {
            if id == nil, !schema.creators.allow(memberOf: user.groups) {
                throw RecordSaveError.forbidden(schema.whoMayCreate)
            }
            let problems = RecordValidator.problems(in: fields, for: schema)
            guard problems.isEmpty else { throw RecordSaveError.invalid(problems) }
        }
        guard let id else {
            let newId = UUID().uuidString.lowercased()
            try store.createRecord(collection: collection, id: newId, fields: fields, owner: user.sub, now: now)
            return newId
        }
        try store.updateRecord(collection: collection, id: id, fields: fields, now: now)
        return id
    }
}
