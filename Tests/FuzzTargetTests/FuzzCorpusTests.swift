import ClientFuzzTargets
import CloudFuzzTargets
import Foundation
import HandsetFuzzing
import Testing

/// Every fuzz target replays its seed corpus and every input a fuzzer once crashed on (`Fuzz/regressions`): these
/// must run clean in an ordinary build, so a parser that regresses fails here, without libFuzzer.
@Suite("Fuzz corpus replay", .serialized)
struct FuzzCorpusTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    static let targets = CloudFuzzTargets.all + ClientFuzzTargets.all

    static func inputs(of target: FuzzTarget, in folder: String) -> [String] {
        FuzzDriver.files(at: fuzzDirectory.appendingPathComponent(folder).appendingPathComponent(target.name).path)
    }

    @Test(
        "every target has a seed corpus, and replays it and its regressions without a crash",
        arguments: FuzzCorpusTests.targets.map(\.name))
    func replay(name: String) async throws {
        let target = try #require(Self.targets.first { $0.name == name })
        let seeds = Self.inputs(of: target, in: "corpus")
        #expect(!seeds.isEmpty, "Fuzz/corpus/\(name) is empty")
        let inputs = try (seeds + Self.inputs(of: target, in: "regressions")).map {
            try Data(contentsOf: URL(fileURLWithPath: $0))
        }
        // Targets block on async work as libFuzzer's synchronous callback must; they run on a thread of their own,
        // never on one of the few threads that async work needs.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                for input in inputs { target.run(input) }
                continuation.resume()
            }.start()
        }
    }

    @Test("target names are unique")
    func uniqueNames() {
        #expect(Set(Self.targets.map(\.name)).count == Self.targets.count)
    }
}
