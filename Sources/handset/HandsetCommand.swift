import ArgumentParser
import Foundation
import HandsetApp
import HandsetLive
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetTUI
import HandsetWire

@main
struct HandsetCommand: AsyncParsableCommand {
    /// `handset --config X whoami` as well as `handset whoami --config X`: the profile options are every
    /// subcommand's, so those written before the subcommand's name are moved after it.
    static func main() async {
        let given = Array(CommandLine.arguments.dropFirst())
        if let message = unknownCommand(in: given) {
            Console.error(message)
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        let arguments = Self.movingProfileOptionsAfterSubcommand(given)
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ValidationError {
            // Bad input found while running (a field the collection lacks, a malformed name=value): the parser's
            // own report would print the top command's usage, which says nothing about this one.
            Console.error(error.message)
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }

    static let profileOptionNames: Set<String> = ["--config", "--profile"]

    /// The subcommands' names, as typed.
    static let commandNames = configuration.subcommands.compactMap { $0.configuration.commandName }

    /// A first word (after the profile options) that is no command is named as one, with the nearest command:
    /// the parser would call it an unexpected argument of `handset ui` and print that command's usage.
    static func unknownCommand(in arguments: [String]) -> String? {
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("-"), arguments[index] != "--" {
            index += profileOptionNames.contains(arguments[index]) ? 2 : 1
        }
        guard index < arguments.count, arguments[index] != "--" else { return nil }
        return CommandSuggestion.message(
            for: arguments[index], commands: commandNames + ["help"], program: "handset", synonyms: commandSynonyms)
    }

    /// Words people type for a command by another name (other tools', or the app's own): each suggests that command.
    static let commandSynonyms: [String: String] = [
        "show": "get", "view": "get", "cat": "get", "read": "get",
        "list": "ls", "dir": "ls",
        "delete": "rm", "del": "rm", "remove": "rm",
        "add": "put", "new": "put", "create": "put", "edit": "put", "set": "put", "update": "put",
        "signin": "login", "sign-in": "login", "auth": "login",
        "signout": "logout", "sign-out": "logout",
        "register": "signup", "sign-up": "signup",
        "verify": "confirm",
        "pull": "sync", "push": "sync",
        "notifications": "inbox", "messages": "inbox",
        "profile": "config", "profiles": "config",
        "me": "whoami",
    ]

    static func movingProfileOptionsAfterSubcommand(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if profileOptionNames.contains(argument), index + 1 < arguments.count {
                leading += [argument, arguments[index + 1]]
                index += 2
            } else if let name = argument.split(separator: "=", maxSplits: 1).first,
                argument.contains("="), profileOptionNames.contains(String(name))
            {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.count else { return arguments }
        guard commandNames.contains(arguments[index]) else { return arguments }
        // Nested subcommands (`inbox read`, `conflicts resolve`) come first; the options go last (before a `--`).
        var rest = Array(arguments[index...])
        let end = rest.firstIndex(of: "--") ?? rest.count
        rest.insert(contentsOf: leading, at: end)
        return rest
    }

    static let configuration = CommandConfiguration(
        commandName: "handset",
        abstract: "The terminal edition of your mobile app: sign in, browse and edit your data, offline too.",
        discussion: """
            The first run needs the backend's Amplify outputs file (`--config amplify_outputs.json`); it is saved \
            as a profile, so later runs need no flags. Against the local cloud, `handset-cloud serve` writes that \
            file into its data directory.
            """,
        version: "0.1.0",
        subcommands: [
            UICommand.self, LoginCommand.self, LogoutCommand.self, WhoamiCommand.self, SignUpCommand.self,
            ConfirmCommand.self, PasswordCommand.self, StatusCommand.self,
            SyncCommand.self, ListCommand.self, GetCommand.self, PutCommand.self, RemoveCommand.self,
            ConflictsCommand.self, RefusedCommand.self, InboxCommand.self, MFACommand.self, DevicesCommand.self,
            ConfigCommand.self,
        ],
        defaultSubcommand: UICommand.self)
}

/// Options every subcommand shares: which backend, which profile.
struct ProfileOptions: ParsableArguments {
    @Option(name: .long, help: "An Amplify outputs file (amplify_outputs.json); saved as the profile for later runs.")
    var config: String?

    @Option(
        name: .customLong("profile"), help: "The profile to use or save (default: $HANDSET_PROFILE, else \"default\").")
    var profileOption: String?

    /// The chosen profile: `--profile`, else `HANDSET_PROFILE`, else "default".
    var profile: String {
        get {
            profileOption ?? ProcessInfo.processInfo.environment["HANDSET_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "default"
        }
        set { profileOption = newValue }
    }

    /// The configuration to use: from `--config` (saving it as the profile) or from the saved profile.
    func resolve(paths: HandsetPaths) throws -> ClientConfiguration {
        guard ProfileStore.isValidName(profile) else {
            throw ValidationError("profile names use letters, digits, '-', '_' and '.', up to 64 characters")
        }
        let profiles = ProfileStore(paths: paths)
        do {
            if let config {
                let (configuration, outputs) = try ClientConfiguration.load(
                    contentsOf: URL(fileURLWithPath: config))
                // Repointing a saved profile at another backend would leave its users' caches and sessions talking
                // to a cloud they do not belong to: only when the profile is named on purpose.
                if profileOption == nil, let saved = try? profiles.load(profile).1, saved != outputs {
                    throw ValidationError(
                        """
                        profile "\(profile)" is saved for another backend (\(saved.auth.userPoolId)); \
                        pass --profile NAME to save \(config) as another profile, or --profile \(profile) to replace it
                        """)
                }
                try profiles.save(outputs, as: profile)
                return configuration
            }
            return try profiles.load(profile).0
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }
}

struct UICommand: ParsableCommand {
    /// `$XDG_DOWNLOAD_DIR`, else `~/Downloads` if it exists, else the current directory.
    static func downloadDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let directory = environment["XDG_DOWNLOAD_DIR"], directory.hasPrefix("/") { return directory }
        let downloads = NSHomeDirectory() + "/Downloads"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: downloads, isDirectory: &isDirectory), isDirectory.boolValue {
            return "~/Downloads"
        }
        return FileManager.default.currentDirectoryPath
    }

    static let configuration = CommandConfiguration(
        commandName: "ui", abstract: "Open the interactive terminal app (the default).")

    @OptionGroup var options: ProfileOptions

    func run() throws {
        let services = try options.services()
        // The full-screen app draws with escape codes and reads keys: in a pipe it would only write garbage.
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            FileHandle.standardError.write(
                Data(
                    """
                    handset: the interactive app needs a terminal (stdin and stdout); in scripts use the commands, \
                    e.g. `handset ls tasks`, `handset sync` (see `handset --help`)\n
                    """.utf8))
            throw ExitCode.validationFailure
        }
        let environment = services.appEnvironment()
        // The cached API document is parsed once: it is the largest thing read before the first frame.
        let store = services.signedIn?.store
        let cachedSchema = store?.cachedSchema()
        let launched = AppEvent.launched(
            user: services.signedInUser, cachedSchema: cachedSchema, lastSyncedAt: store?.lastSyncedAt())

        let catalog = ThemeCatalog.standard(configDirectory: services.paths.config)
        if let problem = catalog.problem(withSettingsTheme: services.settings) {
            FileHandle.standardError.write(Data("handset: \(problem)\n".utf8))
            throw ExitCode.failure
        }
        var state = AppState(profile: services.profile)
        state.settings = services.settings
        state.themeNames = catalog.names
        state.signInOptions = ExternalSignInOption.available(
            providers: services.configuration.hostedUI?.identityProviders ?? [],
            hostedUI: services.configuration.hostedUI != nil,
            deviceSignIn: services.configuration.hostedUI?.deviceAuthorizationEndpoint != nil)
        state.offersSignInWithCode = services.configuration.offersSignInWithCode
        state.allowsSignUpWithoutPassword = services.configuration.allowsSignUpWithoutPassword
        state.attachments.downloadDirectory = Self.downloadDirectory()
        if let store {
            for collection in cachedSchema?.collections ?? [] {
                state.sorts[collection.name] = store.sort(collection: collection.name)
            }
        }
        state.themeName = catalog.startupThemeName(
            settings: services.settings, saved: ThemePreference.load(paths: services.paths))
        let loop = UILoop(environment: environment, state: state, themes: catalog, paths: services.paths)
        loop.run(first: launched)
    }
}
