import Foundation
import HandsetWire

/// A record as stored: the client's fields plus the server-managed ones.
package struct StoredRecord: Sendable, Equatable {
    package var collection: String
    package var id: String
    package var owner: String
    package var version: Int
    /// RFC 3339 with milliseconds, UTC.
    package var updatedAt: String
    /// The position of the last write in the collection's change feed.
    package var sequence: Int64
    package var deleted: Bool
    /// The client's fields as canonical JSON text (an object with sorted keys, no server-managed field). Kept as
    /// text so that a page of records is written out without parsing and re-encoding every body.
    package var bodyText: String
    /// The device (`<sub> <device id>`) of the last write that named one; `nil` after a delete. Never sent to
    /// clients: record events compare it with the next write's device.
    package var lastDevice: String?

    package init(
        collection: String, id: String, owner: String, version: Int, updatedAt: String, sequence: Int64,
        deleted: Bool, bodyText: String, lastDevice: String? = nil
    ) {
        self.collection = collection
        self.id = id
        self.owner = owner
        self.version = version
        self.updatedAt = updatedAt
        self.sequence = sequence
        self.deleted = deleted
        self.bodyText = bodyText
        self.lastDevice = lastDevice
    }

    package init(
        collection: String, id: String, owner: String, version: Int, updatedAt: String, sequence: Int64,
        deleted: Bool, body: [String: JSONValue], lastDevice: String? = nil
    ) {
        self.init(
            collection: collection, id: id, owner: owner, version: version, updatedAt: updatedAt, sequence: sequence,
            deleted: deleted, bodyText: Self.canonicalText(of: body), lastDevice: lastDevice)
    }

    /// The client's fields, without any server-managed one.
    package var body: [String: JSONValue] {
        (try? JSONValue.parse(Data(bodyText.utf8)).objectValue) ?? [:]
    }

    /// The canonical stored text of a body: sorted keys, server-managed fields and nulls dropped.
    package static func canonicalText(of body: [String: JSONValue]) -> String {
        let fields = body.filter { !RecordField.serverManaged.contains($0.key) && $0.value != .null }
        return String(decoding: JSONValue.object(fields).encoded(), as: UTF8.self)
    }

    /// The record as the API returns it: the body with `id`, `version`, `updatedAt` and `owner` set by the server;
    /// a tombstone is `{"id", "version", "updatedAt", "owner", "deleted": true}`.
    package var json: JSONValue {
        (try? JSONValue.parse(Data(jsonText.utf8))) ?? .null
    }

    /// `json` as text, spliced together from the stored body (server fields first).
    package var jsonText: String {
        var text = "{\"id\":"
        text.reserveCapacity(bodyText.utf8.count + 160)
        JSONText.appendQuoted(id, to: &text)
        text += ",\"owner\":"
        JSONText.appendQuoted(owner, to: &text)
        text += ",\"updatedAt\":"
        JSONText.appendQuoted(updatedAt, to: &text)
        text += ",\"version\":"
        text += String(version)
        if deleted {
            text += ",\"deleted\":true}"
            return text
        }
        // bodyText is a JSON object: `{}` or `{"k":v,...}`.
        let inner = bodyText.utf8.dropFirst().dropLast()
        if !inner.isEmpty {
            text += ","
            text += Substring(inner)
        }
        text += "}"
        return text
    }

    /// `"<version>"`, the record's entity tag.
    package var eTag: String { APIHeader.eTag(version: version) }
}

/// Writes JSON text by hand where the encoder would cost more than the work.
package enum JSONText {
    /// Appends `string` as a JSON string literal.
    package static func appendQuoted(_ string: String, to text: inout String) {
        text += "\""
        var needsEscaping = false
        for byte in string.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            needsEscaping = true
            break
        }
        if !needsEscaping {
            text += string
        } else {
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case let scalar where scalar.value < 0x20:
                    text += String(format: "\\u%04x", scalar.value)
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }

    package static func quoted(_ string: String) -> String {
        var text = ""
        appendQuoted(string, to: &text)
        return text
    }
}
