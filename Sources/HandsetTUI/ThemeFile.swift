import Foundation
import HandsetApp
import TOMLKit

/// Why a theme file could not be used.
public struct ThemeError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Theme {
    /// Reads a theme file:
    ///
    /// ```toml
    /// name = "dusk"
    /// inherits = "dark"            # optional: roles not listed here come from this theme
    /// [roles]
    /// selection = { fg = "#1e1e2e", bg = "213", attrs = ["bold"] }
    /// ```
    ///
    /// Colours are `default` (the terminal's own), the 8 basic names, `bright-<name>`, a 256-colour index, or
    /// `#rrggbb`. A role lists only what it changes: a missing `fg`, `bg` or `attrs` keeps the inherited value.
    /// `resolve` looks up the inherited theme by name.
    public static func parse(toml text: String, resolve: (String) -> Theme?) throws -> Theme {
        let table = try TOMLText.table(text, error: ThemeError.init)
        guard let name = table["name"]?.string, !name.isEmpty else { throw ThemeError("name = \"...\" is missing") }
        var theme = Theme(name: name, styles: [:])
        if let parent = table["inherits"] {
            guard let parentName = parent.string, let base = resolve(parentName) else {
                throw ThemeError("inherits: no theme named \(table["inherits"]?.string.map { "\"\($0)\"" } ?? "that")")
            }
            theme.styles = base.styles
        }
        guard let roles = table["roles"]?.table ?? (table["roles"] == nil ? TOMLTable() : nil) else {
            throw ThemeError("[roles] must be a table")
        }
        for key in roles.keys {
            guard let role = StyleRole(rawValue: key) else {
                throw ThemeError(
                    "roles.\(key): no such role (one of \(StyleRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let spec = roles[key]?.table else {
                throw ThemeError("roles.\(key) must be a table like { fg = \"red\" }")
            }
            var style = theme.styles[role] ?? RoleStyle()
            for field in spec.keys {
                switch field {
                case "fg", "bg":
                    guard let text = spec[field]?.string ?? spec[field]?.int.map(String.init),
                        let color = TerminalColor(spec: text)
                    else {
                        throw ThemeError(
                            "roles.\(key).\(field): not a colour (default, black, red, green, yellow, blue, magenta, cyan, "
                                + "white, bright-<name>, 0-255 or #rrggbb)")
                    }
                    if field == "fg" { style.foreground = color } else { style.background = color }
                case "attrs":
                    guard let list = spec[field]?.array else { throw ThemeError("roles.\(key).attrs must be a list") }
                    style.bold = false
                    style.dim = false
                    style.underline = false
                    style.reverse = false
                    for item in list {
                        switch item.string {
                        case "bold": style.bold = true
                        case "dim": style.dim = true
                        case "underline": style.underline = true
                        case "reverse": style.reverse = true
                        default:
                            throw ThemeError("roles.\(key).attrs: \(item) is not bold, dim, underline or reverse")
                        }
                    }
                default:
                    throw ThemeError("roles.\(key).\(field): unknown (fg, bg or attrs)")
                }
            }
            theme.styles[role] = style
        }
        return theme
    }
}

extension TerminalColor {
    static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// A colour from its name in a theme file.
    public init?(spec: String) {
        let text = spec.trimmingCharacters(in: .whitespaces).lowercased()
        if text == "default" {
            self = .terminalDefault
        } else if let index = Self.basicNames.firstIndex(of: text) {
            self = .basic(index)
        } else if text.hasPrefix("bright-"), let index = Self.basicNames.firstIndex(of: String(text.dropFirst(7))) {
            self = .indexed(8 + index)
        } else if let index = Int(text), (0...255).contains(index) {
            self = .indexed(index)
        } else if text.hasPrefix("#"), text.count == 7, let value = UInt32(text.dropFirst(), radix: 16) {
            self = .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
        } else {
            return nil
        }
    }
}

/// How many colours the terminal shows, and the nearest colour it has for any theme colour.
public enum ColorDepth: Sendable, Equatable {
    case none
    case basic8
    case indexed256
    /// 24-bit colour (a terminfo entry with direct colour, such as `xterm-direct`).
    case direct

    /// The depth for a terminal that reports `colors` colours.
    public init(colors: Int, hasColors: Bool) {
        if !hasColors || colors < 8 {
            self = .none
        } else if colors >= 1 << 24 {
            self = .direct
        } else if colors >= 256 {
            self = .indexed256
        } else {
            self = .basic8
        }
    }

    /// `color` as this terminal can show it.
    public func resolve(_ color: TerminalColor) -> TerminalColor {
        switch (self, color) {
        case (_, .terminalDefault), (.none, _): return .terminalDefault
        case (_, .basic): return color
        case (.basic8, .indexed(let index)):
            return .basic(Self.nearestBasic(Self.rgb(ofIndex: index)))
        case (.basic8, .rgb(let r, let g, let b)):
            return .basic(Self.nearestBasic((Int(r), Int(g), Int(b))))
        case (.indexed256, .rgb(let r, let g, let b)):
            return .indexed(Self.nearestIndex(Int(r), Int(g), Int(b)))
        case (.indexed256, .indexed), (.direct, _):
            return color
        }
    }

    /// The colour number curses takes for an already resolved colour (-1 is the terminal's default).
    public func number(_ color: TerminalColor) -> Int32 {
        switch resolve(color) {
        case .terminalDefault: return -1
        case .basic(let index): return Int32(index)
        case .indexed(let index):
            if self == .direct { let (r, g, b) = Self.rgb(ofIndex: index); return Int32(r << 16 | g << 8 | b) }
            return Int32(index)
        case .rgb(let r, let g, let b): return Int32(Int(r) << 16 | Int(g) << 8 | Int(b))
        }
    }

    /// The xterm palette's RGB for a 256-colour index.
    static func rgb(ofIndex index: Int) -> (Int, Int, Int) {
        let system: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
            (255, 255, 255),
        ]
        if index < 16 { return system[max(index, 0)] }
        if index >= 232 { let level = 8 + (index - 232) * 10; return (level, level, level) }
        let cube = index - 16
        let steps = [0, 95, 135, 175, 215, 255]
        return (steps[cube / 36], steps[cube / 6 % 6], steps[cube % 6])
    }

    /// The nearest 256-colour index (the 6x6x6 cube or the grey ramp) to an RGB colour.
    static func nearestIndex(_ r: Int, _ g: Int, _ b: Int) -> Int {
        func level(_ value: Int) -> Int { value < 48 ? 0 : value < 115 ? 1 : (value - 35) / 40 }
        let cubeIndex = 16 + 36 * level(r) + 6 * level(g) + level(b)
        let average = (r + g + b) / 3
        let greyIndex = average > 238 ? 255 : 232 + max(average - 3, 0) / 10
        return distance(rgb(ofIndex: cubeIndex), (r, g, b)) <= distance(rgb(ofIndex: min(greyIndex, 255)), (r, g, b))
            ? cubeIndex : min(greyIndex, 255)
    }

    /// The basic colour of the same hue: each channel counts if it is above half the strongest one, so a dark
    /// green stays green (plain RGB distance would call it black); very dark colours are black.
    static func nearestBasic(_ color: (Int, Int, Int)) -> Int {
        let strongest = max(color.0, color.1, color.2)
        guard strongest >= 48 else { return 0 }
        let half = strongest / 2
        return (color.0 > half ? 1 : 0) | (color.1 > half ? 2 : 0) | (color.2 > half ? 4 : 0)
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return dr * dr + dg * dg + db * db
    }
}

/// Every theme a person can pick: the built-in ones, then `*.toml` files from the user's themes directory
/// (`$XDG_CONFIG_HOME/handset/themes`), which may replace a built-in one by using its name.
public struct ThemeCatalog: Sendable {
    public private(set) var themes: [Theme]
    /// Files that could not be read, with why (shown as a message at start).
    public private(set) var problems: [String]

    public init(themes: [Theme] = Theme.builtIn, problems: [String] = []) {
        self.themes = themes
        self.problems = problems
    }

    public var names: [String] { themes.map(\.name) }

    public func theme(named name: String) -> Theme? {
        themes.first { $0.name == name }
    }

    /// Adds the `*.toml` themes found in `directory` (in name order, so one may inherit from an earlier one).
    public mutating func load(directory: URL) {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".toml") }.sorted()
        for file in files {
            let url = directory.appendingPathComponent(file)
            do {
                let text = try String(contentsOf: url, encoding: .utf8)
                let theme = try Theme.parse(toml: text, resolve: { self.theme(named: $0) })
                themes.removeAll { $0.name == theme.name }
                themes.append(theme)
            } catch {
                problems.append("theme \(file): \(error)")
            }
        }
    }

    /// The built-in themes plus the user's, from `themes/` in the configuration directory.
    public static func standard(configDirectory: URL) -> ThemeCatalog {
        var catalog = ThemeCatalog()
        catalog.load(directory: configDirectory.appendingPathComponent("themes", isDirectory: true))
        return catalog
    }

    /// Why the theme that config.toml or `HANDSET_THEME` names cannot be used, or `nil` when it can. The README
    /// promises that bad values stop with the key's name: a typo must not silently give another look.
    public func problem(
        withSettingsTheme settings: Settings, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        guard let name = settings.theme, theme(named: name) == nil else { return nil }
        let key = environment["HANDSET_THEME"].map { !$0.isEmpty } == true ? "HANDSET_THEME" : "config.toml: theme"
        let fileProblems = problems.filter { $0.hasPrefix("theme \(name).toml:") }
        if let fileProblem = fileProblems.first { return "\(key): \(fileProblem)" }
        return "\(key): no theme named \"\(name)\" (themes: \(names.joined(separator: ", ")))"
    }

    /// The theme to start with: monochrome under `NO_COLOR`, else the one picked in the app last time, else the
    /// settings' theme, else dark.
    public func startupThemeName(
        settings: Settings, saved: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        // https://no-color.org: any non-empty NO_COLOR turns colour off.
        if !(environment["NO_COLOR"] ?? "").isEmpty { return Theme.monochrome.name }
        if environment["HANDSET_THEME"].map({ !$0.isEmpty }) == true, let name = settings.theme,
            theme(named: name) != nil
        {
            return name
        }
        for candidate in [saved, settings.theme] {
            if let candidate, theme(named: candidate) != nil { return candidate }
        }
        return Theme.dark.name
    }
}
