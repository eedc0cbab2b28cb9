import HandsetModel
import HandsetStore
import HandsetWire

/// The conflicts screen: one conflict at a time, both versions side by side, a choice per field.
public struct ConflictsState: Sendable, Equatable {
    public enum Side: Sendable, Equatable { case mine, theirs }

    public var conflicts: [Conflict]
    public var index: Int
    /// The focused field row.
    public var fieldIndex: Int
    /// The side chosen per field of the current conflict (mine unless changed).
    public var choices: [String: Side]

    public init(conflicts: [Conflict]) {
        self.conflicts = conflicts
        self.index = 0
        self.fieldIndex = 0
        self.choices = [:]
    }

    public var current: Conflict? { conflicts.indices.contains(index) ? conflicts[index] : nil }

    /// Takes a fresh list of conflicts, staying on the one showing (and its choices) if it is still there.
    public mutating func replace(_ fresh: [Conflict]) {
        let currentId = current?.recordId
        conflicts = fresh
        index = fresh.firstIndex { $0.recordId == currentId } ?? 0
        if current?.recordId != currentId {
            fieldIndex = 0
            choices = [:]
        }
    }

    /// Every field either side has, differing ones first.
    public var fields: [String] {
        guard let conflict = current else { return [] }
        let all = Set((conflict.mine ?? [:]).keys).union(conflict.theirs?.fields.keys.map { $0 } ?? [])
        let differing = conflict.differingFields
        return differing + all.subtracting(differing).sorted()
    }

    /// Mine with the fields where theirs was chosen.
    public var merged: [String: JSONValue] {
        guard let conflict = current else { return [:] }
        var result = conflict.mine ?? [:]
        for (field, side) in choices where side == .theirs {
            result[field] = conflict.theirs?.fields[field]
        }
        return result.filter { !$0.value.isNull }
    }
}

/// What the conflicts screen asks for after a key.
public enum ConflictsOutcome: Sendable, Equatable {
    case none
    case resolve(collection: String, id: String, LocalStore.Resolution)
    case close
}

extension ConflictsState {
    public mutating func handle(_ key: Key) -> ConflictsOutcome {
        guard let conflict = current else { return key == .escape || key == .character("q") ? .close : .none }
        let fields = self.fields
        switch key {
        case .escape, .character("q"):
            return .close
        case .down, .character("j"):
            fieldIndex = min(fieldIndex + 1, max(fields.count - 1, 0))
        case .up, .character("k"):
            fieldIndex = max(fieldIndex - 1, 0)
        case .left, .character("h"):
            if fields.indices.contains(fieldIndex) { choices[fields[fieldIndex]] = .mine }
        case .right, .character("l"):
            if fields.indices.contains(fieldIndex) { choices[fields[fieldIndex]] = .theirs }
        case .character("]"), .tab:
            moveConflict(by: 1)
        case .character("["), .backTab:
            moveConflict(by: -1)
        case .character("m"):
            return .resolve(collection: conflict.collection, id: conflict.recordId, .keepMine)
        case .character("t"):
            return .resolve(collection: conflict.collection, id: conflict.recordId, .takeTheirs)
        case .enter:
            // Deletions cannot be merged field by field: keep mine or take theirs.
            guard conflict.mine != nil, conflict.theirs != nil else { return .none }
            if choices.values.allSatisfy({ $0 == .mine }) {
                return .resolve(collection: conflict.collection, id: conflict.recordId, .keepMine)
            }
            return .resolve(collection: conflict.collection, id: conflict.recordId, .merged(merged))
        default:
            break
        }
        return .none
    }

    mutating func moveConflict(by delta: Int) {
        guard !conflicts.isEmpty else { return }
        index = (index + delta + conflicts.count) % conflicts.count
        fieldIndex = 0
        choices = [:]
    }
}
