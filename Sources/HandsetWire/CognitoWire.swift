import Foundation

/// Framing of Cognito's JSON protocol: `POST /` with these headers.
public enum CognitoWire {
    public static let contentType = "application/x-amz-json-1.1"
    public static let targetHeader = "X-Amz-Target"
    public static let targetPrefix = "AWSCognitoIdentityProviderService."
    public static let errorTypeHeader = "x-amzn-ErrorType"
}

/// The names of the authentication flows and challenges, as Cognito spells them.
public enum CognitoAuthFlow {
    public static let userSRP = "USER_SRP_AUTH"
    public static let userPassword = "USER_PASSWORD_AUTH"
    public static let refreshToken = "REFRESH_TOKEN_AUTH"
    public static let refreshTokenAlias = "REFRESH_TOKEN"
}

/// `InitiateAuth` request body.
public struct InitiateAuthRequest: Codable, Sendable, Equatable {
    public var authFlow: String
    public var clientId: String
    public var authParameters: [String: String]
    public var clientMetadata: [String: String]?

    public init(
        authFlow: String, clientId: String, authParameters: [String: String],
        clientMetadata: [String: String]? = nil
    ) {
        self.authFlow = authFlow
        self.clientId = clientId
        self.authParameters = authParameters
        self.clientMetadata = clientMetadata
    }

    enum CodingKeys: String, CodingKey {
        case authFlow = "AuthFlow"
        case clientId = "ClientId"
        case authParameters = "AuthParameters"
        case clientMetadata = "ClientMetadata"
    }
}

/// `RespondToAuthChallenge` request body.
public struct RespondToAuthChallengeRequest: Codable, Sendable, Equatable {
    public var clientId: String
    public var challengeName: String
    public var session: String?
    public var challengeResponses: [String: String]

    public init(clientId: String, challengeName: String, session: String?, challengeResponses: [String: String]) {
        self.clientId = clientId
        self.challengeName = challengeName
        self.session = session
        self.challengeResponses = challengeResponses
    }

    enum CodingKeys: String, CodingKey {
        case clientId = "ClientId"
        case challengeName = "ChallengeName"
        case session = "Session"
        case challengeResponses = "ChallengeResponses"
    }
}

/// Tokens handed out on a successful sign-in or refresh.
public struct AuthenticationResult: Codable, Sendable, Equatable {
    public var accessToken: String
    public var idToken: String
    public var refreshToken: String?
    public var expiresIn: Int
    public var tokenType: String
    /// A device key for this sign-in's device, when the pool tracks devices and the sign-in was not made on a
    /// known one: the client confirms it (`ConfirmDevice`) to be remembered.
    public var newDeviceMetadata: NewDeviceMetadata?

    public init(
        accessToken: String, idToken: String, refreshToken: String?, expiresIn: Int, tokenType: String = "Bearer",
        newDeviceMetadata: NewDeviceMetadata? = nil
    ) {
        self.accessToken = accessToken
        self.idToken = idToken
        self.refreshToken = refreshToken
        self.expiresIn = expiresIn
        self.tokenType = tokenType
        self.newDeviceMetadata = newDeviceMetadata
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "AccessToken"
        case idToken = "IdToken"
        case refreshToken = "RefreshToken"
        case expiresIn = "ExpiresIn"
        case tokenType = "TokenType"
        case newDeviceMetadata = "NewDeviceMetadata"
    }
}

/// Cognito's `NewDeviceMetadataType`: the key of the device a sign-in was made on, and its group key.
public struct NewDeviceMetadata: Codable, Sendable, Equatable {
    public var deviceKey: String
    public var deviceGroupKey: String

    public init(deviceKey: String, deviceGroupKey: String) {
        self.deviceKey = deviceKey
        self.deviceGroupKey = deviceGroupKey
    }

    enum CodingKeys: String, CodingKey {
        case deviceKey = "DeviceKey"
        case deviceGroupKey = "DeviceGroupKey"
    }
}

/// `InitiateAuth` and `RespondToAuthChallenge` answer: either tokens or the next challenge.
public struct AuthResponse: Codable, Sendable, Equatable {
    public var authenticationResult: AuthenticationResult?
    public var challengeName: String?
    public var session: String?
    public var challengeParameters: [String: String]?
    /// `USER_AUTH`'s SELECT_CHALLENGE: the first factors this user may choose from.
    public var availableChallenges: [String]?

    public init(
        authenticationResult: AuthenticationResult? = nil, challengeName: String? = nil, session: String? = nil,
        challengeParameters: [String: String]? = nil, availableChallenges: [String]? = nil
    ) {
        self.authenticationResult = authenticationResult
        self.challengeName = challengeName
        self.session = session
        self.challengeParameters = challengeParameters
        self.availableChallenges = availableChallenges
    }

    enum CodingKeys: String, CodingKey {
        case authenticationResult = "AuthenticationResult"
        case challengeName = "ChallengeName"
        case session = "Session"
        case challengeParameters = "ChallengeParameters"
        case availableChallenges = "AvailableChallenges"
    }
}

/// Cognito's error body: `{"__type":"NotAuthorizedException","message":"..."}`.
public struct CognitoErrorBody: Codable, Sendable, Equatable, Error {
    public var type: String
    public var message: String

    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case type = "__type"
        case message
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // AWS sometimes sends a namespaced type ("com.amazonaws...#NotAuthorizedException") and `Message`.
        let rawType = try container.decode(String.self, forKey: .type)
        self.type = rawType.split(separator: "#").last.map(String.init) ?? rawType
        if let message = try container.decodeIfPresent(String.self, forKey: .message) {
            self.message = message
        } else {
            let alternate = try decoder.container(keyedBy: AlternateKeys.self)
            self.message = try alternate.decodeIfPresent(String.self, forKey: .message) ?? ""
        }
    }

    private enum AlternateKeys: String, CodingKey { case message = "Message" }
}
