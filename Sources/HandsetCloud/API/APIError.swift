import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird

/// An API error in API Gateway's shape: `{"message": ...}` with a status, and for validation a message per field.
/// A 412 carries the current record instead (see `RecordResponse.preconditionFailed`).
struct APIError: HTTPResponseError, Equatable {
    var status: HTTPResponse.Status
    var body: APIErrorBody
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, fields: [String: String]? = nil) {
        self.status = status
        self.body = APIErrorBody(message: message, fields: fields)
    }

    static let unauthorized = APIError(.unauthorized, "Unauthorized")
    static let tokenExpired = APIError(.unauthorized, "The incoming token has expired")
    static let forbidden = APIError(.forbidden, "Forbidden")
    static let tooManyRequests = APIError(.tooManyRequests, "Too Many Requests")
    static let payloadTooLarge = APIError(.contentTooLarge, "Request Too Long")
    static let bodyNotAnObject = APIError(.badRequest, "The request body must be a JSON object")
    static let methodNotAllowed = APIError(.methodNotAllowed, "Method Not Allowed")
    static let ifMatchRequired = APIError(
        HTTPResponse.Status(code: 428, reasonPhrase: "Precondition Required"),
        "If-Match is required: send the ETag of the version you changed")
    static let idTaken = APIError(.conflict, "The id is taken")
    static let idempotencyKeyReused = APIError(
        .unprocessableContent, "This Idempotency-Key was used with a different request")

    static func collectionNotFound(_ name: String) -> APIError {
        APIError(.notFound, "Collection \(name) not found")
    }

    static func recordNotFound(_ collection: String, _ id: String) -> APIError {
        APIError(.notFound, "Record \(collection)/\(id) not found")
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: bodyText)))
    }

    var bodyText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(body)) ?? Data(#"{"message":""}"#.utf8), as: UTF8.self)
    }
}
