import Foundation

/// Times as people read them: in the local time zone everywhere (status bar, lists, detail, inbox), with the zone
/// named where a single time stands on its own (the detail, a notification).
public enum TimeText {
    /// An RFC 3339 time (with or without fractions of a second), or nil for other text.
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// `2026-11-27 13:34` in the local zone, for list cells and the inbox.
    public static func short(_ date: Date, timeZone: TimeZone) -> String {
        format(date, "yyyy-MM-dd HH:mm", timeZone: timeZone)
    }

    /// `2026-11-27 13:34:56 CET`: the local time and its zone, for a time read on its own.
    public static func full(_ date: Date, timeZone: TimeZone) -> String {
        format(date, "yyyy-MM-dd HH:mm:ss", timeZone: timeZone) + " " + zoneName(timeZone, at: date)
    }

    /// `CET`, or `UTC+05:30` where the zone has no common abbreviation.
    static func zoneName(_ timeZone: TimeZone, at date: Date) -> String {
        if ["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(timeZone.identifier) { return "UTC" }
        // A name such as CET or PST when the system has one (not "GMT+1": the offset below says it better).
        if let abbreviation = timeZone.abbreviation(for: date), abbreviation.allSatisfy(\.isLetter) {
            return abbreviation
        }
        let seconds = timeZone.secondsFromGMT(for: date)
        guard seconds != 0 else { return "UTC" }
        let sign = seconds < 0 ? "-" : "+"
        return String(format: "UTC%@%02d:%02d", sign, abs(seconds) / 3600, abs(seconds) % 3600 / 60)
    }

    static func format(_ date: Date, _ pattern: String, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
