import Foundation
import HandsetCloudStorage

extension DataDirectory {
    /// Object bytes (a `DirectoryBlobStore`), unless `serve --objects-dir` names a directory shared by instances.
    var objectsDirectory: URL { root.appendingPathComponent("objects", isDirectory: true) }
    var standardObjects: URL { objectsDirectory.appendingPathComponent("standard", isDirectory: true) }
}
