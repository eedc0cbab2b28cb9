import Testing

@testable import HandsetApp

@Suite struct SignInStateTests {
    func type(_ text: String, into form: inout SignInState) {
        for character in text { _ = form.handle(.character(character)) }
    }

    @Test func tabAndEnterMoveBetweenFieldsAndEnterOnTheLastSubmits() {
        var form = SignInState()
        type("alice", into: &form)
        #expect(form.handle(.tab) == .none)
        #expect(form.focus == .password)
        type("pw", into: &form)
        #expect(form.handle(.backTab) == .none)
        #expect(form.focus == .username)
        #expect(form.handle(.enter) == .none)
        #expect(form.focus == .password)
        type("!", into: &form)
        #expect(form.handle(.enter) == .submit(username: "alice", password: "pw!"))
        #expect(form.isSubmitting)
        // Keys are ignored while the attempt is in flight.
        #expect(form.handle(.character("x")) == .none)
        #expect(form.password == "pw!")
    }

    @Test func emptyFieldsAreRefusedWithAMessage() {
        var form = SignInState(focus: .password)
        #expect(form.handle(.enter) == .none)
        #expect(form.error == "Enter your username or email")
        #expect(form.focus == .username)
        type("  bob ", into: &form)
        _ = form.handle(.enter)
        #expect(form.handle(.enter) == .none)
        #expect(form.error == "Enter your password")
        type("x", into: &form)
        #expect(form.handle(.enter) == .submit(username: "bob", password: "x"))
    }

    @Test func backspaceAndClearEditTheFocusedField() {
        var form = SignInState()
        type("alicex", into: &form)
        _ = form.handle(.backspace)
        #expect(form.username == "alice")
        _ = form.handle(.control("u"))
        #expect(form.username == "")
    }

    @Test func printedStateNeverShowsThePassword() {
        var form = SignInState()
        _ = form.handle(.tab)
        type("s3cret-pass", into: &form)
        #expect(!String(describing: form).contains("s3cret"))
        #expect(!String(reflecting: form).contains("s3cret"))
        #expect(!AppEffect.signIn(username: "a", password: "s3cret-pass").description.contains("s3cret"))
    }
}
