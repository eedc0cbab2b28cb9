import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

/// The table of validation cases the client's tests run too (`Tests/Fixtures/validation-cases.json`), sent to the
/// API as creates: the cloud must refuse exactly what the client refuses, with the same words.
@Suite("API: the validation cases shared with the client")
struct SharedValidationCasesTests {
    @Test(arguments: TestBackend.allCases)
    func theCloudFindsWhatTheClientFinds(backend: TestBackend) async throws {
        let table = try JSONValue.parse(
            Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/validation-cases.json")))
        let cases = try #require(table["cases"]?.arrayValue)
        #expect(cases.count >= 25)
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let documentFile = directory.appendingPathComponent("checks.json")
        try (table["document"] ?? .null).encoded().write(to: documentFile)
        try await withAPICloud(
            backend: backend, api: APIConfiguration(documentFile: documentFile),
            users: [TestUser(name: "ana", groups: [])]
        ) {
            cloud in
            for testCase in cases {
                let name = testCase["name"]?.stringValue ?? ""
                let body = String(decoding: (testCase["body"] ?? .null).encoded(), as: UTF8.self)
                let response = try await cloud.send(.post, "/api/checks", as: "ana", body: body)
                let expected = testCase["problems"]?.objectValue ?? [:]
                if expected.isEmpty {
                    #expect(response.status.code == 201, "\(name)")
                } else {
                    #expect(response.status.code == 400, "\(name)")
                    let answer = try JSONValue.parse(Data(buffer: response.body))
                    #expect(answer["fields"]?.objectValue == expected, "\(name)")
                }
            }
        }
    }
}
