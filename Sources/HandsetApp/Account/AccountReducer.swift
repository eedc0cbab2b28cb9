import Foundation
import HandsetModel

/// The account screen (MFA, theme, signing out), adding an authenticator app, and the end of a session.
enum AccountReducer {
    static func reduce(_ event: AccountEvent, in state: inout AppState) -> [AppEffect] {
        switch event {
        case .mfaLoaded(let settings):
            let wasSettingUp: Bool
            if case .mfaSetup = state.screen { wasSettingUp = true } else { wasSettingUp = false }
            let hadApp = state.account.hasAuthenticatorApp
            state.account.mfa = settings
            if wasSettingUp {
                state.screen = .account
                state.message = StatusMessage("Authenticator app set up: sign-ins now ask for its code")
            } else if hadApp, !state.account.hasAuthenticatorApp {
                state.message = StatusMessage("Authenticator app turned off")
            }
            return []

        case .totpSetupStarted(let secret, let uri):
            var form = SignInState(username: state.user?.username ?? "")
            form.show(.totpSetup(secret: secret, uri: uri), error: nil)
            state.screen = .mfaSetup(form)
            return []

        case .mfaFailed(let message):
            if case .mfaSetup(var form) = state.screen {
                form.isSubmitting = false
                form.answer = ""
                form.error = message
                state.screen = .mfaSetup(form)
            } else {
                state.message = StatusMessage(message, kind: .error)
            }
            return []

        case .devicesLoaded(let devices, let note):
            state.account.devices = devices
            state.account.devicesError = nil
            state.account.selectedDevice = min(state.account.selectedDevice, max(devices.count - 1, 0))
            if let note { state.message = StatusMessage(note) }
            return []

        case .devicesFailed(let message):
            state.account.devicesError = message
            state.message = StatusMessage(message, kind: .error)
            return []

        case .signedOut(let message):
            _ = state.sync.schedule.handle(.stopped)
            _ = state.inbox.poll.handle(.stopped)
            // Nothing of the person who signed out stays on screen or in memory for whoever signs in next.
            state = state.forgettingUserData()
            // The sign-in screen has no status bar: the outcome (and whether the server was told) shows on the form.
            var form = SignInState()
            form.notice = message
            state.screen = .signIn(form)
            state.message = StatusMessage(message)
            return []

        case .sessionExpired:
            // An answer to work begun before a sign-out: nobody's session expired, and the form may be half typed.
            guard state.user != nil else { return [] }
            _ = state.sync.schedule.handle(.stopped)
            state.user = nil
            state.screen = .signIn(SignInState(error: "Your session has expired; please sign in again"))
            return []
        }
    }

    static func handle(_ key: Key, in state: inout AppState) -> [AppEffect] {
        if case .mfaSetup(var form) = state.screen {
            switch form.handle(key) {
            case .answer(let code):
                state.screen = .mfaSetup(form)
                return [.verifyTOTPSetup(code: code)]
            case .cancel:
                state.screen = .account
                return []
            default:
                state.screen = .mfaSetup(form)
                return []
            }
        }
        switch key {
        case .character("o"): return [.signOut(everywhere: false)]
        case .character("O"):
            state.confirmation = Confirmation(
                "Sign out on every device? Each one must sign in again. y signs out everywhere, any other key stays",
                .signOutEverywhere)
        case .character("t"), .character("T"):
            let names = state.themeNames
            guard !names.isEmpty else { return [] }
            let index = names.firstIndex(of: state.themeName) ?? 0
            let step = key == .character("t") ? 1 : names.count - 1
            state.themeName = names[(index + step) % names.count]
            state.message = StatusMessage("Theme: \(state.themeName)")
        case .character("m"):
            state.message = StatusMessage("Asking the pool for a new authenticator key…")
            return [.startTOTPSetup]
        case .character("x") where state.account.hasAuthenticatorApp:
            state.confirmation = Confirmation(
                "Turn off the authenticator app? Sign-ins stop asking for its code. y turns it off, any other key keeps it",
                .turnOffAuthenticator)
        case .down, .character("j"):
            let count = state.account.devices?.count ?? 0
            state.account.selectedDevice = min(state.account.selectedDevice + 1, max(count - 1, 0))
        case .up, .character("k"):
            state.account.selectedDevice = max(state.account.selectedDevice - 1, 0)
        case .character("f"):
            guard let devices = state.account.devices, devices.indices.contains(state.account.selectedDevice) else {
                state.message = StatusMessage("No remembered device to forget")
                return []
            }
            let device = devices[state.account.selectedDevice]
            let which = device.isThisDevice ? "this device" : "device \(device.name ?? device.key)"
            state.confirmation = Confirmation(
                "Forget \(which)? Its next sign-in asks for the code again. y forgets it, any other key keeps it",
                .forgetDevice(key: device.key))
        case .escape, .character("q"), .left, .character("h"):
            state.screen = .list
        default:
            break
        }
        return []
    }
}
