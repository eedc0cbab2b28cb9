/// Extensions that serve an existing table's rows as a collection (`x-handset-table`). The cloud reads them; the
/// served document keeps only `x-handset-key-generated`, which tells clients that the database assigns ids.
extension APIDocumentKeys {
    /// On a component schema: the existing table whose rows are the collection's records.
    public static let table = "x-handset-table"
    /// On a component schema: the table's key column (one column; composite keys are refused).
    public static let key = "x-handset-key"
    /// On a component schema: the database assigns ids (an AUTO_INCREMENT key). A client creates without an id
    /// (`POST`) and learns the record's id from the answer.
    public static let keyGenerated = "x-handset-key-generated"
    /// On a property: the table's column when its name differs from the property's.
    public static let column = "x-handset-column"
    /// On an owner rule: the column that holds the owner, matched against the rule's `identityClaim`.
    public static let ownerColumn = "x-handset-owner-column"
    /// On a component schema or a property: the IANA time zone that a DATETIME column's values are local times of
    /// (`UTC` when absent). TIMESTAMP columns need none: MySQL keeps them in UTC.
    public static let timeZone = "x-handset-time-zone"
    /// On an owner rule (Amplify's name): the token claim that holds the owner value (`sub` when absent), such as
    /// `email` or a custom attribute `custom:legacy_id`.
    public static let identityClaim = "identityClaim"
}
