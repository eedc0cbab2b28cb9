import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so that readers see either the old or the new content, never a torn one.
package enum AtomicFile {
    /// Writes `data` to a temporary file beside `url` with `permissions`, flushes it, and renames it over `url`.
    package static func write(_ data: Data, to url: URL, permissions: mode_t = 0o644) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, permissions)
        guard descriptor >= 0 else { throw POSIXFailure(operation: "create", path: temporary.path) }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do {
            try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
                var offset = 0
                while offset < buffer.count {
                    let written = posixWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw POSIXFailure(operation: "write", path: temporary.path)
                    }
                    offset += written
                }
            }
            // The mode given to open(2) is filtered by the umask; set it exactly.
            guard fchmod(descriptor, permissions) == 0, fsync(descriptor) == 0 else {
                throw POSIXFailure(operation: "flush", path: temporary.path)
            }
            closed = true
            guard close(descriptor) == 0 else { throw POSIXFailure(operation: "close", path: temporary.path) }
            guard rename(temporary.path, url.path) == 0 else {
                throw POSIXFailure(operation: "rename", path: url.path)
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }
}

private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
