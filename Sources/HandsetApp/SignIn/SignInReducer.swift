import Foundation
import HandsetModel

/// The sign-in screen: keys edit the form, results move it through Cognito's steps, success opens the list.
enum SignInReducer {
    static func reduce(_ event: SignInEvent, in state: inout AppState) -> [AppEffect] {
        switch event {
        case .succeeded(let user):
            // Someone else than the person whose data is showing: start from nothing (their cache loads next).
            if state.dataOwner != user.sub { state = state.forgettingUserData() }
            state.user = user
            state.dataOwner = user.sub
            state.screen = .list
            state.message = StatusMessage("Signed in as \(user.username)")
            state.sync.connectivity = .online
            _ = state.sync.schedule.handle(.reachable)
            return [.refreshSchema, .loadCounts, .loadInbox]

        case .failed(let message):
            update(&state) { form in
                form.isSubmitting = false
                form.failures += 1
                form.error = SignInState.explainLockout(message)
                form.password = ""
                form.answer = ""
                form.stage = .credentials
                form.focus = .password
            }
            return []

        case .prompt(let prompt, let error):
            update(&state) { $0.show(prompt, error: error) }
            return []

        case .codeSent(let destination):
            update(&state) { $0.codeSent(to: destination) }
            return []

        case .accountConfirmed, .passwordWasReset:
            guard case .signIn(var form) = state.screen else { return [] }
            let password = form.password
            let note = event == .accountConfirmed ? "Account confirmed" : "Password changed"
            form = SignInState(username: form.username, focus: .password)
            guard !password.isEmpty else {
                // A passwordless account (or a password no longer in memory): the code sign-in is one key away.
                let withCode = event == .accountConfirmed && state.offersSignInWithCode
                form.notice = withCode ? "\(note); sign in (Ctrl-E for a code)" : "\(note); sign in"
                state.screen = .signIn(form)
                return []
            }
            form.password = password
            form.notice = "\(note); signing in…"
            form.isSubmitting = true
            state.screen = .signIn(form)
            return [.signIn(username: form.username, password: password)]

        case .webStarted(let url):
            update(&state) { form in
                if case .web(let provider, _) = form.stage { form.stage = .web(provider: provider, url: url) }
            }
            return []

        case .deviceStarted(let userCode, let verificationURI, let completeURI):
            update(&state) { form in
                if case .device = form.stage {
                    form.stage = .device(userCode: userCode, verificationURI: verificationURI, completeURI: completeURI)
                }
            }
            return []

        case .stepFailed(let message):
            update(&state) { form in
                form.isSubmitting = false
                form.error = message
                // A refused code is typed again from scratch.
                switch form.stage {
                case .confirmSignUp, .resetPassword: form.answer = ""
                default: break
                }
            }
            return []
        }
    }

    static func handle(_ key: Key, in state: inout AppState) -> [AppEffect] {
        guard case .signIn(var form) = state.screen else { return [] }
        if key == .escape, form.stage == .credentials {
            state.shouldQuit = true
            return []
        }
        let outcome = form.handle(
            key, options: state.signInOptions, offersCode: state.offersSignInWithCode,
            passwordOptional: state.allowsSignUpWithoutPassword)
        state.screen = .signIn(form)
        switch outcome {
        case .submit(let username, let password): return [.signIn(username: username, password: password)]
        case .signInWithCode(let username): return [.signInWithCode(username: username)]
        case .answer(let answer): return [.answerSignIn(answer)]
        case .signUp(let username, let email, let password):
            return [.signUp(username: username, email: email, password: password)]
        case .confirmSignUp(let username, let code): return [.confirmSignUp(username: username, code: code)]
        case .forgotPassword(let username): return [.forgotPassword(username: username)]
        case .resetPassword(let username, let code, let newPassword):
            return [.resetPassword(username: username, code: code, newPassword: newPassword)]
        case .external(.provider(let name)): return [.startWebSignIn(provider: name)]
        case .external(.otherDevice): return [.startDeviceSignIn]
        case .cancelExternal: return [.cancelExternalSignIn]
        case .cancel, .none: return []
        }
    }

    /// Changes the sign-in form if it is showing (a late answer after leaving it changes nothing).
    private static func update(_ state: inout AppState, _ change: (inout SignInState) -> Void) {
        guard case .signIn(var form) = state.screen else { return }
        change(&form)
        state.screen = .signIn(form)
    }
}
