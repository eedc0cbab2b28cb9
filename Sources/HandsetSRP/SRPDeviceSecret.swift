import Foundation

/// A remembered device's own SRP credential, as Amplify makes it for `ConfirmDevice`: a random secret (40 bytes,
/// base64) that never leaves the device, and the salt and verifier the server keeps, computed as a password's with
/// the device group key in place of the pool name and the device key as the identity.
public struct SRPDeviceSecret: Sendable {
    /// The secret the device signs in with (DEVICE_PASSWORD_VERIFIER); keep it private.
    public let secret: String
    /// `DeviceSecretVerifierConfig.Salt`: base64 of the padded salt bytes.
    public let saltBase64: String
    /// `DeviceSecretVerifierConfig.PasswordVerifier`: base64 of the padded verifier bytes.
    public let verifierBase64: String

    /// A fresh secret and its verifier for one device.
    public init(deviceGroupKey: String, deviceKey: String) throws {
        let secret = Data(SecureBytes.random(40)).base64EncodedString()
        let verifier = try SRPVerifier.make(password: secret, poolName: deviceGroupKey, userIdForSRP: deviceKey)
        self.secret = secret
        saltBase64 = Data(SRPPadding.padded(verifier.salt)).base64EncodedString()
        verifierBase64 = Data(SRPPadding.padded(verifier.verifier)).base64EncodedString()
    }
}
