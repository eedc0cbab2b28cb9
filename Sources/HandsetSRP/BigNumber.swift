import COpenSSL

/// An OpenSSL `BIGNUM` owned by Swift. Values may be secret (exponents, session keys), so they are cleared on free.
///
/// Files that import OpenSSL must not import swift-crypto too: the two clash on the BIGNUM types.
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

    /// Big-endian bytes without leading zeros (empty for zero).
    func minimalBytes() throws(SRPArithmeticError) -> [UInt8] {
        let count = withExtendedLifetime(self) { (Int(BN_num_bits(pointer)) + 7) / 8 }
        return count == 0 ? [] : try bytes(paddedTo: count)
    }
}
