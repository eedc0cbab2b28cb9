import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The TIMESTAMP of a PASSWORD_VERIFIER answer, signed as text, so its exact spelling matters.
public enum CognitoTimestamp {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `EEE MMM d HH:mm:ss 'UTC' yyyy`, UTC, en_US_POSIX, day without leading zero.
    public static func string(from date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(weekdays[Int(parts.tm_wday)]) \(months[Int(parts.tm_mon)]) \(parts.tm_mday) "
            + "\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) UTC "
            + "\(parts.tm_year + 1900)"
    }

    /// Parses a timestamp in that format (a day with a leading zero is accepted too); `nil` otherwise, including a
    /// weekday that does not match the date.
    public static func date(from string: String) -> Date? {
        let fields = string.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 6, fields[4] == "UTC", let weekday = weekdays.firstIndex(of: fields[0]),
            let month = months.firstIndex(of: fields[1]), let day = Int32(fields[2]), (1...31).contains(day),
            let year = Int32(fields[5]), (1970...9999).contains(year)
        else { return nil }
        let time = fields[3].split(separator: ":").compactMap { Int32($0) }
        guard time.count == 3, fields[3].count == 8, (0...23).contains(time[0]), (0...59).contains(time[1]),
            (0...60).contains(time[2])
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = Int32(month)
        parts.tm_mday = day
        parts.tm_hour = time[0]
        parts.tm_min = time[1]
        parts.tm_sec = time[2]
        let seconds = timegm(&parts)
        var check = tm()
        var copy = seconds
        gmtime_r(&copy, &check)
        guard check.tm_mday == day, check.tm_wday == Int32(weekday) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func twoDigits(_ value: Int32) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
