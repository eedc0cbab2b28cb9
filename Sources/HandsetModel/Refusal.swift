import Foundation

/// A write the server refused for good, waiting for the person to fix and resend it or discard it.
public struct Refusal: Sendable, Equatable {
    public var collection: String
    public var recordId: String
    public var operation: OutboxEntry.Operation
    /// The server's reason, with the fields it named.
    public var reason: String
    /// The server's status: 403 when no rule lets this user do it, 400 for fields it refused, ...
    public var status: Int

    public init(collection: String, recordId: String, operation: OutboxEntry.Operation, reason: String, status: Int) {
        self.collection = collection
        self.recordId = recordId
        self.operation = operation
        self.reason = reason
        self.status = status
    }

    /// Whether no rule lets the user do it at all (fixing the fields will not help).
    public var isForbidden: Bool { status == 403 }
}
