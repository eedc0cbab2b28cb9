import HandsetModel
import HandsetWire

/// The conflicts screen: one conflict at a time, both versions side by side, a choice per field.
///
/// The version both sides started from decides where each field starts: a field only the other device changed
/// starts on theirs, one only this device changed on mine, and one both changed is marked and must be chosen,
/// so that settling a conflict never quietly undoes the other side's work.
public struct ConflictsState: Sendable, Equatable {
    public enum Side: Sendable, Equatable { case mine, theirs }

    /// Who changed a field since the version both sides started from.
    public enum Change: Sendable, Equatable {
        case neither, mine, theirs, both
    }

    public var conflicts: [Conflict]
    public var index: Int
    /// The focused field row.
    public var fieldIndex: Int
    /// The side chosen per differing field of the current conflict; a field both sides changed has none until the
    /// person picks one.
    public var choices: [String: Side]
    /// Why Enter did not save (a field both changed is still to be chosen).
    public var notice: String?

    public init(conflicts: [Conflict]) {
        self.conflicts = conflicts
        self.index = 0
        self.fieldIndex = 0
        self.choices = [:]
        self.notice = nil
        startCurrent()
    }

    public var current: Conflict? { conflicts.indices.contains(index) ? conflicts[index] : nil }

    /// Takes a fresh list of conflicts, staying on the one showing (and its choices) if it is still there.
    public mutating func replace(_ fresh: [Conflict]) {
        let currentId = current?.recordId
        conflicts = fresh
        index = fresh.firstIndex { $0.recordId == currentId } ?? 0
        if current?.recordId != currentId { startCurrent() }
    }

    /// Every field either side has, differing ones first.
    public var fields: [String] {
        guard let conflict = current else { return [] }
        let all = Set((conflict.mine ?? [:]).keys).union(conflict.theirs?.fields.keys.map { $0 } ?? [])
        let differing = conflict.differingFields
        return differing + all.subtracting(differing).sorted()
    }

    /// Who changed `field` of the current conflict. Without a known base, a differing field counts as changed by
    /// both (the person decides).
    public func change(of field: String) -> Change {
        guard let conflict = current else { return .neither }
        let mine = conflict.mine?[field] ?? .null
        let theirs = conflict.theirs?.fields[field] ?? .null
        guard mine != theirs else { return .neither }
        guard let base = conflict.base else { return .both }
        let original = base[field] ?? .null
        switch (mine != original, theirs != original) {
        case (true, false): return .mine
        case (false, true): return .theirs
        default: return .both
        }
    }

    /// Fields both sides changed that have no side chosen yet.
    public var unchosen: [String] {
        fields.filter { change(of: $0) == .both && choices[$0] == nil }
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

    /// The starting choices of the conflict showing: each side's own changes.
    mutating func startCurrent() {
        fieldIndex = 0
        notice = nil
        choices = [:]
        for field in fields {
            switch change(of: field) {
            case .mine: choices[field] = .mine
            case .theirs: choices[field] = .theirs
            case .both, .neither: break
            }
        }
    }
}

/// What the conflicts screen asks for after a key.
public enum ConflictsOutcome: Sendable, Equatable {
    case none
    case resolve(collection: String, id: String, ConflictResolution)
    case close
}

extension ConflictsState {
    public mutating func handle(_ key: Key) -> ConflictsOutcome {
        guard let conflict = current else { return key == .escape || key == .character("q") ? .close : .none }
        let fields = self.fields
        notice = nil
        switch key {
        case .escape, .character("q"):
            return .close
        case .down, .character("j"):
            fieldIndex = min(fieldIndex + 1, max(fields.count - 1, 0))
        case .up, .character("k"):
            fieldIndex = max(fieldIndex - 1, 0)
        case .left, .character("h"):
            if fields.indices.contains(fieldIndex), change(of: fields[fieldIndex]) != .neither {
                choices[fields[fieldIndex]] = .mine
            }
        case .right, .character("l"):
            if fields.indices.contains(fieldIndex), change(of: fields[fieldIndex]) != .neither {
                choices[fields[fieldIndex]] = .theirs
            }
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
            guard conflict.mine != nil, conflict.theirs != nil else {
                notice = "A deletion is kept or undone as a whole: m keeps mine, t takes theirs"
                return .none
            }
            if let first = unchosen.first {
                fieldIndex = fields.firstIndex(of: first) ?? fieldIndex
                let names = unchosen.map { FieldNames.label(for: $0) }.joined(separator: ", ")
                notice = "Both sides changed \(names): ← keeps mine, → takes theirs"
                return .none
            }
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
        startCurrent()
    }
}
