import HandsetApp
import HandsetModel
import Testing

@testable import HandsetTUI

/// The sign-in screen offers Ctrl-E (a code instead of the password) only where the pool allows it.
@Suite struct SignInHintsTests {
    @Test func ctrlEIsOfferedOnlyWhenThePoolAllowsCodes() {
        var state = AppState()
        state.offersSignInWithCode = true
        #expect(Renderer.render(state, width: 120, height: 30).text.contains("Ctrl-E"))
        state.offersSignInWithCode = false
        let text = Renderer.render(state, width: 120, height: 30).text
        #expect(!text.contains("Ctrl-E") && !text.contains("a code instead"))
        #expect(text.contains("Ctrl-R"), "the other hints stay")
    }

    @Test func theSignUpFormSaysThePasswordMayStayEmptyOnlyWhereItMay() {
        var state = AppState()
        var form = SignInState()
        form.start(.signUp)
        state.screen = .signIn(form)
        #expect(!Renderer.render(state, width: 120, height: 30).text.contains("leave the password empty"))
        state.allowsSignUpWithoutPassword = true
        #expect(Renderer.render(state, width: 120, height: 30).text.contains("leave the password empty"))
    }
}
