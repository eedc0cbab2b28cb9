import ArgumentParser
import Foundation
import HandsetApp
import HandsetLive
import HandsetRemote
import HandsetWire

/// `handset signup` and `handset confirm`: a new account, confirmed with the code Cognito sends.
struct SignUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signup", abstract: "Create an account; then `handset confirm` with the code that was sent.")

    @OptionGroup var profile: ProfileOptions
    @Option(name: .long, help: "The account's username.") var username: String
    @Option(name: .long, help: "The email address the confirmation code goes to.") var email: String
    @Flag(name: .long, help: "Read the password from the first line of stdin.") var passwordStdin = false
    @Flag(
        name: .long,
        help: "No password: sign in with an emailed code (`handset login --passwordless`), where the pool allows it."
    ) var passwordless = false

    func run() async throws {
        if passwordless && passwordStdin { throw ValidationError("--passwordless takes no password") }
        let services = try profile.services()
        var password: String?
        if !passwordless {
            guard let typed = passwordStdin ? readLine() : Console.readLine(prompt: "Password: ", secret: true),
                !typed.isEmpty
            else { throw ValidationError("no password given") }
            password = typed
        }
        do {
            let (confirmed, destination) = try await services.cognito.signUp(
                username: username, password: password, email: email)
            let login = passwordless ? "`handset login --passwordless`" : "`handset login`"
            if confirmed {
                print("Account created; sign in with \(login)")
            } else {
                print(
                    "Account created; enter the code sent to \(destination ?? "you") with `handset confirm --username \(username) --code CODE`, then sign in with \(login)"
                )
            }
        } catch {
            throw Console.fail(error)
        }
    }
}

struct ConfirmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm", abstract: "Confirm a new account with its code.")

    @OptionGroup var profile: ProfileOptions
    @Option(name: .long, help: "The account's username.") var username: String
    @Option(name: .long, help: "The code that was sent.") var code: String

    func run() async throws {
        let services = try profile.services()
        do {
            try await services.cognito.confirmSignUp(username: username, code: code)
            print("Confirmed; sign in with `handset login --username \(username)`")
        } catch {
            throw Console.fail(error)
        }
    }
}

/// `handset password forgot | reset | change`.
struct PasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password", abstract: "Forgot, reset or change a password.",
        subcommands: [Forgot.self, Reset.self, Change.self])

    struct Forgot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "forgot", abstract: "Send a reset code.")
        @OptionGroup var profile: ProfileOptions
        @Option(name: .long, help: "The account's username.") var username: String

        func run() async throws {
            let services = try profile.services()
            do {
                let destination = try await services.cognito.forgotPassword(username: username)
                print(
                    "A reset code was sent to \(destination ?? "the account's address"); then `handset password reset`")
            } catch {
                throw Console.fail(error)
            }
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset", abstract: "Set a new password with the reset code (new password on stdin).")
        @OptionGroup var profile: ProfileOptions
        @Option(name: .long, help: "The account's username.") var username: String
        @Option(name: .long, help: "The code that was sent.") var code: String

        func run() async throws {
            let services = try profile.services()
            guard let password = Console.readLine(prompt: "New password: ", secret: true), !password.isEmpty else {
                throw ValidationError("no new password given")
            }
            do {
                try await services.cognito.confirmForgotPassword(username: username, code: code, newPassword: password)
                print("Password reset; sign in with `handset login`")
            } catch {
                throw Console.fail(error)
            }
        }
    }

    struct Change: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "change", abstract: "Change the signed-in user's password (current, then new, on stdin).")
        @OptionGroup var profile: ProfileOptions
        @Flag(
            name: .long,
            help: "Then end every session of the user, on every device, this one too (GlobalSignOut).")
        var signOutEverywhere = false

        func run() async throws {
            let services = try profile.services()
            guard await services.session.current != nil else {
                Console.error("not signed in: run `handset login`")
                throw HandsetExit.notSignedIn
            }
            // An empty current password: an account that signs in with codes only, setting its first password.
            guard
                let previous = Console.readLine(
                    prompt: "Current password (empty if you sign in with codes only): ", secret: true),
                let proposed = Console.readLine(prompt: "New password: ", secret: true), !proposed.isEmpty
            else { throw ValidationError("a new password is needed (and the current one, if the account has one)") }
            do {
                _ = try await services.session.validIDToken()
                let access = await services.session.current?.accessToken ?? ""
                var body: [String: JSONValue] = ["AccessToken": .string(access), "ProposedPassword": .string(proposed)]
                if !previous.isEmpty { body["PreviousPassword"] = .string(previous) }
                _ = try await services.cognito.call("ChangePassword", body: .object(body))
            } catch {
                throw Console.fail(error)
            }
            guard signOutEverywhere else {
                // A changed password does not end other sessions by itself (as in Cognito): offer it.
                print("Password changed. Other devices stay signed in: `handset logout --everywhere` ends them")
                return
            }
            if let why = await services.session.signOut(everywhere: true).serverNotTold {
                Console.error(
                    "password changed, but the other sessions could not be ended (\(why)); this device is signed out: "
                        + "sign in and run `handset logout --everywhere`")
                throw HandsetExit.failure
            }
            print("Password changed; every session ended, this one too: sign in with `handset login`")
        }
    }
}
