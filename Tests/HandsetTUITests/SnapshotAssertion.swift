import Foundation
import HandsetTUI
import Testing

/// Compares a rendered grid (its text, then its style roles) with `Snapshots/<name>.txt` beside this file.
/// Set `HANDSET_RECORD_SNAPSHOTS=1` to write the files anew; a mismatch is shown as a line diff.
func assertSnapshot(
    _ grid: CellGrid, named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let file = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent("\(name).txt")
    let actual = grid.text + "\n--- roles ---\n" + grid.roleMap + "\n"
    if ProcessInfo.processInfo.environment["HANDSET_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        let report = "no snapshot at \(file.path); run with HANDSET_RECORD_SNAPSHOTS=1 to record it"
        Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
        return
    }
    guard expected != actual else { return }
    let expectedLines = expected.components(separatedBy: "\n")
    let actualLines = actual.components(separatedBy: "\n")
    var diff: [String] = []
    for index in 0..<max(expectedLines.count, actualLines.count) {
        let old = index < expectedLines.count ? expectedLines[index] : "<none>"
        let new = index < actualLines.count ? actualLines[index] : "<none>"
        if old != new { diff.append("line \(index + 1):\n  - \(old)\n  + \(new)") }
    }
    let report = "snapshot \(name) differs:\n" + diff.joined(separator: "\n")
    Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
}
