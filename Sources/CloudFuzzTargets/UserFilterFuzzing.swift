import Foundation
import HandsetCloudStorage
import HandsetFuzzing
import HandsetSRP

@testable import HandsetCloud

/// ListUsers' `Filter` (`UserFilter`): any text parses or is refused with Cognito's `InvalidParameterException`,
/// never anything else; what parses prints back to text that parses to the same filter; matching never traps.
enum UserFilterFuzzing {
    static let sampleUsers: [PoolUser] = [
        CognitoRequestFuzzing.sampleUser,
        PoolUser(
            sub: "sub-2", username: "Bob", email: nil, emailVerified: false, phoneNumber: "+15550100",
            phoneNumberVerified: true,
            attributes: ["name": "Bob \"B\" Builder", "given_name": "Bob", "preferred_username": "bobby"],
            status: .unconfirmed, enabled: false, userIdForSRP: "bob", password: SRPVerifier(salt: [1], verifier: [2]),
            passwordSetAt: Date(timeIntervalSince1970: 0), groups: [], mfa: MFASettings(),
            createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0)),
    ]

    /// The filter as Cognito's grammar writes it, the value escaped.
    static func printed(_ filter: UserFilter) -> String {
        // By scalar: a backslash followed by a combining mark is one Character, and must still be escaped.
        var value = String.UnicodeScalarView()
        for scalar in filter.value.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { value.append("\\") }
            value.append(scalar)
        }
        return "\(filter.attribute.rawValue) \(filter.prefix ? "^=" : "=") \"\(String(value))\""
    }

    static let target = FuzzTarget("user-filter") { data in
        let text = String(decoding: data, as: UTF8.self)
        let filter: UserFilter
        do {
            filter = try UserFilter(parsing: text)
        } catch let error as CognitoError {
            FuzzCheck.that(error.type == "InvalidParameterException", "refused as \(error.type)")
            return
        } catch {
            FuzzCheck.that(false, "an error that is not Cognito's: \(error)")
            return
        }
        let shown = printed(filter)
        if shown.utf8.count <= UserFilter.maximumLength {
            FuzzCheck.that(
                (try? UserFilter(parsing: shown)) == filter, "\(shown) does not parse back to the same filter")
        }
        for user in sampleUsers { _ = filter.matches(user) }
    }
}
