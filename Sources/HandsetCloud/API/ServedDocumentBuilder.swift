import HandsetWire

/// Completes an API document into the one served at `<api>/openapi.json`: every route of `SyncWire.swift` for every
/// collection, with parameters, request bodies, each status the cloud can answer and its schema, and API Gateway's
/// `x-amazon-apigateway-*` extensions (Cognito authorizer, Lambda proxy integrations, gateway responses).
///
/// The author's own paths, tags and schemas stay; generated paths and the generated components (`<Schema>Page`,
/// `<Schema>Patch`, `<Schema>ChangeFeedPage`, `<Schema>BatchRequest`, `<Schema>BatchResponse`, `Tombstone`, `Error`,
/// and the shared parameters and responses) replace any of the same name. A collection schema without
/// `additionalProperties` is served with `additionalProperties: false`, which is what the cloud enforces.
struct ServedDocumentBuilder {
    let document: JSONValue
    let collections: [String: CollectionDefinition]
    let userPoolARN: String?
    let limits: APILimits

    static let securityScheme = "CognitoUserPool"
    static let functionName = "handset-records"

    func build() -> JSONValue {
        var root = document.objectValue ?? [:]
        if root["openapi"] == nil { root["openapi"] = "3.0.3" }
        if root["info"] == nil { root["info"] = ["title": "Handset API", "version": "1.0.0"] }
        if root["servers"] == nil { root["servers"] = [["url": "/api"]] }
        root["security"] = [[Self.securityScheme: []]]

        var tags = root["tags"]?.arrayValue ?? []
        let tagged = Set(tags.compactMap { $0["name"]?.stringValue })
        for name in collections.keys.sorted() where !tagged.contains(name) {
            tags.append(["name": .string(name)])
        }
        root["tags"] = .array(tags)

        var components = root["components"]?.objectValue ?? [:]
        var schemas = components["schemas"]?.objectValue ?? [:]
        var paths = root["paths"]?.objectValue ?? [:]
        for collection in collections.values.sorted(by: { $0.name < $1.name }) {
            schemas[collection.schemaName] = schemas[collection.schemaName].map(CollectionDefinition.servedSchema)
            if var schema = schemas[collection.schemaName]?.objectValue, schema["additionalProperties"] == nil {
                schema["additionalProperties"] = false
                schemas[collection.schemaName] = .object(schema)
            }
            for (name, schema) in generatedSchemas(for: collection, schema: schemas[collection.schemaName]) {
                schemas[name] = schema
            }
            for (path, item) in generatedPaths(for: collection) {
                paths[path] = item
            }
        }
        schemas["Error"] = Self.errorSchema
        schemas["Tombstone"] = Self.tombstoneSchema
        paths["/openapi.json"] = [
            "get": [
                "operationId": "getOpenAPIDocument",
                "summary": "This document",
                "security": [],
                "responses": [
                    "200": [
                        "description": "The OpenAPI document.",
                        "content": ["application/json": ["schema": ["type": "object"]]],
                    ],
                    "429": ["$ref": "#/components/responses/TooManyRequests"],
                ],
            ]
        ]
        components["schemas"] = .object(schemas)
        components["parameters"] = .object(
            (components["parameters"]?.objectValue ?? [:]).merging(sharedParameters, uniquingKeysWith: { $1 }))
        components["responses"] = .object(
            (components["responses"]?.objectValue ?? [:]).merging(Self.sharedResponses, uniquingKeysWith: { $1 }))
        components["headers"] = .object(
            (components["headers"]?.objectValue ?? [:]).merging(Self.sharedHeaders, uniquingKeysWith: { $1 }))
        var securitySchemes = components["securitySchemes"]?.objectValue ?? [:]
        securitySchemes[Self.securityScheme] = [
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "description": "The raw Cognito ID token (API Gateway's Cognito user pool authorizer).",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
            "x-amazon-apigateway-authorizer": [
                "type": "cognito_user_pools",
                "providerARNs": [.string(userPoolARN ?? "${CognitoUserPoolArn}")],
            ],
        ]
        components["securitySchemes"] = .object(securitySchemes)
        root["components"] = .object(components)
        root["paths"] = .object(paths)
        root["x-amazon-apigateway-request-validators"] = [
            "all": ["validateRequestBody": true, "validateRequestParameters": true]
        ]
        root["x-amazon-apigateway-gateway-responses"] = Self.gatewayResponses
        return .object(root)
    }

    // MARK: Paths

    private func generatedPaths(for collection: CollectionDefinition) -> [String: JSONValue] {
        let type = collection.schemaName
        let schema: JSONValue = ["$ref": .string("#/components/schemas/\(type)")]
        let recordOrTombstone: JSONValue = [
            "anyOf": [schema, ["$ref": "#/components/schemas/Tombstone"]]
        ]
        let tags: JSONValue = [.string(collection.name)]
        let recordHeaders: JSONValue = ["ETag": ["$ref": "#/components/headers/ETag"]]
        // Links let clients (and schemathesis' stateful tests) follow a write to the record and its next version.
        let byId: JSONValue = "$response.body#/id"
        let links: JSONValue = [
            "Get\(type)": ["operationId": .string("get\(type)"), "parameters": ["id": byId]],
            "Patch\(type)": [
                "operationId": .string("patch\(type)"),
                "parameters": ["id": byId, "header.If-Match": "$response.header.ETag"],
            ],
            "Replace\(type)": [
                "operationId": .string("put\(type)"),
                "parameters": ["id": byId, "header.If-Match": "$response.header.ETag"],
            ],
            "Delete\(type)": [
                "operationId": .string("delete\(type)"),
                "parameters": ["id": byId, "header.If-Match": "$response.header.ETag"],
            ],
        ]
        func record(_ description: String, headers: JSONValue = recordHeaders) -> JSONValue {
            [
                "description": .string(description), "headers": headers,
                "content": ["application/json": ["schema": schema]], "links": links,
            ]
        }
        let preconditionFailed: JSONValue = [
            "description":
                "The If-Match version is not the current one: the body is the current record (or tombstone).",
            "headers": recordHeaders,
            "content": ["application/json": ["schema": recordOrTombstone]],
        ]
        func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/responses/\(name)")] }
        func parameter(_ name: String) -> JSONValue { ["$ref": .string("#/components/parameters/\(name)")] }
        func operation(
            _ id: String, _ summary: String, parameters: [JSONValue] = [], body: JSONValue? = nil,
            responses: [String: JSONValue]
        ) -> JSONValue {
            var operation: [String: JSONValue] = [
                "operationId": .string(id),
                "summary": .string(summary),
                "tags": tags,
                "security": [[Self.securityScheme: []]],
                "x-amazon-apigateway-integration": integration,
                "x-amazon-apigateway-request-validator": "all",
            ]
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            if let body {
                operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]]
            }
            var all = responses
            all["401"] = ref("Unauthorized")
            all["429"] = ref("TooManyRequests")
            operation["responses"] = .object(all)
            return .object(operation)
        }

        let sortNames = collection.sortKeys.map { JSONValue.string($0.name) }
        var listParameters: [JSONValue] = [
            parameter("Limit"), parameter("Cursor"),
            [
                "name": "sort", "in": "query", "required": false,
                "description": "A list column (or id, updatedAt) to sort by; id breaks ties. Default id.",
                "schema": ["type": "string", "enum": .array(sortNames)],
            ],
            parameter("Order"), parameter("Search"), parameter("Count"),
        ]
        let schemaProperties = document["components"]?["schemas"]?[type]?["properties"]?.objectValue ?? [:]
        for field in collection.filterFields {
            var filterSchema: [String: JSONValue] = ["type": "string"]
            if let property = schemaProperties[field]?.objectValue {
                filterSchema = property.filter {
                    ["type", "format", "enum", "minimum", "maximum", "maxLength"].contains($0.key)
                }
            }
            listParameters.append([
                "name": .string(field), "in": "query", "required": false,
                "description": .string("Only records whose \(field) equals this (repeat for any of several)."),
                "schema": .object(filterSchema),
            ])
        }

        let base = "/\(collection.name)"
        let item = "\(base)/{id}"
        return [
            base: [
                "get": operation(
                    "list\(type)Records",
                    "A page of \(collection.name) (keyset pagination; never counts unless count=true)",
                    parameters: listParameters,
                    responses: [
                        "200": [
                            "description": "One page.",
                            "content": [
                                "application/json": ["schema": ["$ref": .string("#/components/schemas/\(type)Page")]]
                            ],
                        ],
                        "400": ref("BadRequest"), "403": ref("Forbidden"),
                    ]),
                "post": operation(
                    "create\(type)", "Create with a server id; Idempotency-Key makes a retry return the first answer",
                    parameters: [parameter("IdempotencyKey")], body: schema,
                    responses: [
                        "201": record(
                            "Created.",
                            headers: [
                                "ETag": ["$ref": "#/components/headers/ETag"],
                                "Location": ["$ref": "#/components/headers/Location"],
                            ]),
                        "400": ref("BadRequest"), "403": ref("Forbidden"), "413": ref("PayloadTooLarge"),
                        "422": ref("UnprocessableEntity"),
                    ]),
            ],
            item: [
                "parameters": [parameter("RecordId")],
                "get": operation(
                    "get\(type)", "One record", responses: ["200": record("The record."), "404": ref("NotFound")]),
                "put": operation(
                    "put\(type)",
                    "Replace (If-Match: \"<version>\"), or create with this id (If-None-Match: *; a retry of the same body returns the record)",
                    parameters: [parameter("IfMatch"), parameter("IfNoneMatch")], body: schema,
                    responses: [
                        "200": record("Replaced."), "201": record("Created with the client's id."),
                        "400": ref("BadRequest"), "403": ref("Forbidden"), "404": ref("NotFound"),
                        "409": ref("Conflict"), "412": preconditionFailed, "413": ref("PayloadTooLarge"),
                        "428": ref("PreconditionRequired"),
                    ]),
                "patch": operation(
                    "patch\(type)", "Change the given fields (JSON merge patch: null clears a field)",
                    parameters: [parameter("IfMatch")],
                    body: ["$ref": .string("#/components/schemas/\(type)Patch")],
                    responses: [
                        "200": record("Changed."), "400": ref("BadRequest"), "403": ref("Forbidden"),
                        "404": ref("NotFound"), "412": preconditionFailed, "413": ref("PayloadTooLarge"),
                        "428": ref("PreconditionRequired"),
                    ]),
                "delete": operation(
                    "delete\(type)", "Delete, leaving a tombstone in the change feed (deleting a tombstone is a no-op)",
                    parameters: [parameter("IfMatch")],
                    responses: [
                        "204": ["description": "Deleted."], "400": ref("BadRequest"), "403": ref("Forbidden"),
                        "404": ref("NotFound"), "412": preconditionFailed, "428": ref("PreconditionRequired"),
                    ]),
            ],
            "\(base)/\(APIRoute.changes)": [
                "get": operation(
                    "list\(type)Changes", "Records and tombstones written since a cursor, in server sequence order",
                    parameters: [parameter("Since"), parameter("ChangesLimit")],
                    responses: [
                        "200": [
                            "description": "One page of changes.",
                            "content": [
                                "application/json": [
                                    "schema": ["$ref": .string("#/components/schemas/\(type)ChangeFeedPage")]
                                ]
                            ],
                        ],
                        "400": ref("BadRequest"), "403": ref("Forbidden"),
                    ])
            ],
            "\(base)/\(APIRoute.batch)": [
                "post": operation(
                    "batch\(type)",
                    "Many writes in order, each whole or not at all, one result each (the single request's status)",
                    parameters: [parameter("IdempotencyKey")],
                    body: ["$ref": .string("#/components/schemas/\(type)BatchRequest")],
                    responses: [
                        "200": [
                            "description": "One result per operation.",
                            "content": [
                                "application/json": [
                                    "schema": ["$ref": .string("#/components/schemas/\(type)BatchResponse")]
                                ]
                            ],
                        ],
                        "400": ref("BadRequest"), "413": ref("PayloadTooLarge"), "422": ref("UnprocessableEntity"),
                    ])
            ],
        ]
    }

    private var integration: JSONValue {
        let region = userPoolARN?.split(separator: ":").dropFirst(3).first.map(String.init) ?? "${AWS::Region}"
        return [
            "type": "aws_proxy",
            "httpMethod": "POST",
            "uri": .string(
                "arn:aws:apigateway:\(region):lambda:path/2015-03-31/functions/"
                    + "arn:aws:lambda:\(region):000000000000:function:\(Self.functionName)/invocations"),
            "passthroughBehavior": "when_no_match",
        ]
    }

    // MARK: Components

    private func generatedSchemas(for collection: CollectionDefinition, schema: JSONValue?) -> [String: JSONValue] {
        let type = collection.schemaName
        let recordRef: JSONValue = ["$ref": .string("#/components/schemas/\(type)")]
        // The patch schema: the writable properties, none required, optional ones nullable (null clears).
        var patchProperties: [String: JSONValue] = [:]
        for (name, property) in schema?["properties"]?.objectValue ?? [:]
        where !RecordField.serverManaged.contains(name) {
            var property = property.objectValue ?? [:]
            if !collection.required.contains(name) { property["nullable"] = true }
            patchProperties[name] = .object(property)
        }
        return [
            "\(type)Page": [
                "type": "object",
                "required": ["items"],
                "properties": [
                    "items": ["type": "array", "items": recordRef],
                    "nextCursor": [
                        "type": "string", "nullable": true,
                        "description": "Pass back as cursor for the next page; null on the last page.",
                    ],
                    "count": [
                        "type": "integer", "minimum": 0,
                        "description": "How many records match, over every page; only with count=true.",
                    ],
                ],
            ],
            "\(type)Patch": [
                "type": "object",
                "additionalProperties": .bool(collection.allowsUnknownFields),
                "properties": .object(patchProperties),
            ],
            "\(type)ChangeFeedPage": [
                "type": "object",
                "required": ["items", "cursor", "hasMore"],
                "properties": [
                    "items": [
                        "type": "array",
                        "items": ["anyOf": [recordRef, ["$ref": "#/components/schemas/Tombstone"]]],
                    ],
                    "cursor": ["type": "string", "description": "Pass as since next time."],
                    "hasMore": ["type": "boolean"],
                ],
            ],
            "\(type)BatchRequest": [
                "type": "object",
                "required": ["operations"],
                "properties": [
                    "operations": [
                        "type": "array",
                        "maxItems": .number(Double(limits.maximumBatchOperations)),
                        "items": [
                            "type": "object",
                            "required": ["op"],
                            "properties": [
                                "op": ["type": "string", "enum": ["create", "replace", "patch", "delete"]],
                                "id": ["type": "string", "description": "Required except for create (a server id)."],
                                "ifMatch": [
                                    "type": "integer",
                                    "description": "The version last seen; required for replace, patch, delete.",
                                ],
                                "body": ["$ref": .string("#/components/schemas/\(type)Patch")],
                            ],
                        ],
                    ]
                ],
            ],
            "\(type)BatchResponse": [
                "type": "object",
                "required": ["results"],
                "properties": [
                    "results": [
                        "type": "array",
                        "items": [
                            "type": "object",
                            "required": ["status"],
                            "properties": [
                                "status": ["type": "integer", "description": "What the single request would answer."],
                                "record": ["anyOf": [recordRef, ["$ref": "#/components/schemas/Tombstone"]]],
                                "error": ["$ref": "#/components/schemas/Error"],
                            ],
                        ],
                    ]
                ],
            ],
        ]
    }

    static let errorSchema: JSONValue = [
        "type": "object",
        "required": ["message"],
        "properties": [
            "message": ["type": "string"],
            "fields": [
                "type": "object",
                "additionalProperties": ["type": "string"],
                "description": "A message per invalid field.",
            ],
        ],
    ]

    static let tombstoneSchema: JSONValue = [
        "type": "object",
        "required": ["id", "version", "updatedAt", "owner", "deleted"],
        "additionalProperties": false,
        "properties": [
            "id": ["type": "string"],
            "version": ["type": "integer", "minimum": 1],
            "updatedAt": ["type": "string", "format": "date-time"],
            "owner": ["type": "string"],
            "deleted": ["type": "boolean", "enum": [true]],
        ],
    ]

    private var sharedParameters: [String: JSONValue] {
        [
            "Limit": [
                "name": "limit", "in": "query", "required": false, "description": "Page size.",
                "schema": [
                    "type": "integer", "minimum": 1, "maximum": .number(Double(limits.maximumPageSize)),
                    "default": .number(Double(limits.defaultPageSize)),
                ],
            ],
            "Cursor": [
                "name": "cursor", "in": "query", "required": false,
                "description": "The nextCursor of the previous page (opaque; only valid with the same sort and order).",
                "schema": ["type": "string"],
            ],
            "Order": [
                "name": "order", "in": "query", "required": false,
                "schema": ["type": "string", "enum": ["asc", "desc"], "default": "asc"],
            ],
            "Search": [
                "name": "q", "in": "query", "required": false,
                "description": "Words that must all occur (as word prefixes) in the record's text fields.",
                "schema": ["type": "string"],
            ],
            "Count": [
                "name": "count", "in": "query", "required": false,
                "description": "Also return how many records match (costs a count).",
                "schema": ["type": "boolean", "default": false],
            ],
            "Since": [
                "name": "since", "in": "query", "required": false,
                "description": "The cursor of the previous change feed page; absent to start from the beginning.",
                "schema": ["type": "string"],
            ],
            "ChangesLimit": [
                "name": "limit", "in": "query", "required": false, "description": "Page size.",
                "schema": [
                    "type": "integer", "minimum": 1, "maximum": .number(Double(limits.maximumChangesPageSize)),
                    "default": .number(Double(limits.defaultChangesPageSize)),
                ],
            ],
            "RecordId": [
                "name": "id", "in": "path", "required": true,
                "description": "Letters, digits, '-', '_', '.', ':' (up to 128; a UUID when created offline).",
                "schema": ["type": "string", "pattern": #"^[A-Za-z0-9.:-][A-Za-z0-9._:-]{0,127}$"#],
            ],
            "IfMatch": [
                "name": "If-Match", "in": "header", "required": false,
                "description": "The ETag of the version being changed (\"<version>\"), or * for any live version.",
                "schema": ["type": "string", "pattern": #"^(\*|(W/)?"[0-9]{1,9}")$"#],
            ],
            "IfNoneMatch": [
                "name": "If-None-Match", "in": "header", "required": false,
                "description": "* to create with the id in the path.",
                "schema": ["type": "string", "enum": ["*"]],
            ],
            "IdempotencyKey": [
                "name": "Idempotency-Key", "in": "header", "required": false,
                "description": "Makes a retry return the first answer (kept 24 hours); reused with another body: 422.",
                "schema": ["type": "string", "pattern": #"^[!-~]{1,255}$"#],
            ],
        ]
    }

    static let sharedHeaders: [String: JSONValue] = [
        "ETag": ["description": "\"<version>\" of the record.", "schema": ["type": "string"]],
        "Location": ["description": "The new record's path.", "schema": ["type": "string"]],
    ]

    static let sharedResponses: [String: JSONValue] = {
        func error(_ description: String) -> JSONValue {
            [
                "description": .string(description),
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
            ]
        }
        return [
            "BadRequest": error("Invalid parameters, headers or body; fields has a message per invalid field."),
            "Unauthorized": error("Missing, invalid or expired ID token."),
            "Forbidden": error("No access rule grants this operation."),
            "NotFound": error("No such collection or record (or one the caller may not see)."),
            "Conflict": error("The id belongs to a record the caller may not see."),
            "PayloadTooLarge": error("The body is over the configured limit."),
            "UnprocessableEntity": error("The Idempotency-Key was used with a different request."),
            "PreconditionRequired": error("If-Match is required."),
            "TooManyRequests": error("Throttled (token bucket: rate and burst)."),
        ]
    }()

    static let gatewayResponses: JSONValue = {
        func response(_ status: String) -> JSONValue {
            [
                "statusCode": .string(status),
                "responseTemplates": ["application/json": "{\"message\":$context.error.messageString}"],
            ]
        }
        return [
            "UNAUTHORIZED": response("401"),
            "EXPIRED_TOKEN": response("401"),
            "ACCESS_DENIED": response("403"),
            "RESOURCE_NOT_FOUND": response("404"),
            "REQUEST_TOO_LARGE": response("413"),
            "THROTTLED": response("429"),
            "BAD_REQUEST_BODY": response("400"),
            "BAD_REQUEST_PARAMETERS": response("400"),
        ]
    }()
}
