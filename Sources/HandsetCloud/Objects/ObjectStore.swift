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

/// Object bytes (a `BlobStore`) and their rows, kept in step: an upload is published in the blob store only when it
/// is complete and exactly the signed size, and its row is written after that, so an interrupted upload leaves
/// nothing that any route shows. Removing an object drops its row first, then its bytes.
struct ObjectStore: Sendable {
    let blobs: any BlobStore
    let repository: any ObjectMetadataRepository
    let records: any RecordRepository
    let now: @Sendable () -> Date

    func fileURL(of object: StoredObject) -> URL {
        blobs.fileURL(of: object.file, tier: object.tier)
    }

    /// Streams an upload into the blob store and makes it visible once complete. Throws `S3Error.incompleteBody`
    /// when the body ends early, breaks off or runs past `size`.
    func receive<Body: AsyncSequence & Sendable>(
        _ body: Body, key: ObjectKey, size: Int, contentType: String, owner: String, originalName: String? = nil,
        context: some RequestContext
    ) async throws -> StoredObject where Body.Element == ByteBuffer {
        let blob = try await blobs.receive(body, size: size, context: context)
        let record = try? await records.record(collection: key.collection, id: key.recordId)
        let referenced = record.map { !$0.deleted && Self.referencedStrings(in: $0.body).contains(key.description) }
        let object = StoredObject(
            key: key.description, collection: key.collection, recordId: key.recordId, field: key.field, owner: owner,
            file: blob.name, size: size, contentType: contentType, eTag: "\"\(blob.md5Hex)\"", tier: .standard,
            attached: referenced ?? false, createdAt: now(), fileName: originalName)
        do {
            if let replaced = try await repository.put(object) { removeFile(of: replaced) }
        } catch {
            blobs.remove(blob.name, tier: .standard)
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
        let fileName = try blobs.write(bytes)
        let md5 = Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let object = StoredObject(
            key: key.description, collection: key.collection, recordId: key.recordId, field: key.field, owner: owner,
            file: fileName, size: bytes.count, contentType: contentType, eTag: "\"\(md5)\"", tier: .standard,
            attached: attached, createdAt: now())
        do {
            if let replaced = try await repository.put(object) { removeFile(of: replaced) }
        } catch {
            blobs.remove(fileName, tier: .standard)
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
        blobs.remove(object.file, tier: object.tier)
    }

    /// Moves an object's bytes to the archive store and marks it GLACIER.
    func archive(_ object: StoredObject, at date: Date) async throws {
        try blobs.move(object.file, from: .standard, to: .archive)
        do {
            try await repository.markArchived(key: object.key, at: date)
        } catch {
            try? blobs.move(object.file, from: .archive, to: .standard)
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
}
