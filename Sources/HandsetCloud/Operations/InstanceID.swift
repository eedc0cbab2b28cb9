import Foundation

/// Names one running instance in the request log, `/healthz` and the metrics: the host's name and a random suffix,
/// unless `serve --instance-id` gives one (an ECS task id, a pod name).
public enum InstanceID {
    /// `<hostname>-<6 hex digits>`; different at each start, so a restarted instance is told apart from itself.
    public static func generate() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "handset"
        let suffix = SecureRandom.bytes(3).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        return "\(host.isEmpty ? "handset" : host)-\(suffix)"
    }

    /// An id as an operator may give one: 1 to 64 of letters, digits, `.`, `-`, `_` and `:`, so that it needs no
    /// escaping in a log line or a metrics label.
    public static func isValid(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ":")
            }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
