import Foundation
import HTTPTypes
import HandsetCloudStorage
import HandsetWire
import Hummingbird

/// The authorization server's back-channel endpoints: `POST /oauth2/token`, `GET`/`POST /oauth2/userInfo`,
/// `POST /oauth2/revoke` and `POST /oauth2/device_authorization`. Every answer is `Cache-Control: no-store`.
struct OAuthController: Sendable {
    let service: OAuthService

    static let maximumBody = 16 * 1024

    func addRoutes(to router: Router<CloudRequestContext>) {
        router.post("/oauth2/token") { request, context in
            context.requestLog.function = "oauth2.token"
            return try await respond {
                let form = try await Self.form(request)
                let client = try service.authenticateClient(
                    authorization: request.headers[.authorization], form: form)
                return try Self.json(try await service.token(form: form, client: client))
            }
        }
        router.post("/oauth2/device_authorization") { request, context in
            context.requestLog.function = "oauth2.device_authorization"
            return try await respond {
                let form = try await Self.form(request)
                let client = try service.authenticateClient(
                    authorization: request.headers[.authorization], form: form)
                return try Self.json(try await service.startDeviceAuthorization(form: form, client: client))
            }
        }
        router.post("/oauth2/revoke") { request, context in
            context.requestLog.function = "oauth2.revoke"
            return try await respond {
                let form = try await Self.form(request)
                let client = try service.authenticateClient(
                    authorization: request.headers[.authorization], form: form)
                try await service.revoke(form: form, client: client)
                return Response(status: .ok, headers: [.cacheControl: "no-store"])
            }
        }
        router.get("/oauth2/userInfo") { request, context in
            context.requestLog.function = "oauth2.userInfo"
            return try await userInfo(request)
        }
        router.post("/oauth2/userInfo") { request, context in
            context.requestLog.function = "oauth2.userInfo"
            return try await userInfo(request)
        }
    }

    private func respond(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as OAuthError {
            return try error.response(from: nil)
        }
    }

    /// `/oauth2/userInfo` takes the access token as a bearer token (RFC 6750 §2.1); refusals are 401 with
    /// `WWW-Authenticate: Bearer error="invalid_token"`.
    private func userInfo(_ request: Request) async throws -> Response {
        guard let header = request.headers[.authorization], header.count <= 16 * 1024,
            header.lowercased().hasPrefix("bearer "),
            case let token = String(header.dropFirst(7)).trimmingCharacters(
                in: .whitespaces), !token.isEmpty
        else { return Self.invalidToken("The access token is missing") }
        do {
            return try Self.json(try await service.userInfo(accessToken: token))
        } catch let error as CognitoError {
            return Self.invalidToken(error.message)
        }
    }

    private static func invalidToken(_ description: String) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(["error": "invalid_token", "error_description": description])) ?? Data()
        return Response(
            status: .unauthorized,
            headers: [
                .contentType: "application/json;charset=UTF-8", .cacheControl: "no-store",
                .wwwAuthenticate: #"Bearer error="invalid_token""#,
            ], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The form of a back-channel request: `application/x-www-form-urlencoded`, at most 16 KiB.
    static func form(_ request: Request) async throws -> FormFields {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else { throw OAuthError.invalidRequest }
        guard let buffer = try? await request.body.collect(upTo: maximumBody),
            let form = FormFields.parse(String(buffer: buffer))
        else { throw OAuthError.invalidRequest }
        return form
    }

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json;charset=UTF-8", .cacheControl: "no-store",
                HTTPField.Name("Pragma")!: "no-cache",
            ], body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

extension OAuthError {
    /// The response without a request (the error does not depend on it).
    func response(from request: Request?) throws -> Response {
        var body: [String: String] = ["error": code]
        if let description { body["error_description"] = description }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers: HTTPFields = [
            .contentType: "application/json;charset=UTF-8", .cacheControl: "no-store",
            HTTPField.Name("Pragma")!: "no-cache",
        ]
        if basicChallenge { headers[.wwwAuthenticate] = "Basic realm=\"oauth2\"" }
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }
}
