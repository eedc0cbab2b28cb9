import HTTPTypes
import HandsetCloudStorage
import HandsetWire

/// The outcome of one write, as both a single request and a batch item report it.
struct WriteAnswer: Sendable, Equatable {
    var status: HTTPResponse.Status
    /// The record after the write, or for a 412 the current one, as JSON text.
    var record: String?
    var eTag: String?
    var location: String?
    /// For failures other than 412.
    var error: APIErrorBody?

    static func failure(_ error: APIError) -> WriteAnswer {
        WriteAnswer(status: error.status, error: error.body)
    }

    static func record(_ status: HTTPResponse.Status, _ record: StoredRecord, location: String? = nil) -> WriteAnswer {
        WriteAnswer(status: status, record: record.jsonText, eTag: record.eTag, location: location)
    }

    /// The answer as stored for an Idempotency-Key.
    var stored: StoredResponse {
        var headers: [String: String] = [:]
        if let eTag { headers[APIHeader.eTag] = eTag }
        if let location { headers["Location"] = location }
        return StoredResponse(status: status.code, headers: headers, body: record ?? "")
    }

    init(
        status: HTTPResponse.Status, record: String? = nil, eTag: String? = nil, location: String? = nil,
        error: APIErrorBody? = nil
    ) {
        self.status = status
        self.record = record
        self.eTag = eTag
        self.location = location
        self.error = error
    }

    init(replaying stored: StoredResponse) {
        self.init(
            status: HTTPResponse.Status(code: stored.status), record: stored.body.isEmpty ? nil : stored.body,
            eTag: stored.headers[APIHeader.eTag], location: stored.headers["Location"])
    }
}

/// Thrown inside a write's transaction when `If-Match` names another version: carries the current record.
struct PreconditionFailed: Error {
    var current: StoredRecord
}
