import Foundation

/// Decodes `Decodable` types from an already parsed `JSONValue`, so that outside input is parsed once, by
/// `JSONParser` (linear, depth-capped), and then only walked. A `JSONValue` inside the decoded type is taken over
/// as it is, without trying one type after another.
///
/// Follows `JSONDecoder`'s defaults: missing keys and `null` are `nil` for optionals, `Data` is base64, `URL` a
/// string, `Date` seconds since 2001; errors are the same `DecodingError` cases with the same coding paths.
public struct JSONValueDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONValueDecoding(value: value, codingPath: []).decodeValue(type)
    }

    /// Parses `data` with `JSONParser` and decodes `type` from it; a parse failure is `DecodingError.dataCorrupted`.
    public func decode<T: Decodable>(_ type: T.Type, from data: some DataProtocol) throws -> T {
        let value: JSONValue
        do {
            value = try JSONParser().parse(data)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: error.description, underlyingError: error))
        }
        return try decode(type, from: value)
    }
}

/// The decoder handed to `init(from:)`; `JSONValue.init(from:)` recognises it and takes `value` directly.
struct JSONValueDecoding: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw mismatch([String: JSONValue].self, value, codingPath)
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self, value, codingPath) }
        return UnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath)
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        try Self.decode(type, from: value, codingPath: codingPath)
    }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, codingPath: [any CodingKey]) throws -> T {
        if T.self == JSONValue.self, let same = value as? T { return same }
        if T.self == Data.self {
            guard case .string(let text) = value else { throw mismatch(String.self, value, codingPath) }
            guard let data = Data(base64Encoded: text) as? T else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: codingPath, debugDescription: "Encountered Data is not valid Base64."))
            }
            return data
        }
        if T.self == URL.self {
            guard case .string(let text) = value else { throw mismatch(String.self, value, codingPath) }
            guard let url = URL(string: text) as? T else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: codingPath, debugDescription: "Invalid URL string."))
            }
            return url
        }
        return try T(from: JSONValueDecoding(value: value, codingPath: codingPath))
    }
}

private func mismatch(_ expected: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
    let found: String
    switch value {
    case .null: found = "null"
    case .bool: found = "bool"
    case .number: found = "number"
    case .string: found = "a string"
    case .array: found = "an array"
    case .object: found = "a dictionary"
    }
    if case .null = value {
        return DecodingError.valueNotFound(
            expected, .init(codingPath: path, debugDescription: "Expected \(expected) value but found null instead."))
    }
    return DecodingError.typeMismatch(
        expected,
        .init(codingPath: path, debugDescription: "Expected to decode \(expected) but found \(found) instead."))
}

/// A coding key for array positions, as JSONDecoder names them (`Index 3`).
private struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ index: Int) {
        self.stringValue = "Index \(index)"
        self.intValue = index
    }

    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.init(intValue) }
}

private func number<T: BinaryInteger>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]) throws -> T {
    guard case .number(let number) = value else { throw mismatch(type, value, path) }
    guard number.rounded() == number, let exact = T(exactly: number) else {
        throw DecodingError.dataCorrupted(
            .init(codingPath: path, debugDescription: "Parsed JSON number <\(number)> does not fit in \(type)."))
    }
    return exact
}

private func floatingPoint(_ value: JSONValue, _ path: [any CodingKey], as type: Any.Type) throws -> Double {
    guard case .number(let number) = value else { throw mismatch(type, value, path) }
    return number
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(type, value, codingPath) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let text) = value else { throw mismatch(type, value, codingPath) }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double { try floatingPoint(value, codingPath, as: type) }
    func decode(_ type: Float.Type) throws -> Float { Float(try floatingPoint(value, codingPath, as: type)) }
    func decode(_ type: Int.Type) throws -> Int { try number(type, value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try number(type, value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try number(type, value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try number(type, value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try number(type, value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try number(type, value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try number(type, value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try number(type, value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try number(type, value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try number(type, value, codingPath) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONValueDecoding.decode(type, from: value, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func value(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                .init(
                    codingPath: codingPath,
                    debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return value
    }

    private func single(_ key: Key) throws -> SingleValueContainer {
        SingleValueContainer(value: try value(key), codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try single(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try single(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try single(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try single(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try single(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try single(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try single(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try single(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try single(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try single(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try single(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try single(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try single(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try single(key).decode(type) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONValueDecoding.decode(type, from: try value(key), codingPath: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONValueDecoding(value: try value(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONValueDecoding(value: try value(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        JSONValueDecoding(value: .object(members), codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoding(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next(_ type: Any.Type) throws -> (JSONValue, [any CodingKey]) {
        let path = codingPath + [IndexKey(currentIndex)]
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: path, debugDescription: "Unkeyed container is at end."))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], path)
    }

    private mutating func single(_ type: Any.Type) throws -> SingleValueContainer {
        let (value, path) = try next(type)
        return SingleValueContainer(value: value, codingPath: path)
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(
                JSONValue.self,
                .init(
                    codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "Unkeyed container is at end.")
            )
        }
        if elements[currentIndex] == .null {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try single(type).decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try single(type).decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try single(type).decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try single(type).decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try single(type).decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try single(type).decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try single(type).decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try single(type).decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try single(type).decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try single(type).decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try single(type).decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try single(type).decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try single(type).decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try single(type).decode(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        return try JSONValueDecoding.decode(type, from: value, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next([String: JSONValue].self)
        return try JSONValueDecoding(value: value, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next([JSONValue].self)
        return try JSONValueDecoding(value: value, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next(JSONValue.self)
        return JSONValueDecoding(value: value, codingPath: path)
    }
}
