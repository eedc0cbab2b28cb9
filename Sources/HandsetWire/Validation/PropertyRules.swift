import Foundation

/// One property of a collection's schema: the JSON Schema keywords a record's field is checked against.
///
/// The one implementation of these rules: the client checks a form or `handset put` with it before anything is
/// saved, and the cloud checks every write with it, so both say the same thing in the same words. Lengths are
/// counted as JSON Schema counts them, in Unicode code points (an emoji of several code points counts as several).
public struct PropertyRules: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case string, integer, number, boolean, array, object
        /// No `type`: any JSON value.
        case any
    }

    public var kind: Kind
    public var format: String?
    public var enumValues: [JSONValue]?
    public var maxLength: Int?
    public var minLength: Int?
    public var pattern: String?
    public var minimum: Double?
    public var maximum: Double?
    public var exclusiveMinimum: Double?
    public var exclusiveMaximum: Double?
    public var readOnly: Bool
    /// An array's `items.enum`: the values its items may take (a SET column's members).
    public var itemEnumValues: [JSONValue]?
    /// An array's `uniqueItems`.
    public var uniqueItems: Bool

    public init(
        kind: Kind, format: String? = nil, enumValues: [JSONValue]? = nil, maxLength: Int? = nil, minLength: Int? = nil,
        pattern: String? = nil, minimum: Double? = nil, maximum: Double? = nil, exclusiveMinimum: Double? = nil,
        exclusiveMaximum: Double? = nil, readOnly: Bool = false, itemEnumValues: [JSONValue]? = nil,
        uniqueItems: Bool = false
    ) {
        self.kind = kind
        self.format = format
        self.enumValues = enumValues
        self.maxLength = maxLength
        self.minLength = minLength
        self.pattern = pattern
        self.minimum = minimum
        self.maximum = maximum
        self.exclusiveMinimum = exclusiveMinimum
        self.exclusiveMaximum = exclusiveMaximum
        self.readOnly = readOnly
        self.itemEnumValues = itemEnumValues
        self.uniqueItems = uniqueItems
    }

    /// Reads the keywords of one property schema; a `type` or `pattern` that cannot be used is an error.
    public init(_ schema: JSONValue) throws(PropertyRulesError) {
        switch schema["type"] {
        case nil: kind = .any
        case .string(let name)?:
            guard let kind = Kind(rawValue: name) else { throw PropertyRulesError("unknown type \(name)") }
            self.kind = kind
        default: throw PropertyRulesError("type must be a string")
        }
        format = schema["format"]?.stringValue
        enumValues = schema["enum"]?.arrayValue
        maxLength = schema["maxLength"]?.intValue
        minLength = schema["minLength"]?.intValue
        pattern = schema["pattern"]?.stringValue
        if let pattern, (try? Regex(pattern)) == nil { throw PropertyRulesError("pattern \(pattern) is not a regex") }
        minimum = schema["minimum"]?.doubleValue
        maximum = schema["maximum"]?.doubleValue
        // OpenAPI 3.0 writes `exclusiveMinimum: true` beside `minimum`; 3.1 writes the bound itself.
        switch schema["exclusiveMinimum"] {
        case .bool(true)?: exclusiveMinimum = minimum; minimum = nil
        case .number(let bound)?: exclusiveMinimum = bound
        default: exclusiveMinimum = nil
        }
        switch schema["exclusiveMaximum"] {
        case .bool(true)?: exclusiveMaximum = maximum; maximum = nil
        case .number(let bound)?: exclusiveMaximum = bound
        default: exclusiveMaximum = nil
        }
        readOnly = schema["readOnly"]?.boolValue ?? false
        itemEnumValues = schema["items"]?["enum"]?.arrayValue
        uniqueItems = schema["uniqueItems"]?.boolValue ?? false
    }

    /// Whether lists can filter and sort by it: one plain value.
    public var isScalar: Bool { kind == .string || kind == .integer || kind == .number || kind == .boolean }

    /// Why `value` does not fit, in a few words for the field's entry in a 400, or `nil` when it fits.
    public func problem(with value: JSONValue) -> String? {
        if let enumValues, !enumValues.contains(value) {
            let choices = enumValues.map { $0.stringValue ?? String(decoding: $0.encoded(), as: UTF8.self) }
            return "must be one of \(choices.joined(separator: ", "))"
        }
        switch kind {
        case .any: return nil
        case .boolean:
            return value.boolValue == nil ? "must be true or false" : nil
        case .array:
            guard let items = value.arrayValue else { return "must be an array" }
            if let itemEnumValues, !items.allSatisfy(itemEnumValues.contains) {
                let choices = itemEnumValues.map { $0.stringValue ?? String(decoding: $0.encoded(), as: UTF8.self) }
                return "may hold only \(choices.joined(separator: ", "))"
            }
            if uniqueItems, Set(items).count != items.count { return "must not repeat a value" }
            return nil
        case .object:
            return value.objectValue == nil ? "must be an object" : nil
        case .integer:
            // A 64-bit integer past 2^53 travels as a decimal string: a JSON number would lose its last digits.
            if format == "int64" || format == "uint64", let text = value.stringValue {
                let fits = format == "int64" ? Int64(text) != nil : UInt64(text) != nil
                return fits ? rangeProblem(Double(text) ?? 0) : "must be an integer"
            }
            guard let number = value.intValue.map(Double.init) else { return "must be an integer" }
            return rangeProblem(number)
        case .number:
            guard let number = value.doubleValue else { return "must be a number" }
            return rangeProblem(number)
        case .string:
            guard let text = value.stringValue else { return "must be a string" }
            let length = text.unicodeScalars.count
            if let maxLength, length > maxLength { return "must be at most \(maxLength) characters" }
            if let minLength, length < minLength {
                return minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters"
            }
            if let pattern, let regex = try? Regex(pattern), (try? regex.firstMatch(in: text)) == nil {
                return "must match \(pattern)"
            }
            if let format, let problem = FieldFormat.problem(format: format, text: text) { return problem }
            return nil
        }
    }

    private func rangeProblem(_ number: Double) -> String? {
        if let minimum, number < minimum { return "must be at least \(Self.show(minimum))" }
        if let maximum, number > maximum { return "must be at most \(Self.show(maximum))" }
        if let exclusiveMinimum, number <= exclusiveMinimum {
            return "must be more than \(Self.show(exclusiveMinimum))"
        }
        if let exclusiveMaximum, number >= exclusiveMaximum {
            return "must be less than \(Self.show(exclusiveMaximum))"
        }
        return nil
    }

    private static func show(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

/// A property schema whose keywords cannot be used, with the reason.
public struct PropertyRulesError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
