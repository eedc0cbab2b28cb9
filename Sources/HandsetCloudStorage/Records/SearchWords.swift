import Foundation
import HandsetWire

/// The words `q` searches, cut and folded the same way on every backend, for records and queries alike.
///
/// Text is folded first (compatibility decomposition, combining marks removed, lowercased: "Café" and "CAFE" are
/// both "cafe"; "ﬁle" is "file"), then cut into words: runs of ASCII letters and digits, or runs of other letters,
/// digits and marks. Each symbol (`So`: emoji, ©, ☀) is a word of its own, written in ASCII (`symbol01f680` for
/// 🚀), so that "🚀" finds the records that hold it although neither engine's parser keeps emoji as word
/// characters. Anything else (spaces, punctuation, modifier symbols such as skin tones, joiners) separates words.
/// Cutting at the ASCII boundary keeps the words the same for every full-text engine (SQLite's `ascii` tokenizer,
/// InnoDB's parser), whatever each thinks of other scripts.
///
/// A query matches a record when each query word is a prefix of some word of the record.
package enum SearchWords {
    /// At most this many query words count (the rest are ignored).
    package static let maximumQueryWords = 16

    /// The words of `text`, in order.
    package static func words(in text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var currentIsASCII = true
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in fold(text).unicodeScalars {
            if scalar.properties.generalCategory == .otherSymbol {
                flush()
                words.append(symbolWord(scalar))
                continue
            }
            guard isWordScalar(scalar) else {
                flush()
                continue
            }
            let ascii = scalar.isASCII
            if !current.isEmpty, ascii != currentIsASCII { flush() }
            currentIsASCII = ascii
            current.append(scalar)
        }
        flush()
        return words
    }

    /// The query words of a `q` parameter (at most `maximumQueryWords`).
    package static func queryWords(in text: String) -> [String] {
        Array(words(in: text).prefix(maximumQueryWords))
    }

    /// What a backend indexes for a record: the words of its top-level string fields, separated by single spaces.
    package static func document(of body: [String: JSONValue]) -> String {
        var words: [String] = []
        for key in body.keys.sorted() {
            if case .string(let text) = body[key] { words += self.words(in: text) }
        }
        return words.joined(separator: " ")
    }

    /// `document(of:)` for a record body kept as JSON text.
    package static func document(ofBodyText text: String) -> String {
        guard let body = (try? JSONValue.parse(Data(text.utf8)))?.objectValue else { return "" }
        return document(of: body)
    }

    /// Lowercased, then compatibility decomposition with combining marks dropped, then lowercased again (lowercasing
    /// can produce combining marks: "İ" becomes "i̇"; decomposition can produce capitals: "№" becomes "No").
    package static func fold(_ text: String) -> String {
        // ASCII has no decompositions and no combining marks: folding it is lowercasing it (most record text).
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        var scalars = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCompatibilityMapping.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            scalars.append(scalar)
        }
        return String(scalars).lowercased()
    }

    /// A symbol's word: a fixed width of six hex digits, so that no symbol's word is a prefix of another's.
    static func symbolWord(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "symbol" + String(repeating: "0", count: max(0, 6 - hex.count)) + hex
    }

    /// Letters, digits and (spacing or enclosing) marks make words.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (0x30...0x39).contains(value) || (0x61...0x7A).contains(value) || (0x41...0x5A).contains(value)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }
}
