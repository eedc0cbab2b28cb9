import Foundation

/// The rules Cognito applies to an app client's settings in CreateUserPoolClient and UpdateUserPoolClient.
enum ClientSettings {
    /// `ExplicitAuthFlows` Cognito knows, with the `ALLOW_` prefix the wire uses.
    static let knownAuthFlows: Set<String> = [
        "ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH",
    ]
    static let knownOAuthFlows: Set<String> = ["code", "implicit", "client_credentials"]
    static let standardScopes: Set<String> = ["openid", "email", "phone", "profile", TokenIssuer.apiScope]

    /// Copies the request's settings onto `client`, taking Cognito's defaults for what it leaves out.
    static func apply(
        _ request: UserPoolClientRequestWire, to client: inout AppClient, in configuration: PoolConfiguration,
        requireName: Bool
    ) throws {
        if let name = request.clientName {
            guard (1...128).contains(name.count),
                name.unicodeScalars.allSatisfy({
                    CharacterSet.alphanumerics.contains($0) || " +=,.@_-".unicodeScalars.contains($0)
                })
            else { throw CognitoError.invalidParameter("ClientName must be 1-128 letters, digits, spaces or +=,.@_-") }
            client.name = name
        } else if requireName {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value null at 'clientName' failed to satisfy constraint: Member must not be null"
            )
        }

        let flows =
            request.explicitAuthFlows ?? ["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
        for flow in flows where !knownAuthFlows.contains(flow) {
            throw CognitoError.invalidParameter("ExplicitAuthFlow \(AccountService.shown(flow)) is not valid")
        }
        var stored = flows.map { String($0.dropFirst("ALLOW_".count)) }
        // Cognito always allows refreshing.
        if !stored.contains("REFRESH_TOKEN_AUTH") { stored.append("REFRESH_TOKEN_AUTH") }
        client.allowedFlows = stored

        client.callbackURLs = try urls(request.callbackURLs ?? [], name: "CallbackURLs")
        client.logoutURLs = try urls(request.logoutURLs ?? [], name: "LogoutURLs")
        if let defaultRedirect = request.defaultRedirectURI {
            guard client.callbackURLs.contains(defaultRedirect) else {
                throw CognitoError.invalidParameter("DefaultRedirectURI must be one of the CallbackURLs")
            }
        }
        client.defaultRedirectURI = request.defaultRedirectURI
        client.allowedOAuthFlows = request.allowedOAuthFlows ?? []
        client.allowedOAuthScopes = request.allowedOAuthScopes ?? []
        client.allowedOAuthFlowsUserPoolClient = request.allowedOAuthFlowsUserPoolClient ?? false
        client.supportedIdentityProviders = request.supportedIdentityProviders ?? []
        client.enableTokenRevocation = request.enableTokenRevocation ?? true
        if let mode = request.preventUserExistenceErrors, mode != "ENABLED", mode != "LEGACY" {
            throw CognitoError.invalidParameter("PreventUserExistenceErrors must be ENABLED or LEGACY")
        }
        client.tokenValidity = try validity(request)
    }

    /// Checks that hold across settings (and against the pool: providers must exist).
    static func check(_ client: AppClient, in configuration: PoolConfiguration) throws {
        for flow in client.allowedOAuthFlows where !knownOAuthFlows.contains(flow) {
            throw CognitoError.invalidParameter("AllowedOAuthFlow \(AccountService.shown(flow)) is not valid")
        }
        for scope in client.allowedOAuthScopes where !standardScopes.contains(scope) && !scope.contains("/") {
            throw CognitoError(
                type: "ScopeDoesNotExistException", message: "Invalid scope requested: \(AccountService.shown(scope))")
        }
        for provider in client.supportedIdentityProviders
        where provider != AppClient.cognitoProvider && configuration.identityProvider(named: provider) == nil {
            throw CognitoError.invalidParameter(
                "The provider \(AccountService.shown(provider)) does not exist for User Pool \(configuration.userPoolId)"
            )
        }
        if client.allowedOAuthFlows.contains("client_credentials") {
            guard client.allowedOAuthFlows == ["client_credentials"] else {
                throw CognitoError.invalidParameter(
                    "client_credentials flow can not be selected along with code flow or implicit flow.")
            }
            guard client.secret != nil else {
                throw CognitoError.invalidParameter(
                    "client_credentials flow can not be selected if client does not have a client secret.")
            }
        }
        if client.allowedOAuthFlowsUserPoolClient {
            guard !client.allowedOAuthFlows.isEmpty, !client.allowedOAuthScopes.isEmpty else {
                throw CognitoError.invalidParameter(
                    "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."
                )
            }
            if !client.allowedOAuthFlows.contains("client_credentials"), client.callbackURLs.isEmpty {
                throw CognitoError.invalidParameter("CallbackURLs are required for the code and implicit flows.")
            }
        }
    }

    /// Absolute URLs without fragments; http only to a loopback host (as Cognito allows for `localhost`).
    private static func urls(_ list: [String], name: String) throws -> [String] {
        guard list.count <= 100 else { throw CognitoError.invalidParameter("\(name) has more than 100 URLs") }
        for uri in list {
            guard RedirectURIMatcher.isAcceptable(uri), let components = URLComponents(string: uri),
                let scheme = components.scheme?.lowercased()
            else { throw CognitoError.invalidParameter("\(name) must be absolute URLs without a fragment") }
            if scheme == "http", !RedirectURIMatcher.isLoopback(components.host ?? "") {
                throw CognitoError.invalidParameter("\(name): http is only allowed for localhost")
            }
        }
        return list
    }

    private static func validity(_ request: UserPoolClientRequestWire) throws -> ClientTokenValidity? {
        guard
            request.accessTokenValidity != nil || request.idTokenValidity != nil
                || request.refreshTokenValidity != nil || request.tokenValidityUnits != nil
        else { return nil }
        func unit(_ text: String?, _ fallback: ClientTokenValidity.TimeUnit) throws -> ClientTokenValidity.TimeUnit {
            guard let text else { return fallback }
            guard let unit = ClientTokenValidity.TimeUnit(rawValue: text) else {
                throw CognitoError.invalidParameter("TokenValidityUnits must be seconds, minutes, hours or days")
            }
            return unit
        }
        // Cognito's own bounds on the numbers, checked before any unit multiplies them.
        guard (request.accessTokenValidity ?? 60).isBetween(1, 86400),
            (request.idTokenValidity ?? 60).isBetween(1, 86400),
            (request.refreshTokenValidity ?? 30).isBetween(0, 315_360_000)
        else { throw CognitoError.invalidParameter("A token validity is out of range") }
        let units = request.tokenValidityUnits
        let validity = ClientTokenValidity(
            accessToken: request.accessTokenValidity ?? 60, idToken: request.idTokenValidity ?? 60,
            refreshToken: request.refreshTokenValidity ?? 30,
            accessTokenUnit: try unit(units?.accessToken, request.accessTokenValidity == nil ? .minutes : .hours),
            idTokenUnit: try unit(units?.idToken, request.idTokenValidity == nil ? .minutes : .hours),
            refreshTokenUnit: try unit(units?.refreshToken, .days))
        let lifetimes = validity.lifetimes
        guard (300...86400).contains(lifetimes.accessTokenSeconds), (300...86400).contains(lifetimes.idTokenSeconds)
        else { throw CognitoError.invalidParameter("Access and ID tokens must be valid for 5 minutes to 1 day") }
        guard (3600...(3650 * 86400)).contains(lifetimes.refreshTokenSeconds) else {
            throw CognitoError.invalidParameter("Refresh tokens must be valid for 60 minutes to 10 years")
        }
        return validity
    }
}

extension Int {
    fileprivate func isBetween(_ lower: Int, _ upper: Int) -> Bool { lower <= self && self <= upper }
}
