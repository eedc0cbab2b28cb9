import Foundation
import HandsetWire
import Testing

@testable import HandsetCloud

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `RequestLogWriter` off the request path: a bounded buffer, written by a thread of its own.
@Suite("Request log writer")
struct RequestLogWriterTests {
    static func entry(_ id: Int) -> RequestLogEntry {
        RequestLogEntry(
            time: "", requestId: String(format: "req-%07d", id), instance: "test", sub: nil, function: "api.list",
            method: "GET", route: "/api/tasks", status: 200, latencyMs: 0.25)
    }

    static let date = Date(timeIntervalSince1970: 1_790_000_000)

    static func requestIds(in text: String) throws -> [String] {
        try text.split(separator: "\n").map { try #require(JSONValue.parse(Data($0.utf8))["requestId"]?.stringValue) }
    }

    @Test("lines appended by many requests at once are each written once and whole by the time close() returns")
    func concurrentAppendsThenClose() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("requests.log")
        let writer = try RequestLogWriter(file: file)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<500 { writer.append(Self.entry(task * 1000 + index), at: Self.date) }
                }
            }
        }
        await writer.close()
        let text = try String(contentsOf: file, encoding: .utf8)
        let ids = try Self.requestIds(in: text)
        #expect(ids.count == 4000)
        var expected: Set<String> = []
        for task in 0..<8 {
            for index in 0..<500 { expected.insert(Self.entry(task * 1000 + index).requestId) }
        }
        #expect(Set(ids) == expected)
        // Each request's lines in the order it appended them.
        for task in 0..<8 {
            let own = ids.filter { $0.hasPrefix(String(format: "req-%04d", task)) }
            #expect(own == own.sorted())
        }
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix(#"{"time":"2026-09-21T"#) })
        #expect(writer.droppedLines == 0)

        // After close, a line is written by its caller at once.
        writer.append(Self.entry(9_999_999), at: Self.date)
        #expect(try String(contentsOf: file, encoding: .utf8).contains("req-9999999"))
    }

    @Test("when the destination stalls and the buffer is full, lines are dropped and counted; requests never wait")
    func fullBufferDrops() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        // Close-on-exec: a process another test starts meanwhile must not hold the write end open (no EOF then).
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        let dropped = DroppedCounter()
        let writer = RequestLogWriter(
            descriptor: writeEnd, ownsDescriptor: false, file: nil, capacity: 100,
            onDropped: { dropped.add($0) })
        // Nobody reads the pipe yet: the writer's thread blocks in write(2) once the pipe's buffer is full, and
        // these appends go on regardless (the test would hang here if they waited for it).
        let appended = 20_000
        for index in 0..<appended { writer.append(Self.entry(index), at: Self.date) }
        #expect(writer.droppedLines > 0)
        #expect(dropped.total == writer.droppedLines)

        // A reader drains the pipe; close() then writes what was buffered.
        let reader = Task.detached { () -> Data in
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(readEnd, &buffer, buffer.count)
                if count <= 0 { return data }
                data.append(contentsOf: buffer[0..<count])
            }
        }
        await writer.close()
        close(writeEnd)
        let text = String(decoding: await reader.value, as: UTF8.self)
        close(readEnd)
        let ids = try Self.requestIds(in: text)
        #expect(ids.count + writer.droppedLines == appended, "every line is either written whole or counted")
        #expect(ids == ids.sorted(), "written in the order they came")
        #expect(ids.first == Self.entry(0).requestId)
        // The buffer's 100 lines plus what the pipe and the batch in hand held: most of the 20,000 were dropped.
        #expect(ids.count < appended / 2)
    }
}

private final class DroppedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add(_ value: Int) { lock.withLock { count += value } }
    var total: Int { lock.withLock { count } }
}
