import HandsetWire

/// Field-level three-way merge: a field changed on one side only takes that side; changed on both sides to
/// different values, it conflicts.
public enum ThreeWayMerge {
    public enum Result: Sendable, Equatable {
        case merged([String: JSONValue])
        case conflicting(fields: [String])
    }

    public static func merge(
        base: [String: JSONValue], mine: [String: JSONValue], theirs: [String: JSONValue]
    )
        -> Result
    {
        var merged: [String: JSONValue] = [:]
        var conflicting: [String] = []
        for key in Set(base.keys).union(mine.keys).union(theirs.keys).sorted() {
            let original = base[key]
            let left = mine[key]
            let right = theirs[key]
            if left == right {
                if let left { merged[key] = left }
            } else if left == original {
                if let right { merged[key] = right }
            } else if right == original {
                if let left { merged[key] = left }
            } else {
                conflicting.append(key)
            }
        }
        return conflicting.isEmpty ? .merged(merged) : .conflicting(fields: conflicting)
    }
}
