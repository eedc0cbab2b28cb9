import HandsetModel
import HandsetWire

/// The edit and create form, generated from the collection's schema.
public struct EditFormState: Sendable, Equatable {
    public var collection: String
    /// The record being changed; `nil` when creating one.
    public var recordId: String?
    /// The editable fields, in schema order.
    public var fields: [FieldSchema]
    /// What is typed in each field, as text.
    public var values: [String: String]
    public var original: [String: String]
    public var focus: Int
    /// A message per field, from validation.
    public var errors: [String: String]
    /// Where typing goes in the focused field (characters from its start).
    public var cursor: Int
    /// What the last Ctrl-W/K/U cut, for Ctrl-Y.
    public var killed: String
    /// Ctrl-X was pressed: Ctrl-E next opens `$EDITOR`.
    public var awaitingChord: Bool
    /// Esc on a changed form asks first.
    public var confirmingDiscard: Bool
    public var isSaving: Bool
    /// Files the record had when the form opened, by attachment field (their keys). The field itself starts empty:
    /// a path typed there replaces the file; left empty, the file stays.
    public var attachmentKeys: [String: String]
    /// Attachment fields whose file is to go (Backspace or Ctrl-U on the empty field; typing a path undoes it).
    public var removedAttachments: Set<String>

    public init(collection: CollectionSchema, record: Record?) {
        self.collection = collection.name
        self.recordId = record?.id
        self.fields = collection.fields.filter { !$0.readOnly && !RecordField.serverManaged.contains($0.name) }
        var values: [String: String] = [:]
        var attachmentKeys: [String: String] = [:]
        for field in fields {
            if field.kind == .objectKey {
                // People see the file's name and type a path to replace it; the key itself is never text to edit.
                if case .string(let key)? = record?.fields[field.name], !key.isEmpty {
                    attachmentKeys[field.name] = key
                }
                values[field.name] = ""
            } else if let value = record?.fields[field.name] {
                values[field.name] = FieldInput.text(value, for: field)
            } else if record == nil, field.kind == .enumeration, field.required, let first = field.enumValues.first {
                values[field.name] = first
            } else {
                values[field.name] = ""
            }
        }
        self.values = values
        self.attachmentKeys = attachmentKeys
        self.removedAttachments = []
        // A new record's defaults (a required enum's first value) are not a change of the person's.
        self.original = values
        self.focus = 0
        self.cursor = fields.first.map { (values[$0.name] ?? "").count } ?? 0
        self.killed = ""
        self.awaitingChord = false
        self.errors = [:]
        self.confirmingDiscard = false
        self.isSaving = false
    }

    public var isDirty: Bool {
        !removedAttachments.isEmpty || fields.contains { (values[$0.name] ?? "") != (original[$0.name] ?? "") }
    }

    public var focusedField: FieldSchema? { fields.indices.contains(focus) ? fields[focus] : nil }

    /// The typed values as the record's fields (empty means absent).
    public var typedFields: [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for field in fields {
            let text = values[field.name] ?? ""
            if field.kind == .objectKey, text.isEmpty {
                // No path typed: the file the record has stays, unless it is to go.
                if let key = attachmentKeys[field.name], !removedAttachments.contains(field.name) {
                    result[field.name] = .string(key)
                }
                continue
            }
            let value = FieldInput.value(text, for: field)
            if !value.isNull { result[field.name] = value }
        }
        return result
    }

    /// Takes the text an external editor saved: without the final newline editors add, and on one line unless the
    /// field holds long text.
    public mutating func setExternallyEdited(field name: String, text: String) {
        guard let field = fields.first(where: { $0.name == name }) else { return }
        var text = text
        while text.hasSuffix("\n") { text.removeLast() }
        if field.kind != .longText {
            text = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        }
        if text != values[name] {
            values[name] = text
            errors[name] = nil
        }
        if focusedField?.name == name { cursor = text.count }
    }
}

/// What the form asks for after a key.
public enum EditFormOutcome: Sendable, Equatable {
    case none
    case save([String: JSONValue])
    case close
    /// Edit this field's text in `$VISUAL` / `$EDITOR`.
    case editExternally(field: String, text: String)
}

extension EditFormState {
    public mutating func handle(_ key: Key, collection: CollectionSchema) -> EditFormOutcome {
        guard !isSaving else { return .none }
        if confirmingDiscard {
            switch key {
            case .character("y"), .character("Y"): return .close
            default:
                confirmingDiscard = false
                return .none
            }
        }
        guard let field = focusedField else { return key == .escape ? .close : .none }
        if awaitingChord {
            // Ctrl-X Ctrl-E (as in bash and readline): the field's text in $EDITOR.
            awaitingChord = false
            if key == .control("e") || key == .character("e"), field.isTyped {
                return .editExternally(field: field.name, text: values[field.name] ?? "")
            }
            return .none
        }
        switch key {
        case .escape:
            if isDirty {
                confirmingDiscard = true
                return .none
            }
            return .close
        case .control("s"):
            let typed = typedFields
            errors = RecordValidator.problems(in: typed, for: collection)
            if let first = fields.firstIndex(where: { errors[$0.name] != nil }) {
                focus(first)
                return .none
            }
            isSaving = true
            return .save(typed)
        case .tab, .down:
            focus((focus + 1) % fields.count)
        case .backTab, .up:
            focus((focus + fields.count - 1) % fields.count)
        case .enter where field.kind != .longText:
            focus((focus + 1) % fields.count)
        case .control("x"):
            awaitingChord = field.isTyped
        default:
            var text = values[field.name] ?? ""
            if field.kind == .objectKey, text.isEmpty, attachmentKeys[field.name] != nil,
                [.backspace, .delete, .control("u"), .control("w"), .control("k")].contains(key)
            {
                // Deleting on the empty field of a file: the file goes when the form is saved.
                removedAttachments.insert(field.name)
                return .none
            }
            if field.isTyped {
                let rules: TextInput.Rules = field.kind == .longText ? .multiline : .singleLine
                TextInput.edit(&text, cursor: &cursor, killed: &killed, with: key, rules: rules)
            } else {
                text = Self.choose(key, current: text, in: field)
            }
            if text != values[field.name] {
                values[field.name] = text
                errors[field.name] = nil
                removedAttachments.remove(field.name)
            }
        }
        return .none
    }

    /// Moves the focus to another field, the cursor to the end of its text.
    mutating func focus(_ index: Int) {
        focus = index
        cursor = focusedField.map { (values[$0.name] ?? "").count } ?? 0
        awaitingChord = false
    }

    /// Enumerations and booleans are chosen, not typed: ←→ step through the values, Space flips a boolean, a letter
    /// picks the first value starting with it.
    static func choose(_ key: Key, current: String, in field: FieldSchema) -> String {
        let options =
            field.kind == .boolean ? ["", "true", "false"] : (field.required ? [] : [""]) + field.enumValues
        switch key {
        case .left, .right:
            guard !options.isEmpty else { return current }
            let index = options.firstIndex(of: current) ?? 0
            let step = key == .right ? 1 : options.count - 1
            return options[(index + step) % options.count]
        case .character(" ") where field.kind == .boolean:
            return current == "true" ? "false" : "true"
        case .character(let character) where field.kind == .enumeration:
            return field.enumValues.first { $0.lowercased().hasPrefix(String(character).lowercased()) } ?? current
        case .backspace, .delete,
            .control("u") where !field.required:
            return ""
        default:
            return current
        }
    }
}

extension FieldSchema {
    /// Whether the person types the value (text, numbers, dates, paths) rather than choosing it.
    var isTyped: Bool { kind != .enumeration && kind != .boolean }
}
