/// Cognito's `UserStatus`, for the states this cloud can produce so far.
enum UserStatus: String, Sendable, Equatable {
    case confirmed = "CONFIRMED"
    case unconfirmed = "UNCONFIRMED"
}
