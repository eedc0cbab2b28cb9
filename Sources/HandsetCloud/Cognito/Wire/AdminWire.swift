import HandsetCloudStorage

/// The admin operations that name a user: AdminGetUser, AdminDeleteUser, AdminDisableUser, AdminEnableUser,
/// AdminConfirmSignUp, AdminUserGlobalSignOut, AdminListGroupsForUser, AdminResetUserPassword.
struct AdminUserRequestWire: Codable, Sendable {
    var userPoolId: String
    var username: String
    var limit: Int?
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case username = "Username"
        case limit = "Limit"
        case nextToken = "NextToken"
    }
}

struct AdminCreateUserRequestWire: Codable, Sendable {
    var userPoolId: String
    var username: String
    var userAttributes: [AttributeWire]?
    var temporaryPassword: String?
    var messageAction: String?
    var desiredDeliveryMediums: [String]?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case username = "Username"
        case userAttributes = "UserAttributes"
        case temporaryPassword = "TemporaryPassword"
        case messageAction = "MessageAction"
        case desiredDeliveryMediums = "DesiredDeliveryMediums"
    }
}

/// `UserType`, as AdminCreateUser and ListUsers return it.
struct UserWire: Codable, Sendable {
    var username: String
    var attributes: [AttributeWire]
    var userCreateDate: Double
    var userLastModifiedDate: Double
    var enabled: Bool
    var userStatus: String
    var mfaOptions: [MFAOptionWire]?

    enum CodingKeys: String, CodingKey {
        case username = "Username"
        case attributes = "Attributes"
        case userCreateDate = "UserCreateDate"
        case userLastModifiedDate = "UserLastModifiedDate"
        case enabled = "Enabled"
        case userStatus = "UserStatus"
        case mfaOptions = "MFAOptions"
    }
}

struct AdminCreateUserResponseWire: Codable, Sendable {
    var user: UserWire

    enum CodingKeys: String, CodingKey {
        case user = "User"
    }
}

struct AdminGetUserResponseWire: Codable, Sendable {
    var username: String
    var userAttributes: [AttributeWire]
    var userCreateDate: Double
    var userLastModifiedDate: Double
    var enabled: Bool
    var userStatus: String
    var preferredMfaSetting: String?
    var userMFASettingList: [String]?

    enum CodingKeys: String, CodingKey {
        case username = "Username"
        case userAttributes = "UserAttributes"
        case userCreateDate = "UserCreateDate"
        case userLastModifiedDate = "UserLastModifiedDate"
        case enabled = "Enabled"
        case userStatus = "UserStatus"
        case preferredMfaSetting = "PreferredMfaSetting"
        case userMFASettingList = "UserMFASettingList"
    }
}

struct AdminSetUserPasswordRequestWire: Codable, Sendable {
    var userPoolId: String
    var username: String
    var password: String
    var permanent: Bool?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case username = "Username"
        case password = "Password"
        case permanent = "Permanent"
    }
}

struct AdminUpdateUserAttributesRequestWire: Codable, Sendable {
    var userPoolId: String
    var username: String
    var userAttributes: [AttributeWire]

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case username = "Username"
        case userAttributes = "UserAttributes"
    }
}

struct ListUsersRequestWire: Codable, Sendable {
    var userPoolId: String
    var attributesToGet: [String]?
    var limit: Int?
    var paginationToken: String?
    var filter: String?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case attributesToGet = "AttributesToGet"
        case limit = "Limit"
        case paginationToken = "PaginationToken"
        case filter = "Filter"
    }
}

struct ListUsersResponseWire: Codable, Sendable {
    var users: [UserWire]
    var paginationToken: String?

    enum CodingKeys: String, CodingKey {
        case users = "Users"
        case paginationToken = "PaginationToken"
    }
}

struct GroupRequestWire: Codable, Sendable {
    var groupName: String
    var userPoolId: String
    var description: String?
    var precedence: Int?
    var roleArn: String?

    enum CodingKeys: String, CodingKey {
        case groupName = "GroupName"
        case userPoolId = "UserPoolId"
        case description = "Description"
        case precedence = "Precedence"
        case roleArn = "RoleArn"
    }
}

/// `GroupType`.
struct GroupWire: Codable, Sendable {
    var groupName: String
    var userPoolId: String
    var description: String?
    var roleArn: String?
    var precedence: Int?
    var creationDate: Double
    var lastModifiedDate: Double

    enum CodingKeys: String, CodingKey {
        case groupName = "GroupName"
        case userPoolId = "UserPoolId"
        case description = "Description"
        case roleArn = "RoleArn"
        case precedence = "Precedence"
        case creationDate = "CreationDate"
        case lastModifiedDate = "LastModifiedDate"
    }
}

struct GroupResponseWire: Codable, Sendable {
    var group: GroupWire

    enum CodingKeys: String, CodingKey {
        case group = "Group"
    }
}

struct GroupMembershipRequestWire: Codable, Sendable {
    var userPoolId: String
    var username: String
    var groupName: String

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case username = "Username"
        case groupName = "GroupName"
    }
}

struct GroupsResponseWire: Codable, Sendable {
    var groups: [GroupWire]
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case groups = "Groups"
        case nextToken = "NextToken"
    }
}

struct ListGroupsRequestWire: Codable, Sendable {
    var userPoolId: String
    var limit: Int?
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case limit = "Limit"
        case nextToken = "NextToken"
    }
}
