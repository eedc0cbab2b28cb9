import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird

/// An error in Cognito's wire shape: HTTP 400 with `{"__type":"<Name>Exception","message":...}` and the type
/// repeated in the `x-amzn-ErrorType` header.
struct CognitoError: HTTPResponseError, Equatable {
    var type: String
    var message: String
    var status: HTTPResponse.Status = .badRequest

    static let errorTypeHeader = HTTPField.Name(CognitoWire.errorTypeHeader)!

    static func notAuthorized(_ message: String) -> CognitoError {
        CognitoError(type: "NotAuthorizedException", message: message)
    }

    /// The answer to both an unknown user and a wrong password, so that callers cannot tell which it was.
    static let incorrectCredentials = notAuthorized("Incorrect username or password.")

    static func invalidParameter(_ message: String) -> CognitoError {
        CognitoError(type: "InvalidParameterException", message: message)
    }

    static func resourceNotFound(_ message: String) -> CognitoError {
        CognitoError(type: "ResourceNotFoundException", message: message)
    }

    static func serialization(_ message: String) -> CognitoError {
        CognitoError(type: "SerializationException", message: message)
    }

    static func unknownOperation(_ message: String) -> CognitoError {
        CognitoError(type: "UnknownOperationException", message: message)
    }

    static func userNotConfirmed() -> CognitoError {
        CognitoError(type: "UserNotConfirmedException", message: "User is not confirmed.")
    }

    static let internalError = CognitoError(
        type: "InternalErrorException", message: "An internal error occurred.", status: .internalServerError)

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(CognitoErrorBody(type: type, message: message))
        return Response(
            status: status,
            headers: [.contentType: CognitoWire.contentType, Self.errorTypeHeader: type],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
