import Foundation
import HandsetModel

/// Why a sign-in in the browser or on another device did not complete.
public enum WebSignInError: Error, Equatable, CustomStringConvertible {
    /// The Amplify outputs have no `auth.oauth`: the pool has no managed login for this app client.
    case noHostedUI
    /// None of the registered sign-in redirects is a loopback URL a terminal can listen on.
    case noLoopbackRedirect
    /// The pool has no device sign-in (Cognito itself has none; the local cloud's outputs name its endpoint).
    case noDeviceSignIn
    case listener(String)
    /// The provider or the pool sent the browser back with an error.
    case refused(String)
    /// The ID token is not the answer to this sign-in (its nonce differs).
    case nonceMismatch
    case denied
    case expired
    case timedOut

    public var description: String {
        switch self {
        case .noHostedUI:
            "this profile's amplify_outputs.json has no auth.oauth section: the app client has no managed login"
        case .noLoopbackRedirect:
            "no sign-in redirect of the app client is a loopback URL (add http://127.0.0.1/callback, or "
                + "http://localhost:<port>/ on AWS, to its callback URLs)"
        case .noDeviceSignIn:
            "this pool offers no sign-in on another device (device authorization is handset-cloud's, not Cognito's)"
        case .listener(let reason): reason
        case .refused(let reason): "the sign-in was refused: \(reason)"
        case .nonceMismatch: "the sign-in answer does not belong to this request"
        case .denied: "the sign-in was denied on the other device"
        case .expired: "the code expired before it was approved"
        case .timedOut: "no answer from the browser in time"
        }
    }
}

/// Signing in through the pool's managed login in a browser: the authorization code grant with PKCE (S256) to a
/// one-shot listener on a loopback address (RFC 8252), `state` checked, the `nonce` checked in the ID token.
public struct WebSignIn: Sendable {
    public let client: HostedUIClient

    public init(client: HostedUIClient) {
        self.client = client
    }

    /// Runs one sign-in: `started` gets the address to open (the caller prints it and opens a browser), then the
    /// browser's return is awaited for up to `timeout`. Cancelling the task stops the listener.
    public func run(
        provider: String?, timeout: TimeInterval = 600, started: @Sendable (URL) -> Void
    ) async throws -> HostedUIClient.Tokens {
        guard let registered = HostedUIConfiguration.loopback(in: client.hostedUI.redirectSignIn) else {
            throw WebSignInError.noLoopbackRedirect
        }
        let listener: LoopbackListener
        do {
            listener = try LoopbackListener(host: registered.host ?? "127.0.0.1", port: registered.port ?? 0)
        } catch {
            throw WebSignInError.listener("\(error)")
        }
        defer { listener.shut() }
        let path = registered.path.isEmpty ? "/" : registered.path
        let redirectURI = "http://\(registered.host ?? "127.0.0.1"):\(listener.port)\(path)"
        let state = PKCEPair.randomToken()
        let nonce = PKCEPair.randomToken()
        let pkce = PKCEPair.make()
        started(
            client.authorizeURL(
                redirectURI: redirectURI, state: state, codeChallenge: pkce.challenge, nonce: nonce,
                provider: provider))

        let answer: LoopbackListener.Request
        do {
            answer = try await listener.wait(path: path, timeout: timeout) { request in
                // Only the answer to this request ends the wait: another `state` is someone else's page.
                guard let given = request.parameter("state"), given.utf8.count == state.utf8.count,
                    zip(given.utf8, state.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
                else {
                    return .init(
                        status: 400,
                        page: LoopbackListener.page(
                            title: "Not this sign-in", text: "This page does not belong to the terminal's sign-in."),
                        done: false)
                }
                if request.parameter("error") != nil {
                    return .init(
                        page: LoopbackListener.page(
                            title: "Sign-in refused", text: "The terminal will say why. You can close this tab."),
                        done: true)
                }
                return .init(
                    page: LoopbackListener.page(
                        title: "Signed in", text: "The terminal has taken over. You can close this tab."),
                    done: true)
            }
        } catch LoopbackListener.ListenerError.timedOut {
            throw WebSignInError.timedOut
        } catch LoopbackListener.ListenerError.cancelled {
            throw CancellationError()
        }
        if let error = answer.parameter("error") {
            let description = answer.parameter("error_description").map { ": \($0)" } ?? ""
            throw WebSignInError.refused(String((error + description).prefix(300)))
        }
        guard let code = answer.parameter("code") else { throw WebSignInError.refused("no code in the answer") }
        let tokens = try await client.exchange(code: code, redirectURI: redirectURI, verifier: pkce.verifier)
        guard JWTClaims(token: tokens.idToken)?.string("nonce") == nonce else { throw WebSignInError.nonceMismatch }
        return tokens
    }

    /// Ends the browser's managed-login session: opens `/logout` with a loopback sign-out redirect and waits (up to
    /// `timeout`) for the browser to arrive there. False when no loopback sign-out URL is registered or nobody came.
    public func signOutOfBrowser(timeout: TimeInterval, open: @Sendable (URL) -> Void) async -> Bool {
        guard let registered = HostedUIConfiguration.loopback(in: client.hostedUI.redirectSignOut),
            let listener = try? LoopbackListener(host: registered.host ?? "127.0.0.1", port: registered.port ?? 0)
        else { return false }
        defer { listener.shut() }
        let path = registered.path.isEmpty ? "/" : registered.path
        open(client.logoutURL(logoutURI: "http://\(registered.host ?? "127.0.0.1"):\(listener.port)\(path)"))
        let arrived = try? await listener.wait(path: path, timeout: timeout) { _ in
            .init(
                page: LoopbackListener.page(
                    title: "Signed out", text: "This browser is signed out too. You can close this tab."),
                done: true)
        }
        return arrived != nil
    }

    /// The sign-out address for a browser to open by hand (a registered sign-out URL as it is).
    public func signOutURL() -> URL? {
        guard let registered = client.hostedUI.redirectSignOut.first else { return nil }
        return client.logoutURL(logoutURI: registered)
    }
}

/// Signing in on another device (RFC 8628): the person opens the verification page on their phone, signs in there
/// and approves the code this terminal shows, while the terminal polls.
public struct DeviceSignIn: Sendable {
    public let client: HostedUIClient
    let sleep: @Sendable (TimeInterval) async throws -> Void
    let now: @Sendable () -> Date

    public init(
        client: HostedUIClient,
        sleep: @escaping @Sendable (TimeInterval) async throws -> Void = {
            try await Task.sleep(nanoseconds: UInt64($0 * 1_000_000_000))
        },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.sleep = sleep
        self.now = now
    }

    public func start() async throws -> HostedUIClient.DeviceAuthorization {
        try await client.startDeviceAuthorization()
    }

    /// Polls every `interval` (5 seconds longer after each `slow_down`) until the code is approved, denied or
    /// expired. Cancelling the task stops it.
    public func waitForApproval(
        _ authorization: HostedUIClient.DeviceAuthorization
    ) async throws
        -> HostedUIClient.Tokens
    {
        var interval = TimeInterval(authorization.interval)
        let deadline = now().addingTimeInterval(TimeInterval(authorization.expiresIn))
        while true {
            try await sleep(interval)
            try Task.checkCancellation()
            switch try await client.pollDevice(deviceCode: authorization.deviceCode) {
            case .approved(let tokens): return tokens
            case .pending: break
            case .slowDown: interval += 5
            case .denied: throw WebSignInError.denied
            case .expired: throw WebSignInError.expired
            }
            if now() > deadline { throw WebSignInError.expired }
        }
    }
}

/// Opens a URL in the person's browser: `$BROWSER` (the first of a `:`-separated list; `%s` stands for the URL),
/// else `xdg-open` when it is installed. The URL is an argument, never part of a command line, and the browser's
/// output goes nowhere (it must not scribble over a full-screen terminal app).
public enum BrowserLauncher {
    /// The command that would open a browser, or nil when there is none.
    public static func command(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let browser = environment["BROWSER"]?.split(separator: ":").first.map(String.init),
            !browser.trimmingCharacters(in: .whitespaces).isEmpty
        {
            return browser
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":")
        where FileManager.default.isExecutableFile(
            atPath: "\(directory)/xdg-open")
        {
            return "\(directory)/xdg-open"
        }
        return nil
    }

    /// Starts the browser (without waiting for it); false when there is none or it could not start.
    @discardableResult
    public static func open(_ url: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let command = command(environment: environment) else { return false }
        let line = command.contains("%s") ? command.replacingOccurrences(of: "%s", with: "\"$1\"") : "\(command) \"$1\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", line, "handset-browser", url.absoluteString]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            return true
        } catch {
            return false
        }
    }
}
