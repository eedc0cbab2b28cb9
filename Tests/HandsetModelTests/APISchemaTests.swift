import Foundation
import HandsetWire
import Testing

@testable import HandsetModel

@Suite struct APISchemaTests {
    static let document: JSONValue = [
        "openapi": "3.0.3",
        "info": ["title": "Team app", "version": "1"],
        "paths": ["/tasks": [:], "/projects": [:]],
        "tags": [["name": "tasks"], ["name": "projects"]],
        "components": [
            "schemas": [
                "Task": [
                    "x-handset-collection": "tasks", "x-handset-title": "title",
                    "x-handset-list-columns": ["title", "status", "due"],
                    "required": ["title", "status"],
                    "properties": [
                        "id": ["type": "string", "readOnly": true],
                        "title": ["type": "string", "maxLength": 120],
                        "status": ["type": "string", "enum": ["todo", "doing", "done"]],
                        "due": ["type": "string", "format": "date"],
                        "priority": ["type": "integer", "minimum": 1, "maximum": 5],
                        "notes": ["type": "string", "maxLength": 10000],
                        "assignee": ["type": "string", "format": "email"],
                        "attachment": ["type": "string", "format": "x-object-key"],
                    ],
                ],
                "Project": ["x-handset-collection": "projects", "properties": ["name": ["type": "string"]]],
                "TaskPage": ["type": "object"],
            ]
        ],
    ]

    @Test func collectionsComeFromSchemasWithTheExtension() throws {
        let schema = try APISchema(openAPIDocument: Self.document)
        #expect(schema.title == "Team app")
        #expect(schema.collections.map(\.name) == ["tasks", "projects"], "in the order of the document's tags")
        let tasks = try #require(schema.collection(named: "tasks"))
        #expect(tasks.titleField == "title")
        #expect(tasks.listColumns == ["title", "status", "due"])
        #expect(tasks.fields.prefix(3).map(\.name) == ["title", "status", "due"], "list columns come first")
        #expect(tasks.fields.last?.name == "id", "server fields come last")
        #expect(tasks.field(named: "status")?.kind == .enumeration)
        #expect(tasks.field(named: "status")?.enumValues == ["todo", "doing", "done"])
        #expect(tasks.field(named: "status")?.required == true)
        #expect(tasks.field(named: "due")?.kind == .date)
        #expect(tasks.field(named: "priority")?.maximum == 5)
        #expect(tasks.field(named: "notes")?.kind == .longText)
        #expect(tasks.field(named: "assignee")?.kind == .email)
        #expect(tasks.field(named: "attachment")?.kind == .objectKey)
        #expect(tasks.field(named: "title")?.maxLength == 120)
        #expect(tasks.field(named: "id")?.readOnly == true)
        let projects = try #require(schema.collection(named: "projects"))
        #expect(projects.titleField == "name", "without a title, the first field is the title")
        #expect(projects.listColumns == ["name"])
    }

    @Test func aDocumentWithoutSchemasIsAnError() {
        #expect(throws: ConfigurationError.self) { try APISchema(openAPIDocument: ["openapi": "3.0.3"]) }
    }
}

@Suite struct ClientConfigurationTests {
    func outputs(custom: AmplifyOutputs.Custom?, poolId: String = "us-east-1_AbC") -> AmplifyOutputs {
        AmplifyOutputs(
            auth: .init(awsRegion: "us-east-1", userPoolId: poolId, userPoolClientId: "client"), custom: custom)
    }

    @Test func localCloudOverridesTheCognitoEndpoint() throws {
        let configuration = try ClientConfiguration(
            outputs: outputs(
                custom: .init(
                    api: nil,
                    handset: .init(cognitoEndpoint: "http://127.0.0.1:9000/", apiEndpoint: "http://127.0.0.1:9000/api"))
            ))
        #expect(configuration.cognitoEndpoint.absoluteString == "http://127.0.0.1:9000/")
        #expect(configuration.apiEndpoint.absoluteString == "http://127.0.0.1:9000/api")
        #expect(configuration.poolName == "AbC")
    }

    @Test func realAWSUsesTheRegionalCognitoEndpointAndTheRestAPI() throws {
        let configuration = try ClientConfiguration(
            outputs: outputs(
                custom: .init(
                    api: [
                        "myApi": .init(
                            endpoint: "https://abc.execute-api.us-east-1.amazonaws.com/prod/", region: nil, apiName: nil
                        )
                    ],
                    handset: nil)))
        #expect(configuration.cognitoEndpoint.absoluteString == "https://cognito-idp.us-east-1.amazonaws.com/")
        #expect(configuration.apiEndpoint.host == "abc.execute-api.us-east-1.amazonaws.com")
    }

    @Test func missingPiecesAreClearErrors() {
        #expect(
            throws: ConfigurationError(
                "no REST API endpoint: expected custom.API.<name>.endpoint in amplify_outputs.json")
        ) {
            try ClientConfiguration(outputs: outputs(custom: nil))
        }
        #expect(throws: ConfigurationError.self) {
            try ClientConfiguration(
                outputs: outputs(
                    custom: .init(api: ["a": .init(endpoint: "https://x/", region: nil, apiName: nil)], handset: nil),
                    poolId: "nounderscore"))
        }
    }

    @Test func tokensNameTheUserWithoutVerifying() {
        let payload = Data(
            #"{"sub":"s-1","cognito:username":"alice","email":"a@example.com","exp":1800000000,"jti":"j-1","custom:n":"7"}"#
                .utf8
        )
        .base64EncodedString().replacingOccurrences(of: "=", with: "")
        let tokens = TokenSet(
            idToken: "h.\(payload).s", accessToken: "a", refreshToken: nil, expiresAt: Date(timeIntervalSince1970: 1000)
        )
        #expect(
            tokens.user
                == SignedInUser(
                    sub: "s-1", username: "alice", email: "a@example.com",
                    claims: ["sub": "s-1", "cognito:username": "alice", "email": "a@example.com", "custom:n": "7"]),
            "the user's attributes, not the token's own claims")
        #expect(tokens.needsRefresh(at: Date(timeIntervalSince1970: 900)))
        #expect(!tokens.needsRefresh(at: Date(timeIntervalSince1970: 800)))
        #expect(TokenSet(idToken: "garbage", accessToken: "", refreshToken: nil, expiresAt: .now).user == nil)
    }
}

@Suite struct RecordValidatorTests {
    static let tasks = CollectionSchema(
        name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title"],
        fields: [
            FieldSchema(name: "title", kind: .text, required: true, maxLength: 5),
            FieldSchema(name: "status", kind: .enumeration, required: true, enumValues: ["todo", "done"]),
            FieldSchema(name: "priority", kind: .integer, minimum: 1, maximum: 5),
            FieldSchema(name: "due", kind: .date),
            FieldSchema(name: "assignee", kind: .email),
            FieldSchema(name: "id", kind: .text, readOnly: true),
        ])

    @Test func goodFieldsPass() {
        let fields: [String: JSONValue] = [
            "title": "Ship", "status": "todo", "priority": 3, "due": "2026-12-01", "assignee": "a@b.io",
        ]
        #expect(RecordValidator.problems(in: fields, for: Self.tasks).isEmpty)
    }

    @Test func eachProblemIsNamedPerField() {
        let fields: [String: JSONValue] = [
            "title": "Too long", "status": "later", "priority": 9, "due": "tomorrow", "assignee": "nobody",
            "colour": "red",
        ]
        #expect(
            RecordValidator.problems(in: fields, for: Self.tasks) == [
                "title": "must be at most 5 characters", "status": "must be one of todo, done",
                "priority": "must be at most 5",
                "due": "must be a date (YYYY-MM-DD)", "assignee": "must be an email address",
                "colour": "is not a field of Task",
            ])
        #expect(
            RecordValidator.problems(in: [:], for: Self.tasks) == ["title": "is required", "status": "is required"])
        #expect(
            RecordValidator.problems(in: ["title": "A", "status": "todo", "priority": 1.5], for: Self.tasks) == [
                "priority": "must be an integer"
            ])
    }

    @Test func typedInputBecomesTypedJSON() {
        let priority = FieldSchema(name: "priority", kind: .integer)
        #expect(FieldInput.value("3", for: priority) == 3)
        #expect(FieldInput.value("three", for: priority) == "three")
        #expect(FieldInput.value("", for: priority) == .null)
        #expect(FieldInput.value("yes", for: FieldSchema(name: "done", kind: .boolean)) == true)
        #expect(FieldInput.value("2026-12-01", for: FieldSchema(name: "due", kind: .date)) == "2026-12-01")
    }

    /// The help desk's `labels`, a SET column: the form showed `["bug","urgent"]` and sent it back as one string,
    /// which the rules refused ("must be an array"), so no ticket with labels could be saved.
    @Test func aListOfStringsIsTypedAsCommaSeparatedWordsAndReadBackTheSameWay() throws {
        let document: JSONValue = [
            "components": [
                "schemas": [
                    "Ticket": [
                        "x-handset-collection": "tickets",
                        "properties": [
                            "labels": [
                                "type": "array", "uniqueItems": true,
                                "items": ["type": "string", "enum": ["bug", "billing", "urgent"]],
                            ],
                            "tags": ["type": "array", "items": ["type": "string"]],
                            "scores": ["type": "array", "items": ["type": "number"]],
                            "extra": ["type": "object"],
                        ],
                    ]
                ]
            ]
        ]
        let tickets = try #require(try APISchema(openAPIDocument: document).collection(named: "tickets"))
        let labels = try #require(tickets.field(named: "labels"))
        #expect(labels.kind == .list && labels.enumValues == ["bug", "billing", "urgent"])
        #expect(tickets.field(named: "tags")?.kind == .list)
        #expect(tickets.field(named: "scores")?.kind == .unknown, "numbers are edited as JSON")

        #expect(FieldInput.text(["bug", "urgent"], for: labels) == "bug, urgent")
        #expect(FieldInput.value("bug, urgent", for: labels) == ["bug", "urgent"])
        #expect(FieldInput.value(" bug ,, urgent, ", for: labels) == ["bug", "urgent"], "blanks and spaces dropped")
        #expect(FieldInput.value(#"["bug"]"#, for: labels) == ["bug"], "the JSON array itself is taken too")
        #expect(FieldInput.value("", for: labels) == .null)
        // Items with a comma, or with spaces at their ends, would not come back whole from `a, b`: JSON instead.
        let awkward: JSONValue = ["a,b", " c"]
        #expect(FieldInput.value(FieldInput.text(awkward, for: labels), for: labels) == awkward)
        #expect(FieldInput.text([], for: labels) == "", "no labels: an empty field, which means no value")

        let problems = RecordValidator.problems(
            in: ["labels": FieldInput.value("bug, bugs", for: labels)], for: tickets)
        #expect(problems["labels"] == "may hold only bug, billing, urgent")
        #expect(
            RecordValidator.problems(in: ["labels": ["bug", "bug"]], for: tickets)["labels"]
                == "must not repeat a value")
        #expect(RecordValidator.problems(in: ["labels": ["urgent", "bug"]], for: tickets).isEmpty)

        let scores = try #require(tickets.field(named: "scores"))
        #expect(FieldInput.value("[1, 2.5]", for: scores) == [1, 2.5])
        #expect(FieldInput.value(#"{"a": 1}"#, for: try #require(tickets.field(named: "extra"))) == ["a": 1])
        #expect(FieldInput.value("[not json", for: scores) == "[not json", "left as typed: the rules say why")
    }

    @Test func numbersReadBackWithoutTrappingWhateverTheirSize() {
        #expect(FieldInput.numberText(3) == "3")
        #expect(FieldInput.numberText(-42) == "-42")
        #expect(FieldInput.numberText(2.5) == "2.5")
        #expect(FieldInput.numberText(1e20) == "1e+20", "past Int.max: converting it to an Int trapped")
        #expect(FieldInput.numberText(-1e300) == "-1e+300")
        let budget = FieldSchema(name: "budget", kind: .number)
        #expect(FieldInput.value(FieldInput.text(.number(1e20), for: budget), for: budget) == .number(1e20))
    }
}

/// `n` (new record) is offered only where the API's rules let the user create.
@Suite struct CreatorsTests {
    @Test func theRulesSayWhoMayCreate() {
        let owner = CollectionSchema.Creators(rules: [["allow": "owner"]])
        #expect(owner == .anyone)
        let readOnlyForAll = CollectionSchema.Creators(rules: [
            ["allow": "private", "operations": ["read"]], ["allow": "groups", "groups": ["admins"]],
        ])
        #expect(readOnlyForAll == .groups(["admins"]))
        #expect(!readOnlyForAll.allow(memberOf: []))
        #expect(!readOnlyForAll.allow(memberOf: ["surveyors"]))
        #expect(readOnlyForAll.allow(memberOf: ["admins"]))
        let nobody = CollectionSchema.Creators(rules: [["allow": "private", "operations": ["read", "update"]]])
        #expect(!nobody.allow(memberOf: ["admins"]))
        #expect(CollectionSchema.Creators(rules: nil) == .anyone, "a document without rules: the server decides")
    }

    @Test func ownerRulesSayWhichClaimMakesARecordYours() throws {
        // The LAMP help desk: a ticket's owner is the customer id the web application keeps, matched against a
        // custom attribute; a customer row's owner is an email address.
        let document: JSONValue = [
            "components": [
                "schemas": [
                    "Ticket": [
                        "x-handset-collection": "tickets", "properties": ["subject": ["type": "string"]],
                        "x-handset-auth": [
                            [
                                "allow": "owner", "x-handset-owner-column": "customer_id",
                                "identityClaim": "custom:customer_id",
                            ],
                            ["allow": "groups", "groups": ["admins"]],
                        ],
                    ],
                    "Customer": [
                        "x-handset-collection": "customers", "properties": ["name": ["type": "string"]],
                        "x-handset-auth": [["allow": "owner", "identityClaim": "email"], ["allow": "owner"]],
                    ],
                    "Task": ["x-handset-collection": "tasks", "properties": ["title": ["type": "string"]]],
                ]
            ]
        ]
        let schema = try APISchema(openAPIDocument: document)
        let tickets = try #require(schema.collection(named: "tickets"))
        let customers = try #require(schema.collection(named: "customers"))
        let tasks = try #require(schema.collection(named: "tasks"))
        #expect(tickets.ownerClaims == ["custom:customer_id"])
        #expect(customers.ownerClaims == ["email", "sub"])
        #expect(tasks.ownerClaims == ["sub"], "no rules: owners are subs")

        let alice = SignedInUser(
            sub: "s-1", username: "alice", email: "a@example.com",
            claims: ["sub": "s-1", "email": "a@example.com", "custom:customer_id": "1"])
        #expect(tickets.isOwned(by: alice, owner: "1"))
        #expect(!tickets.isOwned(by: alice, owner: "2"))
        #expect(tickets.isOwned(by: alice, owner: "s-1"), "a record she created under her sub is hers too")
        #expect(customers.isOwned(by: alice, owner: "a@example.com"))
        #expect(!tasks.isOwned(by: alice, owner: "1"), "her customer id means nothing where owners are subs")
        #expect(!tasks.isOwned(by: alice, owner: ""))
        #expect(!tickets.isOwned(by: nil, owner: "1"))
        let withoutTheAttribute = SignedInUser(sub: "s-2", username: "bob", email: nil)
        #expect(!tickets.isOwned(by: withoutTheAttribute, owner: "1"))
    }

    @Test func theIDTokenNamesTheGroups() {
        let payload = Data(#"{"sub":"s-1","cognito:username":"tina","cognito:groups":["admins"]}"#.utf8)
            .base64EncodedString().replacingOccurrences(of: "=", with: "")
        let tokens = TokenSet(idToken: "h.\(payload).s", accessToken: "a", refreshToken: nil, expiresAt: .distantFuture)
        #expect(tokens.user?.groups == ["admins"])
    }

    @Test func theDemoDocumentsAnnouncementsAreForAdminsOnly() throws {
        let document: JSONValue = [
            "components": [
                "schemas": [
                    "Announcement": [
                        "x-handset-collection": "announcements",
                        "x-handset-auth": [
                            ["allow": "private", "operations": ["read"]], ["allow": "groups", "groups": ["admins"]],
                        ],
                        "properties": ["title": ["type": "string"]],
                    ]
                ]
            ]
        ]
        let schema = try APISchema(openAPIDocument: document)
        #expect(schema.collection(named: "announcements")?.creators == .groups(["admins"]))
    }
}

/// Other people's text printed by `ls`, `get`, `inbox` and `refused` cannot drive the terminal.
@Suite struct TerminalTextTests {
    @Test func controlCharactersAreShownNotObeyed() {
        #expect(TerminalText.safe("plain ünïcode 👨‍👩‍👧") == "plain ünïcode 👨‍👩‍👧")
        #expect(TerminalText.safe("\u{1B}]0;pwned\u{07}title") == "^[]0;pwned^Gtitle")
        #expect(TerminalText.safe("\u{1B}[2J\u{1B}[31mred") == "^[[2J^[[31mred")
        #expect(TerminalText.safe("a\u{9B}31mb\u{7F}") == "a?31mb?", "C1 CSI and DEL")
    }

    @Test func valuesOnACommandsLineAreSafeInsideArraysAndObjectsToo() {
        #expect(TerminalText.safe(JSONValue.string("plain")) == "plain")
        #expect(TerminalText.safe(JSONValue.number(1e20)) == "1e+20")
        #expect(TerminalText.safe(JSONValue.number(3)) == "3")
        #expect(TerminalText.safe(nil as JSONValue?) == "")
        #expect(TerminalText.safe(["bug", "urgent"] as JSONValue) == "bug, urgent")
        #expect(TerminalText.safe([1, 2] as JSONValue) == "[1,2]")
        // A JSON encoder escapes C0 controls but leaves C1 ones (CSI) and bidirectional overrides as they are.
        let hostile: JSONValue = ["note": "a\u{9B}2J\u{202E}txt.exe"]
        #expect(TerminalText.safe(hostile) == #"{"note":"a?2J?txt.exe"}"#)
        #expect(TerminalText.safe(["x\u{9B}31m", "y"] as JSONValue) == "x?31m, y")
        #expect(TerminalText.safe("file\u{202E}txt.exe") == "file?txt.exe")
        #expect(TerminalText.safe("two\nlines\tand\rreturn") == "two lines and return")
        #expect(TerminalText.safe("two\nlines", keepingNewlines: true) == "two\nlines")
    }
}
