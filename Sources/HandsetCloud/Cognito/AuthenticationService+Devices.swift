import Crypto
import Foundation
import HandsetCloudStorage
import HandsetSRP
import HandsetWire

/// Remembered devices in the sign-in (Cognito's device tracking, as Amplify uses it).
///
/// A sign-in that names a confirmed device of the user's (DEVICE_KEY, with InitiateAuth or the PASSWORD_VERIFIER
/// answer) is asked, after the password, for the device's own SRP proof: DEVICE_SRP_AUTH (the client sends SRP_A)
/// and DEVICE_PASSWORD_VERIFIER (the signature), the same SRP-6a as the password's with the device group key in
/// place of the pool name and the device key as the identity, against the verifier `ConfirmDevice` stored. A
/// remembered device that proves itself skips the second factor when the pool's `ChallengeRequiredOnNewDevice` is
/// set. A device key the user does not have (unknown, forgotten, another user's) is ignored: the sign-in goes on as
/// on a new device, second factor included.
extension AuthenticationService {
    /// A device key as Cognito makes them (`<region>_<uuid>`, at most 55 characters).
    static func isDeviceKey(_ key: String) -> Bool {
        (1...55).contains(key.utf8.count)
            && key.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || "_-".unicodeScalars.contains($0)
            }
            && key.unicodeScalars.allSatisfy(\.isASCII)
    }

    static func deviceKey(_ parameters: [String: String]) -> String? {
        guard let key = parameters["DEVICE_KEY"], isDeviceKey(key) else { return nil }
        return key
    }

    /// The group key of a user's devices: stable per user, not secret (it plays the pool name's part in SRP).
    static func deviceGroupKey(sub: String) -> String {
        "-" + Base64URL.encode(Array(SHA256.hash(data: Data("device-group:\(sub)".utf8))).prefix(7))
    }

    /// A new device key for a sign-in on a device the pool does not know, when the pool tracks devices.
    func newDeviceMetadata(for user: PoolUser) -> NewDeviceMetadata? {
        let configuration = pool.configuration
        guard configuration.deviceConfiguration != nil else { return nil }
        return NewDeviceMetadata(
            deviceKey: "\(configuration.region)_\(UUID().uuidString.lowercased())",
            deviceGroupKey: Self.deviceGroupKey(sub: user.sub))
    }

    /// DEVICE_SRP_AUTH when `deviceKey` is a confirmed device of the user's and the pool tracks devices.
    func deviceChallenge(
        for user: PoolUser, deviceKey: String?, client: AppClient, clearing: [LockoutCounter] = []
    ) async throws -> SignInStep? {
        guard let deviceKey, pool.configuration.deviceConfiguration != nil,
            let device = try await pool.store.device(key: deviceKey), device.sub == user.sub
        else { return nil }
        let session = try await pool.openSession(
            challenge: Challenge.deviceSRP, client: client, username: user.username, userSub: user.sub,
            state: ChallengeState(deviceKey: device.key), clearing: clearing)
        return .challenge(
            AuthResponse(
                challengeName: Challenge.deviceSRP, session: session,
                challengeParameters: [
                    "USERNAME": user.username, "USER_ID_FOR_SRP": user.userIdForSRP, "DEVICE_KEY": device.key,
                ]))
    }

    /// DEVICE_SRP_AUTH's answer (SRP_A): the device's salt, B and a sealed secret block.
    func answerDeviceSRP(_ request: RespondToAuthChallengeRequest, client: AppClient) async throws -> SignInStep {
        let responses = request.challengeResponses
        let session = try await pool.claimSession(
            request.session, challenge: Challenge.deviceSRP, clientId: client.clientId)
        let user = try await sessionUser(session, responses: responses, client: client)
        guard let deviceKey = session.state.deviceKey, responses["DEVICE_KEY"] == deviceKey else {
            throw CognitoError.invalidSession
        }
        guard let clientPublicHex = responses["SRP_A"],
            clientPublicHex.utf8.count <= Self.maximumPublicValueHexLength,
            let clientPublic = SRPHex.decode(clientPublicHex), !(try SRPGroup.cognito.isZeroModulo(clientPublic))
        else {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw CognitoError.invalidParameter("SRP_A is not a valid public value")
        }
        // Forgotten since the challenge was issued.
        guard let device = try await pool.store.device(key: deviceKey), device.sub == user.sub else {
            throw Self.deviceNotFound
        }
        let server = try SRPServerSession(verifier: device.verifier)
        let sessionId = SecureRandom.bytes(32)
        let next = Base64URL.encode(sessionId)
        try await pool.openSession(
            id: next, challenge: Challenge.devicePasswordVerifier, client: client, username: user.username,
            userSub: user.sub,
            state: ChallengeState(
                clientPublicValue: clientPublicHex, serverPublicValue: SRPHex.encode(server.publicValue),
                deviceKey: deviceKey))
        let secretBlock = try pool.sealer.seal(
            .init(sessionId: sessionId, issuedAt: pool.now(), serverPrivateValue: server.privateValue),
            userIdForSRP: Self.sealedDeviceIdentity(deviceKey))
        return .challenge(
            AuthResponse(
                challengeName: Challenge.devicePasswordVerifier, session: next,
                challengeParameters: [
                    "SALT": device.verifier.saltHex, "SRP_B": server.publicValueHex, "SECRET_BLOCK": secretBlock,
                    "USERNAME": user.username, "USER_ID_FOR_SRP": user.userIdForSRP, "DEVICE_KEY": deviceKey,
                ]))
    }

    /// DEVICE_PASSWORD_VERIFIER: the device's signature, checked against its own verifier.
    func answerDevicePasswordVerifier(
        _ request: RespondToAuthChallengeRequest, client: AppClient
    ) async throws -> SignInStep {
        let responses = request.challengeResponses
        let secretBlock = try Self.required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
        let signature = try Self.required(responses, "PASSWORD_CLAIM_SIGNATURE")
        let timestamp = try Self.required(responses, "TIMESTAMP")
        let deviceKey = try Self.required(responses, "DEVICE_KEY")
        guard CognitoTimestamp.date(from: timestamp) != nil else {
            throw CognitoError.invalidParameter("TIMESTAMP is not in the format EEE MMM d HH:mm:ss UTC yyyy")
        }
        // The block is bound to the device (associated data), the session and the time it was issued.
        guard let contents = pool.sealer.open(secretBlock, userIdForSRP: Self.sealedDeviceIdentity(deviceKey)),
            abs(pool.now().timeIntervalSince(contents.issuedAt)) <= UserPool.challengeLifetime
        else { throw CognitoError.invalidSession }
        let session = try await pool.claimSession(
            Base64URL.encode(contents.sessionId), challenge: Challenge.devicePasswordVerifier,
            clientId: client.clientId)
        let user = try await sessionUser(session, responses: responses, client: client)
        guard session.state.deviceKey == deviceKey, let clientPublicHex = session.state.clientPublicValue,
            let serverPublic = session.state.serverPublicValue.flatMap(SRPHex.decode)
        else { throw CognitoError.invalidSession }
        guard let device = try await pool.store.device(key: deviceKey), device.sub == user.sub else {
            throw Self.deviceNotFound
        }
        let subject = "device:" + deviceKey
        try await pool.beginAttempt(subject, .password, locked: .passwordAttemptsExceeded)
        let server = SRPServerSession(
            verifier: device.verifier, privateValue: contents.serverPrivateValue, publicValue: serverPublic)
        guard
            server.verify(
                clientPublicValueHex: clientPublicHex, signature: signature, poolName: device.groupKey,
                userIdForSRP: device.key, secretBlock: secretBlock, timestamp: timestamp)
        else { throw CognitoError.incorrectCredentials }
        try await pool.store.attemptSucceeded(subject: subject, kind: .password)
        try await pool.store.noteDeviceAuthenticated(key: deviceKey, at: pool.now())
        if device.remembered, pool.configuration.deviceConfiguration?.challengeRequiredOnNewDevice == true {
            return .authenticatedOnDevice(user, deviceKey: deviceKey)
        }
        return try await secondFactor(for: user, client: client, provenDevice: deviceKey)
    }

    /// A refresh names the device when the client sends the key of one of the user's devices (Amplify does).
    func refreshDevice(_ parameters: [String: String], user: PoolUser) async throws -> String? {
        guard pool.configuration.deviceConfiguration != nil, let key = Self.deviceKey(parameters),
            let device = try await pool.store.device(key: key), device.sub == user.sub
        else { return nil }
        return key
    }

    static let deviceNotFound = CognitoError.resourceNotFound("Device does not exist.")

    /// What the device's secret block is bound to: never a user's SRP identity.
    private static func sealedDeviceIdentity(_ deviceKey: String) -> String { "device\u{0}" + deviceKey }

    private static func required(_ parameters: [String: String], _ name: String) throws -> String {
        guard let value = parameters[name], !value.isEmpty else {
            throw CognitoError.invalidParameter("Missing required parameter \(name)")
        }
        return value
    }
}
