import Foundation
import HandsetCloudStorage

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// HTTP to third-party identity providers: their discovery documents, keys and token endpoints.
protocol UpstreamHTTP: Sendable {
    func get(_ url: URL) async throws -> (status: Int, body: Data)
    func postForm(
        _ url: URL, fields: FormFields, basic: (id: String, secret: String)?
    ) async throws
        -> (status: Int, body: Data)
}

/// URLSession (libcurl on Linux): no cookies, no cache, 10-second timeouts, answers of at most 1 MiB.
struct URLSessionUpstreamHTTP: UpstreamHTTP {
    static let maximumBody = 1 << 20

    private let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.timeoutIntervalForRequest = 10
        configuration.timeoutIntervalForResource = 20
        return URLSession(configuration: configuration)
    }()

    func get(_ url: URL) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: url)
        request.timeoutInterval = 10
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        return try await send(request)
    }

    func postForm(
        _ url: URL, fields: FormFields, basic: (id: String, secret: String)?
    ) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: url)
        request.timeoutInterval = 10
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let basic {
            let credentials = FormFields.encode(basic.id) + ":" + FormFields.encode(basic.secret)
            request.setValue(
                "Basic " + Data(credentials.utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        }
        request.httpBody = Data(fields.encoded.utf8)
        return try await send(request)
    }

    private func send(_ request: URLRequest) async throws -> (status: Int, body: Data) {
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw FederationError.providerUnreachable }
        guard data.count <= Self.maximumBody else { throw FederationError.providerAnswer("the answer is too large") }
        return (http.statusCode, data)
    }
}
