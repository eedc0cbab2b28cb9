import HandsetModel
import Testing

@testable import HandsetApp

/// The other ways to sign in under the form: each provider through the browser, and another device.
@Suite struct ExternalSignInTests {
    static let options = ExternalSignInOption.available(
        providers: ["Google", "Corp"], hostedUI: true, deviceSignIn: true)

    func signInScreen() -> AppState {
        var state = AppState()
        state.signInOptions = Self.options
        state.screen = .signIn(SignInState())
        return state
    }

    func form(_ state: AppState) -> SignInState? {
        if case .signIn(let form) = state.screen { return form }
        return nil
    }

    @Test func optionsAreEachProviderThenAnotherDeviceOnlyWithManagedLogin() {
        #expect(Self.options == [.provider("Google"), .provider("Corp"), .otherDevice])
        #expect(Self.options.map(\.label) == ["Sign in with Google", "Sign in with Corp", "Sign in on another device"])
        #expect(ExternalSignInOption.available(providers: ["Google"], hostedUI: false, deviceSignIn: true).isEmpty)
        #expect(ExternalSignInOption.available(providers: [], hostedUI: true, deviceSignIn: true) == [.otherDevice])
        // A real Cognito pool has no device sign-in: only its providers are offered.
        #expect(
            ExternalSignInOption.available(providers: ["Google"], hostedUI: true, deviceSignIn: false)
                == [.provider("Google")])
    }

    @Test func tabWalksTheFieldsThenTheOptionsAndRoundAgain() {
        var state = signInScreen()
        _ = AppCore.update(&state, .key(.tab))
        #expect(form(state)?.focus == .password && form(state)?.optionFocus == nil)
        for expected in [0, 1, 2] {
            _ = AppCore.update(&state, .key(.tab))
            #expect(form(state)?.optionFocus == expected)
        }
        _ = AppCore.update(&state, .key(.tab))
        #expect(form(state)?.optionFocus == nil && form(state)?.focus == .username)
        _ = AppCore.update(&state, .key(.backTab))
        #expect(form(state)?.optionFocus == 2, "Shift-Tab from the first field goes to the last option")
        // Typing while an option has the focus changes no field.
        _ = AppCore.update(&state, .key(.character("x")))
        #expect(form(state)?.username == "" && form(state)?.password == "")
    }

    @Test func enterOnAProviderStartsTheBrowserAndEscCancelsIt() {
        var state = signInScreen()
        _ = AppCore.update(&state, .key(.backTab))
        _ = AppCore.update(&state, .key(.up))
        _ = AppCore.update(&state, .key(.up))
        #expect(form(state)?.optionFocus == 0)
        #expect(AppCore.update(&state, .key(.enter)) == [.startWebSignIn(provider: "Google")])
        #expect(form(state)?.stage == .web(provider: "Google", url: ""))
        _ = AppCore.update(&state, .signIn(.webStarted(url: "http://127.0.0.1:8080/oauth2/authorize?x")))
        #expect(form(state)?.stage == .web(provider: "Google", url: "http://127.0.0.1:8080/oauth2/authorize?x"))
        // Only Esc does anything while the browser has the sign-in; it does not quit the app.
        #expect(AppCore.update(&state, .key(.enter)).isEmpty)
        #expect(AppCore.update(&state, .key(.escape)) == [.cancelExternalSignIn])
        #expect(!state.shouldQuit)
        #expect(form(state)?.stage == .credentials && form(state)?.isSubmitting == false)
        // The address arriving after the cancel does not bring the waiting screen back.
        _ = AppCore.update(&state, .signIn(.webStarted(url: "http://late")))
        #expect(form(state)?.stage == .credentials)
    }

    @Test func ctrlDStartsAnotherDeviceAndShowsTheCodeThenEscCancels() {
        var state = signInScreen()
        #expect(AppCore.update(&state, .key(.control("d"))) == [.startDeviceSignIn])
        #expect(form(state)?.stage == .device(userCode: "", verificationURI: "", completeURI: ""))
        _ = AppCore.update(
            &state,
            .signIn(
                .deviceStarted(
                    userCode: "BCDF-GHJK", verificationURI: "http://cloud/device",
                    completeURI: "http://cloud/device?user_code=BCDF-GHJK")))
        #expect(
            form(state)?.stage
                == .device(
                    userCode: "BCDF-GHJK", verificationURI: "http://cloud/device",
                    completeURI: "http://cloud/device?user_code=BCDF-GHJK"))
        #expect(AppCore.update(&state, .key(.escape)) == [.cancelExternalSignIn])
        #expect(form(state)?.stage == .credentials)
    }

    @Test func aRefusedExternalSignInSaysWhyOnTheForm() {
        var state = signInScreen()
        _ = AppCore.update(&state, .key(.control("d")))
        _ = AppCore.update(&state, .signIn(.failed("the sign-in was denied on the other device")))
        #expect(form(state)?.stage == .credentials)
        #expect(form(state)?.error == "the sign-in was denied on the other device")
        #expect(form(state)?.isSubmitting == false)
    }

    @Test func withoutManagedLoginCtrlDAndTabDoNothingNew() {
        var state = AppState()
        state.screen = .signIn(SignInState(focus: .password))
        #expect(AppCore.update(&state, .key(.control("d"))).isEmpty)
        _ = AppCore.update(&state, .key(.tab))
        #expect(form(state)?.optionFocus == nil && form(state)?.focus == .username)
    }

    /// Found by the browser test of the TUI: after signing out, the sign-in screen had lost its other ways to sign
    /// in, and a sync answer arriving after the sign-out replaced the form with "Your session has expired".
    @Test func signingOutKeepsTheOptionsAndALateExpiryLeavesTheFormAlone() {
        var state = signInScreen()
        _ = AppCore.update(&state, .signIn(.succeeded(SignedInUser(sub: "sub-b", username: "Corp_b", email: nil))))
        _ = AppCore.update(&state, .account(.signedOut(message: "Signed out; signing the browser out too")))
        #expect(state.signInOptions == Self.options)
        for character in "alice" { _ = AppCore.update(&state, .key(.character(character))) }
        _ = AppCore.update(&state, .account(.sessionExpired))
        #expect(form(state)?.username == "alice" && form(state)?.error == nil)
        #expect(state.message?.text == "Signed out; signing the browser out too")
    }
}
