/// A one-line question at the bottom of the screen (a file path).
public struct PromptState: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        /// Upload the file at the typed path into `collection/recordId.field`.
        case upload(collection: String, recordId: String, field: String)
        /// Save the object `key` to the typed path.
        case download(key: String)
        /// A file is at `path` already: replace it with the object `key`? (y/n)
        case replaceFile(key: String, path: String)
    }

    public var purpose: Purpose
    /// The answer being typed.
    public var input: TextInput

    public init(purpose: Purpose, text: String = "") {
        self.purpose = purpose
        self.input = TextInput(text)
    }

    public var text: String { input.text }

    public var title: String {
        switch purpose {
        case .upload(_, _, let field): return "Upload a file to \(field) (path)"
        case .download: return "Save the attachment to"
        case .replaceFile(_, let path): return "\(path) exists: replace it? (y/n)"
        }
    }
}
