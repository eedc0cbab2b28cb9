import Foundation
import HandsetCloudStorage

extension DataDirectory {
    /// Object bytes: `standard/` (the STANDARD tier), `archive/` (GLACIER) and `incoming/` (uploads in progress).
    var objectsDirectory: URL { root.appendingPathComponent("objects", isDirectory: true) }
    var standardObjects: URL { objectsDirectory.appendingPathComponent("standard", isDirectory: true) }
    var archivedObjects: URL { objectsDirectory.appendingPathComponent("archive", isDirectory: true) }
    var incomingObjects: URL { objectsDirectory.appendingPathComponent("incoming", isDirectory: true) }
}
