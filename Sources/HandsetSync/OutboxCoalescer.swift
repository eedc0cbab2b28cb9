import HandsetModel
import HandsetWire

/// One record's queued writes folded into the single write the server needs.
public struct PushItem: Sendable, Equatable {
    public var collection: String
    public var recordId: String
    /// The outbox entries this item stands for; all are settled by its one result.
    public var sequences: [Int64]
    /// What to send; `nil` when the writes cancel out (created and deleted offline): nothing to send.
    public var operation: BatchOperation?
    /// The writes folded into this one, each with the entries up to it: if the server already holds one of them
    /// (its acknowledgement was lost before the later edits were made), those entries are done and only the rest
    /// is still to send.
    public var earlier: [EarlierWrite] = []

    public struct EarlierWrite: Sendable, Equatable {
        public var sequences: [Int64]
        public var fields: [String: JSONValue]
    }
}

/// Folds queued writes per record, keeping the order in which records were first touched.
///
/// create + replace = create with the later fields; create + delete = nothing; replace + replace = replace with
/// the later fields against the first base version; replace + delete = delete against the first base version.
public enum OutboxCoalescer {
    public static func coalesce(_ entries: [OutboxEntry]) -> [PushItem] {
        var order: [String] = []
        var items: [String: PushItem] = [:]
        var kinds: [String: OutboxEntry.Operation] = [:]
        for entry in entries where entry.state == .queued {
            let key = entry.collection + "\u{1F}" + entry.recordId
            guard var item = items[key], let kind = kinds[key] else {
                order.append(key)
                kinds[key] = entry.operation
                items[key] = PushItem(
                    collection: entry.collection, recordId: entry.recordId, sequences: [entry.sequence],
                    operation: operation(
                        entry.operation, id: entry.recordId, base: entry.baseVersion, fields: entry.fields))
                continue
            }
            if let op = item.operation, op.op != .delete, let fields = op.body?.objectValue {
                item.earlier.append(PushItem.EarlierWrite(sequences: item.sequences, fields: fields))
            }
            item.sequences.append(entry.sequence)
            let base = item.operation?.ifMatch ?? entry.baseVersion
            switch (kind, entry.operation) {
            case (.create, .delete):
                item.operation = nil
                kinds[key] = .delete
            case (.create, _):
                item.operation = operation(.create, id: entry.recordId, base: nil, fields: entry.fields)
            case (_, .delete):
                item.operation = operation(.delete, id: entry.recordId, base: base, fields: nil)
                kinds[key] = .delete
            case (.delete, _):
                // Writes after a delete (re-creating the same id) start over.
                item.operation = operation(
                    entry.operation, id: entry.recordId, base: entry.baseVersion, fields: entry.fields)
                kinds[key] = entry.operation
            case (.replace, _):
                item.operation = operation(.replace, id: entry.recordId, base: base, fields: entry.fields)
            }
            items[key] = item
        }
        return order.compactMap { items[$0] }
    }

    static func operation(
        _ kind: OutboxEntry.Operation, id: String, base: Int?, fields: [String: JSONValue]?
    )
        -> BatchOperation
    {
        switch kind {
        case .create: return BatchOperation(op: .create, id: id, body: .object(fields ?? [:]))
        case .replace: return BatchOperation(op: .replace, id: id, ifMatch: base, body: .object(fields ?? [:]))
        case .delete: return BatchOperation(op: .delete, id: id, ifMatch: base)
        }
    }
}
