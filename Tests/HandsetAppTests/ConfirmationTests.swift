import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetApp

/// What cannot be undone is asked first (issue 11 item 10).
@Suite struct ConfirmationTests {
    func listState() -> AppState { KeysPaletteMouseTests().listState() }

    @Test func signingOutEverywhereAsksAndAnyOtherKeyKeepsTheSession() {
        var state = listState()
        _ = AppCore.update(&state, .key(.character("A")))
        #expect(AppCore.update(&state, .key(.character("O"))) == [])
        #expect(state.confirmation?.question.hasPrefix("Sign out on every device?") == true)
        #expect(AppCore.update(&state, .key(.character("n"))) == [])
        #expect(state.confirmation == nil && state.user != nil && state.screen == .account)
        #expect(state.message?.text == "Nothing changed")
        // From the palette too.
        _ = AppCore.update(&state, .key(.control("p")))
        _ = AppCore.update(&state, .key(.paste("sign out everywhere")))
        #expect(AppCore.update(&state, .key(.enter)) == [])
        #expect(state.confirmation?.action == .signOutEverywhere)
        #expect(AppCore.update(&state, .key(.character("Y"))) == [.signOut(everywhere: true)])
        // Signing out of this device only is not asked: it is undone by signing in.
        _ = AppCore.update(&state, .key(.character("A")))
        #expect(AppCore.update(&state, .key(.character("o"))) == [.signOut(everywhere: false)])
    }

    @Test func turningTheAuthenticatorOffAsks() {
        var state = listState()
        _ = AppCore.update(&state, .key(.character("A")))
        _ = AppCore.update(&state, .account(.mfaLoaded(.init(enabled: ["SOFTWARE_TOKEN_MFA"], preferred: nil))))
        #expect(AppCore.update(&state, .key(.character("x"))) == [])
        #expect(AppCore.update(&state, .key(.escape)) == [], "Esc keeps it")
        #expect(state.account.hasAuthenticatorApp)
        _ = AppCore.update(&state, .key(.character("x")))
        #expect(AppCore.update(&state, .key(.character("y"))) == [.disableTOTP])
    }

    @Test func uploadingOverAnAttachmentAsksBeforeAskingForTheFile() {
        var state = AttachmentFlowTests().state()
        _ = AppCore.update(&state, .key(.down))
        _ = AppCore.update(&state, .key(.enter))
        _ = AppCore.update(&state, .key(.character("u")))
        #expect(state.attachments.prompt == nil)
        #expect(
            state.confirmation?.question
                == "Replace report.pdf in Attachment? y chooses a new file, any other key keeps it")
        _ = AppCore.update(&state, .key(.character("u")))
        #expect(state.confirmation == nil && state.attachments.prompt == nil, "u again is any other key")
        _ = AppCore.update(&state, .key(.character("u")))
        _ = AppCore.update(&state, .key(.character("y")))
        #expect(
            state.attachments.prompt
                == PromptState(purpose: .upload(collection: "tasks", recordId: "t1", field: "attachment")))
        // A record without a file is not asked about.
        var empty = AttachmentFlowTests().state()
        _ = AppCore.update(&empty, .key(.enter))
        _ = AppCore.update(&empty, .key(.character("u")))
        #expect(empty.confirmation == nil && empty.attachments.prompt != nil)
    }

    @Test func ctrlCInAChangedFormAsksAndASecondCtrlCQuits() {
        var state = listState()
        _ = AppCore.update(&state, .key(.character("e")))
        _ = AppCore.update(&state, .key(.control("c")))
        #expect(state.shouldQuit, "nothing changed: Ctrl-C quits at once")
        state = listState()
        _ = AppCore.update(&state, .key(.character("e")))
        _ = AppCore.update(&state, .key(.character("!")))
        _ = AppCore.update(&state, .key(.control("c")))
        #expect(!state.shouldQuit)
        #expect(state.confirmation?.question == "The changes in this form are lost. Quit? y quits, any other key stays")
        _ = AppCore.update(&state, .key(.character("n")))
        guard case .edit(let form) = state.screen else {
            Issue.record("the form closed")
            return
        }
        #expect(form.values["title"] == "Task 0!", "the edit is still there")
        _ = AppCore.update(&state, .key(.control("c")))
        _ = AppCore.update(&state, .key(.control("c")))
        #expect(state.shouldQuit)
    }

    @Test func quittingWithWritesNotYetSentSaysHowMany() {
        var state = listState()
        _ = AppCore.update(&state, .sync(.countsLoaded(pending: 3, conflicts: 0)))
        _ = AppCore.update(&state, .key(.character("q")))
        #expect(!state.shouldQuit)
        #expect(
            state.confirmation?.question
                == "3 changes have not reached the cloud yet; kept on this device, sent when you are back. Quit? y quits, any other key stays"
        )
        _ = AppCore.update(&state, .key(.character("y")))
        #expect(state.shouldQuit)
        var one = listState()
        _ = AppCore.update(&one, .sync(.countsLoaded(pending: 1, conflicts: 0)))
        _ = AppCore.update(&one, .key(.control("q")))
        #expect(one.confirmation?.question.hasPrefix("1 change has not reached") == true)
        var none = listState()
        _ = AppCore.update(&none, .key(.character("q")))
        #expect(none.shouldQuit, "nothing waiting: q quits at once")
    }
}
