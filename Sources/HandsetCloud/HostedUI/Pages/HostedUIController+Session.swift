import Foundation
import HandsetCloudStorage
import HandsetWire
import Hummingbird

/// The provider hop, the provider's answer, `/logout` and `/error`.
extension HostedUIController {
    /// `GET /federate?provider=…&<continuation>`: the provider buttons of the device page (an authorize request
    /// goes through `/oauth2/authorize?identity_provider=…`, as on Cognito).
    @Sendable func federate(_ exchange: Exchange) async throws -> Response {
        let continuation = try self.continuation(exchange.query)
        guard let provider = exchange.query.value("provider"),
            continuation.providers(in: pool.configuration).contains(where: { $0.providerName == provider })
        else { return errorPage("invalid_request", FederationError.unknownProvider.message) }
        let (session, cookie) = try await ensureSession(exchange.session)
        let location = try await federation.start(
            providerName: provider, continuation: continuation, browserSessionHash: session.idHash)
        return HostedResponse.redirect(location, cookie: cookie)
    }

    /// `/oauth2/idpresponse`: the provider sends the browser back with a code (or an error).
    @Sendable func providerResponse(_ exchange: Exchange) async throws -> Response {
        // A provider using `response_mode=form_post` answers with a form; its fields count like a query's.
        var fields = exchange.query
        for pair in exchange.form.pairs { fields.append(pair.name, pair.value) }
        let (user, continuationQuery) = try await federation.finish(
            fields, browserSessionHash: exchange.session?.idHash)
        guard let parsed = FormFields.parse(continuationQuery) else {
            return errorPage("invalid_request", "The sign-in cannot continue.")
        }
        let continuation = try self.continuation(parsed)
        // The provider checked the credentials: the event lists no challenge of the pool's.
        try await AuthEventLog(pool: pool).signIn(
            user, passed: true, checked: [:], clientId: continuation.client(in: pool.configuration).clientId)
        let (session, cookie) = try await signedIn(user, replacing: exchange.session)
        return try await finish(continuation, session: session, cookie: cookie)
    }

    /// `GET /logout?client_id&logout_uri`: ends the browser's session and sends it to a registered sign-out URL;
    /// with `redirect_uri` and `response_type` instead, signs out and starts a new sign-in (as Cognito does).
    @Sendable func logout(_ exchange: Exchange) async throws -> Response {
        let query = exchange.query
        guard let clientId = query.value("client_id"), let client = pool.configuration.client(id: clientId) else {
            return errorPage("invalid_request", "client_id is missing or not a client of this pool.")
        }
        if let session = exchange.session { try await sessions.delete(idHash: session.idHash) }
        let expired = HostedResponse.expiredCookie(poolId: pool.configuration.userPoolId, secure: secure())
        if let logoutURI = query.value("logout_uri") {
            guard RedirectURIMatcher.matches(logoutURI, registered: client.logoutURLs) else {
                return errorPage("invalid_request", "logout_uri is not a sign-out URL of the client.")
            }
            return HostedResponse.redirect(logoutURI, cookie: expired)
        }
        if query.value("redirect_uri") != nil {
            var fields = FormFields(query.pairs.filter { $0.name != "logout_uri" })
            if fields["response_type"] == nil { fields.append("response_type", "code") }
            switch AuthorizeRequest.check(fields, configuration: pool.configuration) {
            case .success(let request):
                return HostedResponse.redirect("/login?" + request.fields.encoded, cookie: expired)
            case .failure(let failure): return refusal(failure)
            }
        }
        return errorPage("invalid_request", "logout_uri is missing.")
    }

    /// `GET /error`: Cognito's page for requests that cannot be sent back to the app.
    @Sendable func showError(_ exchange: Exchange) async throws -> Response {
        let code = String((exchange.query["error"] ?? "invalid_request").prefix(64))
        let description = String((exchange.query["error_description"] ?? "").prefix(256))
        let text =
            code == "redirect_mismatch"
            ? "The app asked to return to an address it has not registered." : "The request could not be processed."
        return HostedResponse.page(
            pages.render(
                "message", title: "An error was encountered with the requested page.",
                values: ["text": description.isEmpty ? text : "\(text) \(description)."], footer: code),
            status: .badRequest)
    }
}
