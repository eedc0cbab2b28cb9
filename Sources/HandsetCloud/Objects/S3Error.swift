import Foundation
import HTTPTypes
import Hummingbird

/// An error of the storage endpoint, in S3's XML shape: `<Error><Code>AccessDenied</Code><Message>…</Message></Error>`.
struct S3Error: HTTPResponseError, Equatable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// Extra elements, like `StorageClass` for `InvalidObjectState`.
    var details: [(String, String)] = []

    static func == (lhs: S3Error, rhs: S3Error) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code && lhs.message == rhs.message
    }

    static let missingAuthentication = S3Error(
        status: .forbidden, code: "AccessDenied",
        message: "Query-string authentication requires the Signature, Date, Expires and Credential parameters")
    static let expired = S3Error(status: .forbidden, code: "AccessDenied", message: "Request has expired")
    static let signatureMismatch = S3Error(
        status: .forbidden, code: "SignatureDoesNotMatch",
        message: "The request signature we calculated does not match the signature you provided")
    static let quotaExceeded = S3Error(
        status: .forbidden, code: "QuotaExceeded",
        message: "Too many uploads that no record refers to yet: attach them to records, or wait until they expire")
    static let noSuchKey = S3Error(status: .notFound, code: "NoSuchKey", message: "The specified key does not exist.")
    static let noSuchBucket = S3Error(
        status: .notFound, code: "NoSuchBucket", message: "The specified bucket does not exist")
    static let missingContentLength = S3Error(
        status: .lengthRequired, code: "MissingContentLength",
        message: "You must provide the Content-Length HTTP header.")
    static let incompleteBody = S3Error(
        status: .badRequest, code: "IncompleteBody",
        message: "You did not provide the number of bytes specified by the Content-Length HTTP header")
    static let methodNotAllowed = S3Error(
        status: .methodNotAllowed, code: "MethodNotAllowed",
        message: "The specified method is not allowed against this resource.")

    static func entityTooLarge(limit: Int) -> S3Error {
        S3Error(
            status: .contentTooLarge, code: "EntityTooLarge",
            message: "Your proposed upload exceeds the maximum allowed object size.",
            details: [("MaxSizeAllowed", String(limit))])
    }

    static let invalidObjectState = S3Error(
        status: .forbidden, code: "InvalidObjectState",
        message: "The operation is not valid for the object's storage class",
        details: [("StorageClass", "GLACIER")])

    static let restoreInProgress = S3Error(
        status: .forbidden, code: "InvalidObjectState",
        message: "Object restore is already in progress; the object is not yet available",
        details: [("StorageClass", "GLACIER")])

    var bodyText: String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(Self.escape(code))</Code>"
        text += "<Message>\(Self.escape(message))</Message>"
        for (name, value) in details { text += "<\(name)>\(Self.escape(value))</\(name)>" }
        return text + "</Error>"
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = request.method == .head ? ByteBuffer() : ByteBuffer(string: bodyText)
        return Response(status: status, headers: [.contentType: "application/xml"], body: .init(byteBuffer: body))
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
