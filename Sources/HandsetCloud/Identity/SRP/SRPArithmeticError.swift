/// OpenSSL refused a big-number operation (in practice: it could not allocate memory).
enum SRPArithmeticError: Error, Equatable {
    case outOfMemory
    case valueTooLarge
    case operationFailed
}
