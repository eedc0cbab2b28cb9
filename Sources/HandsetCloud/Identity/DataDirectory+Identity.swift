import Foundation

extension DataDirectory {
    /// Codes and temporary passwords "delivered" by email or SMS, one JSON object per line (0600).
    public var outbox: URL { root.appendingPathComponent("outbox.jsonl") }
    /// The AES key that seals SRP's SECRET_BLOCK (0600).
    var secretBlockKey: URL { keysDirectory.appendingPathComponent("srp-secret-block.key") }
}
