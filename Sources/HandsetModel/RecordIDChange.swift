/// A record made on this device under a temporary id, now known by the id the server's database gave it.
public struct RecordIDChange: Sendable, Equatable, Hashable {
    public var collection: String
    public var temporaryID: String
    public var serverID: String

    public init(collection: String, temporaryID: String, serverID: String) {
        self.collection = collection
        self.temporaryID = temporaryID
        self.serverID = serverID
    }
}

/// A field that holds ids of another collection's records (`x-handset-ref`).
public struct RecordReference: Sendable, Equatable, Hashable {
    /// The collection whose records hold the field.
    public var collection: String
    public var field: String

    public init(collection: String, field: String) {
        self.collection = collection
        self.field = field
    }
}

extension APISchema {
    /// The fields of every collection that hold ids of `collection`'s records.
    public func references(to collection: String) -> [RecordReference] {
        collections.flatMap { holder in
            holder.fields.filter { $0.references == collection }.map {
                RecordReference(collection: holder.name, field: $0.name)
            }
        }
    }
}
