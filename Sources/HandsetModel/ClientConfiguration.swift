import Foundation
import HandsetWire

/// Where the client sends its calls: one Cognito user pool and one REST API.
///
/// Built from an Amplify `amplify_outputs.json`; the same file shape works for real AWS and for the local cloud.
public struct ClientConfiguration: Sendable, Equatable {
    public var region: String
    public var userPoolId: String
    public var clientId: String
    /// The app client's secret, if it has one (then every Cognito call carries a SECRET_HASH).
    public var clientSecret: String?
    public var cognitoEndpoint: URL
    public var apiEndpoint: URL
    /// The pool's managed login, when the outputs describe it (`auth.oauth`).
    public var hostedUI: HostedUIConfiguration?
    /// The one-time codes (`EMAIL_OTP`, `SMS_OTP`) this app can sign in with instead of the password, as the local
    /// cloud's outputs say (`custom.handset.passwordless_factors`); `nil` when the outputs do not say (a real
    /// pool's): the app then offers the code and the pool answers.
    public var passwordlessFactors: [String]?

    /// Whether the app offers a sign-in with a code: not when the outputs say the pool has none for this app.
    public var offersSignInWithCode: Bool { passwordlessFactors.map { !$0.isEmpty } ?? true }

    /// Whether the sign-up form may leave the password empty: only when the outputs say the pool signs this app in
    /// with an emailed code (the form collects an email, confirmed by the sign-up's code). A pool that does not say
    /// is asked for a password, which every pool accepts.
    public var allowsSignUpWithoutPassword: Bool { passwordlessFactors?.contains("EMAIL_OTP") == true }

    public init(
        region: String, userPoolId: String, clientId: String, clientSecret: String? = nil, cognitoEndpoint: URL,
        apiEndpoint: URL, hostedUI: HostedUIConfiguration? = nil
    ) {
        self.region = region
        self.userPoolId = userPoolId
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.cognitoEndpoint = cognitoEndpoint
        self.apiEndpoint = apiEndpoint
        self.hostedUI = hostedUI
    }

    /// The part of the pool id after `_`, which SRP mixes into the password hash.
    public var poolName: String {
        userPoolId.split(separator: "_", maxSplits: 1).last.map(String.init) ?? userPoolId
    }
}

/// Why an `amplify_outputs.json` could not be used.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension ClientConfiguration {
    /// Reads Amplify outputs. The API endpoint comes from `custom.handset.api_endpoint`, else the only (or the
    /// `handset`-named) entry of `custom.API`; the Cognito endpoint from `custom.handset.cognito_endpoint`, else AWS.
    public init(outputs: AmplifyOutputs) throws {
        let auth = outputs.auth
        guard auth.userPoolId.contains("_") else {
            throw ConfigurationError("auth.user_pool_id \"\(auth.userPoolId)\" is not of the form <region>_<id>")
        }
        guard !auth.userPoolClientId.isEmpty else {
            throw ConfigurationError("auth.user_pool_client_id is empty")
        }
        let cognito: URL
        if let override = outputs.custom?.handset?.cognitoEndpoint {
            guard let url = URL(string: override), url.scheme != nil else {
                throw ConfigurationError("custom.handset.cognito_endpoint \"\(override)\" is not a URL")
            }
            cognito = url
        } else if let url = URL(string: "https://cognito-idp.\(auth.awsRegion).amazonaws.com/") {
            cognito = url
        } else {
            throw ConfigurationError("auth.aws_region \"\(auth.awsRegion)\" is not a region name")
        }
        let apiString: String
        if let local = outputs.custom?.handset?.apiEndpoint {
            apiString = local
        } else if let apis = outputs.custom?.api,
            let api = apis["handset"] ?? (apis.count == 1 ? apis.first?.value : nil)
        {
            apiString = api.endpoint
        } else {
            throw ConfigurationError(
                "no REST API endpoint: expected custom.API.<name>.endpoint in amplify_outputs.json")
        }
        guard let api = URL(string: apiString), api.scheme != nil else {
            throw ConfigurationError("API endpoint \"\(apiString)\" is not a URL")
        }
        self.init(
            region: auth.awsRegion, userPoolId: auth.userPoolId, clientId: auth.userPoolClientId,
            cognitoEndpoint: cognito, apiEndpoint: api, hostedUI: try HostedUIConfiguration(outputs: outputs))
        passwordlessFactors = outputs.custom?.handset?.passwordlessFactors
    }

    /// A decoding failure in the words of the file: which key, and what is wrong with it.
    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let names = keys.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            return names.isEmpty
                ? "the top level" : names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "the key \(key.stringValue) is missing\(parent)"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) should be \(Self.describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null; it should be \(Self.describe(type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "it is not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Int.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            return name.hasPrefix("Dictionary") || name.hasPrefix("[") ? "an object" : "an object (\(name))"
        }
    }

    /// Reads and validates an `amplify_outputs.json` file.
    public static func load(contentsOf url: URL) throws -> (ClientConfiguration, AmplifyOutputs) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ConfigurationError("cannot read \(url.path): \(error.localizedDescription)")
        }
        let outputs: AmplifyOutputs
        do {
            outputs = try JSONDecoder().decode(AmplifyOutputs.self, from: data)
        } catch let error as DecodingError {
            throw ConfigurationError("\(url.path) is not an Amplify outputs file: \(Self.explain(error))")
        } catch {
            throw ConfigurationError("\(url.path) is not an Amplify outputs file: \(error.localizedDescription)")
        }
        return (try ClientConfiguration(outputs: outputs), outputs)
    }
}
