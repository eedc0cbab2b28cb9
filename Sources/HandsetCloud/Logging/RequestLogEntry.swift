import Foundation
import HandsetCloudStorage

/// One line of `<data dir>/logs/requests.log`, CloudWatch-style. Never a body, token, password or query string.
struct RequestLogEntry: Sendable, Equatable {
    var time: String
    var requestId: String
    /// The instance that answered (`serve --instance-id`), so that one log stream can hold a fleet's lines.
    var instance: String
    var sub: String?
    var function: String
    var method: String
    var route: String
    var status: Int
    var latencyMs: Double

    /// The entry as one JSON object with its fields always in the same order (time first), and `"sub": null` for
    /// anonymous requests.
    var jsonLine: String {
        // Written by hand: this runs once per request, and an encoder per field cost more than the request.
        var line = "{\"time\":"
        line.reserveCapacity(256)
        JSONText.appendQuoted(time, to: &line)
        line += ",\"requestId\":"
        JSONText.appendQuoted(requestId, to: &line)
        line += ",\"instance\":"
        JSONText.appendQuoted(instance, to: &line)
        line += ",\"sub\":"
        if let sub { JSONText.appendQuoted(sub, to: &line) } else { line += "null" }
        line += ",\"function\":"
        JSONText.appendQuoted(function, to: &line)
        line += ",\"method\":"
        JSONText.appendQuoted(method, to: &line)
        line += ",\"route\":"
        JSONText.appendQuoted(route, to: &line)
        line += ",\"status\":" + String(status) + ",\"latencyMs\":" + String(latencyMs) + "}"
        return line
    }
}
