import Foundation
import HandsetCloudStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends JSON lines to the request log: a file (created 0600) or standard output. Each line is one `write(2)` on
/// an `O_APPEND` descriptor (or a pipe, atomic up to `PIPE_BUF`), so concurrent requests never interleave within a
/// line.
final class RequestLogWriter: Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Nil when the log goes to standard output.
    let file: URL?

    /// Opens the destination a `serve` was given: the data directory's log when nil.
    convenience init(destination: RequestLogDestination, directory: DataDirectory) throws {
        switch destination {
        case .dataDirectory: try self.init(file: directory.requestLog)
        case .file(let file): try self.init(file: file)
        case .standardOutput: self.init(standardOutput: ())
        }
    }

    private init(standardOutput: Void) {
        descriptor = STDOUT_FILENO
        ownsDescriptor = false
        file = nil
    }

    init(file: URL) throws {
        let descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CloudStartupError.unwritableFile(path: file.path, reason: String(cString: strerror(errno)))
        }
        fchmod(descriptor, 0o600)
        self.descriptor = descriptor
        self.ownsDescriptor = true
        self.file = file
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    func append(_ entry: RequestLogEntry) {
        var line = Data(entry.jsonLine.utf8)
        line.append(UInt8(ascii: "\n"))
        line.withUnsafeBytes { buffer in
            _ = writeLine(descriptor, buffer.baseAddress!, buffer.count)
        }
    }
}

private func writeLine(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
