import HandsetWire

/// Text from other people (record fields, notification titles) made safe to print to a terminal: a control
/// character could otherwise move the cursor, recolour the screen, set the window title or answer back as typed
/// input (escape-sequence injection). C0 controls show in caret notation (`ESC` as `^[`), DEL and C1 controls and
/// the bidirectional overrides that can disguise text as `?`. Newlines and tabs become spaces unless kept.
public enum TerminalText {
    public static func safe(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: needsEscaping) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A where keepingNewlines: result.append(scalar)
            case 0x09, 0x0A, 0x0D: result.append(" ")
            case 0x00..<0x20:
                result.append(contentsOf: "^\(Character(Unicode.Scalar(scalar.value + 0x40)!))".unicodeScalars)
            case _ where needsEscaping(scalar): result.append("?")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// A field's value on one line of a command's output: text as it is, whole numbers without `.0`, a list of
    /// strings as `a, b`, anything else as JSON; every string inside made safe too (a JSON encoder leaves C1
    /// controls and bidirectional overrides as they are).
    public static func safe(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return safe(text)
        case .number(let number)?: return FieldInput.numberText(number)
        case .bool(let flag)?: return flag ? "true" : "false"
        case nil, .null?: return ""
        case .array(let items)? where !items.isEmpty && items.allSatisfy({ $0.stringValue != nil }):
            return safe(items.compactMap(\.stringValue).joined(separator: ", "))
        case let other?: return safe(String(decoding: other.encoded(), as: UTF8.self))
        }
    }

    static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0: return true
        // Bidirectional embeddings, overrides and isolates (RLO makes "exe.txt" read as "txt.exe").
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
