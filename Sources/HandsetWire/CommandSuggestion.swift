/// What a command-line tool says when a word where its command belongs is none of its commands. Both executables
/// have a default command (`handset ui`, `handset-cloud serve`) that takes no words, so the argument parser would
/// report `lst` as an unexpected argument of that default command and print its usage, which misleads.
public enum CommandSuggestion {
    /// The message for `word` (without the program's name), or nil when it is one of `commands`. A command that
    /// `synonyms` gives for the word (`show` for `get`), else a near command (an edit or so away), is suggested.
    public static func message(
        for word: String, commands: [String], program: String, synonyms: [String: String] = [:]
    ) -> String? {
        guard !commands.contains(word) else { return nil }
        // Only plain characters go back to the terminal: the word may hold escape sequences.
        let shown = String(
            word.prefix(40).map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:/".contains($0)) ? $0 : "?" })
        var message = "'\(shown)' is not a command"
        let lowered = word.lowercased()
        if let synonym = synonyms[lowered], commands.contains(synonym) {
            return message + "; did you mean '\(synonym)'? (`\(program) --help` lists the commands)"
        }
        let near = commands.map { (name: $0, distance: editDistance(lowered, $0)) }
            .filter { $0.distance <= max(1, min($0.name.count, word.count) / 3) }
            .min { $0.distance < $1.distance }
        if let near { message += "; did you mean '\(near.name)'?" }
        return message + " (`\(program) --help` lists the commands)"
    }

    /// The Levenshtein distance between `a` (its first 64 characters) and `b`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.prefix(64))
        let b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
