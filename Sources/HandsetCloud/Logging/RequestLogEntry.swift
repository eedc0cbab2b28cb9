import Foundation

/// One line of `<data dir>/logs/requests.log`, CloudWatch-style. Never a body, token, password or query string.
struct RequestLogEntry: Sendable, Equatable {
    var time: String
    var requestId: String
    var sub: String?
    var function: String
    var method: String
    var route: String
    var status: Int
    var latencyMs: Double

    /// The entry as one JSON object with its fields always in the same order (time first), and `"sub": null` for
    /// anonymous requests.
    var jsonLine: String {
        let fields: [(String, String)] = [
            ("time", Self.quoted(time)),
            ("requestId", Self.quoted(requestId)),
            ("sub", sub.map(Self.quoted) ?? "null"),
            ("function", Self.quoted(function)),
            ("method", Self.quoted(method)),
            ("route", Self.quoted(route)),
            ("status", String(status)),
            ("latencyMs", String(latencyMs)),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    private static func quoted(_ string: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(string)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
