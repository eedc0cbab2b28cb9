import Foundation
import HandsetCloudStorage
import HandsetWire
import Hummingbird

/// The device verification page (RFC 8628 §3.3): the person signs in here (MFA and providers included), types
/// the code their device shows (or arrives with it from the QR code's link), checks it, and allows or denies.
extension HostedUIController {
    @Sendable func showDevice(_ exchange: Exchange) async throws -> Response {
        let typed = exchange.query.value("user_code")
        let userCode = typed.flatMap(UserCode.normalize)
        guard let session = exchange.session, let user = try await signedInUser(session) else {
            let continuation = SignInContinuation.device(userCode: userCode)
            let (session, cookie) = try await ensureSession(exchange.session)
            return loginPage(
                continuation, session: session, cookie: cookie,
                notice: "Sign in to connect your device.")
        }
        if let userCode, let authorization = try await devices.pending(userCode: userCode, now: pool.now()) {
            return confirmPage(authorization, user: user, session: session)
        }
        return codePage(
            user: user, session: session, typed: typed ?? "",
            error: typed == nil ? nil : "That code is not valid or has expired.")
    }

    @Sendable func submitDeviceCode(_ exchange: Exchange) async throws -> Response {
        guard let session = checkedSession(exchange) else {
            return expiredForm(SignInContinuation.device(userCode: nil).query)
        }
        guard let user = try await signedInUser(session) else {
            return loginPage(.device(userCode: nil), session: session, notice: "Sign in to connect your device.")
        }
        let typed = String((exchange.form["user_code"] ?? "").prefix(32))
        let subject = Self.deviceCodeAttempts(user)
        do {
            try await pool.beginAttempt(subject, .code, locked: .codeAttemptsExceeded)
        } catch let error as CognitoError {
            return codePage(user: user, session: session, typed: typed, error: Self.explain(error))
        }
        guard let userCode = UserCode.normalize(typed),
            let authorization = try await devices.pending(userCode: userCode, now: pool.now())
        else {
            return codePage(user: user, session: session, typed: typed, error: "That code is not valid or has expired.")
        }
        try await pool.store.attemptSucceeded(subject: subject, kind: .code)
        return confirmPage(authorization, user: user, session: session)
    }

    @Sendable func decideDevice(_ exchange: Exchange) async throws -> Response {
        guard let session = checkedSession(exchange) else {
            return expiredForm(SignInContinuation.device(userCode: nil).query)
        }
        guard let user = try await signedInUser(session) else {
            return loginPage(.device(userCode: nil), session: session, notice: "Sign in to connect your device.")
        }
        guard let decision = exchange.form.value("decision"), decision == "allow" || decision == "deny" else {
            return codePage(user: user, session: session, typed: "", error: "Enter the code again.")
        }
        // A code posted here straight away is a guess like one typed on the code page: the same lockout counts it.
        let subject = Self.deviceCodeAttempts(user)
        do {
            try await pool.beginAttempt(subject, .code, locked: .codeAttemptsExceeded)
        } catch let error as CognitoError {
            return codePage(user: user, session: session, typed: "", error: Self.explain(error))
        }
        guard let userCode = UserCode.normalize(exchange.form["user_code"] ?? ""),
            try await devices.decide(
                userCode: userCode, approve: decision == "allow", sub: user.sub,
                authTime: session.authTime ?? Int(pool.now().timeIntervalSince1970), now: pool.now())
        else {
            return codePage(user: user, session: session, typed: "", error: "That code is not valid or has expired.")
        }
        try await pool.store.attemptSucceeded(subject: subject, kind: .code)
        let text =
            decision == "allow"
            ? "Your device is signed in as \(user.username). You can close this window."
            : "The device was not signed in. You can close this window."
        return HostedResponse.page(
            pages.render(
                "message", title: decision == "allow" ? "Device connected" : "Device refused", values: ["text": text],
                footer: "device sign-in"))
    }

    /// The lockout subject of a user's guesses at device codes.
    static func deviceCodeAttempts(_ user: PoolUser) -> String { "device-code:" + user.sub }

    private func codePage(user: PoolUser, session: BrowserSession, typed: String, error: String?) -> Response {
        HostedResponse.page(
            pages.render(
                "deviceCode", title: "Connect a device",
                values: ["csrf": session.csrfToken, "user": user.username, "userCode": typed], error: error,
                footer: "device sign-in"),
            status: error == nil ? .ok : .badRequest)
    }

    private func confirmPage(_ authorization: DeviceAuthorization, user: PoolUser, session: BrowserSession) -> Response
    {
        let clientName = pool.configuration.client(id: authorization.clientId)?.name ?? authorization.clientId
        return HostedResponse.page(
            pages.render(
                "deviceConfirm", title: "Allow this device?",
                values: [
                    "csrf": session.csrfToken, "user": user.username, "clientName": clientName,
                    "userCode": UserCode.display(authorization.userCode),
                ], footer: "device sign-in"))
    }
}
