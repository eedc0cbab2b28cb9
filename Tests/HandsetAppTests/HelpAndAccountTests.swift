import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetApp

@Suite struct HelpAndAccountTests {
    @Test func questionMarkOpensFilterableHelpButTypesInForms() {
        var state = EditingTests().listState()
        _ = AppCore.update(&state, .key(.character("?")))
        #expect(state.help?.text == "")
        _ = AppCore.update(&state, .key(.character("s")))
        _ = AppCore.update(&state, .key(.character("y")))
        #expect(state.help?.text == "sy")
        #expect(KeyHelp.entries(for: state.screen).contains { $0.action.contains("sync") })
        _ = AppCore.update(&state, .key(.escape))
        #expect(state.help == nil)
        _ = AppCore.update(&state, .key(.character("n")))
        _ = AppCore.update(&state, .key(.character("?")))
        #expect(state.help == nil, "in a form, ? is a character")
        guard case .edit(let form) = state.screen else {
            Issue.record("expected the edit form, got \(state.screen)")
            return
        }
        #expect(form.values["title"] == "?")
    }

    @Test func signingOutReturnsToSignIn() {
        var state = EditingTests().listState()
        _ = AppCore.update(&state, .key(.character("A")))
        #expect(state.screen == .account)
        #expect(AppCore.update(&state, .key(.character("O"))) == [], "signing out everywhere is asked first")
        #expect(AppCore.update(&state, .key(.character("y"))) == [.signOut(everywhere: true)])
        _ = AppCore.update(&state, .account(.signedOut(message: "Signed out everywhere")))
        #expect(state.user == nil)
        var form = SignInState()
        form.notice = "Signed out everywhere"
        #expect(state.screen == .signIn(form), "the sign-in form says how the sign-out went")
        #expect(AppCore.update(&state, .tick(Date())).isEmpty, "no polling or syncing once signed out")
    }
}
