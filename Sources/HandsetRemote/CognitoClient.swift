import Crypto
import Foundation
import HandsetModel
import HandsetWire

/// Calls a Cognito user pool over its JSON protocol (real AWS or the local cloud).
public struct CognitoClient: Sendable {
    public let configuration: ClientConfiguration
    private let transport: any HTTPTransport

    public init(configuration: ClientConfiguration, transport: any HTTPTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH`. A refused refresh token becomes `RemoteError.sessionExpired`.
    /// `deviceKey`: the remembered device the session was signed in on; Cognito then names it in the new access
    /// token (`device_key`), as in the first one.
    public func refresh(
        refreshToken: String, username: String?, deviceKey: String? = nil
    ) async throws -> AuthenticationResult {
        var parameters = ["REFRESH_TOKEN": refreshToken]
        if let deviceKey { parameters["DEVICE_KEY"] = deviceKey }
        if let username, let hash = secretHash(username: username) { parameters["SECRET_HASH"] = hash }
        let request = InitiateAuthRequest(
            authFlow: CognitoAuthFlow.refreshToken, clientId: configuration.clientId, authParameters: parameters)
        do {
            let response = try await call("InitiateAuth", request, as: AuthResponse.self)
            guard let result = response.authenticationResult else {
                throw RemoteError.badResponse("refresh answered without tokens")
            }
            return result
        } catch RemoteError.cognito(let type, _) where type == "NotAuthorizedException" {
            throw RemoteError.sessionExpired
        }
    }

    /// Any Cognito operation with a JSON body; Cognito's errors become `RemoteError.cognito`.
    public func call(_ operation: String, body: JSONValue) async throws -> JSONValue {
        try await call(operation, body, as: JSONValue.self)
    }

    /// SECRET_HASH = Base64(HMAC-SHA256(key: client secret, message: username + client id)).
    public func secretHash(username: String) -> String? {
        guard let secret = configuration.clientSecret else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data((username + configuration.clientId).utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    private func call<Body: Encodable, Answer: Decodable>(
        _ operation: String, _ body: Body, as: Answer.Type
    )
        async throws -> Answer
    {
        let request = HTTPRequest(
            method: "POST", url: configuration.cognitoEndpoint,
            headers: [
                "Content-Type": CognitoWire.contentType,
                CognitoWire.targetHeader: CognitoWire.targetPrefix + operation,
            ],
            body: try JSONEncoder().encode(body))
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw RemoteError.from(error)
        }
        guard response.status == 200 else {
            if let error = try? JSONDecoder().decode(CognitoErrorBody.self, from: response.body) {
                throw RemoteError.cognito(type: error.type, message: error.message)
            }
            throw RemoteError.http(
                status: response.status, message: "Sign-in service answered \(response.status)")
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: response.body)
        } catch {
            throw RemoteError.badResponse("\(operation) answer could not be read")
        }
    }
}
