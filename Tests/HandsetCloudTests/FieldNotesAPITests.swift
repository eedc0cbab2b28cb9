import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

/// The second example document (`Examples/field-notes.json`), loaded as `serve --api` loads it: other collections,
/// other fields, and group rules of another shape.
@Suite("API scenarios: the field-notes example document")
struct FieldNotesAPITests {
    static let api = APIConfiguration(documentFile: repositoryRoot.appendingPathComponent("Examples/field-notes.json"))
    static let users = [
        TestUser(name: "ana", groups: []), TestUser(name: "ben", groups: []),
        TestUser(name: "rita", groups: ["reviewers"]), TestUser(name: "carl", groups: ["curators"]),
        TestUser(name: "sue", groups: ["surveyors"]), TestUser(name: "sid", groups: ["surveyors", "reviewers"]),
    ]
    static let heron = #"{"summary":"Grey heron fishing","observedAt":"2026-11-02T07:45:00Z","count":2}"#

    static let stories: [APIStory] = [observation, species, sites]

    static let observation = story(
        "an observation: its owner, a reviewer and a stranger",
        [
            row(
                "ana records an observation; her owner field is ignored", "ana", .post, "/api/observations",
                body:
                    #"{"summary":"Grey heron fishing","observedAt":"2026-11-02T07:45:00Z","count":2,"owner":"{benSub}"}"#,
                201, .subset(["owner": "{anaSub}", "count": 2, "version": 1]), capture: "obs"),
            row("ben cannot read it", "ben", .get, "/api/observations/{obs}", 404),
            row("ben does not list it", "ben", .get, "/api/observations?count=true", 200, .subset(["count": 0])),
            row("ben's feed does not have it", "ben", .get, "/api/observations/_changes", 200, .ids([])),
            row(
                "ben cannot change it", "ben", .patch, "/api/observations/{obs}", headers: ["If-Match": "\"1\""],
                body: #"{"confirmed":true}"#, 404),
            row("a reviewer reads it", "rita", .get, "/api/observations/{obs}", 200, .subset(["owner": "{anaSub}"])),
            row(
                "a reviewer lists everyone's", "rita", .get, "/api/observations?sort=observedAt&order=desc", 200,
                .ids(["{obs}"])),
            row(
                "a reviewer confirms it; the owner stays ana", "rita", .patch, "/api/observations/{obs}",
                headers: ["If-Match": "\"1\""], body: #"{"confirmed":true,"confidence":0.9}"#, 200,
                .subset(["confirmed": true, "confidence": 0.9, "version": 2, "owner": "{anaSub}"])),
            row(
                "a reviewer may not delete it", "rita", .delete, "/api/observations/{obs}",
                headers: ["If-Match": "\"2\""],
                403),
            row("a reviewer may create their own", "rita", .post, "/api/observations", body: heron, 201),
            row(
                "ana sees the reviewer's change", "ana", .get, "/api/observations/{obs}", 200,
                .subset(["confirmed": true])),
            row("ana lists only her own", "ana", .get, "/api/observations?count=true", 200, .subset(["count": 1])),
            row(
                "validation of the other schema", "ana", .post, "/api/observations",
                body: #"{"summary":"x","observedAt":"2026-11-02","count":0,"behaviour":"dancing","confidence":1.5}"#,
                400,
                .fields([
                    "summary": "must be at least 3 characters",
                    "observedAt": "must be a date-time (RFC 3339, like 2026-12-01T09:30:00Z)",
                    "count": "must be at least 1",
                    "behaviour": "must be one of feeding, resting, flying, nesting, other",
                    "confidence": "must be at most 1",
                ])),
            row(
                "an array's items are checked against items.enum and uniqueItems", "ana", .patch,
                "/api/observations/{obs}", headers: ["If-Match": "\"2\""], body: #"{"weather":["sun","snow"]}"#, 400,
                .fields(["weather": "may hold only sun, cloud, rain, wind, fog"])),
            row(
                "a repeated item too", "ana", .patch, "/api/observations/{obs}", headers: ["If-Match": "\"2\""],
                body: #"{"weather":["rain","rain"]}"#, 400, .fields(["weather": "must not repeat a value"])),
            row(
                "items from the list are taken", "ana", .patch, "/api/observations/{obs}",
                headers: ["If-Match": "\"2\""], body: #"{"weather":["rain","wind"]}"#, 200,
                .subset(["weather": ["rain", "wind"], "version": 3])),
            row("ana deletes hers", "ana", .delete, "/api/observations/{obs}", headers: ["If-Match": "\"3\""], 204),
            row(
                "the reviewer's feed has the tombstone", "rita", .get, "/api/observations/_changes", 200, .itemCount(2)),
        ])

    static let species = story(
        "the species catalogue: read by all, written by curators",
        [
            row(
                "ana may not add a species (read-only for her)", "ana", .post, "/api/species",
                body: #"{"commonName":"Grey heron","scientificName":"Ardea cinerea"}"#, 403),
            row(
                "a curator adds one", "carl", .post, "/api/species",
                body: #"{"commonName":"Grey heron","scientificName":"Ardea cinerea","status":"least-concern"}"#, 201,
                capture: "species"),
            row(
                "a pattern is enforced", "carl", .post, "/api/species",
                body: #"{"commonName":"Heron","scientificName":"ardea"}"#, 400,
                .fields(["scientificName": "must match ^[A-Z][a-z]+ [a-z]+$"])),
            row(
                "every signed-in user reads the catalogue", "ben", .get, "/api/species/{species}", 200,
                .subset(["commonName": "Grey heron"])),
            row("and lists it", "ana", .get, "/api/species?sort=commonName", 200, .ids(["{species}"])),
            row("and follows its feed", "ana", .get, "/api/species/_changes", 200, .ids(["{species}"])),
            row(
                "but may not change it", "ana", .patch, "/api/species/{species}", headers: ["If-Match": "\"1\""],
                body: #"{"protected":true}"#, 403),
            row("or delete it", "ana", .delete, "/api/species/{species}", headers: ["If-Match": "\"1\""], 403),
            row(
                "a curator changes it", "carl", .patch, "/api/species/{species}", headers: ["If-Match": "\"1\""],
                body: #"{"protected":true}"#, 200, .subset(["protected": true])),
        ])

    static let sites = story(
        "sites: for surveyors only, written by any of them",
        [
            row("sites are for surveyors only: no list", "ana", .get, "/api/sites", 403),
            row("no feed", "ana", .get, "/api/sites/_changes", 403),
            row("no create", "ana", .post, "/api/sites", body: #"{"name":"Marsh"}"#, 403),
            row(
                "a surveyor adds a site", "sue", .post, "/api/sites",
                body: #"{"name":"North marsh","habitat":"wetland","latitude":52.1,"longitude":-0.5}"#, 201,
                capture: "site"),
            row(
                "another surveyor changes it (group rule on every record)", "sid", .put, "/api/sites/{site}",
                headers: ["If-Match": "\"1\""],
                body: #"{"name":"North marsh","habitat":"wetland","lastVisited":"2026-11-20"}"#,
                200, .subset(["owner": "{sueSub}", "version": 2]), .absent(["latitude"])),
            row("ana cannot read it", "ana", .get, "/api/sites/{site}", 404),
            row("tasks do not exist in this API", "ana", .get, "/api/tasks", 404),
        ])

    @Test("observations, species and sites under their rules", arguments: TestBackend.allCases, stories)
    func scenarios(backend: TestBackend, story: APIStory) async throws {
        try await withAPICloud(backend: backend, api: Self.api, demo: false, users: Self.users) { cloud in
            try await run(story, on: cloud)
        }
    }

    @Test("the served document is the example's, completed")
    func servedDocument() async throws {
        try await withAPICloud(api: Self.api, demo: false) { cloud in
            let document = try await cloud.send(.get, "/api/openapi.json", as: nil).json()
            #expect(document["info"]?["title"] == "Field notes")
            #expect(
                document["tags"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [
                    "observations", "species", "sites",
                ])
            for collection in ["observations", "species", "sites"] {
                #expect(document["paths"]?["/\(collection)/{id}"]?["patch"] != nil)
                #expect(document["paths"]?["/\(collection)/_changes"]?["get"] != nil)
            }
        }
    }
}
