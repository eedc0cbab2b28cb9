import Foundation
import Testing

@testable import HandsetCloud

/// `serve --ready-file`: the JSON a waiting script reads, written whole.
@Suite("Ready file")
struct ReadyFileTests {
    @Test("holds where the server answers, replaces an older file and leaves no temporary file behind")
    func writesTheDocumentAtomically() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("ready.json")
        try Data("stale".utf8).write(to: file)
        let endpoints = CloudEndpoints(
            baseURL: "http://127.0.0.1:8911", port: 8911, region: "us-east-1", userPoolId: "us-east-1_abc",
            userPoolClientId: "client", issuer: "http://127.0.0.1:8911/us-east-1_abc",
            outputsFile: root.appendingPathComponent("amplify_outputs.json"), demoUsers: [])
        try ReadyFile.write(ReadyFile.document(for: endpoints, pid: 42), to: file)
        let read = try JSONDecoder().decode(ReadyFile.Document.self, from: Data(contentsOf: file))
        #expect(read.url == "http://127.0.0.1:8911" && read.port == 8911 && read.pid == 42)
        #expect(read.userPoolId == "us-east-1_abc" && read.userPoolClientId == "client")
        #expect(read.outputsFile == root.appendingPathComponent("amplify_outputs.json").path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["ready.json"])
    }

    @Test("a directory that cannot be written is an error, not a silent wait")
    func unwritableDirectoryThrows() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/ready.json")
        let endpoints = CloudEndpoints(
            baseURL: "http://127.0.0.1:1", port: 1, region: "r", userPoolId: "p", userPoolClientId: "c", issuer: "i",
            outputsFile: URL(fileURLWithPath: "/tmp/x"), demoUsers: [])
        #expect(throws: (any Error).self) { try ReadyFile.write(ReadyFile.document(for: endpoints), to: missing) }
    }
}
