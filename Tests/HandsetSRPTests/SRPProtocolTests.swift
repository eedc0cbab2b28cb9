import Foundation
import Testing

@testable import HandsetSRP

/// The whole PASSWORD_VERIFIER exchange with fixed secrets. The expected values were computed independently in Python
/// (int `pow`, `hashlib`, `hmac`) from the formulas in cognito.md, with pycognito's `pad_hex`.
@Suite("SRP protocol: known answers")
struct SRPKnownAnswerTests {
    static let poolName = "AbCdEf123"
    static let salt = hex("8f3b2c1d00112233445566778899aabb")
    /// a[i] = (7i + 3) mod 256, 128 bytes.
    static let clientPrivate: [UInt8] = (0..<128).map { UInt8((($0 * 7) + 3) % 256) }
    /// b[i] = (13i + 5) mod 256, 32 bytes.
    static let serverPrivate: [UInt8] = (0..<32).map { UInt8((($0 * 13) + 5) % 256) }
    static let timestamp = "Tue Aug 4 08:32:12 UTC 2026"

    static let expectedA =
        "af965eeeacb97c2f08bae05e49ecdd942d2af7c56a7178a7ebdaa3008ce6270991f439e1d2d33ac21a21c8f1721e3896"
        + "bfe69e6e84556243aeb080ef4f31dc6de103c909368039f4539cf520cf825943ecd39cc3605a19ecfd8e4417065b5f80"
        + "a84388b532a5ce82c902bf85f60c4249e8e31c17d9dd3805c7795178e875d2ef6e0f4abd7c1cce06a83464db92c1cd38"
        + "ce91f1725b9f6bcd74115d5005015754ad16be572b97f0a78d95ba5be55778a8020eaa4a42ab57d0fd433c478fa486cd"
        + "ff12008d809957b844a4a1c45e26e94005a27532e02b4ad0c4eb29dd438f247d2d5fa55704295647b1c8f9ecd22f8f7b"
        + "70efb8292966532023d7398f09ee5d84880a82306ee7f90ad9a4831f173ba2b4eaf5df6de3683fe6321ce9bf93de08e9"
        + "fb641dc5979e6cb660afc60150a6781673df0d28ecab73bab715d4f8e808a5f1cecde66ca06869e298323a39f953c36e"
        + "4c711dc357c78b29eaedcf0f988474eb2274a6315367a8222414b26672df60dcc59e71220535f6686c4a3cc557ba1d50"
    static let expectedB =
        "46547becd2615af2f4c4784682bb198cb1cf3667c99fbb562c08a377a0773be1bad1066b373f61b0705c70cece19bf06"
        + "4cc1aaf0eb92d089945e47a98ec5c6aa5cc1257a43ce81f2b8f47fb7c959c0aa3cb81d41008dc51380be309bf9c1b74d"
        + "f91704f3c988098f1179915efc1101e1adafedb2fb2c3a4c62f4322b6645389f3ced727b3fcfa23a0f7efcd36cca9ba7"
        + "5174e86e309cd62c48404133eebbf51a613e64e2ec7273b06898bdd31c51b58de52a9c24bae825acbb71b5e14af3e002"
        + "eb13d5457ac0b8affe6825ebcfcefd604e8255065a7800f88e4272e5dd1bbe8d609c4bede984f9671d5a0a856e23acda"
        + "f5918a0328ae8738170a7fd1f86cb2ca58d99b7ff2155d67fe57e6fda5a5a0ebfa8f7ccc4f85cffbbf7600708b782baa"
        + "fe039a2247f1523052f45ecc4296d34fafe932dd082ff48656ace5922fb54c6a47fe3b286486f0fc4016cbc0ab8db389"
        + "f04893cd5ca3aeb4878e5f3d5f563aaa9f598fd920996e0a91ae26db27630693f1b857678379b1f162fd58c479972e03"
    static let expectedU = "fa6fcea2841641833049ef94e0502558cdb1ecb6258dbfc1cb58df9bab7359d0"
    static let expectedKey = "fda65f593e33ff22547a1ec42967a594"
    static let secretBlock = "ETBPbo2sy+oJKEdmhaTD4gEgP159nLva+Rg3VnWUs9LxEC9ObYyryukIJ0ZlhKPC"
    static let expectedSignature = "ShwSwVZu/2+XtUG7fdlOtbEle44XSs8fDGThMxl/P+M="

    static func verifier() throws -> SRPVerifier {
        try SRPVerifier.make(
            password: "Wonderland-42!", poolName: poolName, userIdForSRP: "alice", salt: salt)
    }

    @Test("A = g^a mod N, sent as minimal hex")
    func clientPublicValue() throws {
        let client = try SRPClientSession(privateValue: Self.clientPrivate)
        #expect(client.publicValueHex == Self.expectedA)
    }

    @Test("B = k·v + g^b mod N")
    func serverPublicValue() throws {
        let server = try SRPServerSession(verifier: Self.verifier(), privateValue: Self.serverPrivate)
        #expect(server.publicValueHex == Self.expectedB)
    }

    @Test("u and the derived key match")
    func scramblingAndKey() throws {
        let client = try SRPClientSession(privateValue: Self.clientPrivate)
        let server = try SRPServerSession(verifier: Self.verifier(), privateValue: Self.serverPrivate)
        let u = SRPKeyDerivation.scramblingParameter(
            clientPublicValue: client.publicValue, serverPublicValue: server.publicValue)
        #expect(SRPHex.encode(u) == Self.expectedU)
        let group = SRPGroup.cognito
        let premaster = try group.power(
            group.multiply(client.publicValue, group.power(Self.verifier().verifier, u)), Self.serverPrivate)
        let key = SRPKeyDerivation.authenticationKey(premasterSecret: premaster, scramblingParameter: u)
        #expect(SRPHex.encode(key) == Self.expectedKey)
    }

    @Test("the client's PASSWORD_CLAIM_SIGNATURE matches the reference")
    func clientSignature() throws {
        let client = try SRPClientSession(privateValue: Self.clientPrivate)
        let signature = try client.passwordClaimSignature(
            poolName: Self.poolName, userIdForSRP: "alice", password: "Wonderland-42!",
            saltHex: "8f3b2c1d00112233445566778899aabb", serverPublicValueHex: Self.expectedB,
            secretBlock: Self.secretBlock, timestamp: Self.timestamp)
        #expect(signature == Self.expectedSignature)
    }

    @Test("the server accepts the reference signature and nothing else")
    func serverVerifiesReference() throws {
        let server = try SRPServerSession(verifier: Self.verifier(), privateValue: Self.serverPrivate)
        func verify(
            a: String = Self.expectedA, signature: String = Self.expectedSignature, user: String = "alice",
            block: String = Self.secretBlock, time: String = Self.timestamp
        ) -> Bool {
            server.verify(
                clientPublicValueHex: a, signature: signature, poolName: Self.poolName, userIdForSRP: user,
                secretBlock: block, timestamp: time)
        }
        #expect(verify())
        #expect(verify(a: Self.expectedA.uppercased()), "hex case does not matter")
        #expect(!verify(user: "bob"))
        #expect(!verify(time: "Tue Aug 4 08:32:13 UTC 2026"))
        #expect(!verify(block: Data([1, 2, 3]).base64EncodedString()))
        #expect(!verify(signature: "ThwSwVZu/2+XtUG7fdlOtbEle44XSs8fDGThMxl/P+M="))
        #expect(!verify(signature: "not base64!"))
        #expect(!verify(a: "xyz"))
    }
}

@Suite("SRP protocol: client and server")
struct SRPSessionTests {
    static let poolName = "Pool42"

    func exchange(storedPassword: String, typedPassword: String, userIdForSRP: String = "alice") throws -> Bool {
        let verifier = try SRPVerifier.make(password: storedPassword, poolName: Self.poolName, userIdForSRP: "alice")
        let client = try SRPClientSession()
        let server = try SRPServerSession(verifier: verifier)
        let secretBlock = Data(SecureBytes.random(64)).base64EncodedString()
        let timestamp = CognitoTimestamp.string(from: Date())
        let signature = try client.passwordClaimSignature(
            poolName: Self.poolName, userIdForSRP: userIdForSRP, password: typedPassword,
            saltHex: verifier.saltHex, serverPublicValueHex: server.publicValueHex, secretBlock: secretBlock,
            timestamp: timestamp)
        return server.verify(
            clientPublicValueHex: client.publicValueHex, signature: signature, poolName: Self.poolName,
            userIdForSRP: "alice", secretBlock: secretBlock, timestamp: timestamp)
    }

    @Test("client and server agree on the key for the right password")
    func rightPassword() throws {
        #expect(try exchange(storedPassword: "Wonderland-42!", typedPassword: "Wonderland-42!"))
        #expect(try exchange(storedPassword: "pässwörd ✓ 42", typedPassword: "pässwörd ✓ 42"), "UTF-8 passwords")
    }

    @Test("a wrong password or another user id gives another key")
    func wrongPassword() throws {
        #expect(try !exchange(storedPassword: "Wonderland-42!", typedPassword: "Wonderland-42"))
        #expect(try !exchange(storedPassword: "Wonderland-42!", typedPassword: "Wonderland-42!", userIdForSRP: "bob"))
    }

    @Test("many random sessions agree (salts and values with leading zeros included)")
    func manySessions() throws {
        for _ in 0..<20 {
            #expect(try exchange(storedPassword: "Builder-42!", typedPassword: "Builder-42!"))
        }
    }

    @Test("the server refuses A in {0, N, 2N}")
    func zeroClientPublicValue() throws {
        let group = SRPGroup.cognito
        let verifier = try SRPVerifier.make(password: "x", poolName: Self.poolName, userIdForSRP: "alice")
        let server = try SRPServerSession(verifier: verifier)
        let twiceN = try group.multiplyAdd([0], group.prime, [2])
        for value in ["0", "00", SRPHex.encode(group.prime), SRPHex.encode(twiceN)] {
            #expect(
                throws: SRPProtocolError.invalidClientPublicValue,
                performing: {
                    try server.expectedSignature(
                        clientPublicValueHex: value, poolName: Self.poolName, userIdForSRP: "alice",
                        secretBlock: "AAAA", timestamp: "Tue Aug 4 08:32:12 UTC 2026")
                })
            #expect(
                !server.verify(
                    clientPublicValueHex: value, signature: "AAAA", poolName: Self.poolName, userIdForSRP: "alice",
                    secretBlock: "AAAA", timestamp: "Tue Aug 4 08:32:12 UTC 2026"))
        }
    }

    @Test("the client refuses B in {0, N, 2N} and malformed input")
    func zeroServerPublicValue() throws {
        let group = SRPGroup.cognito
        let client = try SRPClientSession()
        let twiceN = try group.multiplyAdd([0], group.prime, [2])
        func sign(b: String, salt: String = "0a", block: String = "AAAA") throws -> String {
            try client.passwordClaimSignature(
                poolName: Self.poolName, userIdForSRP: "alice", password: "x", saltHex: salt,
                serverPublicValueHex: b, secretBlock: block, timestamp: "Tue Aug 4 08:32:12 UTC 2026")
        }
        for value in ["0", SRPHex.encode(group.prime), SRPHex.encode(twiceN)] {
            #expect(throws: SRPProtocolError.invalidServerPublicValue) { try sign(b: value) }
        }
        #expect(throws: SRPProtocolError.malformedHex(field: "SRP_B")) { try sign(b: "12g4") }
        #expect(throws: SRPProtocolError.malformedHex(field: "SALT")) { try sign(b: "1234", salt: "") }
        #expect(throws: SRPProtocolError.malformedSecretBlock) { try sign(b: "1234", block: "***") }
    }

    @Test("a SECRET_BLOCK that is not strict base64 is read as the JavaScript and Python SDKs read it")
    func lenientSecretBlock() throws {
        // Bytes whose base64 has padding, '+' and '/' in it.
        let bytes: [UInt8] = Array(0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 251) } + [0xFB]
        let strict = Data(bytes).base64EncodedString()
        #expect(strict.contains("+") || strict.contains("/"))
        #expect(strict.hasSuffix("="))
        let urlSafeUnpadded = strict.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let wrapped = stride(from: 0, to: strict.count, by: 20).map {
            String(strict.dropFirst($0).prefix(20))
        }.joined(separator: "\r\n")
        for variant in [strict, urlSafeUnpadded, wrapped, " \(strict)\n", strict + "=="] {
            #expect(try SRPKeyDerivation.decodeSecretBlock(variant) == bytes, "\(variant.debugDescription)")
        }
        #expect(throws: SRPProtocolError.malformedSecretBlock) { try SRPKeyDerivation.decodeSecretBlock("") }
        #expect(throws: SRPProtocolError.malformedSecretBlock) { try SRPKeyDerivation.decodeSecretBlock("=AAAA") }

        // The client signs over the same bytes the server sealed, so the claim is accepted.
        let verifier = try SRPVerifier.make(password: "Builder-42!", poolName: Self.poolName, userIdForSRP: "alice")
        let client = try SRPClientSession()
        let server = try SRPServerSession(verifier: verifier)
        let timestamp = CognitoTimestamp.string(from: Date())
        let signature = try client.passwordClaimSignature(
            poolName: Self.poolName, userIdForSRP: "alice", password: "Builder-42!", saltHex: verifier.saltHex,
            serverPublicValueHex: server.publicValueHex, secretBlock: wrapped, timestamp: timestamp)
        #expect(
            server.verify(
                clientPublicValueHex: client.publicValueHex, signature: signature, poolName: Self.poolName,
                userIdForSRP: "alice", secretBlock: strict, timestamp: timestamp))
    }

    @Test("a fixed private value of zero is refused")
    func zeroPrivateValue() {
        #expect(throws: SRPProtocolError.invalidPrivateValue) { try SRPClientSession(privateValue: [0, 0]) }
    }
}

@Suite("Cognito TIMESTAMP")
struct CognitoTimestampTests {
    @Test(
        "EEE MMM d HH:mm:ss 'UTC' yyyy, day without leading zero",
        arguments: [
            (1_785_832_332, "Tue Aug 4 08:32:12 UTC 2026"),
            (0, "Thu Jan 1 00:00:00 UTC 1970"),
            (1_795_000_000, "Wed Nov 18 11:06:40 UTC 2026"),
            (1_709_251_199, "Thu Feb 29 23:59:59 UTC 2024"),
            (1_767_225_599, "Wed Dec 31 23:59:59 UTC 2025"),
        ])
    func format(seconds: Int, expected: String) {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        #expect(CognitoTimestamp.string(from: date) == expected)
        #expect(CognitoTimestamp.date(from: expected) == date)
    }

    @Test("fractions of a second are dropped, not rounded")
    func fractions() {
        #expect(
            CognitoTimestamp.string(from: Date(timeIntervalSince1970: 1_785_832_332.999))
                == "Tue Aug 4 08:32:12 UTC 2026")
    }

    @Test(
        "parsing refuses other shapes",
        arguments: [
            "", "Tue Aug 4 08:32:12 GMT 2026", "Wed Aug 4 08:32:12 UTC 2026", "Tue Aug 32 08:32:12 UTC 2026",
            "Tue Aug 4 8:32:12 UTC 2026", "Tue Aug 4 24:00:00 UTC 2026", "2026-08-04T08:32:12Z",
        ])
    func refusesOtherShapes(text: String) {
        #expect(CognitoTimestamp.date(from: text) == nil)
    }

    @Test("a day with a leading zero is still understood")
    func leadingZeroDay() {
        #expect(CognitoTimestamp.date(from: "Tue Aug 04 08:32:12 UTC 2026") != nil)
    }
}

@Suite("SRP hex")
struct SRPHexTests {
    @Test("decode accepts either case and odd length; refuses the rest")
    func decode() {
        #expect(SRPHex.decode("0aFf") == [0x0a, 0xff])
        #expect(SRPHex.decode("abc") == [0x0a, 0xbc])
        #expect(SRPHex.decode("") == nil)
        #expect(SRPHex.decode("0x12") == nil)
        #expect(SRPHex.decode("12 34") == nil)
    }

    @Test("minimal hex drops leading zeros")
    func minimal() {
        #expect(SRPHex.minimal([0, 0, 0x0a, 0xbc]) == "abc")
        #expect(SRPHex.minimal([0x8f]) == "8f")
        #expect(SRPHex.minimal([0, 0]) == "0")
    }
}
