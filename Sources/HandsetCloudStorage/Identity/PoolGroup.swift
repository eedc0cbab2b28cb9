import Foundation

/// A group of the pool (Cognito's `GroupType`, without IAM roles).
package struct PoolGroup: Sendable, Equatable {
    package var name: String
    package var description: String?
    package var precedence: Int?
    package var createdAt: Date
    package var updatedAt: Date

    package init(name: String, description: String?, precedence: Int?, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.description = description
        self.precedence = precedence
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
