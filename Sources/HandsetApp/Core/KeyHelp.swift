/// Every key of every screen, for the `?` help overlay.
public enum KeyHelp {
    /// The screen's keys, then the keys the settings file added.
    public static func entries(for screen: Screen, bindings: KeyBindings) -> [(key: String, action: String)] {
        let added: [(key: String, action: String)] = KeyAction.allCases.compactMap { action in
            let keys = bindings.extraKeys(for: action)
            guard !keys.isEmpty else { return nil }
            return (keys.map(\.displayName).joined(separator: " / "), "\(action.rawValue) (your key, config.toml)")
        }
        return entries(for: screen) + added
    }

    /// The keys of every text input (readline's).
    static let lineEditing: [(String, String)] = [
        ("← → Home End", "move in the text (also Ctrl-A, Ctrl-E)"), ("Alt-B Alt-F", "a word back / on (Ctrl-← →)"),
        ("Ctrl-W", "cut the word before the cursor"), ("Ctrl-K / Ctrl-U", "cut to the end / to the start"),
        ("Ctrl-Y", "put back what was cut"), ("paste", "goes into the field (one line unless long text)"),
    ]

    public static func entries(for screen: Screen) -> [(key: String, action: String)] {
        let common: [(String, String)] = [
            ("?", "this help (type to filter)"), (": / Ctrl-P", "command palette"), ("M", "the messages so far"),
            ("Ctrl-C", "quit (asks if a form changed or writes wait)"),
            ("Ctrl-Z", "suspend to the shell (fg brings it back)"),
        ]
        switch screen {
        case .signIn:
            return [
                ("Tab / Enter", "next field"), ("Enter", "sign in / verify"), ("Ctrl-N", "create an account"),
                ("Ctrl-R", "forgot password: get a reset code"), ("Esc", "back / quit"),
            ] + lineEditing + common
        case .list:
            return [
                ("↑ ↓ / j k", "move"), ("PgUp PgDn", "page"), ("g / G", "first / last"), ("Enter / l", "open"),
                ("n", "new record"), ("e", "edit"), ("d", "delete"), ("/", "filter as you type"),
                ("Esc", "clear filter"),
                ("o / O", "sort by the next column / reverse the order (kept)"),
                ("Tab / ] [", "next / previous collection"), ("r", "sync now"), ("c", "conflicts"),
                ("!", "writes the server refused"), ("i", "inbox"),
                ("A", "account, sign out"), ("q", "quit (asks if writes wait to be sent)"),
            ] + common
        case .detail, .confirmDelete:
            return [
                ("e", "edit"), ("d", "delete"),
                ("u", "upload a file to the attachment field (asks before replacing one)"),
                ("s", "save the attachment to a file"), ("R", "restore the attachment from the archive"),
                ("x", "discard a write the server refused"), ("↑ ↓ / j k", "scroll (PgUp PgDn Space g G)"),
                ("Esc / h", "back"),
            ] + common
        case .edit:
            return [
                ("Tab / ↓", "next field"), ("Shift-Tab / ↑", "previous field"),
                ("← →", "choose a value (choices)"), ("Space", "toggle yes/no"),
                ("Ctrl-X Ctrl-E", "edit the text in $EDITOR"), ("Ctrl-S", "save"), ("Esc", "cancel"),
            ] + lineEditing + common
        case .conflicts:
            return [
                ("↑ ↓", "field"), ("← →", "mine / theirs for the field"), ("Enter", "save the mix"), ("m", "keep mine"),
                ("t", "take theirs"), ("] [", "next / previous conflict"), ("Esc", "back"),
            ] + common
        case .refused:
            return [
                ("↑ ↓", "move"), ("Enter", "open the record (e there fixes and resends)"), ("x", "discard the write"),
                ("Esc", "back"),
            ] + common
        case .notification:
            return [
                ("↑ ↓ PgUp PgDn", "scroll"), ("Enter", "open the linked record"), ("Esc", "back to the inbox"),
            ] + common
        case .inbox:
            return [
                ("Space / v", "the notification in full"),
                ("↑ ↓", "move"), ("Enter", "open the linked record"), ("m", "mark read"), ("a", "mark all read"),
                ("Esc", "back"),
            ]
                + common
        case .account:
            return [
                ("m", "set up an authenticator app (TOTP)"), ("x", "turn the authenticator app off (asks)"),
                ("t / T", "next / previous theme"), ("o", "sign out"), ("O", "sign out everywhere (asks)"),
                ("↑ ↓", "choose a remembered device"), ("f", "forget the device (asks)"), ("Esc", "back"),
            ] + common
        case .mfaSetup:
            return [("digits", "the code the app shows"), ("Enter", "verify"), ("Esc", "back to the account")] + common
        }
    }
}
