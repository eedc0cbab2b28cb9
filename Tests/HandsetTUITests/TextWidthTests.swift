import Testing

@testable import HandsetTUI

/// The ASCII shortcuts of `TextWidth` must answer what the character-by-character rules answer.
@Suite struct TextWidthTests {
    /// The rules without the shortcuts: each character's first scalar, as before they were added.
    static func slowWidth(of text: String) -> Int {
        text.reduce(0) { total, character in
            guard let first = character.unicodeScalars.first else { return total }
            if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return total + 2 }
            let category = first.properties.generalCategory
            if category == .nonspacingMark || category == .enclosingMark || first.value == 0x200B
                || first.value == 0x200D
            {
                return total
            }
            return total + (TextWidth.isWide(first.value) ? 2 : 1)
        }
    }

    @Test(arguments: [
        "", "abc", "Bench task 42", "a\r\nb", "\r\n", "\r", "tab\there", "\u{0}\u{1F}\u{7F}", "e\u{301}", "日本", "🚀",
        "1\u{FE0F}", "ascii then é", "\u{300}", "Ä\u{300}x", "\u{200B}\u{200D}", "\u{2FFF}",
    ])
    func shortcutsAgreeWithTheRules(text: String) {
        #expect(TextWidth.width(of: text) == Self.slowWidth(of: text))
        for character in text {
            #expect(TextWidth.width(of: character) == Self.slowWidth(of: String(character)))
        }
    }

    @Test func everyASCIIByteIsOneColumn() {
        for byte in UInt8(0)..<0x80 {
            let text = String(UnicodeScalar(byte))
            #expect(TextWidth.width(of: text) == Self.slowWidth(of: text))
        }
    }
}
