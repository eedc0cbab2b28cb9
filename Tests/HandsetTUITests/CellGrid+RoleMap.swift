import HandsetTUI

/// The style half of a snapshot file: one letter per cell for its role.
extension CellGrid {
    var roleMap: String {
        (0..<height).map { row in
            String((0..<width).map { self[$0, row].role.code })
        }.joined(separator: "\n")
    }
}

extension StyleRole {
    /// One letter per role for snapshot files of the style grid.
    var code: Character {
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
