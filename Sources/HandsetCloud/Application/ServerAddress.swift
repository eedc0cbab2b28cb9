import Foundation

/// The server's own base URL. With port 0 the port is only known once the server listens, so it is filled in then.
final class ServerAddress: @unchecked Sendable {
    private let lock = NSLock()
    private let host: String
    private var port: Int
    private let publicURL: String?

    /// `publicURL` is where clients reach the server when that is not the bind address (a proxy in front).
    init(host: String, port: Int, publicURL: String? = nil) {
        self.host = host
        self.port = port
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// The base of every URL the server hands out (signed storage URLs): the configured public URL, else
    /// `baseURL`. Never the request's `Host`, which the client (or a page that rebinds a domain) chooses.
    var publicBaseURL: String { publicURL ?? baseURL }

    /// `http://<host>:<port>`; a wildcard bind address is shown as loopback, which is where clients on this
    /// machine reach it.
    var baseURL: String {
        let port = lock.withLock { self.port }
        let shownHost: String
        switch host {
        case "0.0.0.0", "::", "": shownHost = "127.0.0.1"
        case let host where host.contains(":"): shownHost = "[\(host)]"
        default: shownHost = host
        }
        return "http://\(shownHost):\(port)"
    }

    var currentPort: Int { lock.withLock { port } }

    func listening(on port: Int) {
        lock.withLock { self.port = port }
    }
}
