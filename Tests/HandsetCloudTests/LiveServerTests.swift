import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import HummingbirdTesting
import JWTKit
import Testing

@testable import HandsetCloud

/// Endpoints reported by `onListening`, kept for the test to read.
final class EndpointsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: CloudEndpoints?
    var endpoints: CloudEndpoints? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

@Suite("A listening server")
struct LiveServerTests {
    @Test("once listening, it writes amplify_outputs.json and reports its real port and issuer")
    func listening() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let box = EndpointsBox()
        let app = try await buildApplication(
            configuration: CloudConfiguration(
                port: 0, dataDirectory: directory, demo: true, logLevel: .critical,
                onListening: { box.endpoints = $0 }))
        let pool = try PoolConfiguration.load(from: DataDirectory(root: directory))

        try await app.test(.live) { client in
            let port = try #require(client.port)
            let endpoints = try #require(box.endpoints)
            #expect(endpoints.port == port)
            #expect(endpoints.baseURL == "http://127.0.0.1:\(port)")
            #expect(endpoints.issuer == "http://127.0.0.1:\(port)/\(pool.userPoolId)")
            #expect(endpoints.demoUsers.map(\.username).prefix(2) == ["alice", "bob"])

            let banner = StartupBanner.lines(for: endpoints)
            #expect(banner[0] == "handset-cloud listening on http://127.0.0.1:\(port)")
            #expect(banner.contains { $0.contains("http://127.0.0.1:\(port)/api") })
            #expect(banner.contains { $0.contains("alice") && $0.contains("Wonderland-42!") })
            #expect(banner.contains { $0.contains("bob") && $0.contains("Builder-42!") })

            let outputs = try JSONDecoder().decode(
                AmplifyOutputs.self, from: Data(contentsOf: DataDirectory(root: directory).amplifyOutputs))
            #expect(
                outputs
                    == AmplifyOutputs(
                        version: "1.3",
                        auth: .init(
                            awsRegion: "us-east-1", userPoolId: pool.userPoolId,
                            userPoolClientId: pool.defaultClient.clientId,
                            oauth: .init(
                                identityProviders: [], domain: "127.0.0.1:\(port)", scopes: AppClient.standardScopes,
                                redirectSignInURI: AppClient.localCallbackURLs,
                                redirectSignOutURI: AppClient.localLogoutURLs)),
                        custom: .init(
                            api: [
                                "handset": .init(
                                    endpoint: "http://127.0.0.1:\(port)/api", region: "us-east-1", apiName: "handset")
                            ],
                            handset: .init(
                                cognitoEndpoint: "http://127.0.0.1:\(port)/",
                                apiEndpoint: "http://127.0.0.1:\(port)/api", oauthEndpoint: "http://127.0.0.1:\(port)",
                                identityProviders: [],
                                deviceAuthorizationEndpoint: "http://127.0.0.1:\(port)/oauth2/device_authorization",
                                passwordlessFactors: []))))

            let fixture = CloudFixture(
                directory: directory, pool: pool, clock: TestClock(),
                storage: try SQLiteCloudStorage.open(directory: directory))
            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let claims = try await JWTKeyCollection().unverified(signIn.idToken, as: IDTokenClaims.self)
            #expect(claims.iss == "http://127.0.0.1:\(port)/\(pool.userPoolId)")
            let tasks = try await client.get("/api/tasks", token: signIn.idToken)
            #expect(tasks.status == .ok)
        }
    }

    @Test("behind a proxy (--public-url), amplify_outputs.json sends clients to the proxy; the banner keeps the bind")
    func publicURL() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let box = EndpointsBox()
        let app = try await buildApplication(
            configuration: CloudConfiguration(
                port: 0, dataDirectory: directory, demo: false, publicURL: "https://cloud.example.test/",
                logLevel: .critical, onListening: { box.endpoints = $0 }))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let endpoints = try #require(box.endpoints)
            #expect(StartupBanner.lines(for: endpoints)[0] == "handset-cloud listening on http://127.0.0.1:\(port)")
            let outputs = try JSONDecoder().decode(
                AmplifyOutputs.self, from: Data(contentsOf: DataDirectory(root: directory).amplifyOutputs))
            #expect(outputs.custom?.handset?.cognitoEndpoint == "https://cloud.example.test/")
            #expect(outputs.custom?.handset?.apiEndpoint == "https://cloud.example.test/api")
            #expect(outputs.custom?.api?["handset"]?.endpoint == "https://cloud.example.test/api")
        }
    }

    @Test("--demo with another API describes the demo users as that API shows them")
    func demoWithAnotherAPI() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let box = EndpointsBox()
        let app = try await buildApplication(
            configuration: CloudConfiguration(
                port: 0, dataDirectory: directory, demo: true, logLevel: .critical,
                onListening: { box.endpoints = $0 }),
            api: APIConfiguration(documentFile: repositoryRoot.appendingPathComponent("Examples/field-notes.json")))
        try await app.test(.live) { _ in
            let banner = StartupBanner.lines(for: try #require(box.endpoints)).joined(separator: "\n")
            #expect(!banner.contains("tasks"), "no team-app records or routes: \(banner)")
            #expect(!banner.contains("projects"))
            #expect(banner.contains("/api/observations"))
            #expect(banner.contains("alice / Wonderland-42! (alice@example.com): no MFA; no demo records in this API"))
        }
    }
}
