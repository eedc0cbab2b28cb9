import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

/// Issue 12, item 7: with user-existence errors prevented, an unknown name must get exactly what some known user
/// would get, in every operation. Each test sets a known name beside an unknown one.
@Suite("Cognito: unknown users are indistinguishable")
struct CognitoEnumerationTests {
    /// Status, error type and message: what a caller sees of a refusal.
    private func outcome(_ response: TestResponse) throws -> String {
        guard response.status != .ok else { return "200" }
        let body = try response.decode(CognitoErrorBody.self)
        return "\(response.status.code) \(body.type): \(body.message)"
    }

    @Test("SRP: USERNAME and USER_ID_FOR_SRP are the name as the pool stores it, known user or not")
    func srpUsername() async throws {
        try await withCloud { client, fixture in
            for typed in ["ALICE", "Zed-Unknown"] {
                let (_, response) = try await client.startSRP(typed, fixture: fixture)
                let parameters = try #require(try response.authResponse.challengeParameters)
                #expect(parameters["USERNAME"] == typed.lowercased(), "\(typed)")
                #expect(parameters["USER_ID_FOR_SRP"] == typed.lowercased(), "\(typed)")
            }
        }
    }

    @Test("ConfirmForgotPassword: a weak password is refused first, for everyone")
    func confirmForgotPasswordPolicy() async throws {
        try await withCloud { client, fixture in
            var outcomes: [String] = []
            for name in ["alice", "mallory"] {
                outcomes.append(
                    try outcome(
                        try await client.call(
                            "ConfirmForgotPassword",
                            [
                                "ClientId": fixture.clientId, "Username": name, "ConfirmationCode": "123456",
                                "Password": "weak",
                            ])))
            }
            #expect(outcomes[0] == outcomes[1])
            #expect(outcomes[0].contains("InvalidPasswordException"))
        }
    }

    @Test("ConfirmForgotPassword: no code, an expired code and a wrong one all answer like an unknown user")
    func confirmForgotPasswordCodes() async throws {
        try await withCloud { client, fixture in
            func confirm(_ name: String) async throws -> String {
                try outcome(
                    try await client.call(
                        "ConfirmForgotPassword",
                        [
                            "ClientId": fixture.clientId, "Username": name, "ConfirmationCode": "000000",
                            "Password": "Looking-Glass-7",
                        ]))
            }
            let unknown = try await confirm("mallory")
            #expect(try await confirm("alice") == unknown, "known user, no code requested")
            _ = try await client.call("ForgotPassword", ["ClientId": fixture.clientId, "Username": "bob"])
            fixture.clock.advance(by: UserPool.resetCodeLifetime + 1)
            #expect(try await confirm("bob") == unknown, "known user, expired code")
            #expect(unknown.contains("CodeMismatchException"))
        }
    }

    @Test("ConfirmSignUp: a confirmed user answers like an unknown one, CONFIRMED is never revealed")
    func confirmSignUp() async throws {
        try await withCloud { client, fixture in
            var outcomes: [String] = []
            for name in ["alice", "mallory"] {
                outcomes.append(
                    try outcome(
                        try await client.call(
                            "ConfirmSignUp",
                            ["ClientId": fixture.clientId, "Username": name, "ConfirmationCode": "123456"])
                    ))
            }
            #expect(outcomes[0] == outcomes[1])
            #expect(!outcomes[0].contains("CONFIRMED"))
        }
    }

    @Test("wrong codes lock an unknown name out after as many tries as a known user")
    func codeLockout() async throws {
        try await withCloud { client, fixture in
            var sequences: [[String]] = []
            for name in ["alice", "mallory"] {
                var sequence: [String] = []
                for _ in 0..<7 {
                    sequence.append(
                        try outcome(
                            try await client.call(
                                "ConfirmSignUp",
                                ["ClientId": fixture.clientId, "Username": name, "ConfirmationCode": "123456"])))
                }
                sequences.append(sequence)
            }
            #expect(sequences[0] == sequences[1])
            #expect(sequences[0].last?.contains("LimitExceededException") == true)
        }
    }

    @Test("ResendConfirmationCode: a confirmed user gets a delivery like an unknown one, not 'already confirmed'")
    func resendConfirmationCode() async throws {
        try await withCloud { client, fixture in
            let before = fixture.mailbox.count
            let known = try await client.call(
                "ResendConfirmationCode", ["ClientId": fixture.clientId, "Username": "alice"])
            let unknown = try await client.call(
                "ResendConfirmationCode", ["ClientId": fixture.clientId, "Username": "mallory"])
            #expect(known.status == .ok && unknown.status == .ok, "\(known.text)")
            #expect(try known.jsonObject.keys.sorted() == unknown.jsonObject.keys.sorted())
            #expect(fixture.mailbox.count == before, "nothing is sent to a confirmed user")
        }
    }

    @Test("ForgotPassword's made-up delivery is not derived from the name it answers, and is stable")
    func decoyShape() async throws {
        try await withCloud { client, fixture in
            var initialsMatch = 0
            var domains: Set<String> = []
            let names = (0..<16).map { "unknown\($0)" }
            for name in names {
                let response = try await client.call(
                    "ForgotPassword", ["ClientId": fixture.clientId, "Username": name])
                let details = try #require(try response.jsonObject["CodeDeliveryDetails"] as? [String: String])
                let destination = try #require(details["Destination"])
                #expect(destination.wholeMatch(of: /[a-z]\*\*\*@[a-z]\*\*\*/) != nil, "\(destination)")
                if destination.first == name.first { initialsMatch += 1 }
                domains.insert(String(destination.split(separator: "@")[1]))
                let again = try await client.call(
                    "ForgotPassword", ["ClientId": fixture.clientId, "Username": name])
                #expect(try again.jsonObject["CodeDeliveryDetails"] as? [String: String] == details)
            }
            #expect(initialsMatch < names.count / 2, "the masked address gives the name away")
            #expect(domains.count > 1, "every made-up address has the same domain")
            #expect(!fixture.mailbox.contains { names.contains($0.username) })
        }
    }
}
