/// What a cell means, not how it looks: a theme maps each role to colours and attributes.
public enum StyleRole: String, Sendable, Equatable, CaseIterable {
    case normal
    case dim
    case title
    case header
    case columnHeader
    case selection
    case statusBar
    case statusOnline
    case statusOffline
    case error
    case hintKey
    case hint
    case fieldLabel
    case field
    case fieldFocused
    case badgePending
    case badgeConflict
    /// A QR code: always black on white, so phones can scan it whatever the terminal's colours.
    case qrCode

    /// One letter per role for snapshot files of the style grid.
    public var code: Character {
        switch self {
        case .normal: return "."
        case .dim: return "d"
        case .title: return "T"
        case .header: return "H"
        case .columnHeader: return "C"
        case .selection: return "S"
        case .statusBar: return "b"
        case .statusOnline: return "o"
        case .statusOffline: return "x"
        case .error: return "E"
        case .hintKey: return "K"
        case .hint: return "h"
        case .fieldLabel: return "l"
        case .field: return "f"
        case .fieldFocused: return "F"
        case .badgePending: return "p"
        case .badgeConflict: return "c"
        case .qrCode: return "Q"
        }
    }
}
