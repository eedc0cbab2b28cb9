import Foundation
import HandsetCloudStorage
import HandsetSRP
import Testing

@testable import HandsetCloud

/// ListUsers' filter grammar (`UserFilter`) and the preferred role of a user's groups (`GroupRoles`): pure logic.
@Suite("ListUsers filters and group roles")
struct UserFilterTests {
    static func user(
        _ username: String, email: String? = nil, enabled: Bool = true, status: UserStatus = .confirmed,
        attributes: [String: String] = [:]
    ) -> PoolUser {
        PoolUser(
            sub: "sub-\(username)", username: username, email: email, emailVerified: email != nil, phoneNumber: nil,
            phoneNumberVerified: false, attributes: attributes, status: status, enabled: enabled,
            userIdForSRP: username, password: SRPVerifier(salt: [1], verifier: [2]),
            passwordSetAt: Date(timeIntervalSince1970: 0), groups: [], mfa: MFASettings(),
            createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
    }

    @Test("the grammar: = and ^=, spaces, escapes, every attribute Cognito filters on")
    func parses() throws {
        #expect(
            try UserFilter(parsing: #"email = "a@b.c""#) == UserFilter(attribute: .email, value: "a@b.c", prefix: false)
        )
        #expect(
            try UserFilter(parsing: #"  given_name^="Jo"  "#)
                == UserFilter(attribute: .givenName, value: "Jo", prefix: true))
        #expect(try UserFilter(parsing: #"name = "say \"hi\" \\ bye""#).value == #"say "hi" \ bye"#)
        #expect(try UserFilter(parsing: #"cognito:user_status = "CONFIRMED""#).attribute == .userStatus)
        for attribute in UserFilter.Attribute.allCases where attribute != .status {
            #expect(try UserFilter(parsing: "\(attribute.rawValue) ^= \"x\"").attribute == attribute)
        }
    }

    @Test(
        "refusals say what is wrong",
        arguments: [
            (#"shoe_size = "9""#, "not an attribute ListUsers can filter on"),
            (#"= "x""#, "expected an attribute name at position 1"),
            (#"email "x""#, "expected = or ^= after email at position 7"),
            (#"email = x"#, "expected a value in double quotes at position 9"),
            (#"email = "x"#, "the quoted value is not closed"),
            (#"email = "x\"#, "the quoted value is not closed"),
            (#"email = "x" or name = "y""#, "unexpected text after the quoted value at position 13"),
            (#"status ^= "Ena""#, "status can only be"),
            (#"status = "CONFIRMED""#, "status can only be"),
            (String(repeating: " ", count: 1025), "longer than 1024 bytes"),
        ])
    func refuses(text: String, reason: String) {
        do {
            _ = try UserFilter(parsing: text)
            Issue.record("\(text) parsed")
        } catch let error as CognitoError {
            #expect(error.type == "InvalidParameterException")
            #expect(error.message.contains(reason), "\(error.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("matching: usernames and account states in any case, status is Enabled or Disabled, prefixes")
    func matches() throws {
        let ann = Self.user("Ann", email: "ann@example.com", attributes: ["family_name": "Lee"])
        let off = Self.user("bob", enabled: false, status: .unconfirmed)
        #expect(try UserFilter(parsing: #"username = "ann""#).matches(ann))
        #expect(try UserFilter(parsing: #"email ^= "ANN@""#).matches(ann))
        #expect(try !UserFilter(parsing: #"email = "ANN@example.com""#).matches(ann), "exact is exact")
        #expect(try UserFilter(parsing: #"family_name = "Lee""#).matches(ann))
        #expect(try !UserFilter(parsing: #"family_name = "Lee""#).matches(off), "a missing attribute never matches")
        #expect(try UserFilter(parsing: #"status = "Disabled""#).matches(off))
        #expect(try !UserFilter(parsing: #"status = "Disabled""#).matches(ann))
        #expect(try UserFilter(parsing: #"cognito:user_status = "unconfirmed""#).matches(off))
        #expect(try UserFilter(parsing: #"sub = "sub-bob""#).matches(off))
    }

    @Test("the preferred role: lowest precedence among groups with a role; a tie for lowest gives none")
    func preferredRole() {
        func group(_ name: String, _ precedence: Int?, _ role: String?) -> PoolGroup {
            PoolGroup(
                name: name, description: nil, precedence: precedence, roleArn: role,
                createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
        }
        let readers = group("readers", 5, "arn:aws:iam::1:role/R")
        let editors = group("editors", 2, "arn:aws:iam::1:role/E")
        let noRole = group("first", 0, nil)
        let unranked = group("unranked", nil, "arn:aws:iam::1:role/U")
        #expect(GroupRoles.preferredRole(of: [readers, editors, noRole]) == "arn:aws:iam::1:role/E")
        #expect(GroupRoles.preferredRole(of: [readers, unranked]) == "arn:aws:iam::1:role/R")
        #expect(GroupRoles.preferredRole(of: [unranked]) == "arn:aws:iam::1:role/U")
        #expect(GroupRoles.preferredRole(of: [readers, group("tie", 5, "arn:aws:iam::1:role/T")]) == nil)
        #expect(GroupRoles.preferredRole(of: [noRole]) == nil)
        #expect(
            GroupRoles.roles(of: [readers, editors, noRole, unranked])
                == ["arn:aws:iam::1:role/E", "arn:aws:iam::1:role/R", "arn:aws:iam::1:role/U"])
    }
}
