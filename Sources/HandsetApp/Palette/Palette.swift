/// The command palette (`:` or Ctrl-P): every action of the app by name, filtered as you type.
public struct PaletteState: Sendable, Equatable {
    /// What is typed to find a command.
    public var input: TextInput
    public var selected: Int

    public init(text: String = "", selected: Int = 0) {
        self.input = TextInput(text)
        self.selected = selected
    }

    public var text: String { input.text }
}

/// One line of the palette.
public struct PaletteCommand: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Do what this key does on the list screen.
        case listKey(Key)
        /// Do what this key does in the edit form showing (it stays open).
        case formKey(Key)
        case collection(String)
        case theme(String)
        case markAllRead
        case setUpAuthenticator
        case signOut(everywhere: Bool)
        case help
        case quit
    }

    public var title: String
    /// The key that does the same, shown beside the title so people learn it.
    public var shortcut: String?
    public var action: Action

    public init(_ title: String, shortcut: String? = nil, _ action: Action) {
        self.title = title
        self.shortcut = shortcut
        self.action = action
    }
}

public enum Palette {
    /// The commands that make sense now.
    public static func commands(for state: AppState) -> [PaletteCommand] {
        // Inside a form only what the form does: a list command would leave it and lose the edit.
        if case .edit = state.screen {
            return [
                PaletteCommand("Save", shortcut: "Ctrl-S", .formKey(.control("s"))),
                PaletteCommand("Edit this field in $EDITOR", shortcut: "Ctrl-E", .formKey(.control("e"))),
                PaletteCommand("Clear this field", shortcut: "Ctrl-U", .formKey(.control("u"))),
                PaletteCommand("Cancel the edit", shortcut: "Esc", .formKey(.escape)),
            ]
                + state.themeNames.filter { $0 != state.themeName }.map { PaletteCommand("Theme: \($0)", .theme($0)) }
                + [PaletteCommand("Help: keys of this screen", shortcut: "?", .help)]
        }
        var commands: [PaletteCommand] = [
            PaletteCommand("Sync now", shortcut: "r", .listKey(.character("r"))),
            PaletteCommand("New record", shortcut: "n", .listKey(.character("n"))),
            PaletteCommand("Filter the list", shortcut: "/", .listKey(.character("/"))),
            PaletteCommand("Sort by the next column", shortcut: "o", .listKey(.character("o"))),
            PaletteCommand("Reverse the sort order", shortcut: "O", .listKey(.character("O"))),
            PaletteCommand("Inbox", shortcut: "i", .listKey(.character("i"))),
            PaletteCommand("Mark all notifications read", .markAllRead),
            PaletteCommand("Conflicts", shortcut: "c", .listKey(.character("c"))),
            PaletteCommand("Account", shortcut: "A", .listKey(.character("A"))),
            PaletteCommand("Set up an authenticator app (MFA)", .setUpAuthenticator),
        ]
        if !state.sync.refusals.isEmpty {
            commands.append(PaletteCommand("Writes the server refused", shortcut: "!", .listKey(.character("!"))))
        }
        for collection in state.schema?.collections ?? [] {
            commands.append(PaletteCommand("Go to \(collection.name)", .collection(collection.name)))
        }
        for name in state.themeNames where name != state.themeName {
            commands.append(PaletteCommand("Theme: \(name)", .theme(name)))
        }
        commands += [
            PaletteCommand("Help: keys of this screen", shortcut: "?", .help),
            PaletteCommand("Sign out", .signOut(everywhere: false)),
            PaletteCommand("Sign out everywhere", .signOut(everywhere: true)),
            PaletteCommand("Quit", shortcut: "q", .quit),
        ]
        return commands
    }

    /// The commands whose title contains the typed letters in order (case-insensitive), best first: a match at the
    /// start of a word beats one inside it, and shorter titles win ties.
    public static func matches(_ text: String, in commands: [PaletteCommand]) -> [PaletteCommand] {
        let query = text.lowercased().filter { !$0.isWhitespace }
        guard !query.isEmpty else { return commands }
        var scored: [(score: Int, index: Int, command: PaletteCommand)] = []
        for (index, command) in commands.enumerated() {
            if let score = score(query: Array(query), title: Array(command.title.lowercased())) {
                scored.append((score, index, command))
            }
        }
        return scored.sorted { ($0.score, $0.index) < ($1.score, $1.index) }.map(\.command)
    }

    /// Lower is better; nil when the letters do not all appear in order.
    static func score(query: [Character], title: [Character]) -> Int? {
        var position = 0
        var score = 0
        for letter in query {
            guard let found = title[position...].firstIndex(of: letter) else { return nil }
            let atWordStart = found == 0 || title[found - 1] == " "
            score += (found - position) + (atWordStart ? 0 : 2)
            position = found + 1
        }
        return score * 100 + title.count
    }
}
