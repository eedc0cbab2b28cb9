import HandsetWire

/// What storing a record body costs in CPU, done ahead: its canonical text (`StoredRecord.canonicalText`) and its
/// search words (`SearchWords.document` of the fields a client sent). A create plans it before the write
/// transaction, on the request's own task, so that a batch's writers do not encode JSON and fold text while they
/// hold the database's single write lock.
package struct PreparedBody: Sendable, Equatable {
    package let text: String
    package let words: String

    package init(of body: [String: JSONValue]) {
        text = StoredRecord.canonicalText(of: body)
        words = SearchWords.document(of: body.filter { !RecordField.serverManaged.contains($0.key) })
    }
}
