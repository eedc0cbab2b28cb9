import Foundation

/// The device (`<sub> <device id>`) of the last write to each record, for `record.changed` "on another device".
/// Kept in memory and bounded: when full it starts over, and after a restart each record's next write is the new
/// baseline. Either way the cost is at most one missed "another device" notification, never a wrong one.
final class RecentWriteDevices: @unchecked Sendable {
    private let lock = NSLock()
    private var devices: [String: String] = [:]
    private let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    func value(_ record: String) -> String? {
        lock.withLock { devices[record] }
    }

    /// Remembers `device` for `record` and returns the one remembered before.
    func exchange(_ record: String, _ device: String) -> String? {
        lock.withLock {
            if devices.count >= capacity, devices[record] == nil { devices.removeAll(keepingCapacity: true) }
            return devices.updateValue(device, forKey: record)
        }
    }

    @discardableResult
    func remove(_ record: String) -> String? {
        lock.withLock { devices.removeValue(forKey: record) }
    }
}
