import Foundation

/// A custom attribute the pool declares (`AddCustomAttributes`), named without its `custom:` prefix.
public struct CustomAttributeDefinition: Codable, Sendable, Equatable {
    public var name: String
    /// `String`, `Number`, `DateTime` or `Boolean`.
    public var dataType: String
    public var mutable: Bool
    public var developerOnly: Bool
    public var minLength: String?
    public var maxLength: String?
    public var minValue: String?
    public var maxValue: String?

    public init(
        name: String, dataType: String = "String", mutable: Bool = true, developerOnly: Bool = false,
        minLength: String? = nil, maxLength: String? = nil, minValue: String? = nil, maxValue: String? = nil
    ) {
        self.name = name
        self.dataType = dataType
        self.mutable = mutable
        self.developerOnly = developerOnly
        self.minLength = minLength
        self.maxLength = maxLength
        self.minValue = minValue
        self.maxValue = maxValue
    }
}
