import HandsetWire

/// Where a field's value stands when a list is sorted by that field: one rule, the same on every backend.
///
/// Ascending order is: numbers (booleans count as 0 and 1) by value, so 2 comes before 10; then strings by Unicode
/// code point over their first `textLength` characters (SQLite's BINARY and MySQL's `utf8mb4_bin` agree on that);
/// then missing values (an absent field, null, an array or an object). Ties go by id. Descending is the exact
/// reverse, so missing values come first there.
package struct RecordSortValue: Sendable, Equatable {
    package enum Rank: Int, Sendable, Comparable {
        case number = 0
        case text = 1
        case missing = 2

        package static func < (lhs: Rank, rhs: Rank) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    package var rank: Rank
    /// The number (0 unless `rank == .number`).
    package var number: Double
    /// The string, cut to `textLength` characters (empty unless `rank == .text`).
    package var text: String

    /// How many characters of a string take part in the order (MySQL keeps sort text in a `VARCHAR(255)`).
    package static let textLength = 255

    package static let missing = RecordSortValue(rank: .missing, number: 0, text: "")

    package init(rank: Rank, number: Double, text: String) {
        self.rank = rank
        self.number = number
        self.text = text
    }

    /// The sort value of a field's value (`nil`: the field is absent).
    package init(_ value: JSONValue?) {
        switch value {
        case .number(let number)?: self.init(rank: .number, number: number, text: "")
        case .bool(let flag)?: self.init(rank: .number, number: flag ? 1 : 0, text: "")
        case .string(let text)?: self.init(rank: .text, number: 0, text: Self.cut(text))
        default: self = .missing
        }
    }

    /// A string as it takes part in the order: its first `textLength` Unicode scalars.
    package static func cut(_ text: String) -> String {
        var scalars = text.unicodeScalars
        guard scalars.count > textLength else { return text }
        scalars = String.UnicodeScalarView(scalars.prefix(textLength))
        return String(scalars)
    }

    /// The value as a list position carries it (and a cursor): a number, a string, or `null` when missing.
    package var position: JSONValue {
        switch rank {
        case .number: .number(number)
        case .text: .string(text)
        case .missing: .null
        }
    }

    /// The sort value a list position names; `nil` for a position that is none (an array or object).
    package init?(position: JSONValue) {
        switch position {
        case .number(let number): self.init(rank: .number, number: number, text: "")
        case .string(let text): self.init(rank: .text, number: 0, text: Self.cut(text))
        case .null: self = .missing
        case .bool, .array, .object: return nil
        }
    }

    /// The ascending order of two sort values (ids not included).
    package static func ascending(_ lhs: RecordSortValue, _ rhs: RecordSortValue) -> Bool {
        if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
        switch lhs.rank {
        case .number: return lhs.number < rhs.number
        case .text: return Array(lhs.text.utf8).lexicographicallyPrecedes(Array(rhs.text.utf8))
        case .missing: return false
        }
    }
}
