import Foundation
import HandsetModel

/// The signed-in session's tokens on disk: one 0600 file in a 0700 directory, removed on sign-out.
public struct TokenCache: Sendable {
    public let file: URL

    public init(file: URL) {
        self.file = file
    }

    public func load() -> TokenSet? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try? decoder.decode(TokenSet.self, from: data)
    }

    /// Saves `tokens`, or deletes the file when `nil`.
    public func save(_ tokens: TokenSet?) throws {
        guard let tokens else {
            if FileManager.default.fileExists(atPath: file.path) {
                try FileManager.default.removeItem(at: file)
            }
            return
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        try SecureFiles.writePrivate(try encoder.encode(tokens), to: file)
    }
}
