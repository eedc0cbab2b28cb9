import Foundation

/// A file on its way to or from storage.
public struct TransferState: Sendable, Equatable {
    public var title: String
    public var done: Int64
    public var total: Int64

    public init(title: String, done: Int64 = 0, total: Int64 = 0) {
        self.title = title
        self.done = done
        self.total = total
    }

    /// 0...1, or nil while the size is unknown.
    public var fraction: Double? { total > 0 ? min(Double(done) / Double(total), 1) : nil }
}
