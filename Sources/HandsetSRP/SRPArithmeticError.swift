/// OpenSSL refused a big-number operation (in practice: it could not allocate memory).
public enum SRPArithmeticError: Error, Equatable, Sendable {
    case outOfMemory
    case valueTooLarge
    case operationFailed
}
