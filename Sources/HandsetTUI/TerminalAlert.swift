/// The bytes that ask a terminal to get the person's attention: the bell (BEL), and a desktop notification in the
/// two common forms, OSC 9 (iTerm2, WezTerm, kitty, Windows Terminal, foot) and OSC 777 (rxvt-unicode, VTE
/// terminals such as GNOME Terminal, Ghostty). Terminals that know neither ignore them.
public enum TerminalAlert {
    public static func sequence(title: String, body: String, bell: Bool, desktop: Bool) -> String {
        var output = ""
        if desktop {
            let safeTitle = clean(title, allowSemicolon: false)
            let safeBody = clean(body, allowSemicolon: false)
            let line = safeBody.isEmpty ? safeTitle : "\(safeTitle): \(clean(body, allowSemicolon: true))"
            output += "\u{1B}]9;\(line)\u{07}"
            output += "\u{1B}]777;notify;\(safeTitle);\(safeBody)\u{07}"
        }
        if bell { output += "\u{07}" }
        return output
    }

    /// Text that cannot end the sequence early or start another one: no control characters (ESC, BEL, newlines),
    /// no `;` where it separates fields, and not too long.
    static func clean(_ text: String, allowSemicolon: Bool) -> String {
        let kept = text.unicodeScalars.map { scalar -> Character in
            if scalar.properties.generalCategory == .control || scalar.value == 0x9C { return " " }
            if !allowSemicolon, scalar == ";" { return "," }
            return Character(scalar)
        }
        return String(String(kept).prefix(200))
    }
}
