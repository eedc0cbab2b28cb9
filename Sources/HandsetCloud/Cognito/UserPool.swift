import Crypto
import Foundation
import HandsetCloudStorage
import HandsetWire

/// What every user pool operation works with: the pool's settings, its store, token signing, code delivery and the
/// injected clock (tests move it instead of sleeping).
struct UserPool: Sendable {
    /// The pool's configuration, live: configuration operations change it while the cloud runs.
    let settings: any PoolSettingsRepository
    let store: any IdentityRepository
    let tokens: TokenIssuer
    let accessTokens: AccessTokenVerifier
    let sealer: SecretBlockSealer
    let delivery: CodeDelivery
    let now: @Sendable () -> Date
    var lockout = LockoutPolicy.cognito

    /// Challenge sessions live 3 minutes, as Cognito's do.
    static let challengeLifetime: TimeInterval = 180
    /// Sign-up and attribute codes live a day, password reset codes an hour.
    static let confirmationCodeLifetime: TimeInterval = 24 * 3600
    static let resetCodeLifetime: TimeInterval = 3600

    /// The configuration as it is now (read afresh for each use, so a request sees changes made meanwhile).
    var configuration: PoolConfiguration { settings.current() }

    func client(_ clientId: String) throws -> AppClient {
        guard let client = configuration.client(id: clientId) else {
            throw CognitoError.resourceNotFound("User pool client \(clientId) does not exist.")
        }
        return client
    }

    /// Requires `SECRET_HASH` when the client has a secret; any of `usernames` may be the one it was made with.
    func requireSecretHash(_ provided: String?, client: AppClient, usernames: [String]) throws {
        guard let secret = client.secret else { return }
        guard
            usernames.contains(where: {
                SecretHash.matches(provided, secret: secret, username: $0, clientId: client.clientId)
            })
        else { throw CognitoError.notAuthorized("Unable to verify secret hash for client \(client.clientId)") }
    }

    func requirePolicy(_ password: String) throws {
        if let reason = configuration.passwordPolicy.violation(of: password) {
            throw CognitoError.invalidPassword(reason)
        }
    }

    /// The lockout subject for passwords: the username as it is looked up, so that every spelling of one name
    /// (`ALICE`, fullwidth `ａｌｉｃｅ`) counts against one counter, known user or not.
    static func passwordSubject(_ username: String) -> String { UsernameProfile.map(username) }

    /// The lockout subject for codes: the user, or for a name that is no user the name itself, so that an unknown
    /// name is locked out after as many wrong codes as a real user.
    static func codeSubject(user: PoolUser?, typed username: String) -> String {
        user?.sub ?? "name:" + UsernameProfile.map(username)
    }

    /// A new username as stored (RFC 8265's UsernameCaseMapped profile), or the InvalidParameterException that
    /// refuses it.
    static func enforceUsername(_ username: String) throws -> String {
        switch UsernameProfile.enforce(username) {
        case .success(let name): return name
        case .failure(let refusal): throw CognitoError.invalidParameter("Username is not valid: it \(refusal)")
        }
    }

    /// The user a typed name means, compared as the username profile maps it.
    func user(named username: String) async throws -> PoolUser? {
        let mapped = UsernameProfile.map(username)
        guard !mapped.isEmpty, mapped.utf8.count <= 4 * UsernameProfile.maximumLength else { return nil }
        return try await store.user(named: mapped)
    }

    /// Counts an attempt, or throws `locked` while a lockout runs.
    func beginAttempt(_ subject: String, _ kind: LockoutKind, locked: CognitoError) async throws {
        if case .locked = try await store.beginAttempt(subject: subject, kind: kind, now: now(), policy: lockout) {
            throw locked
        }
    }

    // MARK: Sessions

    /// A new `Session` string (random, base64url) and its stored row. `clearing`: counters a correct credential
    /// clears, in the same transaction.
    func openSession(
        challenge: String, client: AppClient, username: String, userSub: String?, state: ChallengeState = .init(),
        clearing: [LockoutCounter] = []
    ) async throws -> String {
        try await openSession(
            challenge: challenge, clientId: client.clientId, username: username, userSub: userSub, state: state,
            clearing: clearing)
    }

    func openSession(
        challenge: String, clientId: String, username: String, userSub: String?, state: ChallengeState = .init(),
        clearing: [LockoutCounter] = []
    ) async throws -> String {
        let session = SecureRandom.opaqueToken()
        try await openSession(
            id: session, challenge: challenge, clientId: clientId, username: username, userSub: userSub,
            state: state, clearing: clearing)
        return session
    }

    func openSession(
        id: String, challenge: String, client: AppClient, username: String, userSub: String?, state: ChallengeState,
        clearing: [LockoutCounter] = []
    ) async throws {
        try await openSession(
            id: id, challenge: challenge, clientId: client.clientId, username: username, userSub: userSub,
            state: state, clearing: clearing)
    }

    func openSession(
        id: String, challenge: String, clientId: String, username: String, userSub: String?, state: ChallengeState,
        clearing: [LockoutCounter] = []
    ) async throws {
        let created = now()
        try await store.createSession(
            ChallengeSession(
                idHash: Self.sessionHash(id), clientId: clientId, username: username, userSub: userSub,
                challenge: challenge, state: state, createdAt: created,
                expiresAt: created.addingTimeInterval(Self.challengeLifetime)),
            clearing: clearing)
    }

    /// Claims a session for one answer; it must be for `challenge` (any when `nil`) and this client (any when
    /// `nil`: AssociateSoftwareToken and VerifySoftwareToken name no client).
    func claimSession(_ session: String?, challenge: String?, clientId: String?) async throws -> ChallengeSession {
        guard let session, !session.isEmpty,
            let claimed = try await store.claimSession(idHash: Self.sessionHash(session), now: now())
        else { throw CognitoError.invalidSession }
        guard clientId == nil || claimed.clientId == clientId, challenge == nil || claimed.challenge == challenge else {
            throw CognitoError.invalidSession
        }
        return claimed
    }

    /// Claims a session for an answer that is a credential and counts the attempt on `kind`'s counter for
    /// `subject(session)` in the same transaction (no count when it gives `nil`, or for a session of another client or
    /// challenge). Throws `locked` while that counter is locked: then the session is not claimed.
    func claimSession(
        _ session: String?, challenge: String, clientId: String, counting kind: LockoutKind, locked: CognitoError,
        subject: @escaping @Sendable (ChallengeSession) -> String?
    ) async throws -> ChallengeSession {
        guard let session, !session.isEmpty else { throw CognitoError.invalidSession }
        let claim = try await store.claimSession(
            idHash: Self.sessionHash(session), now: now(),
            countingAttempt: { claimed in
                guard claimed.clientId == clientId, claimed.challenge == challenge else { return nil }
                return subject(claimed).map { LockoutCounter($0, kind) }
            }, policy: lockout)
        switch claim {
        case .unavailable: throw CognitoError.invalidSession
        case .locked: throw locked
        case .claimed(let claimed):
            guard claimed.clientId == clientId, claimed.challenge == challenge else {
                throw CognitoError.invalidSession
            }
            return claimed
        }
    }

    static func sessionHash(_ session: String) -> String {
        HexDigest.sha256(session)
    }

    // MARK: Users

    /// The signed-in user of an access token.
    func user(accessToken: String) async throws -> (PoolUser, AccessTokenVerifier.Verified) {
        let verified = try await accessTokens.verify(accessToken)
        guard let user = try await store.user(sub: verified.sub) else { throw CognitoError.invalidAccessToken }
        guard user.enabled else { throw CognitoError.userDisabled }
        return (user, verified)
    }

    /// A new verifier for `password`, with a fresh salt.
    func verifier(for password: String, userIdForSRP: String) throws -> SRPVerifier {
        try SRPVerifier.make(password: password, poolName: configuration.poolName, userIdForSRP: userIdForSRP)
    }

    /// Applies attributes from the wire; `sub`, unknown standard attributes and `custom:*` attributes the pool's
    /// schema does not declare (`schema`, from AddCustomAttributes or pool.json) are refused, as Cognito refuses
    /// them; a developer-only attribute is the administrator's alone. A custom attribute the schema declares not
    /// mutable is set only while `creating` the user (SignUp, AdminCreateUser), never changed afterwards.
    static func apply(
        _ attributes: [AttributeWire], to user: inout PoolUser, byAdministrator: Bool,
        schema: [CustomAttributeDefinition], creating: Bool = false
    ) throws {
        for attribute in attributes {
            let value = attribute.value ?? ""
            // Cognito's limits: names of at most 32 characters (plus `custom:`), values of at most 2048.
            guard attribute.name.utf8.count <= 39, value.utf8.count <= 2048 else {
                throw CognitoError.invalidParameter(
                    "Attribute \(AccountService.shown(attribute.name)) is too long (names 32, values 2048 characters)")
            }
            switch attribute.name {
            case "sub":
                throw CognitoError.invalidParameter("Cannot modify the non-mutable attribute sub")
            case "email":
                guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                    throw CognitoError.invalidParameter("Invalid email address format.")
                }
                if value == user.email {
                    user.pendingEmail = nil
                } else if !byAdministrator, !value.isEmpty, user.email != nil, user.emailVerified {
                    // The verified address keeps working until the new one is confirmed.
                    user.pendingEmail = value
                } else {
                    user.email = value.isEmpty ? nil : value
                    user.emailVerified = false
                    user.pendingEmail = nil
                }
            case "email_verified":
                guard byAdministrator else {
                    throw CognitoError.invalidParameter("Cannot modify email_verified")
                }
                user.emailVerified = value == "true"
            case "phone_number":
                guard value.isEmpty || PhoneNumberFormat.isValid(value) else {
                    throw CognitoError.invalidParameter("Invalid phone number format.")
                }
                if value == user.phoneNumber {
                    user.pendingPhoneNumber = nil
                } else if !byAdministrator, !value.isEmpty, user.phoneNumber != nil, user.phoneNumberVerified {
                    user.pendingPhoneNumber = value
                } else {
                    user.phoneNumber = value.isEmpty ? nil : value
                    user.phoneNumberVerified = false
                    user.pendingPhoneNumber = nil
                }
            case "phone_number_verified":
                guard byAdministrator else {
                    throw CognitoError.invalidParameter("Cannot modify phone_number_verified")
                }
                user.phoneNumberVerified = value == "true"
            case let name where name.hasPrefix("custom:"):
                guard let definition = schema.first(where: { "custom:" + $0.name == name }) else {
                    throw notInSchema(name)
                }
                guard creating || definition.mutable else { throw immutable(name) }
                guard byAdministrator || !definition.developerOnly else {
                    throw CognitoError.notAuthorized("A client attempted to write unauthorized attribute")
                }
                user.attributes[name] = value.isEmpty ? nil : value
            case let name where standardAttributes.contains(name):
                user.attributes[name] = value.isEmpty ? nil : value
            default:
                throw notInSchema(attribute.name)
            }
        }
    }

    /// Cognito's words for a change to an attribute the schema declares not mutable.
    static func immutable(_ name: String) -> CognitoError {
        CognitoError.invalidParameter(
            "user.\(AccountService.shown(name)): Attribute cannot be updated. (changing an immutable attribute)")
    }

    /// Cognito's words for an attribute the pool does not have.
    static func notInSchema(_ name: String) -> CognitoError {
        CognitoError.invalidParameter(
            "Attributes did not conform to the schema: \(AccountService.shown(name)): Attribute does not exist in the "
                + "schema.")
    }

    static let standardAttributes: Set<String> = [
        "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
        "website", "gender", "birthdate", "zoneinfo", "locale", "address", "updated_at",
    ]

    static func attributesWire(_ user: PoolUser) -> [AttributeWire] {
        user.attributeList.map { AttributeWire(name: $0.name, value: $0.value) }
    }
}
