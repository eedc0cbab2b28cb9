/// ListUsersInGroup's request.
struct ListUsersInGroupRequestWire: Codable, Sendable {
    var userPoolId: String
    var groupName: String
    var limit: Int?
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case groupName = "GroupName"
        case limit = "Limit"
        case nextToken = "NextToken"
    }
}

struct ListUsersInGroupResponseWire: Codable, Sendable {
    var users: [UserWire]
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case users = "Users"
        case nextToken = "NextToken"
    }
}

/// DeleteGroup's request.
struct GroupNameRequestWire: Codable, Sendable {
    var userPoolId: String
    var groupName: String

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case groupName = "GroupName"
    }
}
