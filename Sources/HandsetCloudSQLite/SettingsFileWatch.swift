import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Tells whether a settings file may have changed since it was last looked at, from Linux's inotify on the data
/// directory, so that asking costs one non-blocking `read` instead of a `stat` and a formatted stamp.
///
/// The kernel queues an event as the change is finished (the `rename` of an atomic replace, the `close` after a
/// write, a `touch`), so a change finished before a request began is seen by that request, as with a `stat`. Plain
/// writes (`IN_MODIFY`) are not watched: the database and its WAL live in the same directory and SQLite writes them
/// through descriptors it keeps open, so they would queue an event at every commit (and, alternating between the two
/// files, fill the queue and turn the watch off under a heavy load). A settings file is seen once its writer closes
/// it. Events for the directory's other files (a connection closing, a lock file) are read and ignored. The watch starts at the first question (only a
/// running server asks), so that commands and tests that never ask hold no inotify instance. Where inotify is
/// unavailable, when its queue overflowed, the watch ended (the directory was removed or moved) or a read failed,
/// nothing counts as unchanged: the caller looks with `stat` every time, as without a watch.
final class SettingsFileWatch: @unchecked Sendable {
    private let directory: String
    private let files: [[UInt8]]
    private let lock = NSLock()
    /// nil before the first question; -1 when the watch could not start or broke.
    private var descriptor: Int32?
    /// Watched files changed since `willLook` was last called for them.
    private var changed: Set<[UInt8]> = []
    /// The stamp each file had when it was last looked at.
    private var stamps: [[UInt8]: String] = [:]

    /// Watches the files named `files` (no paths) in `directory`.
    init(directory: String, files: [String]) {
        self.directory = directory
        self.files = files.map { Array($0.utf8) }
    }

    deinit {
        if let descriptor, descriptor >= 0 { close(descriptor) }
    }

    /// Whether `file` is known not to have changed since it was looked at and found with `stamp`.
    func unchanged(_ file: String, since stamp: String) -> Bool {
        let name = Array(file.utf8)
        return lock.withLock {
            drain() && stamps[name] == stamp && !changed.contains(name)
        }
    }

    /// Called before looking at `file` (`stat`, read): changes from now on count as new.
    func willLook(_ file: String) {
        let name = Array(file.utf8)
        lock.withLock {
            _ = drain()
            changed.remove(name)
            stamps[name] = nil
        }
    }

    /// Called after looking: `file` was found with `stamp`.
    func saw(_ file: String, stamp: String) {
        let name = Array(file.utf8)
        lock.withLock { stamps[name] = stamp }
    }

    /// Starts the watch at the first call, then reads every queued event; false when there is no working watch.
    /// Called with the lock held.
    private func drain() -> Bool {
        #if canImport(Glibc)
            let descriptor = self.descriptor ?? start()
            guard descriptor >= 0 else { return false }
            let headerSize = MemoryLayout<inotify_event>.size
            let working = withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 8) { buffer in
                while true {
                    let count = read(descriptor, buffer.baseAddress, buffer.count)
                    if count < 0 {
                        if errno == EINTR { continue }
                        return errno == EAGAIN || errno == EWOULDBLOCK
                    }
                    guard count > 0 else { return true }
                    var offset = 0
                    while offset + headerSize <= count {
                        let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                        let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                        let start = offset + headerSize
                        if mask & UInt32(IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                            return false
                        }
                        if length > 0 {
                            let name = UnsafeRawBufferPointer(rebasing: buffer[start..<min(count, start + length)])
                                .prefix { $0 != 0 }
                            if let file = files.first(where: { $0.elementsEqual(name) }) { changed.insert(file) }
                        }
                        offset = start + length
                    }
                }
            }
            if !working {
                close(descriptor)
                self.descriptor = -1
            }
            return working
        #else
            return false
        #endif
    }

    /// Opens the inotify instance and watches the directory; -1 when it cannot.
    private func start() -> Int32 {
        #if canImport(Glibc)
            var descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            let mask =
                IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
                | IN_DELETE_SELF | IN_MOVE_SELF
            if descriptor >= 0 && inotify_add_watch(descriptor, directory, UInt32(mask)) < 0 {
                close(descriptor)
                descriptor = -1
            }
            self.descriptor = max(descriptor, -1)
            return self.descriptor!
        #else
            return -1
        #endif
    }
}
