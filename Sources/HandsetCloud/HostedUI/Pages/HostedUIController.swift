import Foundation
import HTTPTypes
import HandsetCloudStorage
import HandsetWire
import Hummingbird

/// Cognito's managed login on the pool's own address: `/oauth2/authorize`, the sign-in pages (password, then the
/// challenge the user has, new password, sign-up, forgotten password), `/logout`, `/error`, the provider hop and
/// `/oauth2/idpresponse`, and the device verification page.
///
/// Every page that changes something is a POST carrying the browser session's CSRF token; the browser session is
/// a cookie naming a row every instance can read. A sign-in in progress (the challenge session string) is kept in
/// that row, never in the page. The continuation (the authorize request, or the device page) travels in each
/// page's query string and is checked again at each step.
struct HostedUIController: Sendable {
    let pool: UserPool
    let authentication: AuthenticationService
    let accounts: AccountService
    let mfa: MFAService
    let oauth: OAuthService
    let federation: FederationService
    let sessions: any BrowserSessionRepository
    let devices: any DeviceCodeRepository
    let pages: HostedPages
    /// Whether the pool is served over https (the cookie is then Secure).
    let secure: @Sendable () -> Bool

    static let maximumFormSize = 64 * 1024

    func addRoutes(to router: Router<CloudRequestContext>) {
        router.get("/oauth2/authorize") { request, context in
            try await handle(request, context, "hostedui.authorize", authorize)
        }
        router.get("/login") { request, context in try await handle(request, context, "hostedui.login", showLogin) }
        router.post("/login") { request, context in
            try await handle(request, context, "hostedui.login", submitPassword)
        }
        router.post("/login/challenge") { request, context in
            try await handle(request, context, "hostedui.challenge", submitChallenge)
        }
        router.get("/signup") { request, context in try await handle(request, context, "hostedui.signup", showSignUp) }
        router.post("/signup") { request, context in
            try await handle(request, context, "hostedui.signup", submitSignUp)
        }
        router.post("/confirmSignUp") { request, context in
            try await handle(request, context, "hostedui.confirm", submitConfirmation)
        }
        router.get("/forgotPassword") { request, context in
            try await handle(request, context, "hostedui.forgot", showForgot)
        }
        router.post("/forgotPassword") { request, context in
            try await handle(request, context, "hostedui.forgot", submitForgot)
        }
        router.post("/confirmForgotPassword") { request, context in
            try await handle(request, context, "hostedui.reset", submitReset)
        }
        router.get("/federate") { request, context in
            try await handle(request, context, "hostedui.federate", federate)
        }
        router.get("/oauth2/idpresponse") { request, context in
            try await handle(request, context, "hostedui.idpresponse", providerResponse)
        }
        router.post("/oauth2/idpresponse") { request, context in
            try await handle(request, context, "hostedui.idpresponse", providerResponse)
        }
        router.get("/device") { request, context in try await handle(request, context, "hostedui.device", showDevice) }
        router.post("/device") { request, context in
            try await handle(request, context, "hostedui.device", submitDeviceCode)
        }
        router.post("/device/confirm") { request, context in
            try await handle(request, context, "hostedui.device", decideDevice)
        }
        router.get("/logout") { request, context in try await handle(request, context, "hostedui.logout", logout) }
        router.get("/error") { request, context in try await handle(request, context, "hostedui.error", showError) }
        router.get("/hosted-ui/style.css") { _, context in
            context.requestLog.function = "hostedui.style"
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600",
                    HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                ], body: .init(byteBuffer: ByteBuffer(string: HostedPageStyle.css)))
        }
    }

    // MARK: Requests

    /// What a handler gets: the request's query, its form (for a POST), and the browser session if it has one.
    struct Exchange: Sendable {
        var request: Request
        var query: FormFields
        var form: FormFields
        /// The browser session named by the cookie, if live.
        var session: BrowserSession?
    }

    private func handle(
        _ request: Request, _ context: CloudRequestContext, _ function: String,
        _ body: @Sendable (Exchange) async throws -> Response
    ) async throws -> Response {
        context.requestLog.function = function
        guard let query = FormFields.parse(request.uri.query ?? "") else {
            return errorPage("invalid_request", "The address is malformed.")
        }
        var form = FormFields()
        if request.method == .post {
            let type = request.headers[.contentType]?.lowercased() ?? ""
            guard type.hasPrefix("application/x-www-form-urlencoded") else {
                return errorPage("invalid_request", "Forms must be sent as application/x-www-form-urlencoded.")
            }
            guard let buffer = try? await request.body.collect(upTo: Self.maximumFormSize),
                let parsed = FormFields.parse(String(buffer: buffer))
            else { return errorPage("invalid_request", "The form is too large or malformed.") }
            form = parsed
        }
        var session: BrowserSession?
        if let cookie = request.cookies[HostedResponse.cookieName(pool.configuration.userPoolId)]?.value,
            !cookie.isEmpty, cookie.utf8.count <= 128
        {
            session = try await sessions.session(idHash: UserPool.sessionHash(cookie), now: pool.now())
        }
        do {
            return try await body(Exchange(request: request, query: query, form: form, session: session))
        } catch let error as FederationError {
            return errorPage("federation_error", error.message, status: .badRequest)
        } catch let refusal as PageRefusal {
            return refusal.response
        }
    }

    // MARK: Shared pieces

    /// The continuation of a page's query; a bad one throws the response that refuses it.
    func continuation(_ query: FormFields) throws -> SignInContinuation {
        switch SignInContinuation.from(query, configuration: pool.configuration) {
        case .success(let continuation): return continuation
        case .failure(let failure): throw PageRefusal(response: refusal(failure))
        }
    }

    /// A response that ends a handler early (a refused continuation).
    struct PageRefusal: Error {
        var response: Response
    }

    /// Cognito's answers to a bad authorize request: the error page for an untrusted client or redirect URI, the
    /// redirect URI (with `error`, `error_description` and `state`) otherwise.
    func refusal(_ failure: AuthorizeRequest.Failure) -> Response {
        switch failure {
        case .page(let error, let description):
            return HostedResponse.redirect(
                "/error?" + FormFields([("error", error), ("error_description", description)]).encoded)
        case .redirect(let uri, let error, let description, let state):
            var parameters = [("error", error), ("error_description", description)]
            if let state { parameters.append(("state", state)) }
            return HostedResponse.redirect(AuthorizeRequest.append(parameters, to: uri))
        }
    }

    func errorPage(_ code: String, _ text: String, status: HTTPResponse.Status = .badRequest) -> Response {
        HostedResponse.page(
            pages.render(
                "message", title: "Something went wrong", values: ["text": text], error: nil, footer: code),
            status: status)
    }

    /// The browser session, created (with a cookie to set) when the browser has none.
    func ensureSession(_ existing: BrowserSession?) async throws -> (BrowserSession, cookie: String?) {
        if let existing { return (existing, nil) }
        let (session, value) = newSession(sub: nil, authTime: nil)
        try await sessions.create(session)
        return (session, HostedResponse.sessionCookie(value, poolId: pool.configuration.userPoolId, secure: secure()))
    }

    /// A new session row and its cookie value.
    func newSession(sub: String?, authTime: Int?) -> (BrowserSession, String) {
        let value = Base64URL.encode(SecureRandom.bytes(32))
        let now = pool.now()
        return (
            BrowserSession(
                idHash: UserPool.sessionHash(value), csrfToken: Base64URL.encode(SecureRandom.bytes(32)), sub: sub,
                authTime: authTime, pending: nil, createdAt: now,
                expiresAt: now.addingTimeInterval(BrowserSession.lifetime)),
            value
        )
    }

    /// The session of a form post whose CSRF token matches it; nil for a post without a live session or with
    /// another token (a cross-site form, a page from an expired session).
    func checkedSession(_ exchange: Exchange) -> BrowserSession? {
        guard let session = exchange.session, let token = exchange.form["_csrf"],
            ConstantTime.equals(Array(token.utf8), Array(session.csrfToken.utf8))
        else { return nil }
        return session
    }

    /// The page for a form post that failed its CSRF check.
    func expiredForm(_ continuationQuery: String?) -> Response {
        var values: [String: Any] = ["text": "This page has expired or was not sent from this site. Start again."]
        if let continuationQuery {
            values["link"] = ["href": "/login?" + continuationQuery, "label": "Start again"]
        }
        return HostedResponse.page(
            pages.render("message", title: "Start again", values: values, footer: "forbidden"), status: .forbidden)
    }

    /// Where a signed-in person goes: back to the app with a code, or on to the device page.
    func finish(_ continuation: SignInContinuation, session: BrowserSession, cookie: String?) async throws -> Response {
        guard let sub = session.sub else { return errorPage("server_error", "The sign-in did not complete.") }
        switch continuation {
        case .authorize(let request):
            let code = try await oauth.issueCode(
                for: request, sub: sub, authTime: session.authTime ?? Int(pool.now().timeIntervalSince1970))
            return HostedResponse.redirect(request.redirect(with: [("code", code)]), status: .seeOther, cookie: cookie)
        case .device(let userCode):
            let query = userCode.map { "?user_code=" + UserCode.display($0) } ?? ""
            return HostedResponse.redirect("/device" + query, status: .seeOther, cookie: cookie)
        }
    }

    /// Ends the browser's current session and starts a signed-in one with a new id and CSRF token (no session
    /// fixation: an id planted before the sign-in is worth nothing after it).
    func signedIn(_ user: PoolUser, replacing old: BrowserSession?) async throws -> (BrowserSession, cookie: String) {
        if let old { try await sessions.delete(idHash: old.idHash) }
        let (session, value) = newSession(sub: user.sub, authTime: Int(pool.now().timeIntervalSince1970))
        try await sessions.create(session)
        return (session, HostedResponse.sessionCookie(value, poolId: pool.configuration.userPoolId, secure: secure()))
    }

    /// The signed-in user of a browser session, if it still may sign in.
    func signedInUser(_ session: BrowserSession?) async throws -> PoolUser? {
        guard let sub = session?.sub, let user = try await pool.store.user(sub: sub), user.enabled else { return nil }
        return user
    }

    /// Words for Cognito's refusals on a page.
    static func explain(_ error: CognitoError) -> String {
        switch error.type {
        case "PasswordResetRequiredException": return "Your password must be reset. Use “Forgot your password?”."
        case "UserNotConfirmedException": return "This account is not confirmed yet."
        case "CodeMismatchException": return "That code is not right. Try again."
        case "ExpiredCodeException": return "That code has expired. Ask for a new one."
        case "TooManyRequestsException", "LimitExceededException":
            return "Too many attempts. Wait a moment and try again."
        default:
            if error.message.localizedCaseInsensitiveContains("attempts exceeded") {
                return "Too many failed attempts. Wait a moment and try again."
            }
            return error.message
        }
    }

    /// The password rules, in words.
    var policyText: String {
        let policy = pool.configuration.passwordPolicy
        var parts = ["at least \(policy.minimumLength) characters"]
        if policy.requireLowercase { parts.append("a lower-case letter") }
        if policy.requireUppercase { parts.append("an upper-case letter") }
        if policy.requireNumbers { parts.append("a number") }
        if policy.requireSymbols { parts.append("a symbol") }
        return "Use " + parts.joined(separator: ", ") + "."
    }

    /// SECRET_HASH for a client with a secret: managed login knows the secret and acts for the client.
    func secretHash(_ client: AppClient, username: String) -> String? {
        client.secret.map { SecretHash.compute(secret: $0, username: username, clientId: client.clientId) }
    }
}
