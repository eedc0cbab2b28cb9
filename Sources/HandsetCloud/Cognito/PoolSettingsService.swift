import Crypto
import Foundation
import HandsetCloudStorage
import SwiftASN1
import X509
import _CryptoExtras

/// The pool-wide settings operations: AddCustomAttributes, GetUserPoolMfaConfig, SetUserPoolMfaConfig,
/// UpdateUserPool and GetSigningCertificate. Settings live in the pool's settings document, so every instance sees a
/// change at its next request.
struct PoolSettingsService: Sendable {
    let admin: AdminService

    var pool: UserPool { admin.pool }

    var operations: [CognitoOperation] {
        var list: [CognitoOperation] = [
            .json("AddCustomAttributes", addCustomAttributes), .json("GetUserPoolMfaConfig", getMfaConfig),
            .json("SetUserPoolMfaConfig", setMfaConfig), .json("UpdateUserPool", updateUserPool),
        ]
        for index in list.indices { list[index].isAdmin = true }
        // Public in AWS too: a SAML identity provider fetches it without credentials.
        list.append(.json("GetSigningCertificate", signingCertificate))
        return list
    }

    // MARK: Custom attributes

    static let maximumCustomAttributes = 50
    static let dataTypes: Set<String> = ["String", "Number", "DateTime", "Boolean"]

    func addCustomAttributes(_ request: AddCustomAttributesRequestWire) async throws -> EmptyWire {
        try admin.requirePool(request.userPoolId)
        guard (1...25).contains(request.customAttributes.count) else {
            throw CognitoError.invalidParameter("CustomAttributes must list 1 to 25 attributes")
        }
        let definitions = try request.customAttributes.map(Self.definition)
        let names = definitions.map(\.name)
        guard Set(names).count == names.count else {
            throw CognitoError.invalidParameter("CustomAttributes names an attribute twice")
        }
        let now = pool.now()
        try await pool.settings.update { configuration in
            for definition in definitions
            where configuration.customAttributes.contains(where: { $0.name == definition.name }) {
                throw CognitoError.invalidParameter("Existing attribute already has name custom:\(definition.name).")
            }
            guard configuration.customAttributes.count + definitions.count <= Self.maximumCustomAttributes else {
                throw CognitoError(
                    type: "LimitExceededException",
                    message: "A user pool has at most \(Self.maximumCustomAttributes) custom attributes")
            }
            configuration.customAttributes += definitions
            configuration.lastModifiedAt = now
        }
        return EmptyWire()
    }

    static func definition(_ wire: SchemaAttributeWire) throws -> CustomAttributeDefinition {
        guard var name = wire.name else {
            throw CognitoError.invalidParameter("Each custom attribute needs a Name")
        }
        if name.hasPrefix("custom:") { name.removeFirst("custom:".count) }
        guard (1...20).contains(name.utf8.count),
            name.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
            })
        else {
            throw CognitoError.invalidParameter(
                "Custom attribute name \(AccountService.shown(name)) must be 1 to 20 letters, digits, _ or -")
        }
        let dataType = wire.attributeDataType ?? "String"
        guard dataTypes.contains(dataType) else {
            throw CognitoError.invalidParameter(
                "AttributeDataType must be one of String, Number, DateTime, Boolean")
        }
        guard wire.required != true else {
            throw CognitoError.invalidParameter("Required custom attributes are not supported.")
        }
        for bound in [
            wire.stringAttributeConstraints?.minLength, wire.stringAttributeConstraints?.maxLength,
            wire.numberAttributeConstraints?.minValue, wire.numberAttributeConstraints?.maxValue,
        ] {
            if let bound, Int(bound) == nil {
                throw CognitoError.invalidParameter("Attribute constraints must be whole numbers")
            }
        }
        return CustomAttributeDefinition(
            name: name, dataType: dataType, mutable: wire.mutable ?? true,
            developerOnly: wire.developerOnlyAttribute ?? false,
            minLength: wire.stringAttributeConstraints?.minLength,
            maxLength: wire.stringAttributeConstraints?.maxLength,
            minValue: wire.numberAttributeConstraints?.minValue, maxValue: wire.numberAttributeConstraints?.maxValue)
    }

    /// The pool's schema as DescribeUserPool lists it: the standard attributes, then the declared custom ones.
    static func schemaWire(_ configuration: PoolConfiguration) -> [SchemaAttributeWire] {
        let standard: [(String, String, Bool)] =
            [
                ("sub", "String", false), ("email", "String", true), ("email_verified", "Boolean", true),
                ("phone_number", "String", true), ("phone_number_verified", "Boolean", true),
            ]
            + UserPool.standardAttributes.sorted().map { ($0, $0 == "updated_at" ? "Number" : "String", true) }
        return standard.map { name, type, mutable in
            SchemaAttributeWire(
                name: name, attributeDataType: type, developerOnlyAttribute: false, mutable: mutable,
                required: name == "sub",
                stringAttributeConstraints: type == "String"
                    ? StringConstraintsWire(minLength: name == "sub" ? "1" : "0", maxLength: "2048") : nil)
        } + configuration.customAttributes.map(schemaWire)
    }

    static func schemaWire(_ definition: CustomAttributeDefinition) -> SchemaAttributeWire {
        SchemaAttributeWire(
            name: "custom:" + definition.name, attributeDataType: definition.dataType,
            developerOnlyAttribute: definition.developerOnly, mutable: definition.mutable, required: false,
            numberAttributeConstraints: definition.dataType == "Number"
                ? NumberConstraintsWire(minValue: definition.minValue, maxValue: definition.maxValue) : nil,
            stringAttributeConstraints: definition.dataType == "String"
                ? StringConstraintsWire(
                    minLength: definition.minLength ?? "0", maxLength: definition.maxLength ?? "2048")
                : nil)
    }

    // MARK: MFA

    func getMfaConfig(_ request: UserPoolIdRequestWire) async throws -> UserPoolMfaConfigWire {
        try admin.requirePool(request.userPoolId)
        return Self.mfaWire(pool.configuration)
    }

    static func mfaWire(_ configuration: PoolConfiguration) -> UserPoolMfaConfigWire {
        let enabled = Set(configuration.enabledMFAs)
        return UserPoolMfaConfigWire(
            userPoolId: nil,
            smsMfaConfiguration: enabled.contains("SMS_MFA") ? SmsMfaConfigWire() : nil,
            softwareTokenMfaConfiguration: SoftwareTokenMfaConfigWire(enabled: enabled.contains("SOFTWARE_TOKEN_MFA")),
            emailMfaConfiguration: enabled.contains("EMAIL_OTP") ? EmailMfaConfigWire() : nil,
            mfaConfiguration: configuration.mfaConfiguration.rawValue)
    }

    /// Sets which factors the pool offers (a configuration left out turns its factor off, as in AWS) and, when
    /// given, the MFA mode; `ON` needs at least one factor.
    func setMfaConfig(_ request: UserPoolMfaConfigWire) async throws -> UserPoolMfaConfigWire {
        try admin.requirePool(request.userPoolId ?? "")
        let mode = try request.mfaConfiguration.map(Self.mode)
        var chosen: [String] = []
        if request.softwareTokenMfaConfiguration?.enabled == true { chosen.append("SOFTWARE_TOKEN_MFA") }
        if request.emailMfaConfiguration != nil { chosen.append("EMAIL_OTP") }
        if request.smsMfaConfiguration != nil { chosen.append("SMS_MFA") }
        let factors = chosen
        if let message = request.emailMfaConfiguration?.message, !(6...20000).contains(message.utf8.count) {
            throw CognitoError.invalidParameter("EmailMfaConfiguration.Message must be 6 to 20000 characters")
        }
        let now = pool.now()
        let updated = try await pool.settings.update { configuration in
            let newMode = mode ?? configuration.mfaConfiguration
            if newMode != .off, factors.isEmpty {
                throw CognitoError.invalidParameter(
                    "At least one MFA type must be enabled when MfaConfiguration is \(newMode.rawValue).")
            }
            configuration.enabledMFAs = factors
            configuration.mfaConfiguration = newMode
            configuration.lastModifiedAt = now
        }
        return Self.mfaWire(updated)
    }

    static func mode(_ text: String) throws -> PoolConfiguration.MFAMode {
        guard let mode = PoolConfiguration.MFAMode(rawValue: text) else {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value '\(AccountService.shown(text))' at 'mfaConfiguration' failed to "
                    + "satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]")
        }
        return mode
    }

    // MARK: UpdateUserPool

    /// Cognito's rule: a setting left out goes back to its default (the password policy to Cognito's, the MFA
    /// mode to `OFF`, the sign-in policy to the password alone, device tracking to off). The pool's name changes
    /// only when given.
    func updateUserPool(_ request: UpdateUserPoolRequestWire) async throws -> EmptyWire {
        try admin.requirePool(request.userPoolId)
        let mode = try request.mfaConfiguration.map(Self.mode) ?? .off
        let policy = try Self.passwordPolicy(request.policies?.passwordPolicy)
        let firstFactors = try Self.firstAuthFactors(request.policies?.signInPolicy)
        let devices = request.deviceConfiguration
        if let name = request.poolName, !(1...128).contains(name.utf8.count) {
            throw CognitoError.invalidParameter("PoolName must be 1 to 128 characters")
        }
        let now = pool.now()
        try await pool.settings.update { configuration in
            if mode != .off, configuration.enabledMFAs.isEmpty {
                throw CognitoError.invalidParameter(
                    "At least one MFA type must be enabled when MfaConfiguration is \(mode.rawValue).")
            }
            configuration.passwordPolicy = policy
            configuration.mfaConfiguration = mode
            configuration.allowedFirstAuthFactors = firstFactors
            configuration.deviceConfiguration = devices
            if let name = request.poolName { configuration.name = name }
            configuration.lastModifiedAt = now
        }
        return EmptyWire()
    }

    /// The first factors handset-cloud implements (WEB_AUTHN, passkeys, is not among them).
    static let firstAuthFactors = ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]

    /// `SignInPolicy.AllowedFirstAuthFactors`: 1 to 4 of Cognito's factors, the password always among them (a pool
    /// cannot switch passwords off); left out, the password alone.
    static func firstAuthFactors(_ wire: SignInPolicyWire?) throws -> [String] {
        guard let factors = wire?.allowedFirstAuthFactors else { return ["PASSWORD"] }
        guard (1...4).contains(factors.count) else {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value at 'policies.signInPolicy.allowedFirstAuthFactors' failed to "
                    + "satisfy constraint: Member must have length between 1 and 4")
        }
        for factor in factors where !firstAuthFactors.contains(factor) {
            guard factor == "WEB_AUTHN" else {
                throw CognitoError.invalidParameter(
                    "1 validation error detected: Value '\(AccountService.shown(factor))' at "
                        + "'policies.signInPolicy.allowedFirstAuthFactors' failed to satisfy constraint: Member must "
                        + "satisfy enum value set: [PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN]")
            }
            throw CognitoError.invalidParameter("WEB_AUTHN (passkeys) is not supported by handset-cloud")
        }
        guard factors.contains("PASSWORD") else {
            throw CognitoError.invalidParameter("AllowedFirstAuthFactors must include PASSWORD.")
        }
        // Kept in Cognito's order, each once.
        return firstAuthFactors.filter(factors.contains)
    }

    static func passwordPolicy(_ wire: PasswordPolicyUpdateWire?) throws -> PasswordPolicy {
        let defaults = PasswordPolicy()
        guard let wire else { return defaults }
        let length = wire.minimumLength ?? defaults.minimumLength
        guard (6...99).contains(length) else {
            throw CognitoError.invalidParameter("MinimumLength must be between 6 and 99")
        }
        let days = wire.temporaryPasswordValidityDays ?? defaults.temporaryPasswordValidityDays
        guard (0...365).contains(days) else {
            throw CognitoError.invalidParameter("TemporaryPasswordValidityDays must be between 0 and 365")
        }
        return PasswordPolicy(
            minimumLength: length, requireLowercase: wire.requireLowercase ?? false,
            requireUppercase: wire.requireUppercase ?? false, requireNumbers: wire.requireNumbers ?? false,
            requireSymbols: wire.requireSymbols ?? false, temporaryPasswordValidityDays: days)
    }

    // MARK: Signing certificate

    /// A self-signed X.509 certificate of the pool's current signing key (base64 DER, as AWS answers), valid for
    /// ten years from the pool's creation. The same key gives the same certificate.
    func signingCertificate(_ request: UserPoolIdRequestWire) async throws -> SigningCertificateResponseWire {
        try admin.requirePool(request.userPoolId)
        let key = pool.tokens.keys.current.current
        let rsa = try _RSA.Signing.PrivateKey(pemRepresentation: key.privateKey.pemRepresentation)
        let configuration = pool.configuration
        let start = configuration.createdAt ?? Date(timeIntervalSince1970: 0)
        let name = try DistinguishedName {
            CommonName("cognito-idp.\(configuration.region).amazonaws.com/\(configuration.userPoolId)")
            OrganizationName("handset-cloud")
        }
        let serial = Array(SHA256.hash(data: Data(key.keyID.utf8))).prefix(16)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(bytes: [0x01] + serial),
            publicKey: Certificate.PublicKey(rsa.publicKey),
            notValidBefore: start, notValidAfter: start.addingTimeInterval(10 * 365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: Certificate.Extensions(),
            issuerPrivateKey: Certificate.PrivateKey(rsa))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return SigningCertificateResponseWire(certificate: Data(serializer.serializedBytes).base64EncodedString())
    }
}
