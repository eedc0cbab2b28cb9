import Foundation
import HandsetCloudStorage
import HandsetWire
import Hummingbird

/// Where object bytes live, apart from their rows: in a fleet, one store that every instance reaches (a directory
/// on NFS or EFS), so that an object uploaded through one instance downloads through any other.
///
/// A blob is written whole before it has a name in a tier: an upload streams into a private temporary blob and is
/// published (flushed, then renamed) only once complete, so a reader never sees part of one. Nothing is removed at
/// start: another instance may be in the middle of an upload. Leftovers are swept by age (`sweep`).
protocol BlobStore: Sendable {
    /// Creates what the store needs; removes nothing.
    func prepare() throws

    /// Streams `body` into a new blob of `tier` standard; returns its name and MD5 once it is complete, flushed and
    /// exactly `size` bytes long. Throws `S3Error.incompleteBody` when the body ends early, breaks off or runs past.
    func receive<Body: AsyncSequence & Sendable>(
        _ body: Body, size: Int, context: some RequestContext
    ) async throws -> ReceivedBlob where Body.Element == ByteBuffer

    /// Stores `bytes` as a new standard blob; returns its name.
    func write(_ bytes: Data) throws -> String

    /// Where a blob's bytes can be read.
    func fileURL(of name: String, tier: ObjectInfo.Tier) -> URL

    /// Removes a blob; one already gone is no error.
    func remove(_ name: String, tier: ObjectInfo.Tier)

    /// Moves a blob between tiers (the lifecycle's archive step and its undo).
    func move(_ name: String, from: ObjectInfo.Tier, to: ObjectInfo.Tier) throws

    /// Removes blobs no row names (`known`) that are old enough to be nobody's work in progress; returns how many.
    func sweep(keeping known: Set<String>, policy: BlobSweepPolicy, now: Date) -> Int
}

/// A blob an upload produced.
struct ReceivedBlob: Sendable, Equatable {
    var name: String
    var md5Hex: String
}

/// How old a blob without a row must be before a sweep removes it.
struct BlobSweepPolicy: Sendable, Equatable {
    /// A published blob between its rename and its row's insert is younger than this.
    var publishedBlobs: TimeInterval = 3600
    /// An upload in progress is written to continuously; one untouched this long outlived the signed URL that
    /// started it (and any connection's idle timeout), so nobody will finish it.
    var uploadsInProgress: TimeInterval

    init(uploadsInProgress: TimeInterval) {
        self.uploadsInProgress = uploadsInProgress
    }

    /// Uploads are given the life of the URL that admits them, and never less than an hour: a connection may sit
    /// idle for up to `--idle-timeout` (at most an hour) mid-upload.
    init(settings: ObjectStorageSettings) {
        self.uploadsInProgress = max(TimeInterval(settings.urlLifetimeSeconds), 3600)
    }
}
