import Foundation
import HandsetCloudStorage

/// A checked `/oauth2/authorize` request (the authorization code grant with PKCE).
struct AuthorizeRequest: Sendable, Equatable {
    var client: AppClient
    var redirectURI: String
    var state: String?
    /// The scopes granted: those asked for, or every scope the client may have when none were named.
    var scopes: [String]
    var nonce: String?
    /// The S256 challenge; required of clients without a secret.
    var codeChallenge: String?
    /// A provider to go to at once (`identity_provider`, or the provider an `idp_identifier` names).
    var identityProvider: String?
    /// `login` asks for the password again even in a signed-in browser; `none` never shows a page.
    var prompt: String?
    /// The parameters as received, carried on by the sign-in pages' links and forms.
    var fields: FormFields

    /// The longest value any parameter may have.
    static let maximumParameterLength = 2048

    /// Why a request is refused, and where the refusal goes.
    enum Failure: Error, Equatable {
        /// The client or its redirect URI cannot be trusted: the browser is sent to the pool's error page, never to
        /// the URL given (Cognito: `/error?error=redirect_mismatch`).
        case page(error: String, description: String)
        /// The redirect URI is a registered one: the error goes back there (RFC 6749 §4.1.2.1), with `state`.
        case redirect(uri: String, error: String, description: String, state: String?)
    }

    /// Checks the parameters against the pool's live configuration, in RFC 6749's order: client and redirect URI
    /// first (refused on a page), then everything else (refused at the redirect URI).
    static func check(_ fields: FormFields, configuration: PoolConfiguration) -> Result<AuthorizeRequest, Failure> {
        guard let clientId = fields.value("client_id") else {
            return .failure(.page(error: "invalid_request", description: "client_id is missing"))
        }
        guard let client = configuration.client(id: clientId) else {
            return .failure(.page(error: "invalid_request", description: "The client_id is not a client of this pool"))
        }
        guard let redirectURI = fields.value("redirect_uri"),
            RedirectURIMatcher.matches(redirectURI, registered: client.callbackURLs)
        else {
            return .failure(
                .page(error: "redirect_mismatch", description: "redirect_uri is not a callback URL of the client"))
        }
        let state = fields["state"]
        func refuse(_ error: String, _ description: String) -> Result<AuthorizeRequest, Failure> {
            .failure(.redirect(uri: redirectURI, error: error, description: description, state: state))
        }
        if let repeated = fields.repeatedNames.sorted().first {
            return refuse("invalid_request", "\(repeated) is given more than once")
        }
        if fields.pairs.contains(where: { $0.value.utf8.count > maximumParameterLength }) {
            return refuse("invalid_request", "A parameter is too long")
        }
        switch fields.value("response_type") {
        case "code"?: break
        case nil: return refuse("invalid_request", "response_type is missing")
        case "token"?:
            return refuse(
                "unsupported_response_type", "The implicit grant would put tokens in a URL; use response_type=code")
        default: return refuse("unsupported_response_type", "response_type must be code")
        }
        guard client.allowsOAuth(flow: "code") else {
            return refuse("unauthorized_client", "The client may not use the authorization code grant")
        }
        var scopes = client.allowedOAuthScopes
        if let requested = fields.value("scope") {
            let names = requested.split(separator: " ").map(String.init)
            guard names.allSatisfy(client.allowedOAuthScopes.contains) else {
                return refuse("invalid_scope", "A scope asked for is not allowed for this client")
            }
            var seen: Set<String> = []
            scopes = names.filter { seen.insert($0).inserted }
        }
        let method = fields.value("code_challenge_method")
        let challenge = fields.value("code_challenge")
        if let method, method != "S256" {
            return refuse("invalid_request", "code_challenge_method must be S256")
        }
        if let challenge {
            guard method == "S256" || method == nil, PKCE.isWellFormed(challenge), challenge.utf8.count == 43 else {
                return refuse("invalid_request", "code_challenge is not an S256 challenge")
            }
        } else if client.secret == nil {
            return refuse("invalid_request", "code_challenge (PKCE, S256) is required for a client without a secret")
        } else if method != nil {
            return refuse("invalid_request", "code_challenge is missing")
        }
        var provider = fields.value("identity_provider")
        if provider == nil, let identifier = fields.value("idp_identifier") {
            guard
                let named = configuration.identityProviders.first(where: {
                    $0.idpIdentifiers.contains(identifier) || $0.providerName == identifier
                })
            else { return refuse("invalid_request", "No identity provider has that idp_identifier") }
            provider = named.providerName
        }
        if let provider {
            let known = provider == AppClient.cognitoProvider || configuration.identityProvider(named: provider) != nil
            guard known, client.supportedIdentityProviders.contains(provider) else {
                return refuse("invalid_request", "The identity_provider is not enabled for this client")
            }
        }
        let prompt = fields.value("prompt")
        if let prompt, !["login", "none", "consent", "select_account"].contains(prompt) {
            return refuse("invalid_request", "prompt must be login, none, consent or select_account")
        }
        return .success(
            AuthorizeRequest(
                client: client, redirectURI: redirectURI, state: state, scopes: scopes, nonce: fields.value("nonce"),
                codeChallenge: challenge, identityProvider: provider, prompt: prompt, fields: fields))
    }

    /// `redirect_uri?code=…&state=…`, keeping a query the redirect URI already has.
    func redirect(with parameters: [(String, String)]) -> String {
        Self.append(parameters + (state.map { [("state", $0)] } ?? []), to: redirectURI)
    }

    static func append(_ parameters: [(String, String)], to uri: String) -> String {
        let query = parameters.map { FormFields.encode($0.0) + "=" + FormFields.encode($0.1) }.joined(separator: "&")
        return uri + (uri.contains("?") ? "&" : "?") + query
    }
}
