import Foundation
import Testing

@testable import HandsetSRP

/// Expected values were computed independently in Python (`pow`, `hashlib`) from cognito.md's definitions.
@Suite("SRP arithmetic")
struct SRPTests {
    static let salt = hex("8f3b2c1d00112233445566778899aabb")
    static let poolName = "AbCdEf123"

    @Test(
        "padHex makes values even-length and non-negative",
        arguments: [
            ("", "00"), ("00", "00"), ("01", "01"), ("7f", "7f"), ("80", "0080"), ("0abc", "0abc"),
            ("000abc", "0abc"), ("001234", "1234"), ("ff00", "00ff00"), ("0000ff", "00ff"),
        ])
    func padHex(input: String, expected: String) {
        #expect(SRPPadding.hex(hex(input)) == expected)
    }

    @Test("N is RFC 3526's 3072-bit prime and g is 2")
    func group() {
        let group = SRPGroup.cognito
        #expect(group.byteCount == 384)
        #expect(toHex(Array(group.prime.prefix(12))) == "ffffffffffffffffc90fdaa2")
        #expect(toHex(Array(group.prime.suffix(12))) == "a93ad2caffffffffffffffff")
        #expect(group.generator == [2])
    }

    @Test("k = H(padHex(N) | padHex(g))")
    func multiplier() {
        #expect(
            toHex(SRPGroup.cognito.multiplier) == "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6")
    }

    @Test("x and v match an independent computation")
    func verifierMatchesReference() throws {
        let x = SRPVerifier.privateKey(
            salt: Self.salt, poolName: Self.poolName, userIdForSRP: "alice", password: "Wonderland-42!")
        #expect(toHex(x) == "041d45fba7a990184bdea16d736266b33402a7c880aa11815588f5b12e0521d7")
        let verifier = try SRPVerifier.make(
            password: "Wonderland-42!", poolName: Self.poolName, userIdForSRP: "alice", salt: Self.salt)
        #expect(toHex(verifier.verifier) == Self.referenceVerifier)
        #expect(verifier.verifier.count == 384)
    }

    @Test("a salt with a leading zero byte is hashed without it, as Cognito's clients do")
    func saltWithLeadingZero() throws {
        let salt = hex("0012b2c3d4e5f60718293a4b5c6d7e8f")
        let x = SRPVerifier.privateKey(
            salt: salt, poolName: Self.poolName, userIdForSRP: "alice", password: "Wonderland-42!")
        #expect(toHex(x) == "652e63af502c63252298f18efed4f780ecb6358b05749904db5f116c138d1bf0")
        let verifier = try SRPVerifier.make(
            password: "Wonderland-42!", poolName: Self.poolName, userIdForSRP: "alice", salt: salt)
        #expect(toHex(Array(verifier.verifier.prefix(16))) == "3711c3ef18af0d3d71804ac2e5c02898")
    }

    @Test("the same password gives the same verifier; any other input does not")
    func verifierComparison() throws {
        let stored = try SRPVerifier.make(password: "Wonderland-42!", poolName: Self.poolName, userIdForSRP: "alice")
        #expect(stored.salt.count == 16)
        #expect(try stored.matches(password: "Wonderland-42!", poolName: Self.poolName, userIdForSRP: "alice"))
        #expect(try !stored.matches(password: "Wonderland-42", poolName: Self.poolName, userIdForSRP: "alice"))
        #expect(try !stored.matches(password: "wonderland-42!", poolName: Self.poolName, userIdForSRP: "alice"))
        #expect(try !stored.matches(password: "Wonderland-42!", poolName: "Other", userIdForSRP: "alice"))
        #expect(try !stored.matches(password: "Wonderland-42!", poolName: Self.poolName, userIdForSRP: "bob"))

        let again = try SRPVerifier.make(password: "Wonderland-42!", poolName: Self.poolName, userIdForSRP: "alice")
        #expect(again.salt != stored.salt, "every verifier gets a fresh salt")
        #expect(again.verifier != stored.verifier)
    }

    @Test("modular arithmetic helpers")
    func arithmetic() throws {
        let group = SRPGroup.cognito
        #expect(try group.isZeroModulo(group.prime))
        #expect(try group.isZeroModulo(group.prime + [0]), "256·N")
        #expect(try group.isZeroModulo([]))
        #expect(try !group.isZeroModulo([1]))
        #expect(try group.multiply([2], [3]).suffix(2) == [0, 6])
        var primeMinusOne = group.prime
        primeMinusOne[primeMinusOne.count - 1] -= 1
        #expect(try group.add(primeMinusOne, [1]).allSatisfy { $0 == 0 })
        #expect(try group.power([3], [2]).suffix(1) == [9])
        #expect(try group.generatorPower([10]).suffix(2) == [4, 0])
    }

    static let referenceVerifier =
        "19362a6ce5e1fddccbab2552b77e0d8fac425dc8521828e4f66595d11ebca41866d1714fbfe16c8baec1427b3e48a35b"
        + "fc3bc2b5d01c5b49a834a8beb7d779a0ae2e77b36d56e363271ce7fdc05633fa903637e29570a7560c8370a2358e10ce"
        + "3c3ca74d7dd16f2903a3d38fad0a109dd11c05b87384b1bffb9aef51d1344e401fc75d0f44909c2b275dd4be5c881a31"
        + "fb3a31848297793a7ea96017fa81694736eacd6cd154f92ee5f6653d1d59aa2cc4a8c5c7c458fa8b2b184f98fa136dd7"
        + "d18bfb816cc824706d358eb8cce1f94b56004f20c3a9095e9fd3a6bc14b7f2ac3897c5c04630a96e3dd179c5915467a8"
        + "5ae2d179f3a847c3abc7d89eb0c2a8fd2f4cc8338d5b453de46545e8fb6bc92685373470ba637b798d7a72ebeffcc6e3"
        + "bcedddb1ed4cb891ce2e2059317404d83d41ed2f8fc8a0ab36b6876e8b7cebe649524d69537d1a87ba05e700c4825065"
        + "ddbc2a6810320d5d55f4bdf11dcb774a9b6e383bc649ef847b793419c10e40ab49b202624d5b02c8f33d4ac20e15c14b"
}

func hex(_ string: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = string.startIndex
    while index < string.endIndex {
        let next = string.index(index, offsetBy: 2)
        bytes.append(UInt8(string[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

func toHex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}
