import Foundation

/// Why the local cloud could not start; the executable prints it and exits with status 1.
public enum CloudStartupError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case dataDirectoryUnavailable(path: String, reason: String)
    case unreadableFile(path: String, reason: String)
    case unwritableFile(path: String, reason: String)
    case databaseUnavailable(path: String, reason: String)
    case invalidAPIDocument(reason: String)

    public var description: String {
        switch self {
        case .dataDirectoryUnavailable(let path, let reason):
            "cannot use data directory \(path): \(reason)"
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .unwritableFile(let path, let reason):
            "cannot write \(path): \(reason)"
        case .databaseUnavailable(let path, let reason):
            "cannot open database \(path): \(reason)"
        case .invalidAPIDocument(let reason):
            "the API document is invalid: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
