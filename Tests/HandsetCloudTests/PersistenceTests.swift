import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

@Suite("Persistence and secrets at rest")
struct PersistenceTests {
    @Test("state survives rebuilding the app on the same data directory")
    func survivesRestart() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        let (firstPool, firstKid, refreshToken) = try await withCloud(directory: directory) { client, fixture in
            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let jwks = try await client.get("/\(fixture.pool.userPoolId)/.well-known/jwks.json")
                .decode(JSONWebKeySet.self)
            return (fixture.pool, jwks.keys[0].kid, signIn.refreshToken!)
        }

        try await withCloud(demo: false, directory: directory) { client, fixture in
            #expect(fixture.pool == firstPool)
            let jwks = try await client.get("/\(fixture.pool.userPoolId)/.well-known/jwks.json")
                .decode(JSONWebKeySet.self)
            #expect(jwks.keys.map(\.kid) == [firstKid])

            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let tasks = try await client.get("/api/tasks", token: signIn.idToken).decode(RecordPage.self)
            #expect(tasks.items.count == 12)

            let refreshed = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": refreshToken])
            #expect(refreshed.status == .ok)
        }

        // Seeding again is a no-op: no duplicate users or records.
        try await withCloud(demo: true, directory: directory) { client, fixture in
            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let tasks = try await client.get("/api/tasks?limit=500", token: signIn.idToken).decode(RecordPage.self)
            #expect(tasks.items.count == 12)
        }
    }

    @Test("the pool configuration has Cognito's id shapes and the client's settings")
    func poolConfiguration() async throws {
        try await withCloud(demo: false) { _, fixture in
            let pool = fixture.pool
            #expect(pool.region == "us-east-1")
            #expect(pool.userPoolId.wholeMatch(of: /us-east-1_[A-Za-z0-9]{9}/) != nil, "\(pool.userPoolId)")
            #expect(pool.clients.count == 1)
            #expect(pool.defaultClient.clientId.wholeMatch(of: /[a-z0-9]{26}/) != nil)
            #expect(pool.defaultClient.name == "handset")
            #expect(pool.defaultClient.secret == nil)
            #expect(pool.defaultClient.allowedFlows == ["USER_SRP_AUTH", "USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"])
            #expect(
                pool.tokenLifetimes
                    == TokenLifetimes(idTokenSeconds: 3600, accessTokenSeconds: 3600, refreshTokenSeconds: 2_592_000))
            #expect(pool.passwordPolicy.minimumLength == 8)
            let text = try String(contentsOf: fixture.dataDirectory.poolConfiguration, encoding: .utf8)
            #expect(text.contains(#""secret" : null"#))
        }
    }

    @Test("private files and directories are not readable by others")
    func permissions() async throws {
        try await withCloud(demo: false) { client, fixture in
            _ = try await client.get("/api/openapi.json")
            let directory = fixture.dataDirectory
            #expect(try Self.mode(of: directory.keysDirectory) == 0o700)
            #expect(try Self.mode(of: directory.signingKey) == 0o600)
            #expect(try Self.mode(of: directory.logsDirectory) == 0o700)
            #expect(try Self.mode(of: directory.requestLog) == 0o600)
            #expect(try Self.mode(of: directory.poolConfiguration) == 0o600)
            #expect(try Self.mode(of: directory.database) == 0o600)
            for suffix in ["-wal", "-shm"] {
                let companion = URL(fileURLWithPath: directory.database.path + suffix)
                if FileManager.default.fileExists(atPath: companion.path) {
                    #expect(try Self.mode(of: companion) == 0o600, "\(suffix)")
                }
            }
        }
    }

    @Test("no password is stored anywhere in the data directory")
    func noPasswordsAtRest() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withCloud(directory: directory) { client, fixture in
            _ = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            _ = try await client.signIn("bob", "Builder-42!", fixture: fixture)
            _ = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                parameters: ["USERNAME": "alice", "PASSWORD": "Wrong-Password-99"])
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory.path).map {
            directory.appendingPathComponent($0)
        }
        #expect(files.contains { $0.lastPathComponent == "handset-cloud.sqlite" })
        for file in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let data = try Data(contentsOf: file)
            for password in ["Wonderland-42!", "Builder-42!", "Wrong-Password-99"] {
                #expect(data.range(of: Data(password.utf8)) == nil, "\(password) found in \(file.lastPathComponent)")
            }
        }
    }

    @Test("a data directory that cannot be created is a clear error")
    func unusableDataDirectory() async throws {
        let file = try makeTemporaryDirectory().appendingPathComponent("not-a-directory")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        await #expect {
            _ = try await buildApplication(configuration: CloudConfiguration(port: 0, dataDirectory: file))
        } throws: { error in
            guard case .dataDirectoryUnavailable(let path, _) = error as? CloudStartupError else { return false }
            return path == file.path
        }
    }

    static func mode(of url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return ((attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1) & 0o777
    }
}
