import Foundation

/// Everything that can go wrong talking to the cloud, phrased for the person at the keyboard.
public enum RemoteError: Error, Sendable, Equatable {
    /// No answer at all: the client is offline or the server is down. Never signs anyone out.
    case offline(String)
    /// Cognito refused (wrong password, unknown user, bad code, ...).
    case cognito(type: String, message: String)
    /// The refresh token was refused: the person must sign in again (the cache and outbox stay).
    case sessionExpired
    /// The API answered with an error status.
    case http(status: Int, message: String)
    /// The server answered something that is not what the contract says.
    case badResponse(String)

    /// A one-line message for the status bar or an inline error.
    public var message: String {
        switch self {
        case .offline(let detail): return "Offline: \(detail)"
        case .cognito(_, let message): return message
        case .sessionExpired: return "Your session has expired; please sign in again"
        case .http(let status, let message): return message.isEmpty ? "Server error \(status)" : message
        case .badResponse(let detail): return "Unexpected answer from the server: \(detail)"
        }
    }

    /// Whether the failure says nothing about the request itself (retrying later may work).
    public var isTransient: Bool {
        switch self {
        case .offline: return true
        case .http(let status, _): return status >= 500 || status == 429
        default: return false
        }
    }

    /// Any error from a call, as a `RemoteError` (transport failures become `.offline`).
    public static func from(_ error: any Error) -> RemoteError {
        if let remote = error as? RemoteError { return remote }
        if let transport = error as? TransportError { return .offline(transport.detail) }
        return .offline(String(describing: error))
    }
}
