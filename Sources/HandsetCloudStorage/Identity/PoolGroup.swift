import Foundation

/// A group of the pool (Cognito's `GroupType`). The IAM role is only named: the local cloud has no IAM, but the ID
/// token carries `cognito:roles` and `cognito:preferred_role` as AWS writes them.
package struct PoolGroup: Sendable, Equatable {
    package var name: String
    package var description: String?
    /// Lower wins: of a user's groups with a role, the one with the lowest precedence names the preferred role.
    package var precedence: Int?
    package var roleArn: String?
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        name: String, description: String?, precedence: Int?, roleArn: String? = nil, createdAt: Date,
        updatedAt: Date
    ) {
        self.name = name
        self.description = description
        self.precedence = precedence
        self.roleArn = roleArn
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
