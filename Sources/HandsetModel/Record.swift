import Foundation
import HandsetWire

/// Where a cached record stands with respect to the server.
public enum SyncState: String, Sendable, Equatable, Codable {
    case synced, pending, conflicted, rejected
}

/// One record of a collection: server-managed fields plus the collection's own fields.
public struct Record: Sendable, Equatable, Identifiable {
    public var id: String
    public var version: Int
    public var updatedAt: String
    public var owner: String
    public var fields: [String: JSONValue]
    public var syncState: SyncState

    public init(
        id: String, version: Int, updatedAt: String, owner: String, fields: [String: JSONValue],
        syncState: SyncState = .synced
    ) {
        self.id = id
        self.version = version
        self.updatedAt = updatedAt
        self.owner = owner
        self.fields = fields
        self.syncState = syncState
    }

    /// Reads a record from the API's JSON; `nil` if it lacks an id.
    public init?(json: JSONValue, syncState: SyncState = .synced) {
        guard var object = json.objectValue, let id = object[RecordField.id]?.stringValue else { return nil }
        self.id = id
        self.version = object[RecordField.version]?.intValue ?? 0
        self.updatedAt = object[RecordField.updatedAt]?.stringValue ?? ""
        self.owner = object[RecordField.owner]?.stringValue ?? ""
        for key in RecordField.serverManaged { object.removeValue(forKey: key) }
        self.fields = object
        self.syncState = syncState
    }

    /// The record as the API writes it.
    public var json: JSONValue {
        var object = fields
        object[RecordField.id] = .string(id)
        object[RecordField.version] = .number(Double(version))
        object[RecordField.updatedAt] = .string(updatedAt)
        object[RecordField.owner] = .string(owner)
        return .object(object)
    }

    /// A field's value, server-managed fields included.
    public func value(of field: String) -> JSONValue? {
        switch field {
        case RecordField.id: return .string(id)
        case RecordField.version: return .number(Double(version))
        case RecordField.updatedAt: return .string(updatedAt)
        case RecordField.owner: return .string(owner)
        default: return fields[field]
        }
    }
}
