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

    public init(cognito: CognitoClient, flow: SignInFlow = .srp, now: @escaping @Sendable () -> Date = { Date() }) {
        self.cognito = cognito
        self.flow = flow
        self.now = now
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
        let action = machine.start(username: username, password: password, flow: flow, srp: session)
        return await run(action)
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
                return .signedIn(result)
            case .failed(let failure):
                return .failed(failure)
            }
        }
    }
}
