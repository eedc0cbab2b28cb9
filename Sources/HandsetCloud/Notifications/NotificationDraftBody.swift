import Foundation
import HandsetWire
import Hummingbird

/// A `NotificationDraft` as a request sends it (`body` may be left out), checked before it reaches any inbox.
struct NotificationDraftBody: Decodable, Sendable {
    var title: String?
    var body: String?
    var link: RecordLink?

    static let maximumTitleLength = 200
    static let maximumBodyLength = 4000

    /// The draft, or a 400 naming each problem.
    func validated() throws -> NotificationDraft {
        var problems: [String: String] = [:]
        let title = (title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { problems["title"] = "is required" }
        if title.unicodeScalars.count > Self.maximumTitleLength {
            problems["title"] = "must be at most \(Self.maximumTitleLength) characters"
        }
        if (body ?? "").unicodeScalars.count > Self.maximumBodyLength {
            problems["body"] = "must be at most \(Self.maximumBodyLength) characters"
        }
        if let link, !CollectionDefinition.isCollectionName(link.collection) || !RecordID.isValid(link.id) {
            problems["link"] = "must be {\"collection\", \"id\"} of a record"
        }
        guard problems.isEmpty else { throw APIError(.badRequest, "Invalid notification", fields: problems) }
        return NotificationDraft(title: title, body: body ?? "", link: link)
    }

    static func decode(_ request: inout Request) async throws -> NotificationDraft {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: 16_384)
        } catch {
            throw APIError.payloadTooLarge
        }
        guard let draft = try? JSONValueDecoder().decode(Self.self, from: Data(buffer: buffer)) else {
            throw APIError(.badRequest, "The body must be {\"title\", \"body\", \"link\": {\"collection\", \"id\"}}")
        }
        return try draft.validated()
    }
}
