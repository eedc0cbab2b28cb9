import HandsetWire

/// Checks a request body against a collection's schema: one message per bad field, server-managed fields and
/// nulls dropped (a null clears a field).
struct RecordValidator: Sendable {
    let collection: CollectionDefinition

    /// The body of a create or replace, cleaned, or a 400 naming every bad field.
    func validateFull(_ body: JSONValue?) throws(APIError) -> [String: JSONValue] {
        let fields = try object(body)
        var problems = problems(in: fields)
        for name in collection.required where fields[name] == nil || fields[name] == .null {
            problems[name] = "is required"
        }
        try throwIfAny(problems)
        return cleaned(fields)
    }

    /// The fields of a patch, checked one by one; `null` marks a field to clear.
    func validatePatch(_ body: JSONValue?) throws(APIError) -> [String: JSONValue] {
        let fields = try object(body)
        var problems = problems(in: fields)
        for name in collection.required where fields[name] == .null {
            problems[name] = "is required"
        }
        try throwIfAny(problems)
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
            problems[name] = "is required"
        }
        try throwIfAny(problems)
        return merged
    }

    private func object(_ body: JSONValue?) throws(APIError) -> [String: JSONValue] {
        guard let fields = body?.objectValue else { throw APIError.bodyNotAnObject }
        return fields
    }

    private func problems(in fields: [String: JSONValue]) -> [String: String] {
        var problems: [String: String] = [:]
        for (name, value) in fields where !RecordField.serverManaged.contains(name) {
            guard let property = collection.properties[name] else {
                if !collection.allowsUnknownFields { problems[name] = "is not a field of \(collection.schemaName)" }
                continue
            }
            if value == .null { continue }
            if let problem = property.problem(with: value) { problems[name] = problem }
        }
        return problems
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
