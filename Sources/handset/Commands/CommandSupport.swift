import ArgumentParser
import Foundation
import HandsetApp
import HandsetLive
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetWire

/// Exit codes that mean something to scripts (also listed in the README).
enum HandsetExit {
    /// The cloud could not be reached; local changes are kept and will sync later.
    static let offline = ExitCode(3)
    /// Nobody is signed in, or the session expired: run `handset login`.
    static let notSignedIn = ExitCode(4)
    /// Sync finished but conflicts or rejected writes need the person.
    static let needsAttention = ExitCode(2)
    /// Something else failed.
    static let failure = ExitCode(1)
    /// The server refused the write (its fields, or a rule it checks): fix it and resend, or discard it.
    static let refused = ExitCode(5)
    /// No access rule lets this user make the write: changing the fields will not help.
    static let forbidden = ExitCode(6)
}

/// Options for commands that print results.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print machine-readable JSON on stdout.")
    var json = false
}

/// Writing results and errors.
enum Console {
    static func printJSON(_ value: JSONValue) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("handset: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    /// Reads one line from stdin; with a terminal, shows `prompt` on stderr first (and hides the typing if asked).
    static func readLine(prompt: String, secret: Bool = false) -> String? {
        if isatty(STDIN_FILENO) != 0 {
            if secret, let typed = getpass(prompt) { return String(cString: typed) }
            FileHandle.standardError.write(Data(prompt.utf8))
        }
        return Swift.readLine(strippingNewline: true)
    }

    /// Prints `error` and exits with the code that says what kind of failure it was.
    static func fail(_ error: any Error) -> ExitCode {
        switch error {
        case let remote as RemoteError:
            switch remote {
            case .offline(let detail):
                Console.error("offline: \(detail) (local changes are kept)")
                return HandsetExit.offline
            case .sessionExpired:
                Console.error("not signed in, or the session expired: run `handset login`")
                return HandsetExit.notSignedIn
            default:
                Console.error(remote.message)
                return HandsetExit.failure
            }
        case let configuration as ConfigurationError:
            Console.error(configuration.description)
            return HandsetExit.failure
        case let exit as ExitCode:
            return exit
        default:
            Console.error("\(error)")
            return HandsetExit.failure
        }
    }
}

extension ProfileOptions {
    /// The services of the chosen profile.
    func services() throws -> ClientServices {
        let paths = HandsetPaths()
        let settings: Settings
        do {
            let (loaded, warnings) = try Settings.load(file: Settings.file(in: paths.config))
            for warning in warnings { Console.note("handset: config.toml: \(warning)") }
            settings = loaded
        } catch let error as SettingsError {
            // Not a usage mistake on the command line: say what is wrong with the file, exit 1.
            Console.error(error.description)
            throw HandsetExit.failure
        }
        return try ClientServices(
            profile: profile, paths: paths, configuration: try resolve(paths: paths), settings: settings)
    }
}

extension ClientServices {
    /// The signed-in user's data; nobody signed in is exit 4 with a message. Another user's cache on this profile is
    /// never used in their place.
    func requireUser() throws -> UserServices {
        guard let signedIn else {
            Console.error("not signed in: run `handset login` (each user's cache is their own)")
            throw HandsetExit.notSignedIn
        }
        return signedIn
    }
}

extension Record {
    /// The record as JSON for `--json` output, with its sync state.
    var jsonWithState: JSONValue {
        var object = json.objectValue ?? [:]
        object["_syncState"] = .string(syncState.rawValue)
        return .object(object)
    }
}

extension CollectionSchema {
    /// Parses `name=value` pairs into typed fields.
    func fields(from assignments: [String]) throws -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw ValidationError("--field takes name=value, got \"\(assignment)\"")
            }
            let name = String(assignment[..<equals])
            let text = String(assignment[assignment.index(after: equals)...])
            guard let field = field(named: name) else {
                throw ValidationError(
                    "\(self.name) has no field \"\(name)\"; fields: \(self.fields.filter { !$0.readOnly }.map(\.name).joined(separator: ", "))"
                )
            }
            fields[name] = FieldInput.value(text, for: field)
        }
        return fields
    }
}
