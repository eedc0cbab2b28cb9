import Foundation
import HandsetFuzzing
import HandsetWire

/// `JSONParser`: never traps, never nests past its cap, and what it parses survives a round trip through the
/// encoder unchanged. Parsed values are also decoded as wire types, through `JSONValueDecoder`.
enum JSONFuzzing {
    static let target = FuzzTarget("json") { data in
        guard let value = try? JSONParser().parse(data) else { return }
        FuzzCheck.that(value.nestingDepth <= JSONParser.defaultMaximumDepth, "nested past the cap")
        let again = try? JSONParser().parse(value.encoded())
        FuzzCheck.that(again == value, "round trip changed \(value)")
        let decoder = JSONValueDecoder()
        _ = try? decoder.decode(InitiateAuthRequest.self, from: value)
        _ = try? decoder.decode(BatchRequest.self, from: value)
        _ = try? decoder.decode(PresignRequest.self, from: value)
        _ = try? decoder.decode(AmplifyOutputs.self, from: value)
        _ = try? decoder.decode([String: [Int]].self, from: value)
    }
}
