import HandsetCloudStorage
import HandsetWire

/// What a rule lets a caller do with a record.
enum RecordOperation: String, Sendable, CaseIterable, Comparable {
    case create, read, update, delete

    static func < (lhs: RecordOperation, rhs: RecordOperation) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Amplify's finer read operations (`get`, `list`, `sync`, `listen`, `search`) all mean `read` here.
    init?(amplifyName name: String) {
        switch name {
        case "create": self = .create
        case "read", "get", "list", "sync", "listen", "search": self = .read
        case "update": self = .update
        case "delete": self = .delete
        default: return nil
        }
    }
}

/// One entry of a schema's `x-handset-auth`, in the spirit of Amplify's `@auth` rules:
///
/// | rule | grants |
/// |---|---|
/// | `{"allow": "owner"}` | the record's creator (its `owner`), on their own records |
/// | `{"allow": "groups", "groups": ["admins"]}` | members of a listed Cognito group (`cognito:groups`), on every record |
/// | `{"allow": "private"}` | any signed-in user, on every record |
///
/// Each takes `"operations"` (default all of create, read, update, delete). An owner rule may take
/// `"identityClaim"` (Amplify's name: the token claim that holds the owner value, `sub` by default, such as `email`
/// or `custom:legacy_id`) and, on a collection of an existing table, `"x-handset-owner-column"` (the column that
/// holds it).
struct AccessRule: Sendable, Equatable {
    enum Audience: Sendable, Equatable {
        case owner
        case groups(Set<String>)
        case signedIn
    }

    var audience: Audience
    var operations: Set<RecordOperation>
    /// The claim an owner rule matches records' owners against.
    var identityClaim = "sub"
    /// The column of an existing table that holds the owner, for an owner rule.
    var ownerColumn: String?

    init(_ json: JSONValue) throws {
        guard let allow = json["allow"]?.stringValue else { throw SchemaError("an auth rule without \"allow\"") }
        switch allow {
        case "owner":
            audience = .owner
            if let claim = json[APIDocumentKeys.identityClaim] {
                guard let name = claim.stringValue, !name.isEmpty, name.utf8.count <= 128 else {
                    throw SchemaError("\"\(APIDocumentKeys.identityClaim)\" must name a token claim, like \"email\"")
                }
                identityClaim = name
            }
            if let column = json[APIDocumentKeys.ownerColumn] {
                guard let name = column.stringValue, LegacyTableMapping.isTableIdentifier(name) else {
                    throw SchemaError("\"\(APIDocumentKeys.ownerColumn)\" must name a column")
                }
                ownerColumn = name
            }
        case "groups":
            let groups = json["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
            guard !groups.isEmpty else { throw SchemaError("a groups rule needs \"groups\": [names]") }
            audience = .groups(Set(groups))
        case "private":
            audience = .signedIn
        default:
            throw SchemaError("unsupported auth rule allow: \(allow) (owner, groups or private)")
        }
        if let names = json["operations"] {
            guard let list = names.arrayValue else { throw SchemaError("\"operations\" must be a list") }
            operations = try Set(
                list.map { name in
                    guard let text = name.stringValue, let operation = RecordOperation(amplifyName: text) else {
                        throw SchemaError("unknown operation \(name) in an auth rule")
                    }
                    return operation
                })
        } else {
            operations = Set(RecordOperation.allCases)
        }
    }
}

/// What one caller may do in one collection, from the collection's rules and the caller's groups.
struct AccessGrant: Sendable, Equatable {
    /// Operations on records the caller owns.
    var onOwnRecords: Set<RecordOperation> = []
    /// Operations on every record, whoever owns it.
    var onAllRecords: Set<RecordOperation> = []
    /// The caller's owner value in this collection: the owner rules' claim (`sub` unless they name another), `nil`
    /// when the token lacks that claim (the caller then owns nothing here).
    var owner: String?

    init(rules: [AccessRule], identity: Identity) {
        let groups = Set(identity.groups)
        let claim = rules.first { $0.audience == .owner }?.identityClaim ?? "sub"
        owner = identity.claim(claim).flatMap { $0.isEmpty ? nil : $0 }
        for rule in rules {
            switch rule.audience {
            case .owner: if owner != nil { onOwnRecords.formUnion(rule.operations) }
            case .signedIn: onAllRecords.formUnion(rule.operations)
            case .groups(let allowed): if !allowed.isDisjoint(with: groups) { onAllRecords.formUnion(rule.operations) }
            }
        }
    }

    var mayCreate: Bool { onOwnRecords.contains(.create) || onAllRecords.contains(.create) }

    /// Whose records lists and change feeds show: `.everyone`, only `.own`, or none at all.
    var listScope: ListScope {
        if onAllRecords.contains(.read) { return .everyone }
        if onOwnRecords.contains(.read) { return .own }
        return .none
    }

    enum ListScope: Equatable {
        case everyone, own, none
    }

    func allows(_ operation: RecordOperation, on record: StoredRecord) -> Bool {
        onAllRecords.contains(operation) || (owner != nil && record.owner == owner && onOwnRecords.contains(operation))
    }
}
