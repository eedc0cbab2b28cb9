import ArgumentParser
import Foundation
import HandsetApp
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetTUI

@main
struct HandsetCommand: AsyncParsableCommand {
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
            ConflictsCommand.self, InboxCommand.self, MFACommand.self, ConfigCommand.self,
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
        let environment = services.appEnvironment()
        // The cached API document is parsed once: it is the largest thing read before the first frame.
        let cachedSchema = services.store.cachedSchema()
        let launched = AppEvent.launched(
            user: services.signedInUser, cachedSchema: cachedSchema, lastSyncedAt: services.store.lastSyncedAt())

        let catalog = ThemeCatalog.standard(paths: services.paths)
        var state = AppState(profile: services.profile)
        state.settings = services.settings
        state.themeNames = catalog.names
        state.attachments.downloadDirectory = Self.downloadDirectory()
        for collection in cachedSchema?.collections ?? [] {
            state.sorts[collection.name] = services.store.sort(collection: collection.name)
        }
        state.themeName = catalog.startupThemeName(
            settings: services.settings, saved: ThemePreference.load(paths: services.paths))
        let loop = UILoop(environment: environment, state: state, themes: catalog, paths: services.paths)
        loop.run(first: launched)
    }
}
