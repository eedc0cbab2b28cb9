/// `AttributeType`: `{"Name": ..., "Value": ...}`.
struct AttributeWire: Codable, Sendable, Equatable {
    var name: String
    var value: String?

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case value = "Value"
    }
}

/// `CodeDeliveryDetailsType`: where a code went, masked.
struct CodeDeliveryDetailsWire: Codable, Sendable, Equatable {
    var destination: String
    var deliveryMedium: String
    var attributeName: String

    enum CodingKeys: String, CodingKey {
        case destination = "Destination"
        case deliveryMedium = "DeliveryMedium"
        case attributeName = "AttributeName"
    }
}

/// An operation's empty answer, `{}`.
struct EmptyWire: Codable, Sendable, Equatable {}

/// `MFAOptionType` (legacy SMS settings), listed by GetUser.
struct MFAOptionWire: Codable, Sendable, Equatable {
    var deliveryMedium: String
    var attributeName: String

    enum CodingKeys: String, CodingKey {
        case deliveryMedium = "DeliveryMedium"
        case attributeName = "AttributeName"
    }
}
