import Foundation
import HandsetWire
import Testing

@testable import HandsetModel

/// The table of validation cases the cloud's tests run too (`Tests/Fixtures/validation-cases.json`): the form and
/// `handset put` must refuse exactly what the cloud refuses, with the same words.
@Suite struct SharedValidationCasesTests {
    static let table: JSONValue = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/validation-cases.json")
        return (try? JSONValue.parse(Data(contentsOf: file))) ?? .null
    }()

    static var cases: [JSONValue] { table["cases"]?.arrayValue ?? [] }

    @Test func theTableIsThere() {
        #expect(Self.cases.count >= 25)
    }

    @Test(arguments: cases)
    func theClientFindsWhatTheCloudFinds(_ testCase: JSONValue) throws {
        let schema = try APISchema(openAPIDocument: Self.table["document"] ?? .null)
        let collection = try #require(schema.collection(named: "checks"))
        let body = testCase["body"]?.objectValue ?? [:]
        let expected = (testCase["problems"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        #expect(
            RecordValidator.problems(in: body, for: collection) == expected, "\(testCase["name"]?.stringValue ?? "")")
    }
}
