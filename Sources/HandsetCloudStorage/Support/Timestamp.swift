import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// RFC 3339 timestamps in UTC with milliseconds (`2026-11-27T12:00:00.000Z`), which also sort as text.
package enum Timestamp {
    /// Years 0 to 9999; a date outside them (only reachable from a damaged row) is written at the nearest end.
    package static let representable: ClosedRange<Double> = -62_167_219_200...253_402_300_799

    package static func string(from date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let clamped = interval.isNaN ? 0 : min(max(interval, representable.lowerBound), representable.upperBound)
        let milliseconds = Int64((clamped * 1000).rounded(.down))
        var seconds = time_t(milliseconds.dividedRoundingDown(by: 1000))
        let fraction = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
            Int32(fraction))
    }

    /// Parses a timestamp written by `string(from:)` (or any RFC 3339 time with fractional seconds).
    package static func date(from string: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(string)
    }
}

extension Int64 {
    fileprivate func dividedRoundingDown(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
