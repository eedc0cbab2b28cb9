import ArgumentParser
import Foundation
import HandsetApp
import HandsetRemote
import HandsetWire

/// `handset mfa setup`: add an authenticator app to the signed-in account and prefer it.
struct MFACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfa", abstract: "Multi-factor authentication for the signed-in account.", subcommands: [Setup.self])

    struct Setup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "setup",
            abstract: "Set up an authenticator app (TOTP): shows a key and a QR code, then asks for a code.",
            discussion: "Without a terminal the key and URI go to stderr and the code is read from stdin.")

        @OptionGroup var profile: ProfileOptions
        @Option(name: .long, help: "The first code from the app (else it is asked for).") var code: String?

        func run() async throws {
            let services = try profile.services()
            guard let tokens = await services.session.current else {
                Console.error("not signed in: run `handset login`")
                throw HandsetExit.notSignedIn
            }
            do {
                // Refresh first if needed, so the access token is valid for the three calls.
                _ = try await services.session.validIDToken()
                let access = await services.session.current?.accessToken ?? tokens.accessToken
                let associated = try await services.cognito.call("AssociateSoftwareToken", body: ["AccessToken": .string(access)])
                guard let secret = associated["SecretCode"]?.stringValue else {
                    throw RemoteError.badResponse("AssociateSoftwareToken answered without a secret")
                }
                let account = services.signedInUser?.username ?? "user"
                let uri = "otpauth://totp/Handset:\(account)?secret=\(secret)&issuer=Handset"
                if isatty(STDERR_FILENO) != 0, let qr = HandsetTUIQR.lines(uri) {
                    Console.note(qr.joined(separator: "\n"))
                }
                Console.note("Key: \(secret)\nURI: \(uri)")
                guard let userCode = code ?? Console.readLine(prompt: "Code from the app: "), !userCode.isEmpty else {
                    throw ValidationError("a code from the authenticator app is needed")
                }
                let verified = try await services.cognito.call(
                    "VerifySoftwareToken",
                    body: ["AccessToken": .string(access), "UserCode": .string(userCode), "FriendlyDeviceName": "handset"])
                guard verified["Status"]?.stringValue == "SUCCESS" else {
                    Console.error("the code did not verify; run `handset mfa setup` again")
                    throw HandsetExit.failure
                }
                _ = try await services.cognito.call(
                    "SetUserMFAPreference",
                    body: [
                        "AccessToken": .string(access),
                        "SoftwareTokenMfaSettings": ["Enabled": true, "PreferredMfa": true],
                    ])
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
