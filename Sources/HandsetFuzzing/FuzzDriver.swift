import Foundation

#if HANDSET_FUZZING
    import CLibFuzzer
#endif

/// The `main` of a fuzz executable.
///
/// Built with `-sanitize=fuzzer` (and `HANDSET_FUZZING` defined, as `scripts/fuzz` does), it hands control to
/// libFuzzer for the target named by `HANDSET_FUZZ_TARGET`: `HANDSET_FUZZ_TARGET=json handset-cloud-fuzz corpus/
/// -max_total_time=60`. Built normally, it replays inputs: `handset-cloud-fuzz json FILE_OR_DIRECTORY...` runs the
/// target once on each file, so that a crash found by the fuzzer can be reproduced (and debugged) in any build.
public enum FuzzDriver {
    public static func main(targets: [FuzzTarget]) -> Never {
        #if HANDSET_FUZZING
            let name = ProcessInfo.processInfo.environment["HANDSET_FUZZ_TARGET"] ?? ""
            guard let target = targets.first(where: { $0.name == name }) else {
                fail("set HANDSET_FUZZ_TARGET to one of: \(targets.map(\.name).joined(separator: ", "))")
            }
            selected.target = target
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        #else
            let arguments = Array(CommandLine.arguments.dropFirst())
            guard let name = arguments.first, let target = targets.first(where: { $0.name == name }) else {
                fail(
                    "usage: \(CommandLine.arguments.first ?? "fuzz") TARGET FILE_OR_DIRECTORY...\n"
                        + "targets: \(targets.map(\.name).joined(separator: ", "))")
            }
            var count = 0
            for path in arguments.dropFirst() {
                for file in files(at: path) {
                    guard let data = FileManager.default.contents(atPath: file) else { continue }
                    target.run(data)
                    count += 1
                }
            }
            print("\(target.name): \(count) inputs replayed, no crash")
            exit(0)
        #endif
    }

    /// The regular files at `path`: itself, or those directly inside it, sorted.
    public static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { "\(path)/\($0)" }.filter {
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &directory) && !directory.boolValue
        }
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(64)
    }
}

#if HANDSET_FUZZING
    /// The target libFuzzer's C callback runs (a C function pointer captures nothing).
    private final class SelectedTarget: @unchecked Sendable {
        var target: FuzzTarget?
    }
    private let selected = SelectedTarget()

    /// libFuzzer's entry point: its objects refer to this symbol, and the driver is handed it too.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
        selected.target?.run(bytes)
        return 0
    }
#endif
