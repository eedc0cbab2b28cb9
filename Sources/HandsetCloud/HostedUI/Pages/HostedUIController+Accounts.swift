import Foundation
import HandsetCloudStorage
import HandsetWire
import Hummingbird

/// Creating an account and resetting a forgotten password on the hosted pages, through Cognito's own SignUp,
/// ConfirmSignUp, ForgotPassword and ConfirmForgotPassword (same policy, codes, lockout and enumeration rules).
extension HostedUIController {
    @Sendable func showSignUp(_ exchange: Exchange) async throws -> Response {
        let continuation = try self.continuation(exchange.query)
        let (session, cookie) = try await ensureSession(exchange.session)
        return accountPage(
            "signUp", title: "Create an account", continuation, session: session, cookie: cookie,
            values: ["policy": policyText])
    }

    @Sendable func submitSignUp(_ exchange: Exchange) async throws -> Response {
        let continuation = try self.continuation(exchange.query)
        guard let session = checkedSession(exchange) else { return expiredForm(continuation.query) }
        let username = (exchange.form["username"] ?? "").trimmingCharacters(in: .whitespaces)
        let email = (exchange.form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = exchange.form["password"] ?? ""
        let client = continuation.client(in: pool.configuration)
        let values: [String: Any] = [
            "policy": policyText, "username": String(username.prefix(128)), "email": String(email.prefix(256)),
        ]
        guard !username.isEmpty, !password.isEmpty, email.contains("@") else {
            return accountPage(
                "signUp", title: "Create an account", continuation, session: session, values: values,
                error: "Enter a username, an email address and a password.")
        }
        do {
            let answer = try await accounts.signUp(
                SignUpRequestWire(
                    clientId: client.clientId, username: username, password: password,
                    secretHash: secretHash(client, username: username),
                    userAttributes: [AttributeWire(name: "email", value: email)]))
            if answer.userConfirmed {
                return loginPage(
                    continuation, session: session, username: username, notice: "Account created. Sign in.")
            }
            return accountPage(
                "confirmSignUp", title: "Confirm your account", continuation, session: session,
                values: ["username": username, "destination": answer.codeDeliveryDetails?.destination ?? "your email"])
        } catch let error as CognitoError {
            return accountPage(
                "signUp", title: "Create an account", continuation, session: session, values: values,
                error: Self.explain(error))
        }
    }

    @Sendable func submitConfirmation(_ exchange: Exchange) async throws -> Response {
        let continuation = try self.continuation(exchange.query)
        guard let session = checkedSession(exchange) else { return expiredForm(continuation.query) }
        let username = exchange.form["username"] ?? ""
        let code = (exchange.form["code"] ?? "").filter { !$0.isWhitespace }
        let client = continuation.client(in: pool.configuration)
        do {
            _ = try await accounts.confirmSignUp(
                ConfirmCodeRequestWire(
                    clientId: client.clientId, username: username, confirmationCode: code, password: nil,
                    secretHash: secretHash(client, username: username)))
            return loginPage(
                continuation, session: session, username: username, notice: "Account confirmed. Sign in.")
        } catch let error as CognitoError {
            return accountPage(
                "confirmSignUp", title: "Confirm your account", continuation, session: session,
                values: ["username": String(username.prefix(128)), "destination": "your email"],
                error: Self.explain(error))
        }
    }

    @Sendable func showForgot(_ exchange: Exchange) async throws -> Response {
        let continuation = try self.continuation(exchange.query)
        let (session, cookie) = try await ensureSession(exchange.session)
        return accountPage("forgot", title: "Reset your password", continuation, session: session, cookie: cookie)
    }

    @Sendable func submitForgot(_ exchange: Exchange) async throws -> Response {
        let continuation = try self.continuation(exchange.query)
        guard let session = checkedSession(exchange) else { return expiredForm(continuation.query) }
        let username = (exchange.form["username"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !username.isEmpty else {
            return accountPage(
                "forgot", title: "Reset your password", continuation, session: session, error: "Enter your username.")
        }
        let client = continuation.client(in: pool.configuration)
        do {
            let answer = try await accounts.forgotPassword(
                UsernameRequestWire(
                    clientId: client.clientId, username: username, secretHash: secretHash(client, username: username)))
            return accountPage(
                "reset", title: "Choose a new password", continuation, session: session,
                values: [
                    "username": username, "destination": answer.codeDeliveryDetails.destination, "policy": policyText,
                ])
        } catch let error as CognitoError {
            return accountPage(
                "forgot", title: "Reset your password", continuation, session: session,
                values: ["username": String(username.prefix(128))], error: Self.explain(error))
        }
    }

    @Sendable func submitReset(_ exchange: Exchange) async throws -> Response {
        let continuation = try self.continuation(exchange.query)
        guard let session = checkedSession(exchange) else { return expiredForm(continuation.query) }
        let username = exchange.form["username"] ?? ""
        let code = (exchange.form["code"] ?? "").filter { !$0.isWhitespace }
        let password = exchange.form["password"] ?? ""
        let client = continuation.client(in: pool.configuration)
        do {
            _ = try await accounts.confirmForgotPassword(
                ConfirmCodeRequestWire(
                    clientId: client.clientId, username: username, confirmationCode: code, password: password,
                    secretHash: secretHash(client, username: username)))
            return loginPage(
                continuation, session: session, username: username, notice: "Password changed. Sign in.")
        } catch let error as CognitoError {
            return accountPage(
                "reset", title: "Choose a new password", continuation, session: session,
                values: [
                    "username": String(username.prefix(128)), "destination": "your address", "policy": policyText,
                ], error: Self.explain(error))
        }
    }

    func accountPage(
        _ template: String, title: String, _ continuation: SignInContinuation, session: BrowserSession,
        cookie: String? = nil, values: [String: Any] = [:], error: String? = nil
    ) -> Response {
        var all = values
        all["query"] = continuation.query
        all["csrf"] = session.csrfToken
        return HostedResponse.page(
            pages.render(template, title: title, values: all, error: error, footer: footer(continuation)),
            status: error == nil ? .ok : .badRequest, cookie: cookie)
    }
}
