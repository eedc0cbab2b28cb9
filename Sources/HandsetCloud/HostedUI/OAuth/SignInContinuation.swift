import Foundation
import HandsetCloudStorage

/// Where a sign-in on the hosted pages goes once the person has signed in: back to the app with an authorization
/// code, or on to approving a device (RFC 8628). Every page of the sign-in carries it in its query string, and it
/// is checked again at every step against the live configuration.
enum SignInContinuation: Sendable, Equatable {
    case authorize(AuthorizeRequest)
    /// The device verification page, with the user code when the link carried it.
    case device(userCode: String?)

    /// The query that carries it.
    var fields: FormFields {
        switch self {
        case .authorize(let request):
            return request.fields
        case .device(let userCode):
            var fields = FormFields([("device", "1")])
            if let userCode { fields.append("user_code", userCode) }
            return fields
        }
    }

    /// The query string, for links and form actions (`/login?…`).
    var query: String { fields.encoded }

    /// Reads it from a page's query.
    static func from(
        _ fields: FormFields, configuration: PoolConfiguration
    ) -> Result<SignInContinuation, AuthorizeRequest.Failure> {
        if fields["device"] != nil {
            return .success(.device(userCode: fields.value("user_code").flatMap(UserCode.normalize)))
        }
        return AuthorizeRequest.check(fields, configuration: configuration).map(SignInContinuation.authorize)
    }

    /// The client a sign-in on the pages is made for: the authorizing client, or the pool's first client on the
    /// device page (the person signs in before naming a device).
    func client(in configuration: PoolConfiguration) -> AppClient {
        switch self {
        case .authorize(let request): return configuration.client(id: request.client.clientId) ?? request.client
        case .device: return configuration.defaultClient
        }
    }

    /// The identity providers this sign-in may use, besides the pool's own users.
    func providers(in configuration: PoolConfiguration) -> [IdentityProviderConfiguration] {
        let client = client(in: configuration)
        return configuration.identityProviders.filter { provider in
            switch self {
            case .authorize: return client.supportedIdentityProviders.contains(provider.providerName)
            case .device: return true
            }
        }
    }

    /// Whether the pool's own users may sign in here (the client supports `COGNITO`).
    func allowsPoolUsers(in configuration: PoolConfiguration) -> Bool {
        switch self {
        case .authorize: return client(in: configuration).supportedIdentityProviders.contains(AppClient.cognitoProvider)
        case .device: return true
        }
    }
}

/// RFC 8628's user code: 8 characters from 20 consonants (no vowels, so no words; no look-alikes), shown as
/// `BCDF-GHJK`. 20^8 ≈ 2.6·10^10 codes against a few live ones and a lockout on wrong entries.
enum UserCode {
    static let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ")

    static func generate() -> String {
        var code = ""
        // 256 is not a multiple of 20: drop bytes of 240 and more so that every letter is equally likely.
        while code.count < 8 {
            for byte in SecureRandom.bytes(16) where byte < 240 && code.count < 8 {
                code.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return code
    }

    /// Upper case, without spaces and dashes; nil unless 8 letters of the alphabet remain.
    static func normalize(_ typed: String) -> String? {
        let letters = typed.uppercased().filter { $0 != "-" && $0 != " " }
        guard letters.count == 8, letters.allSatisfy(alphabet.contains) else { return nil }
        return letters
    }

    /// `BCDFGHJK` as `BCDF-GHJK`.
    static func display(_ code: String) -> String {
        guard code.count == 8 else { return code }
        return String(code.prefix(4)) + "-" + String(code.suffix(4))
    }
}
