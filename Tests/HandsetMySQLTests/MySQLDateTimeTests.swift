import Foundation
import HandsetMySQL
import Testing

@Suite("DATETIME text")
struct MySQLDateTimeTests {
    @Test(
        "dates format as UTC DATETIME(6) text and read back to the microsecond",
        arguments: [
            (0.0, "1970-01-01 00:00:00.000000"),
            (1_715_000_000.123456, "2024-05-06 12:53:20.123456"),
            (951_782_400.5, "2000-02-29 00:00:00.500000"),
            (-1.25, "1969-12-31 23:59:58.750000"),
            (253_402_300_799, "9999-12-31 23:59:59.000000"),
        ])
    func roundTrip(seconds: Double, text: String) throws {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(MySQLDateTime.format(date) == text)
        let parsed = try #require(MySQLDateTime.parse(text))
        #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test("dates without time or fraction, and fractions of fewer digits")
    func shorterForms() {
        #expect(MySQLDateTime.parse("2024-05-06") == Date(timeIntervalSince1970: 1_714_953_600))
        #expect(MySQLDateTime.parse("2024-05-06 00:00:01") == Date(timeIntervalSince1970: 1_714_953_601))
        #expect(MySQLDateTime.parse("2024-05-06 00:00:01.5") == Date(timeIntervalSince1970: 1_714_953_601.5))
    }

    @Test(
        "zero dates and malformed text read as nil",
        arguments: [
            "0000-00-00", "0000-00-00 00:00:00", "2024-13-01", "2024-05-06 25:00:00", "2024/05/06", "", "x",
            "2024-05-06 00:00:00.1234567", "2024-05-06 00:00:00.",
        ])
    func refused(text: String) {
        #expect(MySQLDateTime.parse(text) == nil)
    }
}
