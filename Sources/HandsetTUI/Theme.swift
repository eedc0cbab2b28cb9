/// A terminal colour: the terminal's default, one of the 8 basic colours, a 256-colour index, or 24-bit RGB.
/// Terminals with fewer colours get the nearest one they have (`ColorDepth`).
public enum TerminalColor: Sendable, Equatable {
    case terminalDefault
    case basic(Int)
    case indexed(Int)
    case rgb(UInt8, UInt8, UInt8)

    public static let black = TerminalColor.basic(0)
    public static let red = TerminalColor.basic(1)
    public static let green = TerminalColor.basic(2)
    public static let yellow = TerminalColor.basic(3)
    public static let blue = TerminalColor.basic(4)
    public static let magenta = TerminalColor.basic(5)
    public static let cyan = TerminalColor.basic(6)
    public static let white = TerminalColor.basic(7)
}

/// How one role looks.
public struct RoleStyle: Sendable, Equatable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool
    public var dim: Bool

    public init(
        _ foreground: TerminalColor = .terminalDefault, _ background: TerminalColor = .terminalDefault,
        bold: Bool = false, underline: Bool = false, reverse: Bool = false, dim: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }
}

/// Maps every role to a style.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var styles: [StyleRole: RoleStyle]

    public init(name: String, styles: [StyleRole: RoleStyle]) {
        self.name = name
        self.styles = styles
    }

    public func style(for role: StyleRole) -> RoleStyle {
        styles[role] ?? RoleStyle()
    }

    /// The built-in dark theme; the selection is reverse video so it shows without colour too.
    public static let dark = Theme(
        name: "dark",
        styles: [
            .normal: RoleStyle(),
            .dim: RoleStyle(dim: true),
            .title: RoleStyle(.cyan, bold: true),
            .header: RoleStyle(.black, .cyan, bold: true),
            .columnHeader: RoleStyle(.cyan, underline: true),
            .selection: RoleStyle(reverse: true),
            .statusBar: RoleStyle(.white, .blue),
            .statusOnline: RoleStyle(.green, .blue, bold: true),
            .statusOffline: RoleStyle(.yellow, .blue, bold: true),
            .error: RoleStyle(.red, bold: true),
            .hintKey: RoleStyle(.cyan, bold: true),
            .hint: RoleStyle(dim: true),
            .fieldLabel: RoleStyle(bold: true),
            .field: RoleStyle(underline: true),
            .fieldFocused: RoleStyle(reverse: true),
            .badgePending: RoleStyle(.yellow, bold: true),
            .badgeConflict: RoleStyle(.red, bold: true),
            .qrCode: RoleStyle(.black, .white),
        ])

    /// For light terminal backgrounds: darker foregrounds, the same reverse-video selection.
    public static let light = Theme(
        name: "light",
        styles: [
            .normal: RoleStyle(),
            .dim: RoleStyle(dim: true),
            .title: RoleStyle(.blue, bold: true),
            .header: RoleStyle(.white, .blue, bold: true),
            .columnHeader: RoleStyle(.blue, underline: true),
            .selection: RoleStyle(reverse: true),
            .statusBar: RoleStyle(.black, .indexed(252)),
            .statusOnline: RoleStyle(.indexed(22), .indexed(252), bold: true),
            .statusOffline: RoleStyle(.indexed(130), .indexed(252), bold: true),
            .error: RoleStyle(.indexed(160), bold: true),
            .hintKey: RoleStyle(.blue, bold: true),
            .hint: RoleStyle(dim: true),
            .fieldLabel: RoleStyle(bold: true),
            .field: RoleStyle(underline: true),
            .fieldFocused: RoleStyle(reverse: true),
            .badgePending: RoleStyle(.indexed(130), bold: true),
            .badgeConflict: RoleStyle(.indexed(160), bold: true),
            .qrCode: RoleStyle(.black, .white),
        ])

    /// Maximum contrast: pure black and white with bright accents, bold where it matters.
    public static let highContrast = Theme(
        name: "high-contrast",
        styles: [
            .normal: RoleStyle(.rgb(255, 255, 255), .rgb(0, 0, 0)),
            .dim: RoleStyle(.rgb(255, 255, 255), .rgb(0, 0, 0)),
            .title: RoleStyle(.rgb(255, 255, 0), .rgb(0, 0, 0), bold: true),
            .header: RoleStyle(.rgb(0, 0, 0), .rgb(255, 255, 0), bold: true),
            .columnHeader: RoleStyle(.rgb(255, 255, 0), .rgb(0, 0, 0), bold: true, underline: true),
            .selection: RoleStyle(.rgb(0, 0, 0), .rgb(255, 255, 255), bold: true),
            .statusBar: RoleStyle(.rgb(0, 0, 0), .rgb(255, 255, 255)),
            .statusOnline: RoleStyle(.rgb(0, 0, 0), .rgb(0, 255, 0), bold: true),
            .statusOffline: RoleStyle(.rgb(0, 0, 0), .rgb(255, 255, 0), bold: true),
            .error: RoleStyle(.rgb(255, 255, 255), .rgb(200, 0, 0), bold: true),
            .hintKey: RoleStyle(.rgb(0, 255, 255), .rgb(0, 0, 0), bold: true),
            .hint: RoleStyle(.rgb(255, 255, 255), .rgb(0, 0, 0)),
            .fieldLabel: RoleStyle(.rgb(255, 255, 255), .rgb(0, 0, 0), bold: true),
            .field: RoleStyle(.rgb(255, 255, 255), .rgb(0, 0, 0), underline: true),
            .fieldFocused: RoleStyle(.rgb(0, 0, 0), .rgb(255, 255, 255), bold: true),
            .badgePending: RoleStyle(.rgb(255, 255, 0), .rgb(0, 0, 0), bold: true),
            .badgeConflict: RoleStyle(.rgb(255, 80, 80), .rgb(0, 0, 0), bold: true),
            .qrCode: RoleStyle(.black, .white),
        ])

    /// The themes compiled in (the files in `Themes/` say the same; a test keeps them equal).
    public static let builtIn: [Theme] = [.dark, .light, .highContrast, .monochrome]

    /// No colours at all (for `NO_COLOR`): attributes only.
    public static let monochrome = Theme(
        name: "monochrome",
        styles: [
            .title: RoleStyle(bold: true), .header: RoleStyle(reverse: true), .columnHeader: RoleStyle(underline: true),
            .selection: RoleStyle(reverse: true), .statusBar: RoleStyle(reverse: true),
            .statusOnline: RoleStyle(bold: true, reverse: true), .statusOffline: RoleStyle(bold: true, reverse: true),
            .error: RoleStyle(bold: true), .hintKey: RoleStyle(bold: true), .dim: RoleStyle(dim: true),
            .hint: RoleStyle(dim: true), .fieldLabel: RoleStyle(bold: true), .field: RoleStyle(underline: true),
            .fieldFocused: RoleStyle(reverse: true), .badgePending: RoleStyle(bold: true),
            .badgeConflict: RoleStyle(bold: true),
            // A QR code is not decoration: it keeps explicit black on white even without colour.
            .qrCode: RoleStyle(.black, .white),
        ])
}
