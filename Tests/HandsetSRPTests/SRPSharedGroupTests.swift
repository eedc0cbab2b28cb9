import Testing

@testable import HandsetSRP

/// The group keeps N, g, N's Montgomery context and a pool of scratch contexts for every caller: concurrent callers
/// must each get their own right answer, as one caller alone does.
@Suite("SRP group shared between tasks")
struct SRPSharedGroupTests {
    @Test("many tasks exponentiating at once get the answers one task gets alone")
    func concurrentOperations() async throws {
        let group = SRPGroup.cognito
        let exponents = (1...48).map { index in (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) } }
        let alone = try exponents.map { exponent in
            (
                try group.generatorPower(exponent), try group.power([3], exponent),
                try group.publicPower([5], exponent)
            )
        }
        let together = try await withThrowingTaskGroup(of: (Int, [UInt8], [UInt8], [UInt8]).self) { tasks in
            for (index, exponent) in exponents.enumerated() {
                tasks.addTask {
                    (
                        index, try group.generatorPower(exponent), try group.power([3], exponent),
                        try group.publicPower([5], exponent)
                    )
                }
            }
            var answers: [Int: ([UInt8], [UInt8], [UInt8])] = [:]
            for try await (index, generated, power, publicPower) in tasks {
                answers[index] = (generated, power, publicPower)
            }
            return answers
        }
        for (index, expected) in alone.enumerated() {
            let answer = try #require(together[index])
            #expect(answer.0 == expected.0 && answer.1 == expected.1 && answer.2 == expected.2)
        }
        // The variable-time and the constant-time exponentiation agree (same Montgomery context, both paths).
        #expect(alone.allSatisfy { $0.1.count == group.byteCount })
        #expect(try group.publicPower([3], exponents[0]) == alone[0].1)
    }

    @Test("a group made from the same numbers is equal to the shared one and computes the same")
    func equalGroups() throws {
        let copy = SRPGroup(prime: [0] + SRPGroup.cognito.prime, generator: [0, 2])
        #expect(copy == SRPGroup.cognito)
        #expect(try copy.generatorPower([10]) == SRPGroup.cognito.generatorPower([10]))
    }
}
