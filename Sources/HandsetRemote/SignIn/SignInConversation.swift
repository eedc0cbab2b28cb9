import Foundation
import HandsetModel
import HandsetSRP
import HandsetWire

/// Where a sign-in stands after the calls it could make on its own.
public enum SignInOutcome: Sendable, Equatable {
    case prompt(SignInPrompt, error: String?)
    case signedIn(AuthenticationResult)
    case failed(SignInFailure)
}

/// Drives a `SignInMachine` against Cognito: makes its calls until it needs the person, succeeds or fails.
public actor SignInConversation {
    private var machine: SignInMachine
    private let cognito: CognitoClient
    private let flow: SignInFlow
    private let now: @Sendable () -> Date
    /// Where the profile keeps remembered devices; `nil` remembers none.
    private let devices: (any RememberedDeviceStore)?
    private var username = ""

    public init(
        cognito: CognitoClient, flow: SignInFlow = .srp, now: @escaping @Sendable () -> Date = { Date() },
        devices: (any RememberedDeviceStore)? = nil
    ) {
        self.cognito = cognito
        self.flow = flow
        self.now = now
        self.devices = devices
        let client = cognito
        machine = SignInMachine(
            clientId: cognito.configuration.clientId, poolName: cognito.configuration.poolName,
            secretHash: { client.secretHash(username: $0) })
    }

    public func start(username: String, password: String) async -> SignInOutcome {
        var session: SRPClientSession?
        if flow == .srp {
            do {
                session = try SRPClientSession()
            } catch {
                return .failed(SignInFailure(kind: .other, message: "Cannot start SRP: \(error)"))
            }
        }
        self.username = username
        // A remembered device proves itself with its own SRP session (SRP sign-ins only, as in Amplify).
        var device: RememberedDevice?
        var deviceSession: SRPClientSession?
        if flow == .srp, let remembered = devices?.device(for: username) {
            device = remembered
            deviceSession = try? SRPClientSession()
        }
        let action = machine.start(
            username: username, password: password, flow: flow, srp: session, device: device,
            deviceSRP: deviceSession)
        return await run(action)
    }

    /// A sign-in with a one-time code (email, else text message) instead of the password.
    public func startPasswordless(username: String) async -> SignInOutcome {
        self.username = username
        return await run(machine.startPasswordless(username: username))
    }

    public func answer(_ text: String, attributes: [String: String] = [:]) async -> SignInOutcome {
        await run(machine.answer(text, attributes: attributes))
    }

    private func run(_ first: SignInAction) async -> SignInOutcome {
        var action = first
        while true {
            switch action {
            case .call(let call):
                do {
                    let answer = try await cognito.call(call.operation, body: call.body)
                    action = machine.receive(answer, now: now())
                } catch RemoteError.cognito(let type, let message) {
                    action = machine.receive(error: CognitoErrorBody(type: type, message: message))
                } catch let error as RemoteError {
                    if case .offline(let detail) = error {
                        return .failed(SignInFailure(kind: .offline, message: "Cannot sign in: \(detail)"))
                    }
                    return .failed(SignInFailure(kind: .other, message: error.message))
                } catch {
                    return .failed(SignInFailure(kind: .other, message: "Cannot sign in: \(error)"))
                }
            case .prompt(let prompt, let error):
                return .prompt(prompt, error: error)
            case .signedIn(let result):
                if let device = machine.deviceToRemember { devices?.remember(device, for: username) }
                return .signedIn(result)
            case .failed(let failure):
                if machine.deviceRefused { devices?.forget(for: username) }
                return .failed(failure)
            }
        }
    }
}
