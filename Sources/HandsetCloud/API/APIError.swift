import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird

/// An API error in API Gateway's shape: `{"message": ...}` with a status.
struct APIError: HTTPResponseError, Equatable {
    var status: HTTPResponse.Status
    var body: APIErrorBody

    init(_ status: HTTPResponse.Status, _ message: String, fields: [String: String]? = nil) {
        self.status = status
        self.body = APIErrorBody(message: message, fields: fields)
    }

    static let unauthorized = APIError(.unauthorized, "Unauthorized")
    static let tokenExpired = APIError(.unauthorized, "The incoming token has expired")

    static func collectionNotFound(_ name: String) -> APIError {
        APIError(.notFound, "Collection \(name) not found")
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }
}
