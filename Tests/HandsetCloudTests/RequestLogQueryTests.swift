import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

@Suite("handset-cloud logs: filters, since, follow")
struct RequestLogQueryTests {
    static let line: Substring =
        #"{"time":"2026-11-27T12:00:00.000Z","requestId":"r-1","sub":"abc","function":"api.create","method":"POST","route":"/api/tasks","status":412,"latencyMs":1.5}"#
    static let anonymous: Substring =
        #"{"time":"2026-11-27T11:00:00.000Z","requestId":"r-2","sub":null,"function":"api.authorizer","method":"GET","route":"/api/tasks/1","status":401,"latencyMs":0.2}"#

    @Test(
        "filters match a field's text, with * for any run and x for any digit",
        arguments: [
            ("status=412", true), ("status=4xx", true), ("status=5xx", false), ("status=41", false),
            ("route=/api/tasks", true), ("route=/api/*", true), ("route=/api/projects*", false),
            ("function=api.*", true), ("sub=abc", true), ("sub=null", false), ("method=GET", false),
            ("latencyMs=1.5", true), ("missing=x", false), ("requestId=r-1", true), ("route=*tasks", true),
        ])
    func filters(filter: String, matches: Bool) throws {
        let query = RequestLogQuery(filters: [try #require(RequestLogQuery.Filter(filter))])
        #expect((query.entry(ifMatching: Self.line) != nil) == matches)
    }

    @Test("every filter must hold; null subs match sub=null; non-JSON lines never match")
    func combined() throws {
        let both = RequestLogQuery(filters: ["status=4xx", "sub=null"].compactMap(RequestLogQuery.Filter.init))
        #expect(both.entry(ifMatching: Self.line) == nil)
        #expect(both.entry(ifMatching: Self.anonymous) != nil)
        #expect(RequestLogQuery().entry(ifMatching: "not json") == nil)
        #expect(RequestLogQuery.Filter("novalue") == nil)
        #expect(RequestLogQuery.Filter("=x") == nil)
        #expect(RequestLogQuery.Filter("route=")?.pattern == "")
    }

    @Test("--since takes durations and RFC 3339 times")
    func since() throws {
        let now = try #require(Timestamp.date(from: "2026-11-27T12:30:00.000Z"))
        #expect(RequestLogQuery.since("30m", now: now) == Timestamp.date(from: "2026-11-27T12:00:00.000Z"))
        #expect(RequestLogQuery.since("2h", now: now) == Timestamp.date(from: "2026-11-27T10:30:00.000Z"))
        #expect(
            RequestLogQuery.since("2026-11-27T11:30:00Z", now: now) == Timestamp.date(from: "2026-11-27T11:30:00.000Z"))
        #expect(RequestLogQuery.since("soon", now: now) == nil)
        let recent = RequestLogQuery(since: RequestLogQuery.since("45m", now: now))
        #expect(recent.entry(ifMatching: Self.line) != nil)
        #expect(recent.entry(ifMatching: Self.anonymous) == nil)
    }

    @Test("a tail returns complete new lines, keeps a partial line for later, and starts over after truncation")
    func tail() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("requests.log")
        var tail = RequestLogTail(file: file)
        #expect(try tail.newLines().isEmpty, "no file yet")
        try Data("one\ntw".utf8).write(to: file)
        #expect(try tail.newLines() == ["one"])
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("o\nthree\n".utf8))
        try handle.close()
        #expect(try tail.newLines() == ["two", "three"])
        #expect(try tail.newLines().isEmpty)
        try Data("new\n".utf8).write(to: file)
        #expect(try tail.newLines() == ["new"])
    }

    @Test("the pretty line has the time, status, method, route, function, latency, short sub and request id")
    func prettyLine() throws {
        let entry = try #require(RequestLogQuery().entry(ifMatching: Self.line))
        let line = RequestLogFormat.line(entry)
        #expect(line.hasPrefix("2026-11-27T12:00:00.000Z 412 POST   /api/tasks "))
        for part in ["api.create", "1.500 ms", "sub=abc", "id=r-1"] { #expect(line.contains(part), "\(line)") }
    }
}

@Suite("Request log: hand-written formats")
struct RequestLogFormatTests {
    @Test("log times are written exactly as Timestamp writes them")
    func times() {
        for seconds in [0.0, 1_795_000_000.123, 1_795_000_000.9999, 951_782_400.5, 4_102_444_799.999, -1.5] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(RequestLogTime.string(from: date) == Timestamp.string(from: date), "\(seconds)")
        }
    }

    @Test("request ids are lowercase UUIDs, different every time")
    func requestIds() {
        let ids = (0..<100).map { _ in RequestID.make() }
        #expect(Set(ids).count == 100)
        for id in ids {
            #expect(UUID(uuidString: id) != nil && id == id.lowercased() && id.count == 36, "\(id)")
        }
    }
}
