import Foundation
import HandsetApp
import HandsetModel
import HandsetRemote

/// Signing in (SRP or password, then whatever Cognito asks), and out.
extension LiveEffects {
    func signIn(username: String, password: String) async -> AppEvent {
        let conversation = SignInConversation(cognito: cognito, flow: flow, now: now, devices: devices)
        await conversations.set(conversation)
        return await signInEvent(await conversation.start(username: username, password: password))
    }

    /// A sign-in with a one-time code (USER_AUTH); the pool's answer says whether it offers one.
    func signInWithCode(username: String) async -> AppEvent {
        let conversation = SignInConversation(cognito: cognito, flow: flow, now: now, devices: devices)
        await conversations.set(conversation)
        return await signInEvent(await conversation.startPasswordless(username: username))
    }

    func answerSignIn(_ answer: String) async -> AppEvent {
        guard let conversation = await conversations.current else {
            return .signIn(.failed("The sign-in was interrupted; please start again"))
        }
        return await signInEvent(await conversation.answer(answer))
    }

    /// What the screen shows after a step; a finished sign-in keeps the tokens and opens the user's own cache.
    private func signInEvent(_ outcome: SignInOutcome) async -> AppEvent {
        switch outcome {
        case .prompt(let prompt, let error):
            return .signIn(.prompt(prompt, error: error))
        case .failed(let failure):
            await conversations.set(nil)
            return .signIn(.failed(failure.message))
        case .signedIn(let result):
            await conversations.set(nil)
            return opened(await session.signedIn(result))
        }
    }

    /// After a sign-in whose tokens are kept: the user's own data opened.
    func opened(_ tokens: TokenSet) -> AppEvent {
        let user = tokens.user ?? SignedInUser(sub: "", username: "", email: nil)
        do {
            try scope.activate(user)
        } catch {
            return .signIn(
                .failed("Signed in, but this device's cache for \(user.username) cannot be opened: \(error)"))
        }
        return .signIn(.succeeded(user))
    }

    /// This device signs out whatever the server says; telling the server is best effort.
    func signOut(everywhere: Bool) async -> AppEvent {
        var note = everywhere ? "Signed out everywhere" : "Signed out"
        let result = await session.signOut(everywhere: everywhere)
        if result.serverNotTold != nil {
            note += " on this device (the server could not be told)"
        }
        scope.deactivate()
        // A web sign-in left the browser signed in to the managed login: end that too, in the browser.
        if result.endsBrowserSession, let hostedUI, BrowserLauncher.command() != nil {
            note += "; signing the browser out too"
            Task.detached {
                _ = await WebSignIn(client: hostedUI).signOutOfBrowser(timeout: 120) {
                    BrowserLauncher.open($0)
                }
            }
        }
        return .account(.signedOut(message: note))
    }
}
