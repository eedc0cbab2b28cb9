import Foundation
import HandsetWire
import Testing

@testable import HandsetRemote

/// Saving an attachment never costs the person the file already at that path.
@Suite struct FileTransferTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handset-transfer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func unreachable() -> PresignedURL {
        // A port nothing listens on: the transfer fails at once.
        PresignedURL(
            url: "http://127.0.0.1:9/object", method: "GET", headers: [:], key: "tasks/t/attachment/r/f.txt",
            expiresAt: "")
    }

    @Test func aFailedDownloadLeavesTheExistingFileAndNoPartialFile() async throws {
        let folder = try Self.folder()
        let target = folder.appendingPathComponent("report.txt")
        try Data("the person's own file".utf8).write(to: target)
        await #expect(throws: (any Error).self) {
            try await FileTransfer.download(from: Self.unreachable(), to: target, overwrite: true, timeout: 5) { _, _ in
            }
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "the person's own file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.txt"])
    }

    @Test func anExistingFileIsNotReplacedUnlessAsked() async throws {
        let folder = try Self.folder()
        let target = folder.appendingPathComponent("report.txt")
        try Data("mine".utf8).write(to: target)
        await #expect(throws: FileTransferError.exists(target.path)) {
            try await FileTransfer.download(from: Self.unreachable(), to: target, timeout: 5) { _, _ in }
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "mine")

        // Putting a finished download in place: refused without overwrite, atomic with it.
        let partial = folder.appendingPathComponent(".report.txt.part")
        try Data("downloaded".utf8).write(to: partial)
        #expect(throws: FileTransferError.exists(target.path)) {
            try FileTransfer.place(partial, at: target, overwrite: false)
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "mine")
        try FileTransfer.place(partial, at: target, overwrite: true)
        #expect(try String(contentsOf: target, encoding: .utf8) == "downloaded")
        #expect(!FileManager.default.fileExists(atPath: partial.path))

        let fresh = folder.appendingPathComponent("new.txt")
        try Data("new".utf8).write(to: partial)
        try FileTransfer.place(partial, at: fresh, overwrite: false)
        #expect(try String(contentsOf: fresh, encoding: .utf8) == "new")
        #expect(!FileManager.default.fileExists(atPath: partial.path))
    }
}
