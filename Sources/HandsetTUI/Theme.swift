/// A terminal colour: the terminal's default, one of the 8 basic colours, or a 256-colour index.
public enum TerminalColor: Sendable, Equatable {
    case terminalDefault
    case basic(Int)
    case indexed(Int)

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
