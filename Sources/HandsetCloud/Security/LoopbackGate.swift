import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Guards what only the developer at this machine may reach: Cognito's admin operations (whose SigV4 signatures
/// are never checked, as in other local emulators) and every `/_loopback/*` route (live codes in the mailbox, waking
/// inboxes).
///
/// Three checks, all required:
/// - the server listens on a loopback address (an address: `127.0.0.0/8` or `::1` parsed as such, or the name
///   `localhost`; never a host name that merely starts with `127.`);
/// - the peer is on a loopback address;
/// - `Host`, and `Origin` when sent, name a loopback address or `localhost`. A web page whose domain an attacker
///   rebinds to 127.0.0.1 (DNS rebinding) reaches the port from the browser, but its requests carry that domain in
///   `Host` and its origin in `Origin`, so they are refused here;
/// - the request was not relayed by a proxy (`Forwarded`, `X-Forwarded-For`, `X-Real-IP`): a load balancer on this
///   machine connects from loopback, but its callers are anywhere. A fleet's proxy must add one of these.
struct LoopbackGate: Sendable {
    let bindHost: String

    enum Refusal: Error, Equatable {
        /// The server listens on another interface.
        case notListeningOnLoopback
        /// The request comes from, or names, something other than this machine's loopback.
        case notLoopbackRequest

        func message(for what: String) -> String {
            switch self {
            case .notListeningOnLoopback: "\(what) is served only while the server listens on a loopback address"
            case .notLoopbackRequest:
                "\(what) is served only to this machine, with Host and Origin naming localhost or a loopback address"
            }
        }
    }

    /// `Host` beyond the first (which HTTP/1 parsing turns into the authority), or sent by router tests.
    static let hostField = HTTPField.Name("host")!
    /// What proxies add to a request they relay (RFC 7239, and the de facto two before it).
    static let proxyFields = ["forwarded", "x-forwarded-for", "x-real-ip"].map { HTTPField.Name($0)! }

    /// Whether the server listens only where every caller is on this machine.
    var listensOnLoopback: Bool {
        Self.isLoopbackName(bindHost)
    }

    /// Nil when the request may proceed.
    func refusal(for request: Request, context: CloudRequestContext) -> Refusal? {
        guard listensOnLoopback else { return .notListeningOnLoopback }
        if let peer = context.remoteAddress, !Self.isLoopback(peer) { return .notLoopbackRequest }
        if Self.proxyFields.contains(where: { request.headers[$0] != nil }) { return .notLoopbackRequest }
        // HTTP/1.1 requires Host; a browser always sends it. Tools that leave it out are not browsers. The first
        // Host becomes the authority; any further one stays among the fields, and must name loopback too.
        let authorities = [request.head.authority].compactMap { $0 } + request.headers[values: Self.hostField]
        for authority in authorities {
            guard let host = Self.host(ofAuthority: authority), Self.isLoopbackName(host) else {
                return .notLoopbackRequest
            }
        }
        for origin in request.headers[values: .origin] {
            guard let host = Self.host(ofOrigin: origin), Self.isLoopbackName(host) else { return .notLoopbackRequest }
        }
        return nil
    }

    // MARK: Parsing

    /// `localhost` (any case) or a literal loopback address.
    static func isLoopbackName(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        return loopbackAddressBytes(host) != nil
    }

    /// The bytes of `text` when it is a literal IPv4 or IPv6 address on loopback (IPv4-mapped included).
    static func loopbackAddressBytes(_ text: String) -> [UInt8]? {
        guard text.utf8.count <= 64, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return bytes[0] == 127 ? bytes : nil
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            let isOne = bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1
            let isMapped = bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            return isOne || (isMapped && bytes[12] == 127) ? bytes : nil
        }
        return nil
    }

    static func isLoopback(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4, .v6:
            guard let ip = address.ipAddress else { return false }
            return loopbackAddressBytes(ip) != nil
        case .unixDomainSocket:
            return true
        }
    }

    /// The host of `Host`'s value: `name`, `name:port`, `[v6]` or `[v6]:port`; nil when malformed.
    static func host(ofAuthority authority: String) -> String? {
        guard !authority.isEmpty, authority.utf8.count <= 300 else { return nil }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || isPort(rest) else { return nil }
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        if let colon = authority.lastIndex(of: ":") {
            guard isPort(authority[colon...]) else { return nil }
            return String(authority[..<colon])
        }
        return authority
    }

    /// The host of an `Origin` (`scheme://host[:port]`); nil for `null` and anything malformed.
    static func host(ofOrigin origin: String) -> String? {
        let text = origin.trimmingCharacters(in: .whitespaces)
        for scheme in ["http://", "https://"] where text.lowercased().hasPrefix(scheme) {
            return host(ofAuthority: String(text.dropFirst(scheme.count)))
        }
        return nil
    }

    /// `:` followed by 1 to 5 ASCII digits.
    private static func isPort(_ text: Substring) -> Bool {
        let digits = text.utf8.dropFirst()
        return text.first == ":" && (1...5).contains(digits.count)
            && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
