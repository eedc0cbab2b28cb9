import COpenSSL

/// A scratch space for OpenSSL's big-number arithmetic, freed when done.
final class BigNumberContext {
    let pointer: OpaquePointer

    init() throws(SRPArithmeticError) {
        guard let pointer = BN_CTX_new() else { throw .outOfMemory }
        self.pointer = pointer
    }

    deinit {
        BN_CTX_free(pointer)
    }
}
