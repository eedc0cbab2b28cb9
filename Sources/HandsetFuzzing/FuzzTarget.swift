import Foundation

/// One fuzz target: a parser of outside input, driven by arbitrary bytes. `run` must never trap, whatever the
/// bytes; it checks the parser's own invariants (round trips, bounds) with `FuzzCheck`, which traps on purpose
/// when one breaks, so that libFuzzer records the input.
public struct FuzzTarget: Sendable {
    public let name: String
    public let run: @Sendable (Data) -> Void

    public init(_ name: String, run: @escaping @Sendable (Data) -> Void) {
        self.name = name
        self.run = run
    }
}

/// Invariant checks inside fuzz targets: a broken one is a finding, reported by crashing with its message.
public enum FuzzCheck {
    public static func that(
        _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #file,
        line: UInt = #line
    ) {
        if !condition() { fatalError("fuzz invariant broken: \(message())", file: file, line: line) }
    }
}

/// Runs async code to completion from a fuzz callback (which is synchronous), on a task of its own.
public func runBlocking<Value: Sendable>(_ body: @escaping @Sendable () async -> Value) -> Value {
    let semaphore = DispatchSemaphore(value: 0)
    let box = ResultBox<Value>()
    Task.detached {
        box.value = await body()
        semaphore.signal()
    }
    semaphore.wait()
    return box.value!
}

private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
