import Foundation
import HandsetWire

/// A local write waiting to reach the server.
public struct OutboxEntry: Sendable, Equatable {
    public enum Operation: String, Sendable, Equatable, Codable {
        /// Create with the client-chosen id (idempotent on the server).
        case create
        /// Replace every field, guarded by `baseVersion`.
        case replace
        /// Delete, guarded by `baseVersion`.
        case delete
    }

    public enum State: String, Sendable, Equatable, Codable {
        case queued
        /// Refused for good (validation, permission): kept to show the reason, never sent again.
        case rejected
    }

    /// Order of the write on this device.
    public var sequence: Int64
    public var collection: String
    public var recordId: String
    public var operation: Operation
    /// The fields to send (create and replace).
    public var fields: [String: JSONValue]?
    /// The server version this write was made against (replace and delete).
    public var baseVersion: Int?
    public var state: State
    public var lastError: String?
    public var createdAt: Date

    public init(
        sequence: Int64, collection: String, recordId: String, operation: Operation, fields: [String: JSONValue]?,
        baseVersion: Int?, state: State = .queued, lastError: String? = nil, createdAt: Date
    ) {
        self.sequence = sequence
        self.collection = collection
        self.recordId = recordId
        self.operation = operation
        self.fields = fields
        self.baseVersion = baseVersion
        self.state = state
        self.lastError = lastError
        self.createdAt = createdAt
    }
}

/// A write the server refused because the record changed there first: both sides, and what they started from.
public struct Conflict: Sendable, Equatable {
    public var collection: String
    public var recordId: String
    /// The fields both sides started from, if known.
    public var base: [String: JSONValue]?
    /// This device's fields; `nil` when this device deleted the record.
    public var mine: [String: JSONValue]?
    /// The server's record now; `nil` when the server deleted it.
    public var theirs: Record?
    public var detectedAt: Date

    public init(
        collection: String, recordId: String, base: [String: JSONValue]?, mine: [String: JSONValue]?, theirs: Record?,
        detectedAt: Date
    ) {
        self.collection = collection
        self.recordId = recordId
        self.base = base
        self.mine = mine
        self.theirs = theirs
        self.detectedAt = detectedAt
    }

    /// Fields whose values differ between mine and theirs.
    public var differingFields: [String] {
        let keys = Set((mine ?? [:]).keys).union(theirs?.fields.keys ?? [String: JSONValue]().keys)
        return keys.filter { mine?[$0] != theirs?.fields[$0] }.sorted()
    }
}
