import Foundation

/// DATETIME and TIMESTAMP values to and from RFC 3339. A DATETIME holds a wall-clock time with no zone: the mapping
/// says which zone it is a local time of (UTC unless told). A TIMESTAMP is an instant, read and written in UTC
/// (the cloud's sessions run with `time_zone = '+00:00'`). Fractions are kept to the microsecond as integers, so no
/// digit is lost on the way through a `Double`.
package struct LegacyDateTime: Sendable, Equatable {
    /// Seconds since 1970 (UTC).
    package var seconds: Int64
    /// 0 ... 999,999.
    package var microseconds: Int

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` as a local time of `zone`; `nil` for a zero or partly zero date
    /// (`0000-00-00 00:00:00`, `2024-00-10 …`), which has no instant.
    package static func parse(column text: String, zone: TimeZone) -> LegacyDateTime? {
        guard let parts = Parts(text, dateTimeSeparators: [UInt8(ascii: " "), UInt8(ascii: "T")]), parts.month > 0,
            parts.day > 0
        else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(
            year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute,
            second: parts.second)
        guard let date = calendar.date(from: components) else { return nil }
        return LegacyDateTime(seconds: Int64(date.timeIntervalSince1970.rounded()), microseconds: parts.microseconds)
    }

    /// An RFC 3339 date-time (any offset), or `nil` when `text` is not one.
    package static func parse(rfc3339 text: String) -> LegacyDateTime? {
        guard let parts = Parts(text, dateTimeSeparators: [UInt8(ascii: "T"), UInt8(ascii: "t")]), parts.month > 0,
            parts.day > 0,
            let offset = parts.offsetSeconds
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(
            year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute,
            second: min(parts.second, 59))
        guard let date = calendar.date(from: components) else { return nil }
        return LegacyDateTime(
            seconds: Int64(date.timeIntervalSince1970.rounded()) - Int64(offset), microseconds: parts.microseconds)
    }

    /// RFC 3339 in UTC with `digits` fractional digits (0 ... 6): `2024-05-06T07:08:09.120Z`.
    package func rfc3339(digits: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return Self.format(c, separator: "T", microseconds: microseconds, digits: digits) + "Z"
    }

    /// The column's text for a local time of `zone`, with `digits` fractional digits (more are cut off).
    package func columnText(zone: TimeZone, digits: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return Self.format(c, separator: " ", microseconds: microseconds, digits: digits)
    }

    private static func format(_ c: DateComponents, separator: String, microseconds: Int, digits: Int) -> String {
        var text =
            pad(c.year ?? 0, 4) + "-" + pad(c.month ?? 0, 2) + "-" + pad(c.day ?? 0, 2) + separator
            + pad(c.hour ?? 0, 2) + ":" + pad(c.minute ?? 0, 2) + ":" + pad(c.second ?? 0, 2)
        let digits = max(0, min(6, digits))
        if digits > 0 { text += "." + String(pad(microseconds, 6).prefix(digits)) }
        return text
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// The numbers of `YYYY-MM-DD?HH:MM:SS[.f…][Z|±HH:MM]`.
    private struct Parts {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, microseconds = 0
        /// Seconds east of UTC; `nil` when no offset was written.
        var offsetSeconds: Int?

        init?(_ text: String, dateTimeSeparators: Set<UInt8>) {
            let bytes = Array(text.utf8)
            guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                dateTimeSeparators.contains(bytes[10]), bytes[13] == UInt8(ascii: ":"),
                bytes[16] == UInt8(ascii: ":"),
                let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]),
                let day = Self.number(bytes[8..<10]), let hour = Self.number(bytes[11..<13]),
                let minute = Self.number(bytes[14..<16]), let second = Self.number(bytes[17..<19]),
                month <= 12, day <= 31, hour < 24, minute < 60, second <= 60
            else { return nil }
            (self.year, self.month, self.day, self.hour, self.minute, self.second) = (
                year, month, day, hour, minute, second
            )
            var rest = bytes[19...]
            if rest.first == UInt8(ascii: ".") {
                rest = rest.dropFirst()
                let digits = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                guard !digits.isEmpty else { return nil }
                let kept =
                    Array(digits.prefix(6)) + Array(repeating: UInt8(ascii: "0"), count: max(0, 6 - digits.count))
                microseconds = Self.number(kept[...]) ?? 0
                rest = rest.dropFirst(digits.count)
            }
            if rest.isEmpty { return }
            if rest.count == 1, rest.first == UInt8(ascii: "Z") || rest.first == UInt8(ascii: "z") {
                offsetSeconds = 0
                return
            }
            let offset = Array(rest)
            guard offset.count == 6, offset[0] == UInt8(ascii: "+") || offset[0] == UInt8(ascii: "-"),
                offset[3] == UInt8(ascii: ":"), let hours = Self.number(offset[1..<3]),
                let minutes = Self.number(offset[4..<6]), hours < 24, minutes < 60
            else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (offset[0] == UInt8(ascii: "-") ? -1 : 1)
        }

        private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
            var value = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
    }
}
