import Foundation
import HandsetModel
import TOMLKit

/// What a person can set in `$XDG_CONFIG_HOME/handset/config.toml` (and override with `HANDSET_*` variables).
///
/// Every setting has a default, so the file is optional and may set only what it changes. Unknown keys are
/// reported as warnings (a typo should not go unnoticed), bad values as errors naming the key.
public struct Settings: Sendable, Equatable {
    /// The theme's name: a built-in one or a file in `Themes/` or `$XDG_CONFIG_HOME/handset/themes`.
    public var theme: String?
    /// Seconds between automatic syncs while online.
    public var syncInterval: TimeInterval = AutoSync.interval
    /// Seconds to wait for any one API answer (API Gateway itself gives up after 29 s).
    public var requestTimeout: TimeInterval = 30
    /// Which token goes in `Authorization`: the ID token (Cognito authorizers) or the access token.
    public var authorizationToken: AuthorizationToken = .id
    /// How sign-in proves the password: SRP (default) or USER_PASSWORD_AUTH.
    public var signInFlow: SignInFlow = .srp
    /// Ring the terminal bell when a notification arrives.
    public var bell = false
    /// Ask the terminal for a desktop notification (OSC 9 and OSC 777) when a notification arrives.
    public var desktopNotifications = false
    /// Conflict strategy per collection, and for every other collection.
    public var conflictPolicies: [String: ConflictPolicy] = [:]
    public var defaultConflictPolicy: ConflictPolicy = .ask
    /// Whether clicks and the wheel go to the app (off: the terminal's own text selection works without Shift).
    public var mouse = true
    /// Extra keys for actions, added to the built-in ones.
    public var keyBindings = KeyBindings()

    public init() {}

    public func conflictPolicy(for collection: String) -> ConflictPolicy {
        conflictPolicies[collection] ?? defaultConflictPolicy
    }
}

/// A problem in the settings file or the environment.
public struct SettingsError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Settings {
    /// Parses the TOML text of a settings file.
    public static func parse(_ text: String) throws -> (Settings, warnings: [String]) {
        let table = try TOMLText.table(text, error: SettingsError.init)
        var settings = Settings()
        var warnings: [String] = []
        let reader = TableReader(table: table, path: "", warnings: { warnings.append($0) })
        settings.theme = try reader.string("theme")
        try reader.only(["theme", "ui", "sync", "network", "api", "notifications", "conflicts", "keys"])

        if let ui = try reader.table("ui") {
            settings.mouse = try ui.bool("mouse") ?? settings.mouse
            try ui.only(["mouse"])
        }

        if let sync = try reader.table("sync") {
            if let interval = try sync.number("interval") {
                guard interval >= 5 else { throw SettingsError("sync.interval must be at least 5 seconds") }
                settings.syncInterval = interval
            }
            try sync.only(["interval"])
        }
        if let network = try reader.table("network") {
            if let timeout = try network.number("timeout") {
                guard timeout > 0, timeout <= 600 else {
                    throw SettingsError("network.timeout must be between 0 and 600 seconds")
                }
                settings.requestTimeout = timeout
            }
            try network.only(["timeout"])
        }
        if let api = try reader.table("api") {
            if let token = try api.string("authorization") {
                guard let value = AuthorizationToken(rawValue: token) else {
                    throw SettingsError("api.authorization is \"id\" or \"access\", not \"\(token)\"")
                }
                settings.authorizationToken = value
            }
            if let flow = try api.string("sign_in") {
                guard let value = SignInFlow(rawValue: flow) else {
                    throw SettingsError("api.sign_in is \"srp\" or \"password\", not \"\(flow)\"")
                }
                settings.signInFlow = value
            }
            try api.only(["authorization", "sign_in"])
        }
        if let notifications = try reader.table("notifications") {
            settings.bell = try notifications.bool("bell") ?? settings.bell
            settings.desktopNotifications = try notifications.bool("desktop") ?? settings.desktopNotifications
            try notifications.only(["bell", "desktop"])
        }
        if let conflicts = try reader.table("conflicts") {
            for key in conflicts.table.keys.sorted() {
                guard let name = try conflicts.string(key) else { continue }
                guard let policy = ConflictPolicy(rawValue: name) else {
                    let choices = ConflictPolicy.allCases.map(\.rawValue).joined(separator: ", ")
                    throw SettingsError("conflicts.\(key) is one of \(choices), not \"\(name)\"")
                }
                if key == "default" {
                    settings.defaultConflictPolicy = policy
                } else {
                    settings.conflictPolicies[key] = policy
                }
            }
        }
        if let keys = try reader.table("keys") {
            for name in keys.table.keys.sorted() {
                guard let action = KeyAction(rawValue: name) else {
                    warnings.append(
                        "keys.\(name): no such action (one of \(KeyAction.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                    continue
                }
                let specs: [String]
                if let one = try? keys.string(name) {
                    specs = [one]
                } else if let many = keys.table[name]?.array {
                    specs = many.compactMap { $0.string }
                    guard specs.count == many.count else { throw SettingsError("keys.\(name) must list key names") }
                } else {
                    throw SettingsError("keys.\(name) must be a key name or a list of key names")
                }
                for spec in specs {
                    guard let key = Key(spec: spec) else {
                        throw SettingsError(
                            "keys.\(name): \"\(spec)\" is not a key name (a character, ctrl-x, enter, esc, tab, space, "
                                + "up, down, left, right, pgup, pgdn, home, end)")
                    }
                    settings.keyBindings.add(key, for: action)
                }
            }
        }
        return (settings, warnings)
    }

    /// `HANDSET_THEME`, `HANDSET_SYNC_INTERVAL`, `HANDSET_TIMEOUT`, `HANDSET_MOUSE`, `HANDSET_BELL` and
    /// `HANDSET_DESKTOP_NOTIFICATIONS` override the file.
    public mutating func apply(environment: [String: String]) throws {
        if let theme = environment["HANDSET_THEME"], !theme.isEmpty { self.theme = theme }
        if let text = environment["HANDSET_SYNC_INTERVAL"], !text.isEmpty {
            guard let value = TimeInterval(text), value >= 5 else {
                throw SettingsError("HANDSET_SYNC_INTERVAL must be a number of seconds, at least 5")
            }
            syncInterval = value
        }
        if let text = environment["HANDSET_TIMEOUT"], !text.isEmpty {
            guard let value = TimeInterval(text), value > 0, value <= 600 else {
                throw SettingsError("HANDSET_TIMEOUT must be a number of seconds between 0 and 600")
            }
            requestTimeout = value
        }
        func flag(_ name: String) throws -> Bool? {
            guard let text = environment[name]?.lowercased(), !text.isEmpty else { return nil }
            switch text {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw SettingsError("\(name) is 1 or 0, not \"\(text)\"")
            }
        }
        mouse = try flag("HANDSET_MOUSE") ?? mouse
        bell = try flag("HANDSET_BELL") ?? bell
        desktopNotifications = try flag("HANDSET_DESKTOP_NOTIFICATIONS") ?? desktopNotifications
    }
}

/// Parsing TOML text with a message that names the line, for the settings file and theme files alike.
public enum TOMLText {
    public static func table<Failure: Error>(_ text: String, error make: (String) -> Failure) throws -> TOMLTable {
        // toml++ aborts (or worse) on some malformed headers instead of reporting them: refuse those first.
        if let line = TOMLHeaderCheck.firstBadHeader(in: text) {
            throw make("line \(line): a table header must start with a key name, as in [sync]")
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw make("line \(error.source.begin.line): \(error.description)")
        } catch {
            throw make("not valid TOML: \(error)")
        }
    }
}

/// Reads typed values out of one TOML table, naming the dotted key in every error.
struct TableReader {
    let table: TOMLTable
    let path: String
    let warnings: (String) -> Void

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func string(_ key: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string else { throw SettingsError("\(name(key)) must be a string") }
        return string
    }

    func number(_ key: String) throws -> Double? {
        guard let value = table[key] else { return nil }
        if let int = value.int { return Double(int) }
        if let double = value.double { return double }
        throw SettingsError("\(name(key)) must be a number")
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = table[key] else { return nil }
        guard let bool = value.bool else { throw SettingsError("\(name(key)) must be true or false") }
        return bool
    }

    func table(_ key: String) throws -> TableReader? {
        guard let value = table[key] else { return nil }
        guard let inner = value.table else { throw SettingsError("\(name(key)) must be a table ([\(name(key))])") }
        return TableReader(table: inner, path: name(key), warnings: warnings)
    }

    /// Warns about keys this table does not know (typos).
    func only(_ known: Set<String>) throws {
        for key in table.keys.sorted() where !known.contains(key) {
            warnings("\(name(key)): unknown setting, ignored")
        }
    }
}
