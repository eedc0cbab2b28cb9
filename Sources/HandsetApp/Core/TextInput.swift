/// One text being typed, with a cursor, edited as readline edits a line: ←/→, Home/End and Ctrl-A/E, word moves
/// (Alt-B/F, Ctrl-←/→), Backspace/Delete, Ctrl-W (word back), Ctrl-K (to the end), Ctrl-U (to the start), Ctrl-Y
/// (put back what was cut), and pasted text as one insertion.
///
/// Every text input of the app (sign-in fields, form fields, the filter, the palette, prompts) edits through this
/// type, so they all understand the same keys.
public struct TextInput: Sendable, Equatable {
    public var text: String
    /// Where typing goes, in characters from the start (0...count).
    public var cursor: Int
    /// What the last kill (Ctrl-W/K/U) removed, for Ctrl-Y.
    public var killed: String

    /// A text with the cursor at its end.
    public init(_ text: String = "", cursor: Int? = nil) {
        self.text = text
        self.cursor = min(max(cursor ?? text.count, 0), text.count)
        self.killed = ""
    }

    /// The Alt keys a text input uses (word back, word on, cut a word on, cut a word back).
    public static let altKeys: Set<Character> = ["b", "f", "d", "\u{7F}"]

    /// What a text may hold.
    public struct Rules: Sendable {
        /// Whether a typed or pasted character may go in (codes take digits only).
        public var accepts: @Sendable (Character) -> Bool
        /// Enter and pasted line breaks make new lines; otherwise a paste's line breaks become spaces.
        public var multiline: Bool
        /// The most characters the text may hold.
        public var maximumLength: Int?

        public init(
            accepts: @escaping @Sendable (Character) -> Bool = { _ in true }, multiline: Bool = false,
            maximumLength: Int? = nil
        ) {
            self.accepts = accepts
            self.multiline = multiline
            self.maximumLength = maximumLength
        }

        public static let singleLine = Rules()
        public static let multiline = Rules(multiline: true)
        /// One-time codes: up to 8 digits.
        public static let code = Rules(accepts: { $0.isNumber }, maximumLength: 8)
    }

    /// Applies an editing key; false when `key` is not one (the caller handles it: Tab, Esc, Enter on one line…).
    @discardableResult
    public mutating func handle(_ key: Key, rules: Rules = .singleLine) -> Bool {
        clampCursor()
        switch key {
        case .character(let character):
            insert(String(character), rules: rules)
        case .paste(let pasted):
            // Copied lines usually end with a line break: on one line it would only add a space.
            var text = pasted
            if !rules.multiline { while text.last?.isNewline == true { text.removeLast() } }
            insert(Self.cleaned(text, multiline: rules.multiline), rules: rules)
        case .enter where rules.multiline:
            insert("\n", rules: rules)
        case .backspace:
            guard cursor > 0 else { return true }
            remove(cursor - 1..<cursor)
            cursor -= 1
        case .delete, .control("d"):
            guard cursor < text.count else { return true }
            remove(cursor..<cursor + 1)
        case .left:
            cursor = max(cursor - 1, 0)
        case .right:
            cursor = min(cursor + 1, text.count)
        case .home, .control("a"):
            cursor = lineStart
        case .end, .control("e"):
            cursor = lineEnd
        case .alt("b"), .controlLeft:
            cursor = previousWordStart
        case .alt("f"), .controlRight:
            cursor = nextWordEnd
        case .control("w"), .alt("\u{7F}"), .alt("\u{8}"):
            let start = previousWordStart
            kill(start..<cursor)
            cursor = start
        case .alt("d"):
            kill(cursor..<nextWordEnd)
        case .control("k"):
            kill(cursor..<lineEnd)
        case .control("u"):
            let start = lineStart
            kill(start..<cursor)
            cursor = start
        case .control("y"):
            insert(killed, rules: rules)
        default:
            return false
        }
        return true
    }

    /// The text with a paste's control characters made safe: tabs become spaces, line breaks become `\n` (or
    /// spaces on one line), other control characters go.
    static func cleaned(_ text: String, multiline: Bool) -> String {
        var result = ""
        var lastWasReturn = false
        for scalar in text.unicodeScalars {
            defer { lastWasReturn = scalar == "\r" }
            switch scalar {
            case "\r":
                result.append(multiline ? "\n" : " ")
            case "\n":
                // \r\n is one break.
                if !lastWasReturn { result.append(multiline ? "\n" : " ") }
            case "\t":
                result.append(" ")
            default:
                if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private mutating func insert(_ insertion: String, rules: Rules) {
        var accepted = insertion.filter { $0 == "\n" ? rules.multiline : rules.accepts($0) }
        if let maximum = rules.maximumLength { accepted = String(accepted.prefix(max(maximum - text.count, 0))) }
        guard !accepted.isEmpty else { return }
        let index = text.index(text.startIndex, offsetBy: cursor)
        text.insert(contentsOf: accepted, at: index)
        cursor += accepted.count
    }

    private mutating func remove(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let lower = text.index(text.startIndex, offsetBy: range.lowerBound)
        let upper = text.index(lower, offsetBy: range.count)
        text.removeSubrange(lower..<upper)
    }

    private mutating func kill(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let characters = Array(text)
        killed = String(characters[range])
        remove(range)
    }

    private mutating func clampCursor() {
        cursor = min(max(cursor, 0), text.count)
    }

    /// The start of the line the cursor is on (the text's start unless it holds line breaks).
    private var lineStart: Int {
        let characters = Array(text)
        var index = cursor
        while index > 0, characters[index - 1] != "\n" { index -= 1 }
        return index
    }

    private var lineEnd: Int {
        let characters = Array(text)
        var index = cursor
        while index < characters.count, characters[index] != "\n" { index += 1 }
        return index
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    /// Back over non-word characters, then over the word: where Alt-B and Ctrl-W stop.
    private var previousWordStart: Int {
        let characters = Array(text)
        var index = cursor
        while index > 0, !Self.isWordCharacter(characters[index - 1]) { index -= 1 }
        while index > 0, Self.isWordCharacter(characters[index - 1]) { index -= 1 }
        return index
    }

    /// On over non-word characters, then over the word: where Alt-F stops.
    private var nextWordEnd: Int {
        let characters = Array(text)
        var index = cursor
        while index < characters.count, !Self.isWordCharacter(characters[index]) { index += 1 }
        while index < characters.count, Self.isWordCharacter(characters[index]) { index += 1 }
        return index
    }
}

extension TextInput {
    /// Edits `text` with its cursor kept elsewhere (a form field's value in a dictionary, the cursor in the form).
    @discardableResult
    public static func edit(
        _ text: inout String, cursor: inout Int, killed: inout String, with key: Key, rules: Rules = .singleLine
    ) -> Bool {
        var input = TextInput(text, cursor: cursor)
        input.killed = killed
        let handled = input.handle(key, rules: rules)
        text = input.text
        cursor = input.cursor
        killed = input.killed
        return handled
    }
}
