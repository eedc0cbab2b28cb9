import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

/// Reads of the demo API: get, list (sort, filter, search, count), and who sees what. alice and bob are the demo
/// users; maria is in the `managers` group (reads every task), adam in `admins` (writes announcements).
@Suite("API scenarios: reads and access rules")
struct APIReadScenarioTests {
    static let users = [TestUser(name: "maria", groups: ["managers"]), TestUser(name: "adam", groups: ["admins"])]

    static let reads: [APIStory] = [seededRecords, announcements]

    /// Reads of the seeded records and refused writes: nothing here changes what a later row reads.
    static let seededRecords = story(
        "reads of the seeded records, and what each user may not do",
        [
            row(
                "alice gets her task with its ETag", "alice", .get, "/api/tasks/task-0001", 200,
                .subset(["id": "task-0001", "title": "Draft release notes", "version": 1, "owner": "{aliceSub}"]),
                .header("ETag", "\"1\"")),
            row(
                "bob cannot get alice's task", "bob", .get, "/api/tasks/task-0001", 404,
                .exact(#"{"message":"Record tasks/task-0001 not found"}"#)),
            row("an unknown id is 404", "alice", .get, "/api/tasks/no-such-task", 404),
            row("an id that is not one is 404", "alice", .get, "/api/tasks/%C3%A9t%C3%A9", 404),
            row(
                "an unknown collection is 404", "alice", .get, "/api/things/1", 404,
                .exact(#"{"message":"Collection things not found"}"#)),
            row("no token is 401", nil, .get, "/api/tasks/task-0001", 401, .exact(#"{"message":"Unauthorized"}"#)),
            row(
                "sort by priority ascending, id breaking ties", "alice", .get, "/api/tasks?sort=priority&limit=3", 200,
                .ids(["task-0002", "task-0008", "task-0001"])),
            row(
                "sort by priority descending", "alice", .get, "/api/tasks?sort=priority&order=desc&limit=3", 200,
                .ids(["task-0012", "task-0009", "task-0007"])),
            row(
                "filter by status, any of two values", "alice", .get, "/api/tasks?status=todo&status=doing", 200,
                .itemCount(9)),
            row(
                "filter by an integer field", "alice", .get, "/api/tasks?priority=1", 200,
                .ids(["task-0002", "task-0008"])),
            row(
                "count only when asked", "alice", .get, "/api/tasks?status=done&count=true", 200,
                .subset(["count": 3]), .itemCount(3)),
            row("no count unless asked", "alice", .get, "/api/tasks?status=done", 200, .absent(["count"])),
            row("full-text search", "alice", .get, "/api/tasks?q=release", 200, .ids(["task-0001"])),
            row(
                "search matches word prefixes, any case, all words", "alice", .get, "/api/tasks?q=RELEAS%20not", 200,
                .ids(["task-0001"])),
            row(
                "search with filters and sort", "alice", .get, "/api/tasks?q=the&status=todo&sort=priority", 200,
                .ids(["task-0002", "task-0008", "task-0009"])),
            row(
                "search punctuation alone matches everything", "alice", .get, "/api/tasks?q=%22*%29(&count=true", 200,
                .subset(["count": 12])),
            row("bob's search never finds alice's records", "bob", .get, "/api/tasks?q=release", 200, .ids([])),
            row("bob lists his 4 tasks", "bob", .get, "/api/tasks?count=true", 200, .subset(["count": 4])),
            row(
                "filter by owner", "alice", .get, "/api/tasks?owner={aliceSub}&count=true", 200, .subset(["count": 12])),
            row(
                "sort by a column that is not listed", "alice", .get, "/api/tasks?sort=notes", 400,
                .exact(#"{"message":"sort must be one of title, status, priority, due, id, updatedAt"}"#)),
            row(
                "a bad order", "alice", .get, "/api/tasks?order=up", 400,
                .exact(#"{"message":"order must be asc or desc"}"#)),
            row(
                "a filter value of the wrong type", "alice", .get, "/api/tasks?priority=high", 400,
                .fields(["priority": "must be an integer"])),
            row(
                "a filter value outside the enum", "alice", .get, "/api/tasks?status=blocked", 400,
                .fields(["status": "must be one of todo, doing, done"])),
            row(
                "an unknown query parameter", "alice", .get, "/api/tasks?colour=red", 400,
                .exact(#"{"message":"Unknown query parameter colour"}"#)),
            row("count must be a boolean", "alice", .get, "/api/tasks?count=yes", 400),
            row(
                "a cursor from another sort", "alice", .get,
                "/api/tasks?sort=title&cursor="
                    + RecordCursor(
                        sort: "priority", descending: false, position: RecordListPosition(value: 2, id: "task-0001")
                    ).encoded,
                400, .exact(#"{"message":"The cursor belongs to another sort or order"}"#)),
            row(
                "the managers group reads every task", "maria", .get, "/api/tasks?count=true&limit=1", 200,
                .subset(["count": 16])),
            row(
                "a manager gets bob's task", "maria", .get, "/api/tasks/task-0013", 200,
                .subset(["title": "Bob: fix the build", "owner": "{bobSub}"])),
            row(
                "a manager cannot change it (read-only rule)", "maria", .patch, "/api/tasks/task-0013",
                headers: ["If-Match": "\"1\""], body: #"{"priority":2}"#, 403, .exact(#"{"message":"Forbidden"}"#)),
            row(
                "a manager cannot delete it", "maria", .delete, "/api/tasks/task-0013", headers: ["If-Match": "\"1\""],
                403),
            row(
                "owner rules still give a manager their own projects (none)", "maria", .get, "/api/projects", 200,
                .ids([])),
            row(
                "bob's change feed of tasks has only his", "bob", .get, "/api/tasks/_changes", 200,
                .ids(["task-0013", "task-0014", "task-0015", "task-0016"])),
        ])

    static let announcements = story(
        "an announcement: posted by an admin, read by all, changed only by admins",
        [
            row("every signed-in user reads announcements", "alice", .get, "/api/announcements", 200, .ids([])),
            row(
                "alice may not post an announcement", "alice", .post, "/api/announcements",
                body: #"{"title":"Hi","publishedAt":"2026-12-01T09:00:00Z"}"#, 403, .exact(#"{"message":"Forbidden"}"#)),
            row(
                "an admin posts one", "adam", .post, "/api/announcements",
                body:
                    #"{"title":"Office closed","publishedAt":"2026-12-24T09:00:00Z","severity":"info","pinned":true}"#,
                201, .subset(["title": "Office closed", "owner": "{adamSub}"]), capture: "news"),
            row("alice reads it", "alice", .get, "/api/announcements/{news}", 200, .subset(["pinned": true])),
            row("bob lists it", "bob", .get, "/api/announcements?sort=publishedAt&order=desc", 200, .ids(["{news}"])),
            row(
                "alice may not change it", "alice", .patch, "/api/announcements/{news}", headers: ["If-Match": "\"1\""],
                body: #"{"title":"Office open"}"#, 403),
            row(
                "alice may not delete it", "alice", .delete, "/api/announcements/{news}",
                headers: ["If-Match": "\"1\""],
                403),
            row(
                "another admin may change it (group rule: every record)", "adam", .patch, "/api/announcements/{news}",
                headers: ["If-Match": "\"1\""], body: #"{"severity":"warning"}"#, 200,
                .subset(["severity": "warning", "version": 2, "owner": "{adamSub}"])),
            row(
                "alice's change feed of announcements has it", "alice", .get, "/api/announcements/_changes", 200,
                .ids(["{news}"])),
        ])

    @Test("reads and access rules, each story on a cloud of its own", arguments: TestBackend.allCases, reads)
    func readScenarios(backend: TestBackend, story: APIStory) async throws {
        try await withAPICloud(backend: backend, users: Self.users) { cloud in
            try await run(story, on: cloud)
        }
    }

    @Test("keyset pages walk every sort key both ways without gaps or repeats", arguments: TestBackend.allCases)
    func keysetPagination(backend: TestBackend) async throws {
        try await withAPICloud(backend: backend) { cloud in
            for sort in ["id", "title", "status", "priority", "due", "updatedAt"] {
                for order in ["asc", "desc"] {
                    let whole = try await cloud.send(
                        .get, "/api/tasks?sort=\(sort)&order=\(order)&limit=500", as: "alice"
                    ).decode(RecordPage.self)
                    #expect(whole.items.count == 12)
                    var ids: [String] = []
                    var cursor: String?
                    var pages = 0
                    repeat {
                        let query = cursor.map { "&cursor=\($0)" } ?? ""
                        let response = try await cloud.send(
                            .get, "/api/tasks?sort=\(sort)&order=\(order)&limit=5\(query)", as: "alice")
                        #expect(response.status == .ok, "\(response.text)")
                        let page = try response.decode(RecordPage.self)
                        ids += page.items.compactMap { $0["id"]?.stringValue }
                        cursor = page.nextCursor
                        pages += 1
                    } while cursor != nil && pages < 10
                    #expect(pages == 3, "\(sort) \(order)")
                    #expect(ids == whole.items.compactMap { $0["id"]?.stringValue }, "\(sort) \(order)")
                    if sort == "id" { #expect(ids == (order == "desc" ? ids.sorted(by: >) : ids.sorted())) }
                }
            }
        }
    }
}
