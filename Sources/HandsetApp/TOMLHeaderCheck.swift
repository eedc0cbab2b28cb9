/// Checks TOML text for what toml++ (inside TOMLKit 0.6.0) asserts on instead of reporting it: a table header whose
/// `[` is not followed by a key (`[` then a line break, `[)`, `[` then a character outside ASCII), a `}` directly
/// inside an array (`[}`), and Unicode line separators outside strings. A debug build aborts the process on them, a
/// release build meets undefined behaviour (the assertions become optimiser assumptions). Found by fuzzing
/// (`scripts/fuzz --target config-toml` and `--target theme`). The scanner follows strings, comments, arrays and
/// inline tables just far enough to see those spots, and refuses the text with the line of the first one; none of
/// them is valid TOML.
enum TOMLHeaderCheck {
    /// The 1-based line of the first spot toml++ cannot take, or `nil` when there is none.
    static func firstBadHeader(in text: String) -> Int? {
        let scalars = Array(text.unicodeScalars)
        // toml++ skips a byte order mark at the start, so a header may follow it.
        var index = scalars.first == "\u{FEFF}" ? 1 : 0
        var line = 1
        /// The open `[` and `{` of values (table headers are skipped whole).
        var open: [Unicode.Scalar] = []
        var atLineStart = true

        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }
        func skipBlanks() {
            while let next = peek(), next == " " || next == "\t" { index += 1 }
        }
        /// Skips a string starting at `index` (its opening quote); counts the line breaks inside.
        func skipString() {
            let quote = scalars[index]
            let multiLine = peek(1) == quote && peek(2) == quote
            index += multiLine ? 3 : 1
            while let next = peek() {
                if next == "\n" {
                    line += 1
                    if !multiLine { return }
                }
                if next == "\\", quote == "\"" {
                    if peek(1) == "\n" { line += 1 }
                    index += 2
                    continue
                }
                if next == quote {
                    if !multiLine {
                        index += 1
                        return
                    }
                    if peek(1) == quote, peek(2) == quote {
                        index += 3
                        // A closing delimiter may be followed by up to two more quotes that belong to the string.
                        while peek() == quote { index += 1 }
                        return
                    }
                }
                index += 1
            }
        }

        while let scalar = peek() {
            if atLineStart {
                skipBlanks()
                atLineStart = false
                if open.isEmpty, peek() == "[" {
                    index += 1
                    if peek() == "[" { index += 1 }
                    skipBlanks()
                    guard let first = peek(), isKeyStart(first) else { return line }
                    // The rest of the header line cannot start another header.
                    while let next = peek(), next != "\n" { index += 1 }
                    continue
                }
                continue
            }
            switch scalar {
            case "\n":
                line += 1
                atLineStart = true
                index += 1
            case "#":
                while let next = peek(), next != "\n" { index += 1 }
            case "\"", "'":
                skipString()
            case "[", "{":
                open.append(scalar)
                index += 1
            case "]":
                if open.last == "[" { open.removeLast() }
                index += 1
            case "}":
                // Inside an array toml++ takes `}` for the start of a value and asserts.
                guard open.last != "[" else { return line }
                if open.last == "{" { open.removeLast() }
                index += 1
            case "\u{2028}", "\u{2029}", "\u{85}":
                return line
            default:
                index += 1
            }
        }
        return nil
    }

    /// What toml++ accepts at the start of a key: a bare-key character or a quote.
    private static func isKeyStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", "\"", "'": return true
        default: return false
        }
    }
}
