/// Custom attributes travel as claims of their own (`"custom:legacy_id": "17"`), beside the standard ones: Cognito
/// puts every attribute the app client may read into the ID token, and access rules may match one (an owner rule's
/// `identityClaim`).
extension IDTokenClaims {
    static let customPrefix = "custom:"

    /// Any claim name, for the claims whose names are data.
    struct ClaimName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sub, forKey: .sub)
        try container.encode(aud, forKey: .aud)
        try container.encode(tokenUse, forKey: .tokenUse)
        try container.encode(authTime, forKey: .authTime)
        try container.encode(iat, forKey: .iat)
        try container.encode(exp, forKey: .exp)
        try container.encode(iss, forKey: .iss)
        try container.encodeIfPresent(email, forKey: .email)
        try container.encodeIfPresent(emailVerified, forKey: .emailVerified)
        try container.encode(cognitoUsername, forKey: .cognitoUsername)
        try container.encodeIfPresent(cognitoGroups, forKey: .cognitoGroups)
        try container.encodeIfPresent(cognitoRoles, forKey: .cognitoRoles)
        try container.encodeIfPresent(cognitoPreferredRole, forKey: .cognitoPreferredRole)
        try container.encode(jti, forKey: .jti)
        try container.encode(originJti, forKey: .originJti)
        try container.encode(eventId, forKey: .eventId)
        try container.encodeIfPresent(nonce, forKey: .nonce)
        try container.encodeIfPresent(identities, forKey: .identities)
        try container.encodeIfPresent(atHash, forKey: .atHash)
        var custom = encoder.container(keyedBy: ClaimName.self)
        for (name, value) in customAttributes.sorted(by: { $0.key < $1.key }) where name.hasPrefix(Self.customPrefix) {
            try custom.encode(value, forKey: ClaimName(stringValue: name))
        }
    }

    /// The `custom:*` claims of a token; claims of that name that are not strings are left out.
    static func customAttributes(from decoder: any Decoder) throws -> [String: String] {
        let container = try decoder.container(keyedBy: ClaimName.self)
        var attributes: [String: String] = [:]
        for key in container.allKeys where key.stringValue.hasPrefix(customPrefix) {
            if let value = try? container.decode(String.self, forKey: key) { attributes[key.stringValue] = value }
        }
        return attributes
    }
}
