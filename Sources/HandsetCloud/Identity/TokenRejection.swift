/// Why the authorizer refuses a token; API Gateway tells only "expired" apart.
enum TokenRejection: Error, Equatable {
    case unauthorized
    case expired
}
