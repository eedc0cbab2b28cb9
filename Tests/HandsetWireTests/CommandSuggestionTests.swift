import Testing

@testable import HandsetWire

@Suite("A word that is no command")
struct CommandSuggestionTests {
    let commands = ["ls", "get", "put", "rm", "sync", "status", "login", "logout", "inbox", "help"]

    @Test("a command is left to the parser")
    func command() {
        for name in commands { #expect(CommandSuggestion.message(for: name, commands: commands, program: "x") == nil) }
    }

    @Test("a typo is named with the nearest command; a word near none gets no guess")
    func suggestions() {
        #expect(
            CommandSuggestion.message(for: "lst", commands: commands, program: "handset")
                == "'lst' is not a command; did you mean 'ls'? (`handset --help` lists the commands)")
        #expect(CommandSuggestion.message(for: "synk", commands: commands, program: "h")?.contains("'sync'?") == true)
        #expect(CommandSuggestion.message(for: "LOGIN", commands: commands, program: "h")?.contains("'login'?") == true)
        let doubled = CommandSuggestion.message(for: "inboxx", commands: commands, program: "h")
        #expect(doubled?.contains("'inbox'?") == true)
        let far = CommandSuggestion.message(for: "bogus", commands: commands, program: "h")
        #expect(far == "'bogus' is not a command (`h --help` lists the commands)")
    }

    @Test("a synonym suggests its command, whatever the edit distance; one naming no command is ignored")
    func synonyms() {
        let synonyms = ["show": "get", "delete": "rm", "enlist": "nothing-of-that-name"]
        #expect(
            CommandSuggestion.message(for: "show", commands: commands, program: "h", synonyms: synonyms)
                == "'show' is not a command; did you mean 'get'? (`h --help` lists the commands)")
        #expect(
            CommandSuggestion.message(for: "Delete", commands: commands, program: "h", synonyms: synonyms)?
                .contains("'rm'?") == true)
        #expect(
            CommandSuggestion.message(for: "enlist", commands: commands, program: "h", synonyms: synonyms)
                == "'enlist' is not a command (`h --help` lists the commands)")
        #expect(CommandSuggestion.message(for: "get", commands: commands, program: "h", synonyms: synonyms) == nil)
    }

    @Test("what goes back to the terminal is plain and short, whatever the word holds")
    func hostileWords() throws {
        let escape = try #require(
            CommandSuggestion.message(for: "\u{1B}]0;owned\u{07}x", commands: commands, program: "h"))
        #expect(!escape.contains("\u{1B}") && !escape.contains("\u{07}"))
        let long = try #require(
            CommandSuggestion.message(for: String(repeating: "a", count: 100_000), commands: commands, program: "h"))
        #expect(long.count < 120)
    }

    @Test("edit distance")
    func distance() {
        #expect(CommandSuggestion.editDistance("", "ls") == 2)
        #expect(CommandSuggestion.editDistance("kitten", "sitting") == 3)
        #expect(CommandSuggestion.editDistance("sync", "sync") == 0)
    }
}
