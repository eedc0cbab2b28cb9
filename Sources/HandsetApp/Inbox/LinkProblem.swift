/// Why the record a notification points to cannot be opened.
public enum LinkProblem: Sendable, Equatable {
    /// The cloud has no such record for this person: it was deleted, or no rule lets them read it (the API answers
    /// both alike).
    case notThere
    /// Not on this device, and the cloud cannot be asked right now.
    case offline(String)
    /// The cloud could not be asked for another reason.
    case failed(String)
}
