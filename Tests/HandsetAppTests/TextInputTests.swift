import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetApp

/// Line editing, as every text input of the app does it.
@Suite struct TextInputTests {
    func typed(_ text: String, _ keys: [Key], rules: TextInput.Rules = .singleLine) -> TextInput {
        var input = TextInput(text)
        for key in keys { input.handle(key, rules: rules) }
        return input
    }

    @Test func cursorMovesAndTypingInsertsThere() {
        var input = TextInput("helo")
        #expect(input.cursor == 4, "a text starts with the cursor at its end")
        input.handle(.left)
        input.handle(.character("l"))
        #expect(input.text == "hello" && input.cursor == 4)
        input.handle(.home)
        input.handle(.character("¡"))
        #expect(input.text == "¡hello" && input.cursor == 1)
        input.handle(.end)
        #expect(input.cursor == 6)
        input.handle(.right)
        #expect(input.cursor == 6, "→ at the end stays")
        for _ in 0..<10 { input.handle(.left) }
        #expect(input.cursor == 0, "← at the start stays")
        input.handle(.control("e"))
        #expect(input.cursor == 6)
        input.handle(.control("a"))
        #expect(input.cursor == 0)
        input.handle(.delete)
        #expect(input.text == "hello")
        input.handle(.backspace)
        #expect(input.text == "hello", "Backspace at the start deletes nothing")
    }

    @Test func wordMovesAndKillsAndYank() {
        var input = TextInput("call the plumber-today")
        input.handle(.alt("b"))
        #expect(input.cursor == 17, "a word back: the start of today")
        input.handle(.controlLeft)
        #expect(input.cursor == 9)
        input.handle(.alt("f"))
        #expect(input.cursor == 16)
        input.handle(.controlRight)
        #expect(input.cursor == 22)
        input.handle(.control("w"))
        #expect(input.text == "call the plumber-" && input.killed == "today")
        input.handle(.control("a"))
        input.handle(.control("k"))
        #expect(input.text == "" && input.killed == "call the plumber-")
        input.handle(.control("y"))
        #expect(input.text == "call the plumber-" && input.cursor == 17)
        input.handle(.alt("b"))
        input.handle(.control("u"))
        #expect(input.text == "plumber-" && input.killed == "call the " && input.cursor == 0)
        input.handle(.alt("d"))
        #expect(input.text == "-")
        #expect(typed("one two", [.alt("\u{7F}")]).text == "one ", "Alt-Backspace cuts a word back")
    }

    @Test func aPasteIsOneInsertionOnOneLineUnlessTheTextIsMultiline() {
        let pasted = "first line\r\nsecond\tline\nthird\u{1B}[31m"
        let single = typed("> ", [.paste(pasted)])
        #expect(
            single.text == "> first line second line third[31m",
            "line breaks and tabs become spaces, control characters go")
        #expect(single.cursor == single.text.count)
        let multi = typed("", [.paste(pasted)], rules: .multiline)
        #expect(multi.text == "first line\nsecond line\nthird[31m")
        var middle = TextInput("ab")
        middle.handle(.left)
        middle.handle(.paste("XY"))
        #expect(middle.text == "aXYb" && middle.cursor == 3)
    }

    @Test func codesTakeUpToEightDigits() {
        let code = typed("", [.character("1"), .character("a"), .paste("23 45-67890")], rules: .code)
        #expect(code.text == "12345678")
    }

    @Test func enterMakesALineOnlyInMultilineText() {
        var input = TextInput("ab")
        let handled = input.handle(.enter)
        #expect(!handled, "Enter is the caller's on one line")
        input.handle(.left)
        input.handle(.enter, rules: .multiline)
        #expect(input.text == "a\nb")
        input.handle(.end, rules: .multiline)
        #expect(input.cursor == 3, "End goes to the end of the line")
        input.handle(.home, rules: .multiline)
        #expect(input.cursor == 2, "Home to its start")
    }

    @Test func keysThatAreNotEditingAreLeftToTheCaller() {
        var input = TextInput("x")
        for key: Key in [.tab, .backTab, .escape, .up, .down, .pageUp, .control("s"), .control("x")] {
            let handled = input.handle(key)
            #expect(!handled, "\(key)")
        }
        #expect(input.text == "x")
    }
}

/// The edit form's text fields edit in place; choices stay choices (issue 11 item 1).
@Suite struct FormLineEditingTests {
    static let collection = CollectionSchema(
        name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title"],
        fields: [
            FieldSchema(name: "title", kind: .text, required: true),
            FieldSchema(name: "notes", kind: .longText),
            FieldSchema(name: "status", kind: .enumeration, enumValues: ["todo", "doing", "done"]),
            FieldSchema(name: "done", kind: .boolean),
            FieldSchema(name: "due", kind: .date),
        ])
    static let record = Record(
        id: "t1", version: 1, updatedAt: "", owner: "s", fields: ["title": "Call plumber", "due": "2026-12-01"])

    func form() -> EditFormState { EditFormState(collection: Self.collection, record: Self.record) }

    @Test func arrowsInARequiredTextFieldMoveTheCursorInsteadOfCrashing() {
        var form = form()
        #expect(form.focusedField?.name == "title" && form.cursor == 12)
        // Before: ← divided by zero here (no options to cycle in a required text field).
        _ = form.handle(.left, collection: Self.collection)
        _ = form.handle(.left, collection: Self.collection)
        _ = form.handle(.right, collection: Self.collection)
        #expect(form.cursor == 11)
        _ = form.handle(.home, collection: Self.collection)
        for character in "Please " { _ = form.handle(.character(character), collection: Self.collection) }
        _ = form.handle(.end, collection: Self.collection)
        for character in " now" { _ = form.handle(.character(character), collection: Self.collection) }
        #expect(form.values["title"] == "Please Call plumber now")
    }

    @Test func arrowsInAnOptionalTextFieldKeepItsText() {
        var form = form()
        for _ in 0..<4 { _ = form.handle(.tab, collection: Self.collection) }
        #expect(form.focusedField?.name == "due")
        _ = form.handle(.left, collection: Self.collection)
        #expect(form.values["due"] == "2026-12-01", "← used to empty an optional field")
        _ = form.handle(.control("w"), collection: Self.collection)
        #expect(form.values["due"] == "2026-12-1")
        _ = form.handle(.right, collection: Self.collection)
        _ = form.handle(.backspace, collection: Self.collection)
        #expect(form.values["due"] == "2026-12-")
    }

    @Test func choicesStillStepWithTheArrows() {
        var form = form()
        _ = form.handle(.tab, collection: Self.collection)
        _ = form.handle(.tab, collection: Self.collection)
        #expect(form.focusedField?.name == "status")
        _ = form.handle(.right, collection: Self.collection)
        #expect(form.values["status"] == "todo")
        _ = form.handle(.left, collection: Self.collection)
        #expect(form.values["status"] == "")
        _ = form.handle(.left, collection: Self.collection)
        #expect(form.values["status"] == "done")
        _ = form.handle(.backspace, collection: Self.collection)
        #expect(form.values["status"] == "", "an optional choice can be cleared")
        _ = form.handle(.tab, collection: Self.collection)
        _ = form.handle(.character(" "), collection: Self.collection)
        #expect(form.values["done"] == "true")
    }

    @Test func aMultiLinePasteGoesIntoTheFocusedFieldOnly() {
        var form = form()
        _ = form.handle(.control("u"), collection: Self.collection)
        _ = form.handle(.paste("Fix the boiler\nbefore Friday\n"), collection: Self.collection)
        #expect(form.values["title"] == "Fix the boiler before Friday", "the final line break goes")
        #expect(form.focusedField?.name == "title", "the paste did not move on to other fields")
        #expect(form.values["notes"] == "")
        _ = form.handle(.tab, collection: Self.collection)
        _ = form.handle(.paste("line one\nline two"), collection: Self.collection)
        #expect(form.values["notes"] == "line one\nline two", "long text keeps the lines")
        _ = form.handle(.enter, collection: Self.collection)
        #expect(form.values["notes"] == "line one\nline two\n")
    }

    @Test func homeAndEndCloseNothing() {
        var form = form()
        #expect(form.handle(.home, collection: Self.collection) == .none)
        #expect(form.handle(.end, collection: Self.collection) == .none)
        #expect(form.values["title"] == "Call plumber")
    }

    @Test func theSignInFieldsEditInPlace() {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: nil, cachedSchema: nil, lastSyncedAt: nil))
        for character in "alce" { _ = AppCore.update(&state, .key(.character(character))) }
        _ = AppCore.update(&state, .key(.left))
        _ = AppCore.update(&state, .key(.left))
        _ = AppCore.update(&state, .key(.character("i")))
        _ = AppCore.update(&state, .key(.tab))
        _ = AppCore.update(&state, .key(.paste("pass word \n")))
        _ = AppCore.update(&state, .key(.control("a")))
        _ = AppCore.update(&state, .key(.delete))
        guard case .signIn(let form) = state.screen else {
            Issue.record("not on sign-in")
            return
        }
        #expect(form.username == "alice")
        #expect(form.password == "ass word ", "pasted on one line, edited from its start")
        #expect(AppCore.update(&state, .key(.enter)) == [.signIn(username: "alice", password: "ass word ")])
    }

    @Test func theFilterThePaletteAndThePromptEditInPlace() {
        var state = KeysPaletteMouseTests().listState()
        _ = AppCore.update(&state, .key(.character("/")))
        for character in "tsk" { _ = AppCore.update(&state, .key(.character(character))) }
        _ = AppCore.update(&state, .key(.left))
        _ = AppCore.update(&state, .key(.left))
        #expect(AppCore.update(&state, .key(.character("a"))) == [.searchRecords(collection: "tasks", text: "task")])
        #expect(AppCore.update(&state, .key(.home)) == [], "moving the cursor searches nothing")
        _ = AppCore.update(&state, .key(.enter))
        _ = AppCore.update(&state, .key(.control("p")))
        _ = AppCore.update(&state, .key(.paste("inbx")))
        _ = AppCore.update(&state, .key(.left))
        _ = AppCore.update(&state, .key(.character("o")))
        #expect(state.palette?.text == "inbox")
        #expect(AppCore.update(&state, .key(.enter)) == [.loadInbox])
    }
}

@Suite struct AltKeyTests {
    @Test func altOutsideATextInputIsEscThenTheKeyPressedQuickly() {
        var state = KeysPaletteMouseTests().listState()
        _ = AppCore.update(&state, .key(.enter))
        #expect(state.screen == .detail(recordId: "t0"))
        #expect(AppCore.update(&state, .key(.alt("i"))) == [.loadInbox], "Esc back to the list, then i")
        #expect(state.screen == .inbox(selected: 0))
        // In a text input, Alt-B is a word back; another Alt key is still Esc and the key.
        _ = AppCore.update(&state, .key(.escape))
        _ = AppCore.update(&state, .key(.character("/")))
        _ = AppCore.update(&state, .key(.paste("two words")))
        _ = AppCore.update(&state, .key(.alt("b")))
        #expect(state.list?.filterCursor == 4)
        _ = AppCore.update(&state, .key(.alt("x")))
        #expect(state.list?.filter == nil, "Esc cleared the filter")
    }
}
