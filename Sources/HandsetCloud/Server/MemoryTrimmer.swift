import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Gives memory back to the system after a crowd of connections has gone. glibc keeps freed memory in its
/// per-thread arenas, so after thousands of connections the process stays as large as at their peak; once the
/// count has fallen by `threshold` since the last look, `malloc_trim` returns the free pages.
struct MemoryTrimmer: Service {
    let gauge: ConnectionGauge
    var interval: Duration = .seconds(5)
    var threshold = 64
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                let peak = gauge.takePeak()
                if peak - gauge.current >= threshold { Self.trim() }
            }
        }
    }

    /// glibc's `malloc_trim`, looked up at run time (`<malloc.h>` is not part of the Glibc module); nil elsewhere.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
            guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
            return nil
        #endif
    }()

    static func trim() {
        _ = mallocTrim?(0)
    }
}
