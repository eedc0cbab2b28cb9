import Foundation
import HandsetCloudStorage
import HandsetWire
import Hummingbird

extension HostedUIController {
    /// `GET /oauth2/authorize`: a signed-in browser gets its code at once (unless `prompt=login`); a named
    /// provider sends it to the provider; otherwise on to the sign-in page with the same parameters.
    @Sendable func authorize(_ exchange: Exchange) async throws -> Response {
        let request: AuthorizeRequest
        switch AuthorizeRequest.check(exchange.query, configuration: pool.configuration) {
        case .success(let checked): request = checked
        case .failure(let failure): return refusal(failure)
        }
        if let provider = request.identityProvider, provider != AppClient.cognitoProvider {
            let (session, cookie) = try await ensureSession(exchange.session)
            let location = try await federation.start(
                providerName: provider, continuation: .authorize(request), browserSessionHash: session.idHash)
            return HostedResponse.redirect(location, cookie: cookie)
        }
        if request.prompt != "login", let session = exchange.session, try await signedInUser(session) != nil {
            return try await finish(.authorize(request), session: session, cookie: nil)
        }
        if request.prompt == "none" {
            return refusal(
                .redirect(
                    uri: request.redirectURI, error: "login_required", description: "The browser is not signed in",
                    state: request.state))
        }
        return HostedResponse.redirect("/login?" + request.fields.encoded)
    }

    /// `GET /login`: the sign-in form (and the providers the client may use).
    @Sendable func showLogin(_ exchange: Exchange) async throws -> Response {
        let continuation = try self.continuation(exchange.query)
        var (session, cookie) = try await ensureSession(exchange.session)
        if session.pending != nil {
            session = try await sessions.update(idHash: session.idHash, now: pool.now()) { $0.pending = nil } ?? session
        }
        return loginPage(continuation, session: session, cookie: cookie)
    }

    func loginPage(
        _ continuation: SignInContinuation, session: BrowserSession, cookie: String? = nil, username: String = "",
        notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let configuration = pool.configuration
        let query = continuation.query
        let providers: [[String: Any]] = continuation.providers(in: configuration).map { provider in
            let href: String
            switch continuation {
            case .authorize:
                href = "/oauth2/authorize?" + query + "&identity_provider=" + FormFields.encode(provider.providerName)
            case .device:
                href = "/federate?" + query + "&provider=" + FormFields.encode(provider.providerName)
            }
            return ["name": provider.providerName, "href": href]
        }
        let values: [String: Any] = [
            "query": query, "csrf": session.csrfToken, "username": username,
            "poolUsers": continuation.allowsPoolUsers(in: configuration), "hasProviders": !providers.isEmpty,
            "providers": providers,
        ]
        return HostedResponse.page(
            pages.render(
                "login", title: "Sign in", values: values, notice: notice, error: error, footer: footer(continuation)),
            status: status, cookie: cookie)
    }

    /// The status-bar text: which app the sign-in is for.
    func footer(_ continuation: SignInContinuation) -> String {
        switch continuation {
        case .authorize(let request): return request.client.name
        case .device: return "device sign-in"
        }
    }

    /// `POST /login`: the password, checked as Cognito's USER_PASSWORD_AUTH would (lockout, enumeration-safe
    /// errors), then the challenge the user has, or the end of the sign-in.
    @Sendable func submitPassword(_ exchange: Exchange) async throws -> Response {
        let continuation = try self.continuation(exchange.query)
        guard let session = checkedSession(exchange) else { return expiredForm(continuation.query) }
        let configuration = pool.configuration
        guard continuation.allowsPoolUsers(in: configuration) else {
            return errorPage("unauthorized_client", "This app signs in through its identity providers only.")
        }
        let username = (exchange.form["username"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = exchange.form["password"] ?? ""
        guard !username.isEmpty, !password.isEmpty, username.utf8.count <= 512, password.utf8.count <= 1024 else {
            return loginPage(
                continuation, session: session, username: String(username.prefix(128)),
                error: "Enter your username and password.", status: .badRequest)
        }
        let client = continuation.client(in: configuration)
        var parameters = ["USERNAME": username, "PASSWORD": password]
        parameters["SECRET_HASH"] = secretHash(client, username: username)
        do {
            let step = try await authentication.signInWithPassword(parameters, client: client)
            return try await advance(
                step, username: username, client: client, continuation: continuation, session: session)
        } catch let error as CognitoError {
            return loginPage(
                continuation, session: session, username: username, error: Self.explain(error), status: .badRequest)
        }
    }

    /// Shows the next challenge (kept in the session), or ends the sign-in.
    func advance(
        _ step: AuthenticationService.SignInStep, username: String, client: AppClient,
        continuation: SignInContinuation, session: BrowserSession
    ) async throws -> Response {
        switch step {
        case .authenticated(let user, _), .authenticatedOnDevice(let user, _, _):
            // A sign-in on these pages is one of the user's sign-ins (AdminListUserAuthEvents), as one through the
            // API is; a wrong password or code was recorded where it was checked. Its event is written with what
            // the last step left to write (the TOTP step's use), as through the API.
            try await authentication.complete(step, client: client)
            let (signedIn, cookie) = try await signedIn(user, replacing: session)
            return try await finish(continuation, session: signedIn, cookie: cookie)
        case .challenge(let answer):
            guard let name = answer.challengeName, let challengeSession = answer.session else {
                return errorPage("server_error", "The sign-in stopped unexpectedly.", status: .internalServerError)
            }
            var parameters = answer.challengeParameters ?? [:]
            parameters.removeValue(forKey: "userAttributes")
            if name == AuthenticationService.Challenge.mfaSetup {
                // The authenticator key is asked for now, so the page can show it.
                let associated = try await mfa.associateSoftwareToken(
                    AssociateSoftwareTokenRequestWire(accessToken: nil, session: challengeSession))
                parameters["SECRET_CODE"] = associated.secretCode
                let pending = PendingSignIn(
                    clientId: client.clientId, username: username, challengeName: name,
                    challengeSession: associated.session ?? challengeSession, parameters: parameters)
                return try await challengePage(pending, continuation: continuation, session: session)
            }
            let pending = PendingSignIn(
                clientId: client.clientId, username: username, challengeName: name,
                challengeSession: challengeSession, parameters: parameters)
            return try await challengePage(pending, continuation: continuation, session: session)
        }
    }

    /// Stores the pending challenge in the session and shows its page.
    func challengePage(
        _ pending: PendingSignIn, continuation: SignInContinuation, session: BrowserSession, error: String? = nil
    ) async throws -> Response {
        try await sessions.update(idHash: session.idHash, now: pool.now()) { $0.pending = pending }
        var values: [String: Any] = [
            "query": continuation.query, "csrf": session.csrfToken, "username": pending.username,
        ]
        let template: String
        let title: String
        switch pending.challengeName {
        case MFAFactor.softwareToken.rawValue:
            template = "code"
            title = "Enter your code"
            values["prompt"] = "Enter the code from your authenticator app."
        case MFAFactor.sms.rawValue:
            template = "code"
            title = "Enter your code"
            values["prompt"] =
                "Enter the code we texted to \(pending.parameters["CODE_DELIVERY_DESTINATION"] ?? "your phone")."
        case MFAFactor.email.rawValue:
            template = "code"
            title = "Enter your code"
            values["prompt"] =
                "Enter the code we emailed to \(pending.parameters["CODE_DELIVERY_DESTINATION"] ?? "you")."
        case AuthenticationService.Challenge.selectMFAType:
            template = "select"
            title = "Choose a second factor"
            let names =
                (pending.parameters["MFAS_CAN_CHOOSE"]).flatMap {
                    try? JSONDecoder().decode([String].self, from: Data($0.utf8))
                } ?? []
            values["choices"] = names.map { name -> [String: Any] in
                let label =
                    switch name {
                    case MFAFactor.softwareToken.rawValue: "Authenticator app"
                    case MFAFactor.sms.rawValue: "Text message"
                    case MFAFactor.email.rawValue: "Email"
                    default: name
                    }
                return ["value": name, "label": label]
            }
        case AuthenticationService.Challenge.mfaSetup:
            template = "setup"
            title = "Set up your authenticator"
            let secret = pending.parameters["SECRET_CODE"] ?? ""
            values["secretGroups"] = stride(from: 0, to: secret.count, by: 4).map { offset -> String in
                let start = secret.index(secret.startIndex, offsetBy: offset)
                return String(
                    secret[start..<(secret.index(start, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
            }.joined(separator: " ")
            let issuer = pool.configuration.totpIssuer
            values["uri"] =
                "otpauth://totp/\(FormFields.encode(issuer)):\(FormFields.encode(pending.username))?secret=\(secret)&issuer=\(FormFields.encode(issuer))"
        case AuthenticationService.Challenge.newPasswordRequired:
            template = "newPassword"
            title = "Choose a new password"
            values["policy"] = policyText
        default:
            return errorPage("server_error", "This sign-in step is not available on these pages.")
        }
        return HostedResponse.page(
            pages.render(template, title: title, values: values, error: error, footer: footer(continuation)),
            status: error == nil ? .ok : .badRequest)
    }

    /// `POST /login/challenge`: the answer to the pending challenge.
    @Sendable func submitChallenge(_ exchange: Exchange) async throws -> Response {
        let continuation = try self.continuation(exchange.query)
        guard let session = checkedSession(exchange) else { return expiredForm(continuation.query) }
        guard let pending = session.pending, let client = pool.configuration.client(id: pending.clientId) else {
            return loginPage(continuation, session: session, error: "That sign-in took too long. Start again.")
        }
        let form = exchange.form
        var responses = ["USERNAME": pending.username]
        responses["SECRET_HASH"] = secretHash(client, username: pending.username)
        var sessionString = pending.challengeSession
        let challenge = pending.challengeName
        do {
            switch challenge {
            case MFAFactor.softwareToken.rawValue, MFAFactor.sms.rawValue, MFAFactor.email.rawValue:
                let code = (form["code"] ?? "").filter { !$0.isWhitespace }
                guard !code.isEmpty, code.count <= 8 else {
                    return try await challengePage(
                        pending, continuation: continuation, session: session, error: "Enter the code.")
                }
                let name =
                    switch challenge {
                    case MFAFactor.softwareToken.rawValue: "SOFTWARE_TOKEN_MFA_CODE"
                    case MFAFactor.sms.rawValue: "SMS_MFA_CODE"
                    default: "EMAIL_OTP_CODE"
                    }
                responses[name] = code
            case AuthenticationService.Challenge.selectMFAType:
                guard let answer = form.value("answer") else {
                    return try await challengePage(
                        pending, continuation: continuation, session: session, error: "Choose one.")
                }
                responses["ANSWER"] = answer
            case AuthenticationService.Challenge.newPasswordRequired:
                let password = form["password"] ?? ""
                guard !password.isEmpty, password == form["confirm"] else {
                    return try await challengePage(
                        pending, continuation: continuation, session: session,
                        error: password.isEmpty ? "Enter a new password." : "The two passwords differ.")
                }
                responses["NEW_PASSWORD"] = password
            case AuthenticationService.Challenge.mfaSetup:
                let code = (form["code"] ?? "").filter { !$0.isWhitespace }
                let verified = try await mfa.verifySoftwareToken(
                    VerifySoftwareTokenRequestWire(
                        accessToken: nil, session: sessionString, userCode: code, friendlyDeviceName: "Authenticator"))
                sessionString = verified.session ?? sessionString
            default:
                return errorPage("server_error", "This sign-in step is not available on these pages.")
            }
            let step = try await authentication.answer(
                RespondToAuthChallengeRequest(
                    clientId: client.clientId, challengeName: challenge, session: sessionString,
                    challengeResponses: responses),
                client: client)
            return try await advance(
                step, username: pending.username, client: client, continuation: continuation, session: session)
        } catch let error as CognitoError {
            if error.type == "NotAuthorizedException", error.message.localizedCaseInsensitiveContains("session") {
                try await sessions.update(idHash: session.idHash, now: pool.now()) { $0.pending = nil }
                return loginPage(
                    continuation, session: session, username: pending.username,
                    error: "That sign-in took too long. Start again.", status: .badRequest)
            }
            return try await challengePage(
                pending, continuation: continuation, session: session, error: Self.explain(error))
        }
    }
}
