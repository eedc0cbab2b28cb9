import Foundation
import GRDB
import HTTPTypes
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// Builds a cloud with the given metrics (and request log), for tests of what an operator sees.
func withOperatedCloud<Value: Sendable>(
    backend: TestBackend = .sqlite, instanceId: String = "test-instance-1",
    requestLog: RequestLogDestination = .dataDirectory, configure: @Sendable (CloudMetrics) -> Void = { _ in },
    _ body: @Sendable (any TestClientProtocol, CloudFixture, CloudMetrics) async throws -> Value
) async throws -> Value {
    let metrics = CloudMetrics(instanceId: instanceId)
    configure(metrics)
    let options = CloudOptions(
        backend: backend, issuerBaseURL: testIssuerBase, api: APIConfiguration(throttle: nil),
        configure: { configuration in
            configuration.instanceId = instanceId
            configuration.requestLog = requestLog
            configuration.metrics = metrics
        })
    return try await withCloud(options) { client, fixture in try await body(client, fixture, metrics) }
}

/// The value of one series in a Prometheus text scrape (`name{labels}`, labels in any order), or nil.
func sample(_ scrape: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
    for line in scrape.split(separator: "\n") where !line.hasPrefix("#") {
        guard let space = line.lastIndex(of: " ") else { continue }
        let series = line[..<space]
        let seriesName = series.split(separator: "{", maxSplits: 1)[0]
        guard seriesName == name else { continue }
        var found: [String: String] = [:]
        if let open = series.firstIndex(of: "{") {
            let inner = series[series.index(after: open)..<series.index(before: series.endIndex)]
            // Values here hold no '",' sequence, so a split on it is exact.
            for pair in inner.components(separatedBy: "\",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                found[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        if labels.allSatisfy({ found[$0.key] == $0.value }) { return Double(line[line.index(after: space)...]) }
    }
    return nil
}

@Suite("Health, readiness and metrics")
struct OperationsTests {
    @Test("/healthz names the instance; /readyz says ready while the database answers and is migrated")
    func healthAndReadiness() async throws {
        try await withOperatedCloud { client, fixture, _ in
            let health = try await client.get("/healthz")
            #expect(health.status == .ok)
            #expect(try health.json() == .object(["status": "ok", "instance": "test-instance-1"]))
            let ready = try await client.get("/readyz")
            #expect(ready.status == .ok)
            #expect(try ready.json()["status"] == "ready")

            // A schema this build does not know all of (a migration row gone, as after a restore of an older
            // backup): not ready, and it says why.
            let queue = try DatabaseQueue(path: fixture.dataDirectory.database.path)
            try await queue.write { db in
                try db.execute(
                    sql: "DELETE FROM grdb_migrations WHERE rowid = (SELECT max(rowid) FROM grdb_migrations)")
            }
            let notReady = try await client.get("/readyz")
            #expect(notReady.status == .serviceUnavailable)
            #expect(try notReady.json()["reason"]?.stringValue?.contains("migrations") == true)
            #expect(try await client.get("/healthz").status == .ok, "alive all the same")
        }
    }

    @Test("on MariaDB: /readyz asks the database, and /metrics shows its connection pool")
    func mariaDB() async throws {
        try await withOperatedCloud(backend: .mysql) { client, fixture, _ in
            let ready = try await client.get("/readyz")
            #expect(ready.status == .ok, "\(ready.text)")
            let token = try await client.signIn("alice", "Wonderland-42!", fixture: fixture).idToken
            #expect(try await client.get("/api/tasks", token: token).status == .ok)
            let scrape = try await client.get("/metrics").text
            #expect(sample(scrape, "handset_database_pool_connections", ["state": "size"]) == 6)
            let open =
                (sample(scrape, "handset_database_pool_connections", ["state": "idle"]) ?? 0)
                + (sample(scrape, "handset_database_pool_connections", ["state": "in_use"]) ?? 0)
            #expect(open >= 1, "the sign-in and the list used a connection: \(scrape)")

            // The database gone (closed under the running cloud): not ready, without naming the server.
            await fixture.storage.close()
            let gone = try await client.get("/readyz")
            #expect(gone.status == .serviceUnavailable)
            #expect(try gone.json()["reason"] == "the database does not answer")
        }
    }

    @Test("/metrics counts requests by route template and status, times them, and shows the instance")
    func requestMetrics() async throws {
        try await withOperatedCloud { client, fixture, _ in
            let token = try await client.signIn("alice", "Wonderland-42!", fixture: fixture).idToken
            for _ in 0..<3 { #expect(try await client.get("/api/tasks", token: token).status == .ok) }
            #expect(try await client.get("/api/tasks/no-such-task", token: token).status == .notFound)
            #expect(try await client.get("/api/tasks").status == .unauthorized)
            #expect(try await client.get("/no/such/route").status == .notFound)

            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let scrape = response.text
            let list = ["method": "GET", "route": "/api/{collection}", "status": "200", "function": "api.list"]
            #expect(sample(scrape, "handset_http_requests_total", list) == 3, "\(scrape)")
            #expect(
                sample(scrape, "handset_http_requests_total", ["route": "/api/{collection}", "status": "401"]) == 1)
            #expect(
                sample(scrape, "handset_http_requests_total", ["route": "/api/{collection}/{id}", "status": "404"])
                    == 1)
            // Hummingbird names every path no route matches alike.
            #expect(sample(scrape, "handset_http_requests_total", ["route": "NotFound", "status": "404"]) == 1)
            #expect(
                sample(
                    scrape, "handset_http_requests_total",
                    ["route": "/", "function": "cognito.InitiateAuth", "status": "200"]) == 1)
            #expect(
                sample(
                    scrape, "handset_http_request_duration_seconds_count",
                    ["route": "/api/{collection}", "function": "api.list"]) == 3)
            #expect(sample(scrape, "handset_http_request_duration_seconds_bucket", ["le": "+Inf"]) != nil)
            #expect(sample(scrape, "handset_instance_info", ["instance": "test-instance-1"]) == 1)
            #expect(!scrape.contains("no-such-task"), "an id never becomes a label")
            #expect(!scrape.contains(token))
            // Probes are neither logged nor counted.
            #expect(sample(scrape, "handset_http_requests_total", ["route": "/metrics"]) == nil)
        }
    }

    @Test("/metrics counts sign-ins, wrong passwords and lockouts")
    func signInMetrics() async throws {
        try await withOperatedCloud { client, fixture, metrics in
            _ = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            for _ in 0..<6 {
                _ = try await client.initiateAuth(
                    clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                    parameters: ["USERNAME": "bob", "PASSWORD": "wrong-password-1"])
            }
            let scrape = metrics.render()
            #expect(sample(scrape, "handset_sign_ins_total", ["outcome": "succeeded"]) == 1)
            // Cognito's policy: the fifth failure locks; the sixth attempt is refused unchecked.
            #expect(sample(scrape, "handset_sign_ins_total", ["outcome": "failed"]) == 5)
            #expect(sample(scrape, "handset_sign_ins_total", ["outcome": "locked_out"]) == 1)
        }
    }

    @Test("/metrics shows change-feed throughput, waiting long-polls and what the storage layer reports of its pool")
    func sampledMetrics() async throws {
        let sampler = PoolSampler()
        try await withOperatedCloud(configure: { $0.sampleDatabasePool { sampler.sample } }) {
            client, fixture, metrics in
            let token = try await client.signIn("alice", "Wonderland-42!", fixture: fixture).idToken
            let changes = try await client.get("/api/tasks/_changes", token: token)
            #expect(changes.status == .ok)
            let served = try changes.json()["items"]?.arrayValue?.count ?? 0
            #expect(served > 0)
            var scrape = metrics.render()
            #expect(sample(scrape, "handset_change_feed_changes_total", ["collection": "tasks"]) == Double(served))
            #expect(sample(scrape, "handset_inbox_long_polls_waiting") == 0)
            #expect(sample(scrape, "handset_database_pool_connections", ["state": "in_use"]) == 3)
            #expect(sample(scrape, "handset_database_pool_connections", ["state": "waiting"]) == 1)
            sampler.sample = DatabasePoolSample(inUse: 0, idle: 4, waiting: 0, size: 8)
            scrape = metrics.render()
            #expect(sample(scrape, "handset_database_pool_connections", ["state": "in_use"]) == 0)
            #expect(sample(scrape, "handset_database_pool_connections", ["state": "size"]) == 8)
        }
    }

    @Test("every request-log line names the instance; the log may go to another file")
    func requestLogInstance() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("fleet-requests.log")
        try await withOperatedCloud(instanceId: "web-7", requestLog: .file(file)) { client, fixture, _ in
            _ = try await client.get("/api/tasks")
            _ = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            _ = try await client.get("/healthz")
            // Written off the request path: shortly after the answers.
            try await waitUntil {
                ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").count >= 2
            }
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2, "probes are not logged")
            for line in lines {
                let entry = try JSONValue.parse(Data(line.utf8))
                #expect(entry["instance"] == "web-7")
            }
            #expect(!FileManager.default.fileExists(atPath: fixture.dataDirectory.requestLog.path))
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }

    @Test("instance ids are checked as `serve` takes them")
    func instanceIds() {
        #expect(InstanceID.isValid("ecs-task:0a1b2c.web_1"))
        #expect(!InstanceID.isValid(""))
        #expect(!InstanceID.isValid("has space"))
        #expect(!InstanceID.isValid("quote\""))
        #expect(!InstanceID.isValid(String(repeating: "a", count: 65)))
        #expect(InstanceID.isValid(InstanceID.generate()))
        #expect(InstanceID.generate() != InstanceID.generate())
    }
}

/// A pool whose report a test changes.
final class PoolSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var value = DatabasePoolSample(inUse: 3, idle: 1, waiting: 1, size: 4)
    var sample: DatabasePoolSample {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
