import ArgumentParser
import Foundation
import HandsetApp
import HandsetLive
import HandsetRemote
import HandsetWire

/// `handset mfa setup`: add an authenticator app to the signed-in account and prefer it.
struct MFACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfa", abstract: "Multi-factor authentication for the signed-in account.",
        subcommands: [Setup.self])

    struct Setup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "setup",
            abstract: "Set up an authenticator app (TOTP): shows a key and a QR code, then asks for a code.",
            discussion: "Without a terminal the key and URI go to stderr and the code is read from stdin.")

        @OptionGroup var profile: ProfileOptions
        @Option(name: .long, help: "The first code from the app (else it is asked for).") var code: String?

        func run() async throws {
            let services = try profile.services()
            guard await services.session.current != nil else {
                Console.error("not signed in: run `handset login`")
                throw HandsetExit.notSignedIn
            }
            do {
                // The same calls as the account screen's: a valid access token (refreshed if due) for each.
                let account = services.signedInUser?.username ?? "user"
                let secret = try await services.cognito.associateSoftwareToken(
                    accessToken: try await services.session.validToken(.access))
                let uri = AuthenticatorURI.totp(secret: secret, account: account)
                if isatty(STDERR_FILENO) != 0, let qr = HandsetTUIQR.lines(uri) {
                    Console.note(qr.joined(separator: "\n"))
                }
                Console.note("Key: \(secret)\nURI: \(uri)")
                guard let userCode = code ?? Console.readLine(prompt: "Code from the app: "), !userCode.isEmpty else {
                    throw ValidationError("a code from the authenticator app is needed")
                }
                do {
                    try await services.cognito.verifyAndPreferSoftwareToken(
                        accessToken: try await services.session.validToken(.access), code: userCode)
                } catch RemoteError.cognito(let type, _)
                    where type == "EnableSoftwareTokenMFAException" || type == "CodeMismatchException"
                {
                    Console.error("the code did not verify; run `handset mfa setup` again")
                    throw HandsetExit.failure
                }
                print("Authenticator app set up: sign-ins now ask for its code")
            } catch let error as ValidationError {
                throw error
            } catch let error as ExitCode {
                throw error
            } catch {
                throw Console.fail(error)
            }
        }
    }
}
