import Foundation

/// Named places where a crash test can kill the process (`HANDSET_FAILPOINTS=push.after-response,...`), to prove
/// that no moment of a sync loses or duplicates a write. Costs one dictionary lookup when unset.
public enum Failpoint {
    static let armed: Set<String> = Set(
        (ProcessInfo.processInfo.environment["HANDSET_FAILPOINTS"] ?? "").split(separator: ",").map(String.init))

    /// Dies at once, like `kill -9`, when `name` is armed.
    public static func hit(_ name: String) {
        guard !armed.isEmpty, armed.contains(name) else { return }
        kill(getpid(), SIGKILL)
    }
}
