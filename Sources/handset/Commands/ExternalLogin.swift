import ArgumentParser
import Foundation
import HandsetApp
import HandsetLive
import HandsetModel
import HandsetRemote
import HandsetWire

/// `handset login --web` and `handset login --device`: signing in through the pool's managed login, in a browser
/// on this machine or on another device.
struct ExternalLogin {
    let services: ClientServices
    let json: Bool

    func run(web: Bool, provider: String?) async throws {
        guard let hostedUI = services.configuration.hostedUI else {
            Console.error(WebSignInError.noHostedUI.description)
            throw HandsetExit.failure
        }
        let client = HostedUIClient(
            configuration: services.configuration, hostedUI: hostedUI, transport: services.transport)
        if let provider, !hostedUI.identityProviders.contains(provider) {
            let known = hostedUI.identityProviders.isEmpty ? "none" : hostedUI.identityProviders.joined(separator: ", ")
            Console.note(
                "handset: \(provider) is not among this app's providers in amplify_outputs.json (\(known)); trying it anyway"
            )
        }
        let tokens: HostedUIClient.Tokens
        do {
            tokens = web ? try await signInWithBrowser(client, provider: provider) : try await signInOnDevice(client)
        } catch let error as WebSignInError {
            Console.error(error.description)
            throw error == .noLoopbackRedirect || error == .noDeviceSignIn
                ? HandsetExit.failure : HandsetExit.notSignedIn
        } catch let error as RemoteError {
            Console.error(error.message)
            if case .offline = error { throw HandsetExit.offline }
            throw HandsetExit.notSignedIn
        }
        let user = await services.session.signedIn(tokens).user
        if json {
            Console.printJSON([
                "signedIn": true, "username": .string(user?.username ?? ""), "sub": .string(user?.sub ?? ""),
                "profile": .string(services.profile),
            ])
        } else {
            print("Signed in as \(user?.username ?? "?") (profile \(services.profile))")
        }
    }

    private func signInWithBrowser(_ client: HostedUIClient, provider: String?) async throws -> HostedUIClient.Tokens {
        try await WebSignIn(client: client).run(provider: provider) { url in
            let opened = BrowserLauncher.open(url)
            Console.note(
                opened
                    ? "Your browser should open; if it does not, open this address:\n  \(url.absoluteString)"
                    : "Open this address in a browser to sign in:\n  \(url.absoluteString)")
            Console.note("Waiting for the browser… (Ctrl-C cancels)")
        }
    }

    private func signInOnDevice(_ client: HostedUIClient) async throws -> HostedUIClient.Tokens {
        let device = DeviceSignIn(client: client)
        let authorization = try await device.start()
        let complete = authorization.verificationURIComplete ?? authorization.verificationURI
        Console.note("On your phone or another computer, open\n  \(authorization.verificationURI)")
        Console.note("sign in there and enter the code  \(authorization.userCode)")
        if let lines = HandsetTUIQR.lines(complete) {
            Console.note("or scan this code:")
            for line in lines { Console.note("  " + line) }
        }
        let spinner = Spinner(
            text: "Waiting for approval",
            expiresAt: services.now().addingTimeInterval(TimeInterval(authorization.expiresIn)))
        spinner.start()
        defer { spinner.stop() }
        return try await device.waitForApproval(authorization)
    }
}

/// A one-line spinner on standard error while a terminal is there (nothing in a pipe but the first line).
final class Spinner: @unchecked Sendable {
    private let text: String
    private let expiresAt: Date
    private let lock = NSLock()
    private var running = false
    private let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

    init(text: String, expiresAt: Date) {
        self.text = text
        self.expiresAt = expiresAt
    }

    func start() {
        guard isatty(STDERR_FILENO) != 0 else {
            Console.note("\(text)…")
            return
        }
        lock.withLock { running = true }
        Thread.detachNewThread { [self] in
            var index = 0
            while lock.withLock({ running }) {
                let left = max(Int(expiresAt.timeIntervalSinceNow), 0)
                let line =
                    "\r\(frames[index % frames.count]) \(text)… (expires in \(left / 60):\(String(format: "%02d", left % 60)), Ctrl-C cancels)\u{1B}[K"
                FileHandle.standardError.write(Data(line.utf8))
                index += 1
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    func stop() {
        let was = lock.withLock { () -> Bool in
            defer { running = false }
            return running
        }
        if was {
            Thread.sleep(forTimeInterval: 0.12)
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        }
    }
}

extension ExternalLogin {
    /// A web sign-in also signed the browser in to the pool's managed login: end that too, through `/logout` in
    /// the browser (only the browser holds its cookie). Without a browser to open, the address is printed.
    static func endBrowserSession(services: ClientServices, hostedUI: HostedUIConfiguration) async {
        let webSignIn = WebSignIn(
            client: HostedUIClient(
                configuration: services.configuration, hostedUI: hostedUI, transport: services.transport))
        guard BrowserLauncher.command() != nil else {
            if let url = webSignIn.signOutURL() {
                Console.note("To sign the browser out of the app's sign-in pages too, open:\n  \(url.absoluteString)")
            }
            return
        }
        let ended = await webSignIn.signOutOfBrowser(timeout: 60) { url in
            BrowserLauncher.open(url)
            Console.note(
                "Signing the browser out too… (if no browser opens, open this address:\n  \(url.absoluteString))")
        }
        Console.note(ended ? "The browser is signed out too" : "The browser did not confirm its sign-out")
    }
}
