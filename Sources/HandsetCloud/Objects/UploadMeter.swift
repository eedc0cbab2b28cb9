import Crypto
import Foundation
import Hummingbird

/// Counts and hashes an upload's bytes as they stream past, and stops it once it runs past the signed size.
final class UploadMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var hasher = Insecure.MD5()
    private var total = 0
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { lock.withLock { total } }

    var md5Hex: String {
        lock.withLock { hasher.finalize().map { String(format: "%02x", $0) }.joined() }
    }

    /// Adds a chunk; false once the total passes the limit.
    func add(_ buffer: ByteBuffer) -> Bool {
        lock.withLock {
            total += buffer.readableBytes
            buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            return total <= limit
        }
    }
}

struct UploadTooLong: Error {}

/// A request body that feeds an `UploadMeter`.
struct MeteredBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let meter: UploadMeter

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let meter: UploadMeter

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            guard meter.add(buffer) else { throw UploadTooLong() }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), meter: meter)
    }
}
