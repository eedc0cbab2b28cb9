import ArgumentParser
import Foundation
import HandsetApp
import HandsetLive
import HandsetModel
import HandsetRemote
import HandsetWire

/// `handset login`: sign in without the full-screen app, for scripts and terminals without curses.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in (SRP by default), answering MFA and new-password steps on stdin.",
        discussion: """
            Without a terminal, pass the password with --password-stdin (its first line); an MFA code comes from \
            --mfa-code or the next line of stdin when asked. With --web, sign in through the pool's managed login \
            in a browser (--provider NAME goes straight to an identity provider); with --device, on another \
            device (a phone) that opens the address shown and enters the code. Exit codes: 0 signed in, \
            3 offline, 4 refused.
            """)

    @OptionGroup var profile: ProfileOptions
    @Argument(help: "Username or email (as --username; asked for when neither is given).") var name: String?
    @Option(name: .long, help: "Username or email.") var username: String?
    @Flag(name: .long, help: "Read the password from the first line of stdin.") var passwordStdin = false
    @Option(name: .long, help: "The MFA code, if one will be asked for.") var mfaCode: String?
    @Option(
        name: .long,
        help: "srp or password (USER_PASSWORD_AUTH, if the app client allows it); default from config.toml, else srp.")
    var flow: String?
    @Flag(name: .long, help: "Sign in in a browser (the pool's managed login, PKCE, a loopback redirect).")
    var web = false
    @Option(name: .long, help: "With --web: the identity provider to sign in with (e.g. Google, or an OIDC name).")
    var provider: String?
    @Flag(name: .long, help: "Sign in on another device: open the address shown there and enter the code.")
    var device = false
    @Flag(
        name: .long,
        help: "Sign in with a one-time code sent by email (or text message) instead of the password (USER_AUTH).")
    var passwordless = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let name, let username, name != username {
            throw ValidationError("two usernames given (\(name) and --username): give one")
        }
        if web && device { throw ValidationError("--web and --device are two ways to sign in: choose one") }
        if provider != nil && !web { throw ValidationError("--provider goes with --web") }
        if (web || device) && (username ?? name != nil || passwordStdin || mfaCode != nil || flow != nil) {
            throw ValidationError("--web and --device take no username, password, MFA code or flow")
        }
        if passwordless && (web || device || passwordStdin || flow != nil) {
            throw ValidationError("--passwordless signs in with a code: no password, flow, --web or --device")
        }
    }

    func run() async throws {
        let services = try profile.services()
        if web || device {
            try await ExternalLogin(services: services, json: output.json).run(web: web, provider: provider)
            return
        }
        guard let signInFlow = flow.map({ SignInFlow(rawValue: $0) }) ?? services.settings.signInFlow else {
            throw ValidationError("--flow is srp or password")
        }
        guard let username = username ?? name ?? Console.readLine(prompt: "Username: "), !username.isEmpty else {
            throw ValidationError("a username is required (handset login NAME)")
        }
        let conversation = SignInConversation(
            cognito: services.cognito, flow: signInFlow, now: services.now, devices: services.devices)
        if passwordless {
            try await converse(
                conversation, first: await conversation.startPasswordless(username: username), username: username,
                services: services)
            return
        }
        let password: String?
        if passwordStdin {
            password = Swift.readLine(strippingNewline: true)
        } else {
            password = Console.readLine(prompt: "Password: ", secret: true)
        }
        guard let password, !password.isEmpty else { throw ValidationError("no password given") }
        try await converse(
            conversation, first: await conversation.start(username: username, password: password), username: username,
            services: services)
    }

    /// Answers the sign-in's prompts until it succeeds or fails.
    private func converse(
        _ conversation: SignInConversation, first: SignInOutcome, username: String, services: ClientServices
    ) async throws {
        var outcome = first
        var pendingCode = mfaCode
        while true {
            switch outcome {
            case .signedIn(let result):
                let tokens = await services.session.signedIn(result)
                let user = tokens.user
                if output.json {
                    Console.printJSON([
                        "signedIn": true, "username": .string(user?.username ?? username),
                        "sub": .string(user?.sub ?? ""), "profile": .string(services.profile),
                    ])
                } else {
                    print("Signed in as \(user?.username ?? username) (profile \(services.profile))")
                }
                return
            case .failed(let failure):
                Console.error(failure.message)
                throw failure.kind == .offline ? HandsetExit.offline : HandsetExit.notSignedIn
            case .prompt(let prompt, let error):
                if let error {
                    // Without a terminal nobody can type another answer: say the one thing that happened and stop.
                    guard isatty(STDIN_FILENO) != 0 else {
                        Console.error(error)
                        throw HandsetExit.notSignedIn
                    }
                    Console.note(error)
                }
                let answer: String?
                switch prompt {
                case .mfaCode(let method, let destination):
                    if let code = pendingCode {
                        answer = code
                        pendingCode = nil
                    } else {
                        let place = destination.map { " (sent to \($0))" } ?? ""
                        answer = Console.readLine(prompt: "\(method.displayName) code\(place): ")
                    }
                case .mfaChoice(let methods):
                    let names = methods.map { "\($0.rawValue) (\($0.displayName))" }.joined(separator: ", ")
                    answer = Console.readLine(prompt: "Choose a second factor [\(names)]: ")
                case .totpSetup(let secret, let uri):
                    Console.note("Add this key to your authenticator app: \(secret)\n\(uri)")
                    answer = pendingCode ?? Console.readLine(prompt: "Code from the app: ")
                    pendingCode = nil
                case .newPassword:
                    answer = Console.readLine(prompt: "New password: ", secret: true)
                case .rememberDevice:
                    // Asked once: the device is kept either way, so the next sign-in does not ask again.
                    answer =
                        Console.readLine(prompt: "Remember this device, so sign-ins here skip the code? [y/N]: ")
                        .map { $0.isEmpty ? "no" : $0 } ?? "no"
                }
                guard let answer, !answer.isEmpty else {
                    Console.error("sign-in needs an answer and none was given")
                    throw HandsetExit.notSignedIn
                }
                outcome = await conversation.answer(answer)
            }
        }
    }
}

/// `handset logout`: forget the session on this device (and optionally everywhere).
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Sign out: revoke the refresh token and delete the token cache.")

    @OptionGroup var profile: ProfileOptions
    @Flag(name: .long, help: "Sign out of every device (GlobalSignOut).") var everywhere = false

    func run() async throws {
        let services = try profile.services()
        // The local sign-out always happens; telling the server is best effort (it may be unreachable).
        let result = await services.session.signOut(everywhere: everywhere)
        guard result.wasSignedIn else {
            print("Not signed in")
            return
        }
        if let why = result.serverNotTold {
            Console.note("The server was not told (\(why)); this device is signed out.")
        }
        print(everywhere ? "Signed out everywhere" : "Signed out")
        if result.endsBrowserSession, let hostedUI = services.configuration.hostedUI {
            await ExternalLogin.endBrowserSession(services: services, hostedUI: hostedUI)
        }
    }
}

/// `handset whoami`.
struct WhoamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "Who is signed in on this profile.")

    @OptionGroup var profile: ProfileOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let services = try profile.services()
        guard let user = services.signedInUser else {
            if output.json { Console.printJSON(["signedIn": false]) } else { Console.error("not signed in") }
            throw HandsetExit.notSignedIn
        }
        if output.json {
            Console.printJSON([
                "signedIn": true, "username": .string(user.username), "sub": .string(user.sub),
                "email": user.email.map(JSONValue.string) ?? .null, "profile": .string(services.profile),
            ])
        } else {
            print("\(user.username)\(user.email.map { " <\($0)>" } ?? "") on profile \(services.profile)")
        }
    }
}
