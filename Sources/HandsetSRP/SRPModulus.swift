import COpenSSL
import Foundation

/// A group's N and g as OpenSSL numbers, with N's Montgomery context, made once per group rather than per
/// operation, and a few big-number scratch contexts kept for reuse.
///
/// N, g and the Montgomery context are only read after `init`, which OpenSSL allows from many threads at once; a
/// scratch context (`BN_CTX`) serves one operation at a time, so each operation takes one from the pool and gives it
/// back.
final class SRPModulus: @unchecked Sendable {
    let modulus: BigNumber
    let generator: BigNumber
    /// N's Montgomery form (R² mod N and -N⁻¹ mod the word), which every exponentiation mod N needs.
    let montgomery: OpaquePointer
    private let lock = NSLock()
    private var idleContexts: [BigNumberContext] = []
    /// More idle contexts than this are freed: as many as operations ran at once, within reason.
    private static let maximumIdleContexts = 16

    init(prime: [UInt8], generator: [UInt8]) throws(SRPArithmeticError) {
        modulus = try BigNumber(bytes: prime)
        self.generator = try BigNumber(bytes: generator)
        guard let montgomery = BN_MONT_CTX_new() else { throw .outOfMemory }
        self.montgomery = montgomery
        let context = try BigNumberContext()
        let status = withExtendedLifetime((modulus, context)) {
            BN_MONT_CTX_set(montgomery, modulus.pointer, context.pointer)
        }
        guard status == 1 else { throw .operationFailed }
        idleContexts.append(context)
    }

    deinit {
        BN_MONT_CTX_free(montgomery)
    }

    /// Runs `body` with a scratch context of its own.
    func withContext<Value>(
        _ body: (BigNumberContext) throws(SRPArithmeticError) -> Value
    ) throws(SRPArithmeticError) -> Value {
        let context: BigNumberContext
        if let reused = lock.withLock({ idleContexts.popLast() }) {
            context = reused
        } else {
            context = try BigNumberContext()
        }
        defer {
            lock.withLock {
                if idleContexts.count < Self.maximumIdleContexts { idleContexts.append(context) }
            }
        }
        return try body(context)
    }
}
