import ArgumentParser
import Foundation
import HandsetLive
import HandsetRemote
import HandsetWire

/// `handset devices`: the signed-in account's remembered devices; `handset devices forget KEY` forgets one (that
/// device is asked for a code at its next sign-in).
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "The signed-in account's remembered devices (they sign in without a code).",
        subcommands: [List.self, Forget.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List remembered devices.")

        @OptionGroup var profile: ProfileOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let services = try profile.services()
            let this = services.signedInUser.flatMap { services.devices.device(for: $0.username) }?.deviceKey
            let devices: [UserDevice]
            do {
                devices = try await services.cognito.listDevices(
                    accessToken: try await DevicesCommand.accessToken(services))
            } catch let error as ExitCode {
                throw error
            } catch {
                throw Console.fail(error)
            }
            if output.json {
                Console.printJSON(
                    .array(
                        devices.map { device in
                            [
                                "deviceKey": .string(device.key), "name": device.name.map(JSONValue.string) ?? .null,
                                "remembered": .bool(device.remembered), "thisDevice": .bool(device.key == this),
                                "lastAuthenticated": device.lastAuthenticated.map {
                                    .string(ISO8601DateFormatter().string(from: $0))
                                } ?? .null,
                            ]
                        }))
                return
            }
            guard !devices.isEmpty else {
                print("No remembered devices")
                return
            }
            for device in devices {
                let when = device.lastAuthenticated.map { " last sign-in \(ISO8601DateFormatter().string(from: $0))" }
                print(
                    "\(device.key)  \(device.name ?? "(no name)")  "
                        + "\(device.remembered ? "remembered" : "not remembered")\(when ?? "")"
                        + (device.key == this ? "  (this device)" : ""))
            }
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forget", abstract: "Forget a device: its next sign-in asks for the code again.")

        @OptionGroup var profile: ProfileOptions
        @Argument(help: "The device key (from `handset devices`); omit it with --this-device.") var deviceKey: String?
        @Flag(name: .long, help: "Forget this device.") var thisDevice = false
        @Flag(name: .long, help: "Do not ask for confirmation.") var yes = false

        func validate() throws {
            if (deviceKey == nil) == !thisDevice { throw ValidationError("name a device key, or --this-device") }
        }

        func run() async throws {
            let services = try profile.services()
            let user = services.signedInUser
            let local = user.flatMap { services.devices.device(for: $0.username) }
            guard let key = deviceKey ?? local?.deviceKey else {
                Console.error("this device is not remembered")
                throw HandsetExit.failure
            }
            if !yes {
                guard isatty(STDIN_FILENO) != 0 else {
                    throw ValidationError("forgetting a device cannot be undone: confirm with --yes")
                }
                let answer = Console.readLine(prompt: "Forget device \(key)? Its next sign-in asks for a code. [y/N]: ")
                guard let answer, ["y", "yes"].contains(answer.lowercased()) else {
                    print("Kept")
                    return
                }
            }
            do {
                try await services.cognito.forgetDevice(
                    accessToken: try await DevicesCommand.accessToken(services), deviceKey: key)
            } catch RemoteError.cognito(let type, _) where type == "ResourceNotFoundException" {
                Console.error("no device \(key) on this account")
                throw HandsetExit.failure
            } catch let error as ExitCode {
                throw error
            } catch {
                throw Console.fail(error)
            }
            if let user, local?.deviceKey == key { services.devices.forget(for: user.username) }
            print("Forgot device \(key)")
        }
    }

    static func accessToken(_ services: ClientServices) async throws -> String {
        guard await services.session.current != nil else {
            Console.error("not signed in: run `handset login`")
            throw HandsetExit.notSignedIn
        }
        return try await services.session.validToken(.access)
    }
}
