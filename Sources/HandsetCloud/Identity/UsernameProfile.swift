import Foundation

/// Usernames as RFC 8265 (PRECIS) prepares and enforces them in its UsernameCaseMapped profile, so that a name other
/// users will see cannot hide characters or pass for someone else's:
///
/// 1. width mapping: fullwidth and halfwidth forms become their ordinary characters (`ａｌｉｃｅ` is `alice`);
/// 2. case mapping to lower case, then Unicode normalisation form C;
/// 3. refused: anything outside PRECIS' IdentifierClass (letters, marks, decimal digits and printable ASCII), so
///    spaces, controls, invisible and bidi-control characters (`zw\u{200B}sp`, `rlo\u{202E}exe`), symbols and
///    punctuation outside ASCII;
/// 4. refused: letters of scripts that are not used together (UTS #39's "highly restrictive" level), so a
///    Cyrillic `а` inside a Latin name, and right-to-left names that break RFC 5893's bidi rule.
///
/// Names are stored as enforced; lookups map what was typed the same way (steps 1-2), so every spelling that
/// enforces to a name finds it.
enum UsernameProfile {
    static let maximumLength = 128

    enum Refusal: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLong
        case disallowedCharacter(Unicode.Scalar)
        case mixedScripts
        case bidiRule

        var description: String {
            switch self {
            case .empty: "is empty"
            case .tooLong: "is longer than \(UsernameProfile.maximumLength) characters"
            case .disallowedCharacter(let scalar):
                "contains U+\(String(scalar.value, radix: 16, uppercase: true)), which a username may not hold"
            case .mixedScripts: "mixes letters of different scripts"
            case .bidiRule: "mixes right-to-left and left-to-right text"
            }
        }
    }

    /// The name as stored, or why it is refused.
    static func enforce(_ name: String) -> Result<String, Refusal> {
        let prepared = map(name)
        guard !prepared.isEmpty else { return .failure(.empty) }
        guard prepared.count <= maximumLength, prepared.utf8.count <= 4 * maximumLength else {
            return .failure(.tooLong)
        }
        for scalar in prepared.unicodeScalars where !isAllowed(scalar) {
            return .failure(.disallowedCharacter(scalar))
        }
        let scripts = Set(prepared.unicodeScalars.compactMap(script(of:)))
        guard isPlausibleMix(scripts) else { return .failure(.mixedScripts) }
        guard satisfiesBidiRule(prepared) else { return .failure(.bidiRule) }
        return .success(prepared)
    }

    /// Steps 1 and 2 only: the form a typed name is looked up by.
    static func map(_ name: String) -> String {
        // Plain ASCII (nearly every name) has no width forms and is its own normal form: lower-casing is all, without
        // Foundation's normalisation, which every sign-in step would otherwise pay for several times.
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(
                decoding: name.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        var widthMapped = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            if (0xFF01...0xFFEE).contains(scalar.value) {
                widthMapped.append(contentsOf: String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars)
            } else {
                widthMapped.append(scalar)
            }
        }
        return String(widthMapped).lowercased().precomposedStringWithCanonicalMapping
    }

    /// PRECIS IdentifierClass, as far as Unicode's properties tell it: printable ASCII, letters, marks and
    /// decimal digits; never a default-ignorable (invisible), private-use or unassigned code point.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x21 && scalar.value <= 0x7E }
        let properties = scalar.properties
        if properties.isDefaultIgnorableCodePoint || properties.isNoncharacterCodePoint { return false }
        switch properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter, .nonspacingMark,
            .spacingMark, .decimalNumber:
            return true
        default:
            return false
        }
    }

    /// Scripts that appear together in ordinary names: Latin with the CJK scripts of one language.
    private static let allowedMixes: [Set<Script>] = [
        [.latin, .han, .hiragana, .katakana], [.latin, .han, .bopomofo], [.latin, .han, .hangul],
    ]

    static func isPlausibleMix(_ scripts: Set<Script>) -> Bool {
        scripts.count <= 1 || allowedMixes.contains { scripts.isSubset(of: $0) }
    }

    /// RFC 5893's rule, for the scripts this profile tells apart: a name with right-to-left letters starts with
    /// one and ends with one or with a digit or mark (left-to-right letters are already refused as a mix).
    static func satisfiesBidiRule(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard scalars.contains(where: isRightToLeft) else { return true }
        guard let first = scalars.first, isRightToLeft(first), let last = scalars.last else { return false }
        let lastCategory = last.properties.generalCategory
        return isRightToLeft(last) || lastCategory == .decimalNumber || lastCategory == .nonspacingMark
    }

    static func isRightToLeft(_ scalar: Unicode.Scalar) -> Bool {
        guard let script = script(of: scalar) else { return false }
        return script == .hebrew || script == .arabic || script == .syriac || script == .thaana || script == .nko
    }

    enum Script: Hashable {
        case latin, greek, cyrillic, armenian, hebrew, arabic, syriac, thaana, nko, devanagari, bengali, gurmukhi
        case gujarati, oriya, tamil, telugu, kannada, malayalam, sinhala, thai, lao, tibetan, myanmar, georgian
        case hangul, ethiopic, cherokee, khmer, mongolian, hiragana, katakana, bopomofo, han
        /// A letter of a block this table does not name, by the block's first code point.
        case other(UInt32)
    }

    /// The script of a letter or digit, by code point block; `nil` for ASCII digits and punctuation and for marks,
    /// which take their neighbours' script (Common and Inherited in UAX #24).
    static func script(of scalar: Unicode.Scalar) -> Script? {
        let value = scalar.value
        if scalar.isASCII { return scalar.properties.isAlphabetic ? .latin : nil }
        let category = scalar.properties.generalCategory
        guard category != .nonspacingMark, category != .spacingMark, category != .enclosingMark else { return nil }
        guard scalar.properties.isAlphabetic || category == .decimalNumber else { return nil }
        switch value {
        case 0x00C0...0x024F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xAB30...0xAB6F, 0xFF21...0xFF5A,
            0x0250...0x02AF:
            return .latin
        case 0x0370...0x03FF, 0x1F00...0x1FFF: return .greek
        case 0x0400...0x052F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: return .cyrillic
        case 0x0530...0x058F, 0xFB13...0xFB17: return .armenian
        case 0x0590...0x05FF, 0xFB1D...0xFB4F: return .hebrew
        case 0x0600...0x06FF, 0x0750...0x077F, 0x0870...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return .arabic
        case 0x0700...0x074F, 0x0860...0x086F: return .syriac
        case 0x0780...0x07BF: return .thaana
        case 0x07C0...0x07FF: return .nko
        case 0x0900...0x097F, 0xA8E0...0xA8FF: return .devanagari
        case 0x0980...0x09FF: return .bengali
        case 0x0A00...0x0A7F: return .gurmukhi
        case 0x0A80...0x0AFF: return .gujarati
        case 0x0B00...0x0B7F: return .oriya
        case 0x0B80...0x0BFF: return .tamil
        case 0x0C00...0x0C7F: return .telugu
        case 0x0C80...0x0CFF: return .kannada
        case 0x0D00...0x0D7F: return .malayalam
        case 0x0D80...0x0DFF: return .sinhala
        case 0x0E00...0x0E7F: return .thai
        case 0x0E80...0x0EFF: return .lao
        case 0x0F00...0x0FFF: return .tibetan
        case 0x1000...0x109F: return .myanmar
        case 0x10A0...0x10FF, 0x2D00...0x2D2F, 0x1C90...0x1CBF: return .georgian
        case 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7FF: return .hangul
        case 0x1200...0x139F, 0x2D80...0x2DDF: return .ethiopic
        case 0x13A0...0x13FF, 0xAB70...0xABBF: return .cherokee
        case 0x1780...0x17FF: return .khmer
        case 0x1800...0x18AF: return .mongolian
        case 0x3040...0x309F: return .hiragana
        case 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .katakana
        case 0x3100...0x312F, 0x31A0...0x31BF: return .bopomofo
        case 0x3005, 0x3007, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF: return .han
        default: return .other(value & ~0x7F)
        }
    }
}

/// Phone numbers as Cognito takes them (E.164): `+` and 1 to 15 ASCII digits, nothing else (no other digits that
/// `Character.isNumber` accepts, no spaces).
enum PhoneNumberFormat {
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.count <= 16, bytes[0] == UInt8(ascii: "+") else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
