/// Where the record a list keeps its selection on stands after a reload (nil index: it is no longer listed).
public struct KeptRecord: Sendable, Equatable {
    public var id: String
    public var index: Int?

    public init(id: String, index: Int?) {
        self.id = id
        self.index = index
    }
}
