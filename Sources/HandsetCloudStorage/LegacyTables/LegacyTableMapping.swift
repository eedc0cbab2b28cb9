import HandsetWire

/// A collection whose records are the rows of an existing table of the database (`x-handset-table`): reads and
/// writes go to the table itself, and the cloud keeps its bookkeeping (versions, owners where no column holds them,
/// tombstones, the change feed) in side tables of its own. Only the MySQL backend serves such collections.
package struct LegacyTableMapping: Sendable, Equatable {
    package var collection: String
    package var table: String
    /// The key column (`x-handset-key`); `nil` for the table's primary key.
    package var keyColumn: String?
    /// Whether the database assigns keys (`x-handset-key-generated`: an AUTO_INCREMENT column).
    package var keyGenerated: Bool
    /// The record's fields, each with its column.
    package var fields: [LegacyFieldMapping]
    /// The column that holds the owner value (an owner rule's `x-handset-owner-column`), if any; without one, the
    /// owner of a row created through the API is kept in the side table, and rows the web application creates
    /// have none.
    package var ownerColumn: String?
    /// The zone DATETIME columns' values are local times of, unless a field names its own (IANA name; UTC when nil).
    package var timeZone: String?

    package init(
        collection: String, table: String, keyColumn: String?, keyGenerated: Bool, fields: [LegacyFieldMapping],
        ownerColumn: String? = nil, timeZone: String? = nil
    ) {
        self.collection = collection
        self.table = table
        self.keyColumn = keyColumn
        self.keyGenerated = keyGenerated
        self.fields = fields
        self.ownerColumn = ownerColumn
        self.timeZone = timeZone
    }

    /// Whether `name` can go into SQL as an identifier: letters, digits, `_` and `$` (MySQL's unquoted identifier
    /// characters, ASCII only), at most 64 characters. Names are quoted anyway; this keeps them ordinary.
    package static func isTableIdentifier(_ name: String) -> Bool {
        guard (1...64).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "$")
        }
    }
}

/// One field of a mapped collection and the column it lives in.
package struct LegacyFieldMapping: Sendable, Equatable {
    package var property: String
    package var column: String
    /// The property's declared rules: where a column's values could travel in more than one JSON form (TINYINT(1)
    /// as a boolean or a number, an integer column holding another collection's ids as strings), its type decides.
    package var rules: PropertyRules
    /// The zone of a DATETIME column's values (IANA name), overriding the collection's.
    package var timeZone: String?

    package init(property: String, column: String, rules: PropertyRules, timeZone: String? = nil) {
        self.property = property
        self.column = column
        self.rules = rules
        self.timeZone = timeZone
    }
}

/// The id a write names when the database is to assign the record's key (an AUTO_INCREMENT column). Never a valid
/// record id: those do not start with `_`.
package let databaseAssignedRecordID = "_new"

/// A write that storage refused because of its values or the row's relations (a legacy column cannot hold a value,
/// another table's rows refer to the row being deleted): an answer for the caller, never a server error.
package struct RecordWriteRefused: Error, Equatable, CustomStringConvertible {
    /// 400 for values, 409 for a row that other rows refer to.
    package var status: Int
    package var message: String
    /// A message per field, when fields are to blame.
    package var fields: [String: String]

    package init(status: Int = 400, message: String, fields: [String: String] = [:]) {
        self.status = status
        self.message = message
        self.fields = fields
    }

    package var description: String {
        fields.isEmpty
            ? message : message + ": " + fields.sorted { $0.key < $1.key }.map { "\($0) \($1)" }.joined(separator: "; ")
    }
}
