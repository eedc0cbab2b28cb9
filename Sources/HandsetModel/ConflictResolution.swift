import HandsetWire

/// How a conflict ends: this device's version, the server's, or fields merged from both (sent against the server's
/// version).
public enum ConflictResolution: Sendable, Equatable {
    case keepMine
    case takeTheirs
    case merged([String: JSONValue])
}
