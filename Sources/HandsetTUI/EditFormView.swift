import HandsetApp
import HandsetModel

/// The edit and create form: one line per field, the focused one highlighted, errors beside their field.
public enum EditFormView {
    /// `fileNames`: the person's names of stored files, by key (the form shows a file by name, never by key);
    /// `related`: titles of related records by `collection/id`.
    public static func render(
        _ form: EditFormState, fileNames: [String: String] = [:], related: [String: String] = [:],
        into grid: inout CellGrid
    ) {
        let title = form.recordId == nil ? "New \(form.collection.dropLastIfPlural())" : "Edit"
        grid.put(title, x: 2, y: 2, role: .title)
        if form.isDirty { grid.put("(changed)", x: 3 + TextWidth.width(of: title), y: 2, role: .dim) }
        let labelWidth = min(max(form.fields.map { FieldFormatter.label(for: $0.name).count }.max() ?? 8, 8) + 3, 22)
        // Leave room on the right for a field's error or hint.
        let valueWidth = max(min(grid.width - labelWidth - 34, 60), 12)
        // Scroll so the focused field is visible.
        let rows = max(grid.height - 8, 1)
        let first = max(0, form.focus - rows + 1)
        for (offset, index) in (first..<form.fields.count).prefix(rows).enumerated() {
            let field = form.fields[index]
            let y = 4 + offset
            let focused = index == form.focus
            let marker = field.required ? "*" : " "
            grid.put(
                TextWidth.truncate(FieldFormatter.label(for: field.name), to: labelWidth - 3) + marker, x: 2, y: y,
                role: .fieldLabel)
            let role: StyleRole = focused ? .fieldFocused : .field
            grid.fill(x: 2 + labelWidth, y: y, width: valueWidth, height: 1, role: role)
            let text = form.values[field.name] ?? ""
            if field.kind == .enumeration || field.kind == .boolean {
                let shown = field.kind == .boolean ? FieldFormatter.yesNo(text) : text
                grid.put(
                    "‹ \(shown.isEmpty ? "—" : shown) ›", x: 2 + labelWidth, y: y, role: role, maxWidth: valueWidth)
            } else {
                InputView.render(
                    text, cursor: focused ? form.cursor : text.count, x: 2 + labelWidth, y: y, width: valueWidth,
                    role: role, focused: focused, into: &grid)
                if text.isEmpty, let key = form.attachmentKeys[field.name] {
                    // The file the record has, by its name: a path typed here replaces it.
                    let name = fileNames[key] ?? AppCore.fileName(ofKey: key)
                    let note = form.removedAttachments.contains(field.name) ? "\(name) goes on save" : name
                    grid.put(note, x: 2 + labelWidth + (focused ? 1 : 0), y: y, role: .dim, maxWidth: valueWidth - 1)
                }
            }
            // Beside the field: its error, or the focused field's hint, cut with … where the terminal ends (the
            // whole error is also on the message row).
            let noteWidth = max(grid.width - (2 + labelWidth + valueWidth), 0)
            if let error = form.errors[field.name] {
                grid.put(
                    TextWidth.truncate(" " + error, to: noteWidth), x: 2 + labelWidth + valueWidth, y: y, role: .error)
            } else if focused {
                var note = hint(for: field, in: form)
                if let target = field.references, let id = form.values[field.name], !id.isEmpty,
                    let title = related["\(target)/\(id)"]
                {
                    note = "= \(title)"
                }
                grid.put(
                    TextWidth.truncate(" " + note, to: noteWidth), x: 2 + labelWidth + valueWidth, y: y, role: .dim)
            }
        }
        if let focused = form.focusedField, let error = form.errors[focused.name] {
            // The whole message, on two rows if it needs them.
            var lines = TextWidth.wrap("\(FieldFormatter.label(for: focused.name)) \(error)", to: grid.width - 4)
            if lines.count > 2 {
                lines = [lines[0], TextWidth.truncate(lines[1] + " " + lines[2], to: grid.width - 4)]
            }
            for (index, line) in lines.enumerated() {
                grid.put(line, x: 2, y: grid.height - 2 - lines.count + index, role: .error)
            }
        } else if form.confirmingDiscard {
            grid.put(
                "Discard your changes? y to discard, any other key to keep editing", x: 2, y: grid.height - 3,
                role: .error)
        } else if form.isSaving {
            grid.put("Saving…", x: 2, y: grid.height - 3, role: .dim)
        }
    }

    static func hint(for field: FieldSchema, in form: EditFormState) -> String {
        if field.kind == .objectKey, form.attachmentKeys[field.name] != nil {
            return form.removedAttachments.contains(field.name)
                ? "a path: a new file instead" : "a path replaces it; ⌫ removes"
        }
        switch field.kind {
        case .enumeration: return "←→"
        case .boolean: return "space"
        case .date: return "YYYY-MM-DD"
        case .dateTime: return "YYYY-MM-DDTHH:MM:SSZ"
        case .integer, .number: return "number"
        case .objectKey: return "a file path uploads on save"
        case .text, .longText: return "Ctrl-X Ctrl-E: $EDITOR"
        case .list:
            return field.enumValues.isEmpty ? "a, b, c" : "any of " + field.enumValues.joined(separator: ", ")
        default: return ""
        }
    }
}

extension String {
    /// `tasks` -> `task`, for titles such as "New task".
    fileprivate func dropLastIfPlural() -> String {
        hasSuffix("s") ? String(dropLast()) : self
    }
}
