import Foundation
import HandsetModel
import Testing

@testable import HandsetApp

/// The account screen's remembered devices, and the sign-in form's "remember this device?" question.
@Suite struct AccountDevicesTests {
    static let devices = [
        AccountDevice(key: "us-east-1_a", name: "laptop", remembered: true, isThisDevice: true),
        AccountDevice(key: "us-east-1_b", name: "phone", remembered: false, isThisDevice: false),
    ]

    @Test func theAccountScreenListsDevicesAndForgetsOneOnlyAfterYes() {
        var state = EditingTests().listState()
        let opened = AppCore.update(&state, .key(.character("A")))
        #expect(opened.contains(.loadDevices))
        _ = AppCore.update(&state, .account(.devicesLoaded(Self.devices)))
        #expect(state.account.devices == Self.devices)

        _ = AppCore.update(&state, .key(.down))
        #expect(state.account.selectedDevice == 1)
        _ = AppCore.update(&state, .key(.down))
        #expect(state.account.selectedDevice == 1, "the selection stays on the list")
        #expect(AppCore.update(&state, .key(.character("f"))).isEmpty, "forgetting is asked first")
        #expect(state.confirmation?.question.contains("phone") == true)
        #expect(AppCore.update(&state, .key(.character("n"))).isEmpty)
        #expect(state.confirmation == nil && state.message?.text == "Nothing changed")

        _ = AppCore.update(&state, .key(.up))
        _ = AppCore.update(&state, .key(.character("f")))
        #expect(state.confirmation?.question.contains("this device") == true)
        #expect(AppCore.update(&state, .key(.character("y"))) == [.forgetDevice(key: "us-east-1_a")])

        _ = AppCore.update(
            &state, .account(.devicesLoaded([Self.devices[1]], note: "Device forgotten: its next sign-in asks")))
        #expect(state.account.devices == [Self.devices[1]])
        #expect(state.account.selectedDevice == 0)
        #expect(state.message?.text.hasPrefix("Device forgotten") == true)
    }

    @Test func withNoDevicesForgetSaysSo() {
        var state = EditingTests().listState()
        _ = AppCore.update(&state, .key(.character("A")))
        _ = AppCore.update(&state, .account(.devicesLoaded([])))
        #expect(AppCore.update(&state, .key(.character("f"))).isEmpty)
        #expect(state.confirmation == nil)
        #expect(state.message?.text == "No remembered device to forget")
    }

    @Test func rememberThisDeviceIsYesOrNoAndEscapeIsNo() {
        for (key, answer) in [(Key.character("y"), "yes"), (.enter, "yes"), (.character("n"), "no"), (.escape, "no")] {
            var form = SignInState(username: "tina")
            form.show(.rememberDevice, error: nil)
            #expect(form.stage == .rememberDevice)
            #expect(form.handle(.character("x")) == .none, "other keys do nothing")
            #expect(form.handle(key) == .answer(answer))
        }
    }
}

@Suite struct SignInWithCodeTests {
    @Test func withoutCodesInThePoolCtrlESaysSoAndAsksNothing() {
        var state = AppState()
        state.offersSignInWithCode = false
        _ = AppCore.update(&state, .launched(user: nil, cachedSchema: nil, lastSyncedAt: nil))
        for character in "emma" { _ = AppCore.update(&state, .key(.character(character))) }
        #expect(AppCore.update(&state, .key(.control("e"))).isEmpty)
        guard case .signIn(let form) = state.screen else {
            Issue.record("expected the sign-in form")
            return
        }
        #expect(form.error?.contains("offers no sign-in with a code") == true)
        #expect(form.stage == .credentials && !form.isSubmitting)
        // Signing out keeps what the app offers (it belongs to the profile, not the person).
        state.user = SignedInUser(sub: "s", username: "emma", email: nil)
        #expect(state.forgettingUserData().offersSignInWithCode == false)
    }

    @Test func ctrlEAsksForACodeForTheTypedNameAndNeedsOne() {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: nil, cachedSchema: nil, lastSyncedAt: nil))
        #expect(AppCore.update(&state, .key(.control("e"))).isEmpty)
        guard case .signIn(let empty) = state.screen else {
            Issue.record("expected the sign-in form")
            return
        }
        #expect(empty.error?.contains("Enter your username") == true)
        for character in "emma" { _ = AppCore.update(&state, .key(.character(character))) }
        #expect(AppCore.update(&state, .key(.control("e"))) == [.signInWithCode(username: "emma")])
        _ = AppCore.update(&state, .signIn(.prompt(.mfaCode(method: .email, destination: "e***@e***"), error: nil)))
        guard case .signIn(let form) = state.screen else {
            Issue.record("expected the sign-in form")
            return
        }
        #expect(form.stage == .code(method: .email, destination: "e***@e***"))
    }
}
