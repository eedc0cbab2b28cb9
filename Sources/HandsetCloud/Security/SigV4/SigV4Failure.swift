import Foundation

/// Why a SigV4-signed request is refused, with the error type and message AWS's JSON services answer, so that
/// botocore and the AWS CLI report (and, for a skewed clock, retry) as they do against AWS.
enum SigV4Failure: Error, Sendable, Equatable {
    /// No `Authorization` header at all.
    case missing
    /// An `Authorization` header or `X-Amz-Date` that is malformed or lacks a part.
    case incomplete(String)
    /// The access key is none of `--admin-credentials`', or its session token does not match.
    case unknownKey
    /// The credential scope names another region or service, or another day than `X-Amz-Date`.
    case wrongScope(String)
    /// `X-Amz-Date` is outside the window around the server's clock.
    case skewed(String)
    /// The signature is not the one the key gives for this request.
    case mismatch

    var type: String {
        switch self {
        case .missing: "MissingAuthenticationTokenException"
        case .incomplete: "IncompleteSignatureException"
        case .unknownKey: "UnrecognizedClientException"
        case .wrongScope, .skewed, .mismatch: "InvalidSignatureException"
        }
    }

    var message: String {
        switch self {
        case .missing: "Missing Authentication Token"
        case .incomplete(let detail): detail
        case .unknownKey: "The security token included in the request is invalid."
        case .wrongScope(let detail), .skewed(let detail): detail
        case .mismatch:
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
                + "Access Key and signing method. Consult the service documentation for details."
        }
    }
}
