import Foundation
import HandsetCloudStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends JSON lines to the request log (created 0600). Each line is one `write(2)` on an `O_APPEND` descriptor, so
/// concurrent requests never interleave within a line.
final class RequestLogWriter: Sendable {
    private let descriptor: Int32
    let file: URL

    init(file: URL) throws {
        let descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CloudStartupError.unwritableFile(path: file.path, reason: String(cString: strerror(errno)))
        }
        fchmod(descriptor, 0o600)
        self.descriptor = descriptor
        self.file = file
    }

    deinit {
        close(descriptor)
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
