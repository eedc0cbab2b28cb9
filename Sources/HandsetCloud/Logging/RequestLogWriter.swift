import Foundation
import HandsetCloudStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends JSON lines to the request log (a file created 0600, or standard output) off the request path.
///
/// A request only puts its entry in a bounded buffer and returns; a thread of the writer's own formats the entries
/// and writes them, many lines to a `write(2)`, on an `O_APPEND` descriptor (to a pipe, at most `PIPE_BUF` bytes a
/// write, so a line is never split). The thread wakes when the buffer stops being empty and then waits
/// `gatheringDelay` for more, so a busy server pays a wake-up per batch, not per request.
///
/// When the buffer is full (the disk or the pipe's reader is slower than the requests for `capacity` lines), a
/// request's line is dropped rather than making the request wait: `droppedLines` counts them
/// (`handset_request_log_dropped_lines_total`), and the thread says how many on standard error once it catches up.
/// `close()` writes everything buffered before it returns (the server's shutdown awaits it after the last request);
/// lines appended after it are written at once, on the caller's thread, so none is lost.
final class RequestLogWriter: Sendable {
    /// Nil when the log goes to standard output.
    let file: URL?
    private let drain: RequestLogDrain

    /// Lines buffered at most before new ones are dropped: a few megabytes of entries, seconds of a busy
    /// server's requests.
    static let defaultCapacity = 16_384
    static let gatheringDelay: Duration = .milliseconds(2)

    /// Opens the destination a `serve` was given: the data directory's log when nil.
    convenience init(
        destination: RequestLogDestination, directory: DataDirectory,
        onDropped: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws {
        switch destination {
        case .dataDirectory: try self.init(file: directory.requestLog, onDropped: onDropped)
        case .file(let file): try self.init(file: file, onDropped: onDropped)
        case .standardOutput:
            self.init(descriptor: STDOUT_FILENO, ownsDescriptor: false, file: nil, onDropped: onDropped)
        }
    }

    convenience init(file: URL, onDropped: @escaping @Sendable (Int) -> Void = { _ in }) throws {
        let descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CloudStartupError.unwritableFile(path: file.path, reason: String(cString: strerror(errno)))
        }
        fchmod(descriptor, 0o600)
        self.init(descriptor: descriptor, ownsDescriptor: true, file: file, onDropped: onDropped)
    }

    /// Writes to `descriptor` (closed with the writer when `ownsDescriptor`); `capacity` lines at most wait.
    init(
        descriptor: Int32, ownsDescriptor: Bool, file: URL?, capacity: Int = defaultCapacity,
        onDropped: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.file = file
        var status = stat()
        let isRegularFile = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        drain = RequestLogDrain(
            descriptor: descriptor, ownsDescriptor: ownsDescriptor, capacity: capacity,
            largestWrite: isRegularFile ? 1 << 20 : pipeAtomicWrite, onDropped: onDropped)
        let drain = drain
        let thread = Thread { drain.run() }
        thread.name = "request log"
        thread.start()
    }

    deinit {
        // A writer that was never closed (an application built but not run) still writes what it holds, then its
        // thread ends and closes the descriptor.
        drain.finish()
    }

    /// Puts `entry` in the buffer, its `time` set from `date` when it is written. Never blocks on the disk.
    func append(_ entry: RequestLogEntry, at date: Date) {
        drain.append(RequestLogDrain.Pending(entry: entry, date: date))
    }

    /// Lines dropped so far because the buffer was full.
    var droppedLines: Int { drain.droppedTotal }

    /// Writes every buffered line and stops the thread; later lines are written by their callers.
    func close() async {
        await drain.finishAndWait()
    }
}

/// The buffer and the thread's loop behind `RequestLogWriter`.
private final class RequestLogDrain: @unchecked Sendable {
    struct Pending {
        var entry: RequestLogEntry
        var date: Date
    }

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let capacity: Int
    private let largestWrite: Int
    private let onDropped: @Sendable (Int) -> Void

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [Pending] = []
    private var spare: [Pending] = []
    private var threadWaiting = false
    private var finishing = false
    private var finished = false
    private var droppedSinceReport = 0
    private var dropped = 0
    private var waitingForFinish: [CheckedContinuation<Void, Never>] = []
    /// Serializes writes: the thread's and, after it ended, callers'.
    private let writeLock = NSLock()

    init(
        descriptor: Int32, ownsDescriptor: Bool, capacity: Int, largestWrite: Int,
        onDropped: @escaping @Sendable (Int) -> Void
    ) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.capacity = max(capacity, 1)
        self.largestWrite = largestWrite
        self.onDropped = onDropped
        pending.reserveCapacity(min(capacity, 1024))
    }

    deinit {
        // Only once neither the writer nor its thread holds this: lines appended after `close()` still use it.
        if ownsDescriptor { _ = closeDescriptor(descriptor) }
    }

    var droppedTotal: Int { condition.withLock { dropped } }

    func append(_ line: Pending) {
        condition.lock()
        if finished {
            condition.unlock()
            // The thread has ended (after `close()`): this caller writes its own line.
            writeLock.withLock { writeLines([line]) }
            return
        }
        if pending.count >= capacity {
            dropped += 1
            droppedSinceReport += 1
            condition.unlock()
            onDropped(1)
            return
        }
        pending.append(line)
        let wake = threadWaiting && pending.count == 1
        condition.unlock()
        if wake { condition.signal() }
    }

    /// The thread's loop: waits for lines, gathers for a moment, writes them; after `finish()`, writes what is left
    /// and ends.
    func run() {
        while true {
            condition.lock()
            while pending.isEmpty && !finishing {
                threadWaiting = true
                condition.wait()
                threadWaiting = false
            }
            if pending.isEmpty && finishing {
                finished = true
                let waiting = waitingForFinish
                waitingForFinish = []
                condition.unlock()
                for continuation in waiting { continuation.resume() }
                return
            }
            let gather = !finishing && pending.count < capacity / 2
            condition.unlock()
            // More lines come in while this one waits: one write for all of them.
            if gather { Thread.sleep(forTimeInterval: RequestLogWriter.gatheringDelaySeconds) }
            condition.lock()
            swap(&pending, &spare)
            let droppedNow = droppedSinceReport
            droppedSinceReport = 0
            condition.unlock()
            writeLock.withLock { writeLines(spare) }
            spare.removeAll(keepingCapacity: true)
            if droppedNow > 0 {
                let notice =
                    "handset-cloud: the request log's buffer was full: \(droppedNow) request lines were dropped\n"
                _ = notice.withCString { writeBytes(STDERR_FILENO, $0, strlen($0)) }
            }
        }
    }

    /// Asks the thread to write what is left and end, without waiting for it.
    func finish() {
        condition.lock()
        finishing = true
        condition.unlock()
        condition.signal()
    }

    func finishAndWait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if finished {
                condition.unlock()
                continuation.resume()
                return
            }
            finishing = true
            waitingForFinish.append(continuation)
            condition.unlock()
            condition.signal()
        }
    }

    /// Formats `lines` and writes them, up to `largestWrite` bytes a `write(2)` and never splitting a line.
    private func writeLines(_ lines: [Pending]) {
        var chunk: [UInt8] = []
        chunk.reserveCapacity(min(largestWrite, lines.count * 256))
        for line in lines {
            var entry = line.entry
            entry.time = RequestLogTime.string(from: line.date)
            var text = entry.jsonLine
            text.append("\n")
            let bytes = text.utf8
            if !chunk.isEmpty && chunk.count + bytes.count > largestWrite {
                writeAll(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty { writeAll(chunk) }
    }

    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = writeBytes(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // A full disk or a closed pipe: the log is best effort, the requests are not.
                }
                offset += written
            }
        }
    }
}

extension RequestLogWriter {
    static var gatheringDelaySeconds: TimeInterval {
        Double(gatheringDelay.components.seconds) + Double(gatheringDelay.components.attoseconds) / 1e18
    }
}

/// `PIPE_BUF`: writes to a pipe up to this size are never interleaved with other writers'.
#if os(Linux)
    private let pipeAtomicWrite = 4096
#else
    private let pipeAtomicWrite = 512
#endif

private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

private func closeDescriptor(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}
