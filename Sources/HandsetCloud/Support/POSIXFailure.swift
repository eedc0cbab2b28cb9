import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call, with the path it was about.
struct POSIXFailure: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var code: Int32

    init(operation: String, path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(code)))"
    }
}
