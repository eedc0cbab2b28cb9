import COpenSSL

/// An SRP-6a group (a safe prime N and a generator g) with arithmetic modulo N done by OpenSSL's BIGNUM.
///
/// Values cross this API as big-endian unsigned byte arrays, so that callers never touch OpenSSL types. Results are
/// left-padded to the length of N.
public struct SRPGroup: Sendable, Equatable {
    /// N, big-endian, without leading zero bytes.
    public let prime: [UInt8]
    /// g, big-endian, without leading zero bytes.
    public let generator: [UInt8]
    /// N, g and N's Montgomery context as OpenSSL numbers, made once here instead of at every operation; nil only
    /// when OpenSSL could not allocate them (every operation then throws `outOfMemory`).
    private let storedNumbers: SRPModulus?

    public init(prime: [UInt8], generator: [UInt8]) {
        self.prime = Array(prime.drop { $0 == 0 })
        self.generator = Array(generator.drop { $0 == 0 })
        self.storedNumbers = try? SRPModulus(prime: self.prime, generator: self.generator)
    }

    public static func == (lhs: SRPGroup, rhs: SRPGroup) -> Bool {
        lhs.prime == rhs.prime && lhs.generator == rhs.generator
    }

    /// The length of N in bytes (384 for the 3072-bit group).
    public var byteCount: Int { prime.count }

    /// The 3072-bit MODP group of RFC 3526 with g = 2, the group Cognito's SRP uses.
    public static let cognito = SRPGroup(
        prime: hexBytes(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
                + "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
                + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
                + "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
                + "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
                + "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"),
        generator: [2])

    /// g^exponent mod N. Constant time in the exponent, which is usually secret.
    public func generatorPower(_ exponent: [UInt8]) throws(SRPArithmeticError) -> [UInt8] {
        let numbers = try self.numbers()
        return try numbers.withContext { context throws(SRPArithmeticError) in
            try constantTimePower(numbers.generator, exponent, numbers: numbers, context: context)
        }
    }

    /// base^exponent mod N. Constant time in the exponent.
    public func power(_ base: [UInt8], _ exponent: [UInt8]) throws(SRPArithmeticError) -> [UInt8] {
        let numbers = try self.numbers()
        return try numbers.withContext { context throws(SRPArithmeticError) in
            let reducedBase = try reduced(BigNumber(bytes: base), numbers: numbers, context: context)
            return try constantTimePower(reducedBase, exponent, numbers: numbers, context: context)
        }
    }

    /// base^exponent mod N for a public exponent (such as u): faster, not constant time.
    public func publicPower(_ base: [UInt8], _ exponent: [UInt8]) throws(SRPArithmeticError) -> [UInt8] {
        let numbers = try self.numbers()
        return try numbers.withContext { context throws(SRPArithmeticError) in
            let reducedBase = try reduced(BigNumber(bytes: base), numbers: numbers, context: context)
            let power = try BigNumber(bytes: exponent)
            let result = try BigNumber()
            let status = withExtendedLifetime((numbers, reducedBase, power, result)) {
                BN_mod_exp_mont(
                    result.pointer, reducedBase.pointer, power.pointer, numbers.modulus.pointer, context.pointer,
                    numbers.montgomery)
            }
            guard status == 1 else { throw .operationFailed }
            return try result.bytes(paddedTo: byteCount)
        }
    }

    /// (lhs * rhs) mod N.
    public func multiply(_ lhs: [UInt8], _ rhs: [UInt8]) throws(SRPArithmeticError) -> [UInt8] {
        try modularOperation(lhs, rhs, BN_mod_mul)
    }

    /// (lhs + rhs) mod N.
    public func add(_ lhs: [UInt8], _ rhs: [UInt8]) throws(SRPArithmeticError) -> [UInt8] {
        try modularOperation(lhs, rhs, BN_mod_add)
    }

    /// (lhs - rhs) mod N, never negative.
    public func subtract(_ lhs: [UInt8], _ rhs: [UInt8]) throws(SRPArithmeticError) -> [UInt8] {
        try modularOperation(lhs, rhs, BN_mod_sub)
    }

    /// value mod N.
    public func reduce(_ value: [UInt8]) throws(SRPArithmeticError) -> [UInt8] {
        let numbers = try self.numbers()
        return try numbers.withContext { context throws(SRPArithmeticError) in
            try reduced(BigNumber(bytes: value), numbers: numbers, context: context).bytes(paddedTo: byteCount)
        }
    }

    /// Whether value mod N is 0; SRP aborts when a peer's public value is.
    public func isZeroModulo(_ value: [UInt8]) throws(SRPArithmeticError) -> Bool {
        try reduce(value).allSatisfy { $0 == 0 }
    }

    /// addend + factor1 * factor2 as plain integers (not reduced), big-endian without leading zeros.
    ///
    /// SRP's client exponent a + u·x is used as is, as Cognito's clients do, rather than reduced modulo N - 1.
    public func multiplyAdd(
        _ addend: [UInt8], _ factor1: [UInt8], _ factor2: [UInt8]
    ) throws(SRPArithmeticError)
        -> [UInt8]
    {
        try numbers().withContext { context throws(SRPArithmeticError) in
            let base = try BigNumber(bytes: addend)
            let left = try BigNumber(bytes: factor1)
            let right = try BigNumber(bytes: factor2)
            let product = try BigNumber()
            let result = try BigNumber()
            let status = withExtendedLifetime((context, base, left, right, product, result)) {
                BN_mul(product.pointer, left.pointer, right.pointer, context.pointer) == 1
                    && BN_add(result.pointer, base.pointer, product.pointer) == 1
            }
            guard status else { throw .operationFailed }
            return try result.minimalBytes()
        }
    }

    private func numbers() throws(SRPArithmeticError) -> SRPModulus {
        guard let storedNumbers else { throw .outOfMemory }
        return storedNumbers
    }

    /// base^exponent mod N for a base already reduced mod N, constant time in the exponent.
    private func constantTimePower(
        _ base: BigNumber, _ exponent: [UInt8], numbers: SRPModulus, context: BigNumberContext
    ) throws(SRPArithmeticError) -> [UInt8] {
        let power = try BigNumber(bytes: exponent)
        let result = try BigNumber()
        // The objects must outlive the C call that uses their pointers.
        let status = withExtendedLifetime((numbers, base, power, result, context)) {
            BN_mod_exp_mont_consttime(
                result.pointer, base.pointer, power.pointer, numbers.modulus.pointer, context.pointer,
                numbers.montgomery)
        }
        guard status == 1 else { throw .operationFailed }
        return try result.bytes(paddedTo: byteCount)
    }

    /// One of OpenSSL's `BN_mod_*(result, lhs, rhs, N, context)` operations.
    private func modularOperation(
        _ lhs: [UInt8], _ rhs: [UInt8],
        _ operation: (
            OpaquePointer?, OpaquePointer?, OpaquePointer?, OpaquePointer?, OpaquePointer?
        ) -> Int32
    ) throws(SRPArithmeticError) -> [UInt8] {
        let numbers = try self.numbers()
        return try numbers.withContext { context throws(SRPArithmeticError) in
            let left = try BigNumber(bytes: lhs)
            let right = try BigNumber(bytes: rhs)
            let result = try BigNumber()
            let status = withExtendedLifetime((numbers, context, left, right, result)) {
                operation(result.pointer, left.pointer, right.pointer, numbers.modulus.pointer, context.pointer)
            }
            guard status == 1 else { throw .operationFailed }
            return try result.bytes(paddedTo: byteCount)
        }
    }

    private func reduced(
        _ value: BigNumber, numbers: SRPModulus, context: BigNumberContext
    )
        throws(SRPArithmeticError) -> BigNumber
    {
        let result = try BigNumber()
        let status = withExtendedLifetime((value, numbers, context, result)) {
            BN_nnmod(result.pointer, value.pointer, numbers.modulus.pointer, context.pointer)
        }
        guard status == 1 else { throw .operationFailed }
        return result
    }

    private static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(nibble(high) << 4 | nibble(low))
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8 {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: character - UInt8(ascii: "A") + 10
        }
    }
}
