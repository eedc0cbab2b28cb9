import Foundation
import HTTPTypes
import HandsetCloudStorage
import HandsetWire
import Hummingbird

/// Who is writing, and from which device, for the record events raised after a write.
///
/// The device is the `X-Handset-Device` header when the client sends one (any stable id of the installation, at most
/// 128 characters), else the `origin_jti` of the ID token, which stays the same for one sign-in and its refreshes:
/// each signed-in device then counts as one device.
struct RecordWriteOrigin: Sendable, Equatable {
    static let deviceHeaderName = HTTPField.Name("X-Handset-Device")!

    @TaskLocal static var current: RecordWriteOrigin?

    /// The writer's claims. Writes only happen after `CognitoAuthorizerMiddleware` verified this very token, so by
    /// the time an event reads them they are the verified ones.
    let writer: Writer?
    /// The device the write came from, if known.
    let device: String?
    /// The device as a record keeps it (`StoredRecord.lastDevice`): `<writer's sub> <device>`, so that two users'
    /// devices never compare equal.
    let deviceKey: String?

    /// Reads the token's claims once per request: a batch's items and their events all use the same ones (reading
    /// them per item was a quarter of a `_batch`'s server time).
    init(authorization: String?, deviceHeader: String?) {
        let writer = authorization.flatMap(Self.writer(authorization:))
        var device: String?
        if let deviceHeader {
            let trimmed = deviceHeader.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, trimmed.utf8.count <= 128 { device = trimmed }
        }
        device = device ?? writer?.originJti
        self.writer = writer
        self.device = device
        self.deviceKey = writer.flatMap { writer in device.map { "\(writer.sub) \($0)" } }
    }

    private static func writer(authorization: String) -> Writer? {
        guard let token = CognitoAuthorizerMiddleware.token(in: authorization) else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64URL.decode(parts[1]),
            let claims = try? JSONValue.parse(payload), let sub = claims["sub"]?.stringValue
        else { return nil }
        return Writer(
            sub: sub,
            name: claims["cognito:username"]?.stringValue ?? claims["username"]?.stringValue ?? sub,
            originJti: claims["origin_jti"]?.stringValue)
    }

    struct Writer: Sendable, Equatable {
        var sub: String
        var name: String
        var originJti: String?
    }
}

/// Remembers each write request's `Authorization` and `X-Handset-Device` for the record events its writes raise.
/// Reads (GET, HEAD) pass straight through.
struct RecordWriteOriginMiddleware: RouterMiddleware {
    typealias Context = CloudRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method == .get || request.method == .head {
            return try await next(request, context)
        }
        let origin = RecordWriteOrigin(
            authorization: request.headers[.authorization],
            deviceHeader: request.headers[RecordWriteOrigin.deviceHeaderName])
        return try await RecordWriteOrigin.$current.withValue(origin) {
            try await next(request, context)
        }
    }
}
