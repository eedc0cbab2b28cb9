import Foundation
import HandsetFuzzing

/// The local cloud's parsers of outside input, as fuzz targets (`handset-cloud-fuzz`, `scripts/fuzz`).
public enum CloudFuzzTargets {
    public static let all: [FuzzTarget] = [
        JSONFuzzing.target, JWTFuzzing.target, PresignedURLFuzzing.target, CognitoRequestFuzzing.target,
        RecordFuzzing.target, OpenAPIFuzzing.target, CursorFuzzing.target, HeaderFuzzing.target,
        DatabaseURLFuzzing.target, SigV4Fuzzing.target, OAuthFuzzing.target, OIDCFuzzing.target,
        LegacyValueFuzzing.target, UserFilterFuzzing.target,
    ]
}
