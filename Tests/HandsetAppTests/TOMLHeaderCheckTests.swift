import Foundation
import Testing

@testable import HandsetApp

/// Inputs on which toml++ (inside TOMLKit) asserted and aborted the process, found by `scripts/fuzz`: a settings or
/// theme file with a table header that does not start with a key. They must be refused with a message instead.
@Suite("TOML files: headers toml++ cannot take")
struct TOMLHeaderCheckTests {
    @Test(
        "a header whose [ is not followed by a key is refused with its line, before toml++ sees it",
        arguments: [
            ("theme = \"light\"\n[\ni]\nmouse = true\n", 2), ("[\u{FFFD}oles]\n", 1), ("a = 1\n\n[ )x]\n", 3),
            ("[[\n]]\n", 1), ("  [\t\n", 1), ("\u{FEFF}[\n", 1), ("[roles]\nfield = { attrs = [} }\n", 2),
            ("a = [\n  1,\n  }\n]\n", 3), ("a = [\u{2028}1]\n", 1),
        ])
    func refused(text: String, line: Int) {
        #expect(TOMLHeaderCheck.firstBadHeader(in: text) == line)
        #expect(throws: SettingsError.self) { try Settings.parse(text) }
    }

    @Test(
        "valid files pass: headers, arrays of tables, nested arrays over lines, brackets in strings and comments",
        arguments: [
            "[ui]\nmouse = true\n[sync]\ninterval = 30\n", "[[items]]\nname = \"x\"\n", "[ \"quoted key\" ]\n",
            "keys = [\n  [\n    1\n  ],\n  [2]\n]\n", "title = \"\"\"\n[\nnot a header\n\"\"\"\n", "a = '[' # [\n[b]\n",
            "# [\n[c]\n", "a = [ { b = 1 }, { c = [2] } ]\n", "a = \"}\" # ]\n",
        ])
    func accepted(text: String) {
        #expect(TOMLHeaderCheck.firstBadHeader(in: text) == nil)
    }

    @Test("the fuzzer's inputs are refused, not fatal")
    func fuzzFindings() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/regressions")
        let config = try String(
            decoding: Data(contentsOf: root.appendingPathComponent("config-toml/table-header-line-break")),
            as: UTF8.self)
        #expect(throws: SettingsError.self) { try Settings.parse(config) }
        let theme = try String(
            decoding: Data(contentsOf: root.appendingPathComponent("theme/table-header-invalid-utf8")), as: UTF8.self)
        #expect(TOMLHeaderCheck.firstBadHeader(in: theme) == 3)
        let array = try String(
            decoding: Data(contentsOf: root.appendingPathComponent("theme/closing-brace-in-array")), as: UTF8.self)
        #expect(TOMLHeaderCheck.firstBadHeader(in: array) == 19)
        #expect(throws: SettingsError.self) { try TOMLText.table(array, error: SettingsError.init) }
    }
}
