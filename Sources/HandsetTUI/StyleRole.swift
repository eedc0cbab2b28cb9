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
}
