/// Something a key does outside text fields. Each has a built-in key; the settings file can add more.
public enum KeyAction: String, Sendable, CaseIterable {
    case down, up, pageDown = "page-down", pageUp = "page-up", top, bottom
    case open, back, quit, filter, new, edit, delete, sync, conflicts, inbox, account
    case nextCollection = "next-collection", previousCollection = "previous-collection"
    case palette, help

    /// The built-in key, which the screens understand.
    public var builtInKey: Key {
        switch self {
        case .down: return .character("j")
        case .up: return .character("k")
        case .pageDown: return .pageDown
        case .pageUp: return .pageUp
        case .top: return .character("g")
        case .bottom: return .character("G")
        case .open: return .enter
        case .back: return .escape
        case .quit: return .character("q")
        case .filter: return .character("/")
        case .new: return .character("n")
        case .edit: return .character("e")
        case .delete: return .character("d")
        case .sync: return .character("r")
        case .conflicts: return .character("c")
        case .inbox: return .character("i")
        case .account: return .character("A")
        case .nextCollection: return .character("]")
        case .previousCollection: return .character("[")
        case .palette: return .character(":")
        case .help: return .character("?")
        }
    }
}

/// The keys a person added in the settings file (`[keys] sync = ["ctrl-r", "F"]`): each is translated to its
/// action's built-in key before the screens see it, so the built-in keys keep working too.
public struct KeyBindings: Sendable, Equatable {
    public private(set) var extra: [KeyAction: [Key]] = [:]

    public init() {}

    public mutating func add(_ key: Key, for action: KeyAction) {
        extra[action, default: []].append(key)
    }

    /// The key the screens should see for `key`.
    public func translate(_ key: Key) -> Key {
        for action in KeyAction.allCases where extra[action]?.contains(key) == true {
            return action.builtInKey
        }
        return key
    }

    /// The extra keys of `action`, as shown in help ("Ctrl-R").
    public func extraKeys(for action: KeyAction) -> [Key] { extra[action] ?? [] }
}

extension Key {
    /// A key from its name in the settings file: a single character, `ctrl-x`, or one of `enter`, `esc`, `tab`,
    /// `backtab`, `space`, `backspace`, `delete`, `up`, `down`, `left`, `right`, `pgup`, `pgdn`, `home`, `end`.
    public init?(spec: String) {
        let lowered = spec.lowercased()
        if spec.count == 1, let character = spec.first {
            self = .character(character)
            return
        }
        if lowered.hasPrefix("ctrl-") || lowered.hasPrefix("c-") {
            let rest = lowered.drop(while: { $0 != "-" }).dropFirst()
            guard rest.count == 1, let letter = rest.first, letter.isLetter, letter.isASCII else { return nil }
            self = .control(letter)
            return
        }
        switch lowered {
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "tab": self = .tab
        case "backtab", "shift-tab": self = .backTab
        case "space": self = .character(" ")
        case "backspace": self = .backspace
        case "delete", "del": self = .delete
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pgup", "pageup", "page-up": self = .pageUp
        case "pgdn", "pagedown", "page-down": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        default: return nil
        }
    }

    /// How help shows the key.
    public var displayName: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let character): return String(character)
        case .control(let letter): return "Ctrl-\(letter.uppercased())"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .escape: return "Esc"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .alt(let character): return "Alt-\(character)"
        case .controlLeft: return "Ctrl-←"
        case .controlRight: return "Ctrl-→"
        case .paste: return "(paste)"
        }
    }
}
