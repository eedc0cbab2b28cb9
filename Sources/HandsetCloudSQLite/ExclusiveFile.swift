import Foundation
import HandsetCloudStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files created once: of several processes creating the same file at once, exactly one's content lands, whole,
/// and every one of them reads that content afterwards.
enum ExclusiveFile {
    /// The file's content, written from `make()` first when the file does not exist.
    static func readOrCreate(
        _ url: URL, permissions: mode_t, make: () throws -> Data
    ) throws -> Data {
        if let data = try? Data(contentsOf: url) { return data }
        let data = try make()
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).new")
        try AtomicFile.write(data, to: temporary, permissions: permissions)
        defer { unlink(temporary.path) }
        // link(2) fails when the name exists: the first process's file stays, complete (it was flushed before).
        if link(temporary.path, url.path) != 0 && errno != EEXIST {
            throw POSIXFailure(operation: "create", path: url.path)
        }
        return try Data(contentsOf: url)
    }
}
