import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

/// Writes of the demo API in three stories, each on a cloud of its own: a record's life (create, replace, patch,
/// delete, tombstone, revival), client ids, and refused bodies and methods.
@Suite("API scenarios: writes")
struct APIWriteScenarioTests {
    static let task = #"{"title":"Buy milk","status":"todo"}"#

    static let writes: [APIStory] = [lifecycle, clientIDs, refusals]

    static let lifecycle = story(
        "a record's life: create, replace, patch, delete, tombstone and revival",
        [
            row(
                "create with a server id; owner, id and version in the body are ignored", "alice", .post, "/api/tasks",
                body: #"{"title":"Buy milk","status":"todo","owner":"someone-else","version":7,"id":"mine"}"#, 201,
                .subset(["title": "Buy milk", "version": 1, "owner": "{aliceSub}"]), .header("ETag", "\"1\""),
                .absent(["deleted"]), capture: "milk"),
            row(
                "the new record has a Location", "alice", .get, "/api/tasks/{milk}", 200,
                .subset(["id": "{milk}", "status": "todo"])),
            row(
                "replace with the current version", "alice", .put, "/api/tasks/{milk}", headers: ["If-Match": "\"1\""],
                body: #"{"title":"Buy oat milk","status":"doing","priority":2}"#, 200,
                .subset(["title": "Buy oat milk", "version": 2, "priority": 2]), .header("ETag", "\"2\"")),
            row(
                "a stale replace gets 412 with the current record", "alice", .put, "/api/tasks/{milk}",
                headers: ["If-Match": "\"1\""], body: task, 412,
                .subset(["title": "Buy oat milk", "version": 2, "id": "{milk}"]), .header("ETag", "\"2\"")),
            row(
                "a replace drops fields it does not name", "alice", .put, "/api/tasks/{milk}",
                headers: ["If-Match": "W/\"2\""], body: #"{"title":"Buy oat milk","status":"doing"}"#, 200,
                .subset(["version": 3]), .absent(["priority"])),
            row(
                "patch changes the given fields only", "alice", .patch, "/api/tasks/{milk}",
                headers: ["If-Match": "\"3\""], body: #"{"priority":3,"flagged":true}"#, 200,
                .subset(["version": 4, "priority": 3, "flagged": true, "title": "Buy oat milk"])),
            row(
                "patch with null clears a field", "alice", .patch, "/api/tasks/{milk}", headers: ["If-Match": "\"4\""],
                body: #"{"priority":null}"#, 200, .subset(["version": 5, "flagged": true]), .absent(["priority"])),
            row(
                "patch cannot clear a required field", "alice", .patch, "/api/tasks/{milk}",
                headers: ["If-Match": "\"5\""], body: #"{"title":null}"#, 400, .fields(["title": "is required"])),
            row(
                "a stale patch gets 412", "alice", .patch, "/api/tasks/{milk}", headers: ["If-Match": "\"4\""],
                body: #"{"flagged":false}"#, 412, .subset(["version": 5, "flagged": true])),
            row(
                "patch without If-Match is 428", "alice", .patch, "/api/tasks/{milk}", body: #"{"flagged":false}"#, 428,
                .exact(#"{"message":"If-Match is required: send the ETag of the version you changed"}"#)),
            row(
                "an If-Match that is not an entity tag is 400", "alice", .patch, "/api/tasks/{milk}",
                headers: ["If-Match": "five"], body: #"{"flagged":false}"#, 400),
            row(
                "bob cannot see it to patch it", "bob", .patch, "/api/tasks/{milk}", headers: ["If-Match": "\"5\""],
                body: #"{"flagged":false}"#, 404),
            row(
                "bob cannot replace it", "bob", .put, "/api/tasks/{milk}", headers: ["If-Match": "\"5\""], body: task,
                404),
            row("bob cannot delete it", "bob", .delete, "/api/tasks/{milk}", headers: ["If-Match": "\"5\""], 404),
            row(
                "bob cannot take the id over", "bob", .put, "/api/tasks/{milk}", headers: ["If-None-Match": "*"],
                body: task, 409, .exact(#"{"message":"The id is taken"}"#)),
            row(
                "a stale delete gets 412", "alice", .delete, "/api/tasks/{milk}", headers: ["If-Match": "\"4\""], 412,
                .subset(["version": 5])),
            row("delete without If-Match is 428", "alice", .delete, "/api/tasks/{milk}", 428),
            row(
                "delete with the current version", "alice", .delete, "/api/tasks/{milk}",
                headers: ["If-Match": "\"5\""],
                204, .noBody),
            row("a deleted record is gone", "alice", .get, "/api/tasks/{milk}", 404),
            row("and out of lists", "alice", .get, "/api/tasks?q=milk", 200, .ids([])),
            row(
                "deleting it again succeeds and changes nothing", "alice", .delete, "/api/tasks/{milk}",
                headers: ["If-Match": "\"5\""], 204),
            row(
                "editing a deleted record gets 412 with the tombstone", "alice", .patch, "/api/tasks/{milk}",
                headers: ["If-Match": "\"5\""], body: #"{"flagged":false}"#, 412,
                .exact(
                    #"{"id":"{milk}","owner":"{aliceSub}","updatedAt":"2026-11-18T11:06:40.000Z","version":6,"deleted":true}"#
                )),
            row(
                "replacing at the tombstone's version brings it back", "alice", .put, "/api/tasks/{milk}",
                headers: ["If-Match": "\"6\""], body: task, 200, .subset(["title": "Buy milk", "version": 7]),
                .absent(["deleted"])),
            row(
                "If-Match: * replaces any live version", "alice", .put, "/api/tasks/{milk}", headers: ["If-Match": "*"],
                body: #"{"title":"Buy milk today","status":"todo"}"#, 200, .subset(["version": 8])),
        ])

    static let clientIDs = story(
        "ids chosen by the client: create, retry, conflict, refused ids",
        [
            row(
                "create with the client's id", "alice", .put, "/api/tasks/0b7c6d2e-offline-1",
                headers: ["If-None-Match": "*"], body: #"{"title":"Made offline","status":"todo"}"#, 201,
                .subset(["id": "0b7c6d2e-offline-1", "version": 1, "owner": "{aliceSub}"]), .header("ETag", "\"1\"")),
            row(
                "a retry of the same create returns the record", "alice", .put, "/api/tasks/0b7c6d2e-offline-1",
                headers: ["If-None-Match": "*"], body: #"{"status":"todo","title":"Made offline"}"#, 201,
                .subset(["version": 1])),
            row(
                "the same id with another body gets 412 with the record", "alice", .put,
                "/api/tasks/0b7c6d2e-offline-1",
                headers: ["If-None-Match": "*"], body: #"{"title":"Something else","status":"todo"}"#, 412,
                .subset(["title": "Made offline", "version": 1])),
            row(
                "a client id must be a plain id", "alice", .put, "/api/tasks/_mine", headers: ["If-None-Match": "*"],
                body: task, 400,
                .fields(["id": "must be 1 to 128 letters, digits, '-', '_', '.' or ':', not starting with '_'"])),
            row(
                "If-None-Match must be *", "alice", .put, "/api/tasks/new-1", headers: ["If-None-Match": "\"1\""],
                body: task, 400),
            row("PUT without a precondition is 428", "alice", .put, "/api/tasks/task-0001", body: task, 428),
        ])

    static let refusals = story(
        "bodies, fields and methods that are refused, and one body with every field type",
        [
            row(
                "every field problem at once", "alice", .post, "/api/tasks",
                body: #"""
                    {"title":5,"status":"later","priority":9,"due":"2026-02-30","assignee":"nobody","link":"not a uri",
                     "flagged":"yes","estimateHours":-1,"remindAt":"tomorrow","colour":"red","notes":null}
                    """#, 400,
                .subset(["message": "Invalid request body"]),
                .fields([
                    "title": "must be a string", "status": "must be one of todo, doing, done",
                    "priority": "must be at most 5",
                    "due": "must be a date (YYYY-MM-DD)", "assignee": "must be an email address",
                    "link": "must be an absolute URI", "flagged": "must be true or false",
                    "estimateHours": "must be at least 0",
                    "remindAt": "must be a date-time (RFC 3339, like 2026-12-01T09:30:00Z)",
                    "colour": "is not a field of Task",
                ])),
            row(
                "required fields", "alice", .post, "/api/tasks", body: #"{"notes":"x"}"#, 400,
                .fields(["title": "is required", "status": "is required"])),
            row(
                "maxLength counts characters", "alice", .post, "/api/tasks",
                body: #"{"title":"\#(String(repeating: "é", count: 121))","status":"todo"}"#, 400,
                .fields(["title": "must be at most 120 characters"])),
            row(
                "minLength", "alice", .post, "/api/tasks", body: #"{"title":"","status":"todo"}"#, 400,
                .fields(["title": "must not be empty"])),
            row(
                "a body that is not an object", "alice", .post, "/api/tasks", body: "[1,2]", 400,
                .exact(#"{"message":"The request body must be a JSON object"}"#)),
            row(
                "a body that is not JSON", "alice", .post, "/api/tasks", body: "{", 400,
                .exact(#"{"message":"The request body is not valid JSON"}"#)),
            row(
                "no body", "alice", .post, "/api/tasks", 400,
                .exact(#"{"message":"The request body must be a JSON object"}"#)),
            row(
                "PUT on a collection is 405", "alice", .put, "/api/tasks", body: task, 405,
                .exact(#"{"message":"Method Not Allowed"}"#), .header("Allow", "GET, POST")),
            row("POST on a record is 405", "alice", .post, "/api/tasks/task-0001", body: task, 405),
            row("POST on the change feed is 405", "alice", .post, "/api/tasks/_changes", body: "{}", 405),
            row("GET on the batch route is 405", "alice", .get, "/api/tasks/_batch", 405, .header("Allow", "POST")),
            row("writes to an unknown collection are 404", "alice", .post, "/api/things", body: "{}", 404),
            row(
                "a valid body with every field type", "alice", .post, "/api/tasks",
                body: #"""
                    {"title":"Ship it","status":"doing","priority":1,"due":"2028-02-29","assignee":"a.b+c@example.co.uk",
                     "link":"https://example.com/a?b=c","flagged":false,"estimateHours":2.5,
                     "remindAt":"2026-12-01T09:30:00.123+01:00","notes":"Long\nnotes","project":"project-0001",
                     "attachment":"uploads/a.pdf"}
                    """#, 201, .subset(["estimateHours": 2.5, "remindAt": "2026-12-01T09:30:00.123+01:00"])),
        ])

    @Test("writes, each story on a cloud of its own", arguments: TestBackend.allCases, writes)
    func writeScenarios(backend: TestBackend, story: APIStory) async throws {
        try await withAPICloud(backend: backend) { cloud in
            try await run(story, on: cloud)
        }
    }
}
