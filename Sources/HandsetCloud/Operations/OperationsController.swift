import Foundation
import HTTPTypes
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import ServiceLifecycle

/// What an orchestrator and a scraper ask an instance: `GET /healthz` (the process answers), `GET /readyz` (it can
/// serve: database reachable, migrations done, not shutting down) and `GET /metrics` (Prometheus' text format).
///
/// Registered before the request log, so that probes every few seconds neither flood the log nor count as traffic.
/// They reveal no user data; `/metrics` shows route templates, collection names and counts.
struct OperationsController: Sendable {
    let instanceId: String
    let metrics: CloudMetrics
    let readiness: ReadinessCheck

    func addRoutes(to router: Router<CloudRequestContext>) {
        router.get("healthz") { _, _ in
            Self.json(.ok, ["status": .string("ok"), "instance": .string(instanceId)])
        }
        router.get("readyz") { _, _ in
            await ready()
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: CloudMetrics.contentType, .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
    }

    func ready() async -> Response {
        // Requests run inside the server's task, so they see its graceful shutdown (SIGTERM) begin: a request on a
        // connection kept alive while in-flight ones finish learns to go elsewhere.
        if Task.isShuttingDownGracefully {
            return Self.json(
                .serviceUnavailable,
                ["status": .string("draining"), "instance": .string(instanceId), "reason": .string("shutting down")])
        }
        do {
            try await readiness.check()
            return Self.json(.ok, ["status": .string("ready"), "instance": .string(instanceId)])
        } catch {
            // Only the storage's own words: a driver's error could name a host or a user.
            let reason = (error as? StorageNotReady)?.reason ?? "the database does not answer"
            return Self.json(
                .serviceUnavailable,
                ["status": .string("unavailable"), "instance": .string(instanceId), "reason": .string(reason)])
        }
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: JSONValue]) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONValue.object(object).encoded())))
    }
}
