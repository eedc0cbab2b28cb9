import Foundation

/// The `Authorization` header of a request signed with AWS Signature Version 4:
///
///     AWS4-HMAC-SHA256 Credential=<key id>/<yyyymmdd>/<region>/<service>/aws4_request,
///         SignedHeaders=<name>;<name>…, Signature=<64 hex digits>
///
/// Parsed as a protocol field: every part is required exactly once, nothing else is accepted, and each part has the
/// exact shape AWS's signers write.
struct SigV4Authorization: Sendable, Equatable {
    static let algorithm = "AWS4-HMAC-SHA256"
    static let terminator = "aws4_request"
    /// More signed headers than any SDK sends; bounds the work a header can ask for.
    static let maximumSignedHeaders = 64

    var accessKeyId: String
    /// The credential scope's parts: `yyyymmdd`, region, service.
    var date: String
    var region: String
    var service: String
    /// Lowercase names, in the order given (which must be sorted and unique).
    var signedHeaders: [String]
    /// 64 lowercase hex digits.
    var signature: String

    var scope: String { "\(date)/\(region)/\(service)/\(Self.terminator)" }

    /// Parses the header's value; the failure says which part is missing or malformed.
    static func parse(_ value: String) -> Result<SigV4Authorization, SigV4Failure> {
        guard value.utf8.count <= 8192, value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            return .failure(.incomplete("Authorization header is too long or holds a byte it may not"))
        }
        guard value.hasPrefix(algorithm + " ") else {
            return .failure(.incomplete("Authorization header requires the \(algorithm) algorithm"))
        }
        var parts: [String: String] = [:]
        for item in value.dropFirst(algorithm.count + 1).split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else {
                return .failure(.incomplete("Authorization header has a part without '=': \(shown(trimmed))"))
            }
            let name = String(trimmed[..<equals])
            guard ["Credential", "SignedHeaders", "Signature"].contains(name) else {
                return .failure(.incomplete("Authorization header has an unknown part \(shown(name))"))
            }
            guard parts[name] == nil else {
                return .failure(.incomplete("Authorization header repeats \(name)"))
            }
            parts[name] = String(trimmed[trimmed.index(after: equals)...])
        }
        guard let credential = parts["Credential"], let signedHeaderList = parts["SignedHeaders"],
            let signature = parts["Signature"]
        else {
            let missing = ["Credential", "SignedHeaders", "Signature"].filter { parts[$0] == nil }
            return .failure(
                .incomplete("Authorization header requires \(missing.joined(separator: ", ")) parameter(s)"))
        }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[4] == terminator, AccessKeyID.isValid(scope[0]), isDate(scope[1]),
            isScopeName(scope[2]), isScopeName(scope[3])
        else {
            return .failure(
                .incomplete(
                    "Credential must be <access key id>/<yyyymmdd>/<region>/<service>/aws4_request"))
        }
        let names = signedHeaderList.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard !names.isEmpty, names.count <= maximumSignedHeaders, names.allSatisfy(isHeaderName),
            zip(names, names.dropFirst()).allSatisfy({ $0 < $1 })
        else {
            return .failure(.incomplete("SignedHeaders must be lowercase header names, sorted, separated by ';'"))
        }
        guard signature.utf8.count == 64, signature.utf8.allSatisfy(isLowercaseHex) else {
            return .failure(.incomplete("Signature must be 64 lowercase hex digits"))
        }
        return .success(
            SigV4Authorization(
                accessKeyId: scope[0], date: scope[1], region: scope[2], service: scope[3], signedHeaders: names,
                signature: signature))
    }

    private static func shown(_ text: some StringProtocol) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : String(text)
    }

    private static func isDate(_ text: String) -> Bool {
        text.utf8.count == 8 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// A region or service name: lowercase letters, digits and '-'.
    private static func isScopeName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || $0 == UInt8(ascii: "-")
            }
    }

    /// An HTTP field name (RFC 9110 token) in lowercase.
    static func isHeaderName(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }
}
