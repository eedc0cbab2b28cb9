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

/// Object bytes on disk and their rows, kept in step: an upload streams into `incoming/`, is flushed, and is renamed
/// into `standard/` only when it is complete and exactly the signed size; its row is written after the rename, so
/// an interrupted upload leaves nothing that any route shows. Removing an object drops its row first, then its file.
struct ObjectStore: Sendable {
    let directory: DataDirectory
    let repository: any ObjectMetadataRepository
    let records: any RecordRepository
    let now: @Sendable () -> Date

    /// Creates the storage directories (0700) and clears uploads a previous run left unfinished.
    static func prepare(_ directory: DataDirectory) throws {
        let fileManager = FileManager.default
        for folder in [
            directory.objectsDirectory, directory.standardObjects, directory.archivedObjects,
            directory.incomingObjects,
        ] {
            do {
                if !fileManager.fileExists(atPath: folder.path) {
                    try fileManager.createDirectory(
                        at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                }
            } catch {
                throw CloudStartupError.dataDirectoryUnavailable(path: folder.path, reason: "\(error)")
            }
        }
        for name in (try? fileManager.contentsOfDirectory(atPath: directory.incomingObjects.path)) ?? [] {
            unlink(directory.incomingObjects.appendingPathComponent(name).path)
        }
    }

    func fileURL(of object: StoredObject) -> URL {
        (object.tier == .standard ? directory.standardObjects : directory.archivedObjects)
            .appendingPathComponent(object.file)
    }

    /// Streams an upload to disk and makes it visible once complete. Throws `S3Error.incompleteBody` when the body
    /// ends early, breaks off or runs past `size`.
    func receive<Body: AsyncSequence & Sendable>(
        _ body: Body, key: ObjectKey, size: Int, contentType: String, owner: String, originalName: String? = nil,
        context: some RequestContext
    ) async throws -> StoredObject where Body.Element == ByteBuffer {
        let temporary = directory.incomingObjects.appendingPathComponent(UUID().uuidString.lowercased())
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
        let fileName = UUID().uuidString.lowercased()
        let destination = directory.standardObjects.appendingPathComponent(fileName)
        guard rename(temporary.path, destination.path) == 0 else {
            let failure = POSIXFailure(operation: "rename", path: destination.path)
            unlink(temporary.path)
            throw failure
        }
        let record = try? await records.record(collection: key.collection, id: key.recordId)
        let referenced = record.map { !$0.deleted && Self.referencedStrings(in: $0.body).contains(key.description) }
        let object = StoredObject(
            key: key.description, collection: key.collection, recordId: key.recordId, field: key.field, owner: owner,
            file: fileName, size: size, contentType: contentType, eTag: "\"\(meter.md5Hex)\"", tier: .standard,
            attached: referenced ?? false, createdAt: now(), fileName: originalName)
        do {
            if let replaced = try await repository.put(object) { removeFile(of: replaced) }
        } catch {
            unlink(destination.path)
            throw error
        }
        return object
    }

    /// Whether `owner` holding one more unattached upload of `size` bytes would pass the quota.
    func exceedsUnattachedQuota(owner: String, adding size: Int, settings: ObjectStorageSettings) async throws -> Bool {
        let usage = try await repository.unattachedUsage(owner: owner)
        return usage.count >= settings.unattachedQuotaCount || usage.bytes + size > settings.unattachedQuotaBytes
    }

    /// Stores `bytes` under `key` as an upload of `owner`'s would be (the demo's seeded attachment).
    func store(_ bytes: Data, key: ObjectKey, contentType: String, owner: String, attached: Bool) async throws {
        let fileName = UUID().uuidString.lowercased()
        let destination = directory.standardObjects.appendingPathComponent(fileName)
        try bytes.write(to: destination, options: .atomic)
        let md5 = Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let object = StoredObject(
            key: key.description, collection: key.collection, recordId: key.recordId, field: key.field, owner: owner,
            file: fileName, size: bytes.count, contentType: contentType, eTag: "\"\(md5)\"", tier: .standard,
            attached: attached, createdAt: now())
        do {
            if let replaced = try await repository.put(object) { removeFile(of: replaced) }
        } catch {
            unlink(destination.path)
            throw error
        }
    }

    /// Drops the rows of these objects, then their files.
    @discardableResult
    func remove(keys: [String]) async throws -> [StoredObject] {
        let removed = try await repository.remove(keys: keys)
        for object in removed { removeFile(of: object) }
        return removed
    }

    func removeFile(of object: StoredObject) {
        unlink(fileURL(of: object).path)
    }

    /// Moves an object's bytes to the archive store and marks it GLACIER.
    func archive(_ object: StoredObject, at date: Date) async throws {
        let source = directory.standardObjects.appendingPathComponent(object.file)
        let destination = directory.archivedObjects.appendingPathComponent(object.file)
        guard rename(source.path, destination.path) == 0 else {
            throw POSIXFailure(operation: "archive", path: source.path)
        }
        do {
            try await repository.markArchived(key: object.key, at: date)
        } catch {
            rename(destination.path, source.path)
            throw error
        }
    }

    /// Every string a record's body holds, at the top level or in a top-level array: the keys it refers to.
    static func referencedStrings(in body: [String: JSONValue]) -> Set<String> {
        var strings: Set<String> = []
        for value in body.values {
            if let text = value.stringValue {
                strings.insert(text)
            } else if let items = value.arrayValue {
                for item in items { if let text = item.stringValue { strings.insert(text) } }
            }
        }
        return strings
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
