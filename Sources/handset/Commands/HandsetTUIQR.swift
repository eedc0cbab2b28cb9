import HandsetTUI

/// QR codes for command output: half-block lines framed in reverse video (ANSI), so they scan as dark on light.
enum HandsetTUIQR {
    static func lines(_ text: String) -> [String]? {
        guard let code = QRCode(text: text) else { return nil }
        // Black on white explicitly: 30 = black foreground, 47 = white background.
        return code.halfBlockLines.map { "\u{1B}[30;47m" + $0 + "\u{1B}[0m" }
    }
}
