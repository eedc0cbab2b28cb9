import Foundation

/// How a collection's list is ordered on this device: by a field (ascending or descending), else by id. Text sorts
/// naturally (`task 2` before `task 10`); an enumeration in its declared order when `valueOrder` gives it.
public struct RecordSort: Sendable, Equatable, Codable {
    public var field: String?
    public var descending: Bool
    /// An enumeration's values in the order the schema declares them.
    public var valueOrder: [String]?

    public init(field: String? = nil, descending: Bool = false, valueOrder: [String]? = nil) {
        self.field = field
        self.descending = descending
        self.valueOrder = valueOrder
    }

    /// Whether a field name can go into SQL as a JSON path (letters, digits, `_`; what API schemas use).
    public static func isSortable(_ field: String) -> Bool {
        !field.isEmpty && field.count <= 64
            && field.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
            }
    }
}
