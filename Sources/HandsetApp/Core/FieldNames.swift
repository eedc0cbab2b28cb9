/// How field names read for people.
public enum FieldNames {
    /// Display name of a field: `updatedAt` -> `Updated at`.
    public static func label(for field: String) -> String {
        var words: [String] = []
        var current = ""
        for character in field {
            if character.isUppercase, !current.isEmpty {
                words.append(current)
                current = String(character).lowercased()
            } else if character == "_" || character == "-" {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        let sentence = words.joined(separator: " ")
        return sentence.prefix(1).uppercased() + sentence.dropFirst()
    }
}
