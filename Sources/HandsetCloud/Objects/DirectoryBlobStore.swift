import Crypto
import Foundation
import HandsetCloudStorage
import HandsetWire
import Hummingbird

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Object bytes as files in one directory: `standard/` (the STANDARD tier), `archive/` (GLACIER) and `incoming/`
/// (uploads in progress, each under a fresh UUID). Every instance of a fleet may share the directory (NFS, EFS):
/// names are UUIDs, publishing is a rename within the directory (atomic on one file system), and nothing is cleared
/// at start. On Linux an upload's file has no name until it is complete (`O_TMPFILE`); where the file system lacks
/// that (NFS), it is a `.tmp-…` file in `incoming/` that the sweep removes by age like any leftover.
struct DirectoryBlobStore: BlobStore {
    let root: URL

    var standard: URL { root.appendingPathComponent("standard", isDirectory: true) }
    var archive: URL { root.appendingPathComponent("archive", isDirectory: true) }
    var incoming: URL { root.appendingPathComponent("incoming", isDirectory: true) }

    func prepare() throws {
        let fileManager = FileManager.default
        for folder in [root, standard, archive, incoming] {
            do {
                if !fileManager.fileExists(atPath: folder.path) {
                    try fileManager.createDirectory(
                        at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                }
            } catch {
                // Another instance may have created it between the check and the call.
                if !fileManager.fileExists(atPath: folder.path) {
                    throw CloudStartupError.dataDirectoryUnavailable(path: folder.path, reason: "\(error)")
                }
            }
        }
    }

    func receive<Body: AsyncSequence & Sendable>(
        _ body: Body, size: Int, context: some RequestContext
    ) async throws -> ReceivedBlob where Body.Element == ByteBuffer {
        let temporary = incoming.appendingPathComponent(UUID().uuidString.lowercased())
        let meter = UploadMeter(limit: size)
        do {
            try await FileIO().writeFile(
                contents: MeteredBody(base: body, meter: meter), path: temporary.path, context: context)
            guard meter.count == size else { throw S3Error.incompleteBody }
            try await Self.flush(temporary.path)
        } catch {
            unlink(temporary.path)
            if error is CancellationError { throw error }
            throw S3Error.incompleteBody
        }
        let name = UUID().uuidString.lowercased()
        let destination = standard.appendingPathComponent(name)
        guard rename(temporary.path, destination.path) == 0 else {
            let failure = POSIXFailure(operation: "rename", path: destination.path)
            unlink(temporary.path)
            throw failure
        }
        return ReceivedBlob(name: name, md5Hex: meter.md5Hex)
    }

    func write(_ bytes: Data) throws -> String {
        let name = UUID().uuidString.lowercased()
        try bytes.write(to: standard.appendingPathComponent(name), options: .atomic)
        return name
    }

    func fileURL(of name: String, tier: ObjectInfo.Tier) -> URL {
        folder(of: tier).appendingPathComponent(name)
    }

    func remove(_ name: String, tier: ObjectInfo.Tier) {
        unlink(fileURL(of: name, tier: tier).path)
    }

    func move(_ name: String, from: ObjectInfo.Tier, to: ObjectInfo.Tier) throws {
        let source = fileURL(of: name, tier: from)
        guard rename(source.path, fileURL(of: name, tier: to).path) == 0 else {
            throw POSIXFailure(operation: "move", path: source.path)
        }
    }

    func sweep(keeping known: Set<String>, policy: BlobSweepPolicy, now: Date) -> Int {
        var removed = 0
        let folders: [(URL, TimeInterval)] = [
            (standard, policy.publishedBlobs), (archive, policy.publishedBlobs), (incoming, policy.uploadsInProgress),
        ]
        for (folder, minimumAge) in folders {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            where !known.contains(name) {
                let path = folder.appendingPathComponent(name).path
                // The file's own time, not the row's: an upload in progress touches it with every write.
                guard
                    let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate]
                        as? Date, now.timeIntervalSince(modified) > minimumAge
                else { continue }
                if unlink(path) == 0 { removed += 1 }
            }
        }
        return removed
    }

    private func folder(of tier: ObjectInfo.Tier) -> URL {
        tier == .standard ? standard : archive
    }

    /// fsync(2) off the cooperative thread pool: a large file can take a while.
    static func flush(_ path: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    continuation.resume(throwing: POSIXFailure(operation: "open", path: path))
                    return
                }
                let result = fsync(descriptor)
                close(descriptor)
                if result == 0 {
                    continuation.resume()
                } else {
                    continuation.resume(throwing: POSIXFailure(operation: "flush", path: path))
                }
            }
        }
    }
}
