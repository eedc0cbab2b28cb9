import Foundation
import HandsetApp
import HandsetModel
import HandsetRemote

/// Signing in through the pool's managed login: a provider in the browser, or approving a code on another device.
extension LiveEffects {
    func signInInBrowser(provider: String) async -> AppEvent {
        guard let hostedUI else { return .signIn(.failed(WebSignInError.noHostedUI.description)) }
        let relay = relay
        let task = Task {
            try await WebSignIn(client: hostedUI).run(provider: provider) { url in
                BrowserLauncher.open(url)
                relay.send(.signIn(.webStarted(url: url.absoluteString)))
            }
        }
        await external.set { task.cancel() }
        return await externalOutcome { try await task.value }
    }

    func signInOnAnotherDevice() async -> AppEvent {
        guard let hostedUI else { return .signIn(.failed(WebSignInError.noHostedUI.description)) }
        let (relay, now) = (relay, now)
        let task = Task {
            let device = DeviceSignIn(client: hostedUI, now: now)
            let authorization = try await device.start()
            relay.send(
                .signIn(
                    .deviceStarted(
                        userCode: authorization.userCode, verificationURI: authorization.verificationURI,
                        completeURI: authorization.verificationURIComplete ?? authorization.verificationURI)))
            return try await device.waitForApproval(authorization)
        }
        await external.set { task.cancel() }
        return await externalOutcome { try await task.value }
    }

    func cancelExternalSignIn() async -> AppEvent {
        await external.cancel()
        return .effectDone
    }

    /// The end of a sign-in in the browser or on another device.
    private func externalOutcome(_ tokens: () async throws -> HostedUIClient.Tokens) async -> AppEvent {
        do {
            return opened(await session.signedIn(try await tokens()))
        } catch is CancellationError {
            return .effectDone
        } catch let error as WebSignInError {
            return .signIn(.failed(error.description.prefix(1).uppercased() + error.description.dropFirst()))
        } catch {
            return .signIn(.failed(RemoteError.from(error).message))
        }
    }
}
