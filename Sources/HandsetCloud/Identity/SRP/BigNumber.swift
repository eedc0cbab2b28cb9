import COpenSSL

/// An OpenSSL `BIGNUM` owned by Swift. Values may be secret (exponents, session keys), so they are cleared on free.
///
/// This file and `SRPGroup.swift` are the only ones that import OpenSSL: importing it beside swift-crypto in one file
/// clashes on the BIGNUM types.
final class BigNumber {
    let pointer: OpaquePointer

    init() throws(SRPArithmeticError) {
        guard let pointer = BN_new() else { throw .outOfMemory }
        self.pointer = pointer
    }

    /// A big-endian unsigned integer.
    convenience init(bytes: [UInt8]) throws(SRPArithmeticError) {
        try self.init()
        let source = bytes.isEmpty ? [0] : bytes
        let result = source.withUnsafeBufferPointer { buffer in
            withExtendedLifetime(self) { BN_bin2bn(buffer.baseAddress, Int32(buffer.count), pointer) }
        }
        guard result != nil else { throw .outOfMemory }
    }

    deinit {
        BN_clear_free(pointer)
    }

    /// Big-endian bytes, left-padded with zeros to `length` (which must hold the value).
    func bytes(paddedTo length: Int) throws(SRPArithmeticError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        let written = output.withUnsafeMutableBufferPointer { buffer in
            withExtendedLifetime(self) { BN_bn2binpad(pointer, buffer.baseAddress, Int32(length)) }
        }
        guard written == Int32(length) else { throw .valueTooLarge }
        return output
    }
}

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

/// OpenSSL refused a big-number operation (in practice: it could not allocate memory).
enum SRPArithmeticError: Error, Equatable {
    case outOfMemory
    case valueTooLarge
    case operationFailed
}
