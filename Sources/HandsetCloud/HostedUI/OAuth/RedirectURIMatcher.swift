import Foundation
import HandsetCloudStorage

/// Whether a `redirect_uri` (or `logout_uri`) is one the client registered.
///
/// Exact string comparison, as Cognito does, so that no other URL on a registered host can receive a code (no
/// open redirect). One exception, RFC 8252 §7.3: for a registered loopback URL (`http://127.0.0.1/…`,
/// `http://[::1]/…`, and `http://localhost/…`, which the issue asks for too) any port matches, because a native app
/// listens on whichever port is free; scheme, host, path and query must still be the same.
enum RedirectURIMatcher {
    static func matches(_ candidate: String, registered: [String]) -> Bool {
        registered.contains { matches(candidate, registered: $0) }
    }

    static func matches(_ candidate: String, registered: String) -> Bool {
        if candidate == registered { return isAcceptable(candidate) }
        guard let given = URLComponents(string: candidate), let known = URLComponents(string: registered),
            isAcceptable(candidate), known.scheme == "http", given.scheme == "http",
            let host = known.host, isLoopback(host), given.host == host
        else { return false }
        return given.percentEncodedPath == known.percentEncodedPath
            && given.percentEncodedQuery == known.percentEncodedQuery
    }

    /// An absolute URL without a fragment or user information.
    static func isAcceptable(_ uri: String) -> Bool {
        guard uri.utf8.count <= 1024, let components = URLComponents(string: uri), let scheme = components.scheme,
            !scheme.isEmpty, components.fragment == nil, components.user == nil, components.password == nil
        else { return false }
        // Control characters and spaces never belong in a redirect (they would split a Location header).
        return !uri.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1"
    }
}
