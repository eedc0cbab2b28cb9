import Foundation
import HandsetCloudStorage

/// One `ListUsers` filter in Cognito's grammar: `attribute = "value"` (exact) or `attribute ^= "value"` (starts
/// with), the value in double quotes with `\"` and `\\` escapes, spaces allowed around the parts.
///
/// The attributes are the ones Cognito searches: `username`, `email`, `phone_number`, `name`, `given_name`,
/// `family_name`, `preferred_username`, `cognito:user_status` (the account state, any case), `status` (`Enabled` or
/// `Disabled`) and `sub`. The text comes from outside: one pass over it, at most 1024 bytes.
struct UserFilter: Sendable, Equatable {
    enum Attribute: String, Sendable, CaseIterable {
        case username, email, name, sub, status
        case phoneNumber = "phone_number"
        case givenName = "given_name"
        case familyName = "family_name"
        case preferredUsername = "preferred_username"
        case userStatus = "cognito:user_status"
    }

    var attribute: Attribute
    var value: String
    var prefix: Bool

    static let maximumLength = 1024

    init(attribute: Attribute, value: String, prefix: Bool) {
        self.attribute = attribute
        self.value = value
        self.prefix = prefix
    }

    /// Parses a filter; every refusal is an `InvalidParameterException` saying what is wrong and where.
    init(parsing text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.count <= Self.maximumLength else {
            throw Self.refusal("it is longer than \(Self.maximumLength) bytes")
        }
        var index = 0
        func skipSpaces() { while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 } }
        func isNameByte(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
        }

        skipSpaces()
        let nameStart = index
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        guard index > nameStart else {
            throw Self.refusal("expected an attribute name at position \(index + 1)")
        }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        guard let attribute = Attribute(rawValue: name) else {
            throw Self.refusal(
                "\(AccountService.shown(name)) is not an attribute ListUsers can filter on (use one of "
                    + Attribute.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        skipSpaces()
        let prefix: Bool
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "^"), bytes[index + 1] == UInt8(ascii: "=") {
            prefix = true
            index += 2
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
            prefix = false
            index += 1
        } else {
            throw Self.refusal("expected = or ^= after \(name) at position \(index + 1)")
        }
        skipSpaces()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            throw Self.refusal("expected a value in double quotes at position \(index + 1)")
        }
        index += 1
        var value: [UInt8] = []
        var closed = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\\") {
                guard index < bytes.count else { break }
                value.append(bytes[index])
                index += 1
            } else if byte == UInt8(ascii: "\"") {
                closed = true
                break
            } else {
                value.append(byte)
            }
        }
        guard closed else { throw Self.refusal("the quoted value is not closed") }
        skipSpaces()
        guard index == bytes.count else {
            throw Self.refusal("unexpected text after the quoted value at position \(index + 1)")
        }
        guard let decoded = String(validating: value, as: UTF8.self) else {
            throw Self.refusal("the value is not valid UTF-8")
        }
        if attribute == .status, prefix || (decoded != "Enabled" && decoded != "Disabled") {
            throw Self.refusal("status can only be = \"Enabled\" or = \"Disabled\"")
        }
        self.init(attribute: attribute, value: decoded, prefix: prefix)
    }

    private static func refusal(_ reason: String) -> CognitoError {
        CognitoError.invalidParameter("Error while parsing filter: \(reason).")
    }

    func matches(_ user: PoolUser) -> Bool {
        let actual: String?
        var caseInsensitive = prefix
        switch attribute {
        case .username:
            actual = user.username
            caseInsensitive = true
        case .email: actual = user.email
        case .phoneNumber: actual = user.phoneNumber
        case .sub: actual = user.sub
        case .status: actual = user.enabled ? "Enabled" : "Disabled"
        case .userStatus:
            actual = user.status.rawValue
            caseInsensitive = true
        case .name, .givenName, .familyName, .preferredUsername: actual = user.attributes[attribute.rawValue]
        }
        guard let actual else { return false }
        let (have, want) = caseInsensitive ? (actual.lowercased(), value.lowercased()) : (actual, value)
        return prefix ? have.hasPrefix(want) : have == want
    }
}
