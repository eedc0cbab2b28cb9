import Foundation
import HandsetFuzzing
import HandsetWire

@testable import HandsetCloud

/// Managed login's parsers of what a browser or an OAuth client sends: query strings and form bodies, authorize
/// requests checked against a pool, redirect URIs, HTTP Basic client credentials, user codes and PKCE values, and
/// the app-client settings of CreateUserPoolClient and CreateIdentityProvider. The first byte picks which.
enum OAuthFuzzing {
    static let publicClient = AppClient(
        clientId: "fuzzpublic0000000000000000", name: "terminal", secret: nil, allowedFlows: ["USER_SRP_AUTH"],
        callbackURLs: AppClient.localCallbackURLs + ["https://app.example/cb?x=1", "myapp://signed-in"],
        supportedIdentityProviders: [AppClient.cognitoProvider, "Corp"])
    static let secretClient = AppClient(
        clientId: "fuzzsecret0000000000000000", name: "web", secret: "s3cret", allowedFlows: ["USER_SRP_AUTH"],
        callbackURLs: ["https://web.example/callback"])
    static let configuration = PoolConfiguration(
        region: "us-east-1", userPoolId: "us-east-1_fuzz", clients: [publicClient, secretClient],
        identityProviders: [
            IdentityProviderConfiguration(
                providerName: "Corp",
                providerDetails: [
                    "client_id": "c", "client_secret": "s", "authorize_scopes": "openid email",
                    "oidc_issuer": "https://idp.example",
                ], idpIdentifiers: ["corp.example"])
        ])

    static let target = FuzzTarget("oauth") { data in
        guard let selector = data.first else { return }
        let rest = Data(data.dropFirst())
        let text = String(decoding: rest, as: UTF8.self)
        switch selector % 6 {
        case 0: form(text)
        case 1: authorize(text)
        case 2: redirect(text)
        case 3: credentials(text)
        case 4: clientSettings(rest)
        default: identityProvider(rest)
        }
    }

    /// A query or form body: what parses encodes back to the same fields.
    static func form(_ text: String) {
        guard let fields = FormFields.parse(text) else { return }
        FuzzCheck.that(FormFields.parse(fields.encoded) == fields, "encode/parse does not round-trip: \(text)")
        _ = fields.repeatedNames
    }

    /// `/oauth2/authorize`'s checks (and a sign-in page's continuation): an accepted request names a registered
    /// redirect URI, an S256 challenge when the client has no secret, and nothing twice; a refusal sent to a redirect
    /// URI sends it to a registered one only.
    static func authorize(_ text: String) {
        guard let fields = FormFields.parse(text) else { return }
        switch AuthorizeRequest.check(fields, configuration: configuration) {
        case .success(let request):
            FuzzCheck.that(
                RedirectURIMatcher.matches(request.redirectURI, registered: request.client.callbackURLs),
                "accepted an unregistered redirect URI: \(request.redirectURI)")
            FuzzCheck.that(fields.repeatedNames.isEmpty, "accepted a repeated parameter")
            if request.client.secret == nil {
                FuzzCheck.that(
                    request.codeChallenge.map { PKCE.isWellFormed($0) && $0.utf8.count == 43 } == true,
                    "a public client without an S256 challenge")
            }
            let location = request.redirect(with: [("code", "c")])
            FuzzCheck.that(
                !location.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F },
                "a Location with a control character or space")
        case .failure(.redirect(let uri, _, _, _)):
            FuzzCheck.that(
                configuration.clients.contains { RedirectURIMatcher.matches(uri, registered: $0.callbackURLs) },
                "an error sent to an unregistered URI: \(uri)")
        case .failure(.page):
            break
        }
        _ = SignInContinuation.from(fields, configuration: configuration)
    }

    /// A candidate and a registered URI, one a line: a match is acceptable, and only loopback URIs match other
    /// than exactly.
    static func redirect(_ text: String) {
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let candidate = lines[0]
        let registered = lines.count > 1 ? lines[1] : "http://127.0.0.1/callback"
        guard RedirectURIMatcher.matches(candidate, registered: registered) else { return }
        FuzzCheck.that(RedirectURIMatcher.isAcceptable(candidate), "matched an unacceptable URI: \(candidate)")
        if candidate != registered {
            let host = URLComponents(string: registered)?.host ?? ""
            FuzzCheck.that(RedirectURIMatcher.isLoopback(host), "a non-loopback URI matched inexactly: \(candidate)")
            FuzzCheck.that(URLComponents(string: candidate)?.host == host, "another host matched: \(candidate)")
        }
    }

    /// `Authorization: Basic …`, user codes and PKCE values.
    static func credentials(_ text: String) {
        if let (id, _) = try? OAuthService.basicCredentials(text) {
            FuzzCheck.that(!id.isEmpty, "an empty client id")
        }
        if let code = UserCode.normalize(text) {
            FuzzCheck.that(code.count == 8 && code.allSatisfy(UserCode.alphabet.contains), "a bad user code: \(code)")
            FuzzCheck.that(UserCode.normalize(UserCode.display(code)) == code, "display/normalize differ: \(code)")
        }
        if PKCE.isWellFormed(text) {
            FuzzCheck.that(PKCE.matches(verifier: text, challenge: PKCE.challenge(for: text)), "PKCE round trip")
        }
    }

    /// CreateUserPoolClient's settings: whatever is accepted keeps token lifetimes within Cognito's bounds and
    /// callback URLs acceptable.
    static func clientSettings(_ body: Data) {
        guard let request = try? JSONDecoder().decode(UserPoolClientRequestWire.self, from: body) else { return }
        var client = AppClient(clientId: "new", name: "new", secret: nil, allowedFlows: [])
        guard (try? ClientSettings.apply(request, to: &client, in: configuration, requireName: true)) != nil,
            (try? ClientSettings.check(client, in: configuration)) != nil
        else { return }
        let lifetimes = configuration.tokenLifetimes(for: client)
        FuzzCheck.that(
            (300...86400).contains(lifetimes.accessTokenSeconds) || client.tokenValidity == nil,
            "an access token lifetime out of bounds")
        FuzzCheck.that(client.callbackURLs.allSatisfy(RedirectURIMatcher.isAcceptable), "an unacceptable callback")
    }

    /// CreateIdentityProvider's name and details.
    static func identityProvider(_ body: Data) {
        guard let request = try? JSONDecoder().decode(IdentityProviderRequestWire.self, from: body) else { return }
        guard (try? IdentityProviderService.checkName(request.providerName)) != nil,
            let details = try? IdentityProviderService.details(
                request.providerDetails ?? [:], type: request.providerType ?? "OIDC")
        else { return }
        FuzzCheck.that(!request.providerName.contains("_"), "a provider name with an underscore")
        let provider = IdentityProviderConfiguration(
            providerName: request.providerName, providerDetails: details,
            attributeMapping: request.attributeMapping ?? [:], idpIdentifiers: request.idpIdentifiers ?? [])
        FuzzCheck.that(provider.issuer != nil && provider.scopes.contains("openid"), "a provider without issuer")
    }
}
