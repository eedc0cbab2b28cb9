import Foundation
import HandsetCloudStorage
import HandsetWire

/// Which request log lines `handset-cloud logs` shows: every `--filter key=value` must hold, and the line must be no
/// older than `--since`.
///
/// A filter value matches the field's text exactly, except that `*` matches any run of characters
/// (`route=/api/tasks*`) and, for numbers, `x` matches any digit (`status=4xx`).
public struct RequestLogQuery: Sendable, Equatable {
    public struct Filter: Sendable, Equatable {
        public var key: String
        public var pattern: String

        /// Parses `key=value`.
        public init?(_ text: String) {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return nil }
            key = String(text[..<equals])
            pattern = String(text[text.index(after: equals)...])
        }

        func matches(_ entry: [String: JSONValue]) -> Bool {
            let text: String
            switch entry[key] {
            case .string(let value)?: text = value
            case .number?: text = String(decoding: entry[key]!.encoded(), as: UTF8.self)
            case .bool(let value)?: text = String(value)
            case .null?, nil: text = "null"
            default: return false
            }
            return Self.glob(
                Array(pattern.unicodeScalars), Array(text.unicodeScalars), numeric: entry[key]?.doubleValue != nil)
        }

        private static func glob(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar], numeric: Bool) -> Bool {
            // Iterative wildcard matching: `*` any run, `x` any digit in numbers.
            var p = 0
            var t = 0
            var star: Int?
            var resume = 0
            while t < text.count {
                if p < pattern.count, pattern[p] == "*" {
                    star = p
                    resume = t
                    p += 1
                } else if p < pattern.count,
                    pattern[p] == text[t]
                        || (numeric && pattern[p] == "x" && CharacterSet.decimalDigits.contains(text[t]))
                {
                    p += 1
                    t += 1
                } else if let star {
                    p = star + 1
                    resume += 1
                    t = resume
                } else {
                    return false
                }
            }
            while p < pattern.count, pattern[p] == "*" { p += 1 }
            return p == pattern.count
        }
    }

    public var filters: [Filter]
    public var since: Date?

    public init(filters: [Filter] = [], since: Date? = nil) {
        self.filters = filters
        self.since = since
    }

    /// `--since`: a duration back from `now` (`90s`, `15m`, `2h`, `7d`) or an RFC 3339 time.
    public static func since(_ text: String, now: Date) -> Date? {
        if let last = text.last, let unit = ["s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0][String(last)],
            let amount = Double(text.dropLast()), amount >= 0
        {
            return now.addingTimeInterval(-amount * unit)
        }
        return Timestamp.date(from: text) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    /// The line's entry if it passes, `nil` if it does not or is not a log entry.
    public func entry(ifMatching line: Substring) -> [String: JSONValue]? {
        guard let entry = try? JSONValue.parse(Data(line.utf8)).objectValue else { return nil }
        if let since {
            guard let time = entry["time"]?.stringValue.flatMap(Timestamp.date(from:)), time >= since else {
                return nil
            }
        }
        return filters.allSatisfy { $0.matches(entry) } ? entry : nil
    }
}

/// One request log entry as a line for people:
/// `2026-11-27T12:46:51.739Z 201 POST   /api/tasks   api.create   3.210 ms  sub=683e03f1  id=e5e65ba0-...`.
public enum RequestLogFormat {
    public static func line(_ entry: [String: JSONValue]) -> String {
        func text(_ key: String) -> String {
            switch entry[key] {
            case .string(let value)?: return value
            case .number(let value)?:
                return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
            default: return "-"
            }
        }
        let latency = entry["latencyMs"]?.doubleValue.map { String(format: "%.3f ms", $0) } ?? "-"
        let sub = entry["sub"]?.stringValue.map { "sub=" + $0.prefix(8) } ?? "sub=-"
        return [
            text("time"), text("status"), pad(text("method"), 6), pad(text("route"), 32), pad(text("function"), 20),
            pad(latency, 11), pad(sub, 12), "id=" + text("requestId"),
        ].joined(separator: " ")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

/// Reads a request log from an offset, for `logs` and `logs --follow`. A log that shrank (truncated or replaced) is
/// read again from its start.
public struct RequestLogTail: Sendable {
    public let file: URL
    public private(set) var offset: UInt64 = 0
    private var partial = Data()

    public init(file: URL) {
        self.file = file
    }

    /// The complete lines written since the last call.
    public mutating func newLines() throws -> [Substring] {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return [] }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        if size < offset {
            offset = 0
            partial = Data()
        }
        try handle.seek(toOffset: offset)
        let data = try handle.readToEnd() ?? Data()
        offset += UInt64(data.count)
        partial.append(data)
        guard let lastNewline = partial.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        let complete = partial[partial.startIndex...lastNewline]
        partial = Data(partial[partial.index(after: lastNewline)...])
        return String(decoding: complete, as: UTF8.self).split(separator: "\n")
    }
}
