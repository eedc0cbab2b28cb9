import Foundation
import HandsetWire

/// One property of a collection's schema. The rules themselves are shared with the client (`PropertyRules` in
/// HandsetWire); what the cloud adds is reading query-string values.
typealias PropertySchema = PropertyRules

extension PropertyRules {
    /// A query-string value as this property's JSON type (`priority=2` is the number 2), or `nil` if it is not one.
    func value(fromQuery text: String) -> JSONValue? {
        switch kind {
        case .string, .any: return .string(text)
        case .integer:
            guard let integer = Int64(text) else { return nil }
            return .number(Double(integer))
        case .number:
            guard let number = Double(text), number.isFinite else { return nil }
            return .number(number)
        case .boolean:
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        case .array, .object: return nil
        }
    }
}

/// A document the cloud cannot serve, with the reason.
struct SchemaError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
