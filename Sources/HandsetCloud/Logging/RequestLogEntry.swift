/// One line of `<data dir>/logs/requests.log`, CloudWatch-style. Never a body, token, password or query string.
struct RequestLogEntry: Encodable, Sendable, Equatable {
    var time: String
    var requestId: String
    var sub: String?
    var function: String
    var method: String
    var route: String
    var status: Int
    var latencyMs: Double

    enum CodingKeys: String, CodingKey {
        case time, requestId, sub, function, method, route, status, latencyMs
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(time, forKey: .time)
        try container.encode(requestId, forKey: .requestId)
        // An anonymous request logs `"sub": null` rather than omitting the field.
        try container.encode(sub, forKey: .sub)
        try container.encode(function, forKey: .function)
        try container.encode(method, forKey: .method)
        try container.encode(route, forKey: .route)
        try container.encode(status, forKey: .status)
        try container.encode(latencyMs, forKey: .latencyMs)
    }
}
