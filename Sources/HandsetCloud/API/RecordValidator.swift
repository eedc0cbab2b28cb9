import HandsetWire

/// Checks a request body against a collection's schema: one message per bad field, server-managed fields and
/// nulls dropped (a null clears a field).
struct RecordValidator: Sendable {
    let collection: CollectionDefinition

    /// The shared rules (HandsetWire's `RecordRules`, the client's too) of this collection.
    var rules: RecordRules {
        RecordRules(
            typeName: collection.schemaName, properties: collection.properties, required: collection.required,
            allowsUnknownFields: collection.allowsUnknownFields)
    }

    /// The body of a create or replace, cleaned, or a 400 naming every bad field.
    func validateFull(_ body: JSONValue?) throws(APIError) -> [String: JSONValue] {
        let fields = try object(body)
        try throwIfAny(rules.problems(in: fields))
        return cleaned(fields)
    }

    /// The fields of a patch, checked one by one; `null` marks a field to clear.
    func validatePatch(_ body: JSONValue?) throws(APIError) -> [String: JSONValue] {
        let fields = try object(body)
        try throwIfAny(rules.problems(in: fields, partial: true))
        return fields.filter { !RecordField.serverManaged.contains($0.key) }
    }

    /// The current body with a checked patch applied (JSON merge patch: null removes).
    func merge(_ patch: [String: JSONValue], into body: [String: JSONValue]) throws(APIError) -> [String: JSONValue] {
        var merged = body
        for (name, value) in patch {
            merged[name] = value == .null ? nil : value
        }
        var problems: [String: String] = [:]
        for name in collection.required where merged[name] == nil {
            problems[name] = RecordRules.isRequired
        }
        try throwIfAny(problems)
        return merged
    }

    private func object(_ body: JSONValue?) throws(APIError) -> [String: JSONValue] {
        guard let fields = body?.objectValue else { throw APIError.bodyNotAnObject }
        return fields
    }

    private func cleaned(_ fields: [String: JSONValue]) -> [String: JSONValue] {
        fields.filter { !RecordField.serverManaged.contains($0.key) && $0.value != .null }
    }

    private func throwIfAny(_ problems: [String: String]) throws(APIError) {
        guard problems.isEmpty else {
            throw APIError(.badRequest, "Invalid request body", fields: problems)
        }
    }
}
