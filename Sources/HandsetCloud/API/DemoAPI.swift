/// The demo "team app" API: projects and tasks, each owner-only.
enum DemoAPI {
    /// An OpenAPI 3.0.3 document. Every component schema with `x-handset-collection` is a collection the cloud
    /// serves, so adding a schema (and its paths) adds a collection.
    static let document = #"""
        {
          "openapi": "3.0.3",
          "info": {
            "title": "Handset demo team app",
            "version": "1.0.0",
            "description": "The REST API of the Handset demo: projects and tasks, each visible to its owner only. Served by handset-cloud at <api>/openapi.json; the client builds its screens from the schemas."
          },
          "servers": [
            {
              "url": "/api"
            }
          ],
          "tags": [
            {
              "name": "tasks",
              "description": "Things to do, with status, priority, due date and an attachment"
            },
            {
              "name": "projects",
              "description": "Groups of tasks"
            }
          ],
          "security": [
            {
              "CognitoUserPool": []
            }
          ],
          "paths": {
            "/projects": {
              "get": {
                "operationId": "listProjects",
                "summary": "List the caller's projects",
                "tags": [
                  "projects"
                ],
                "security": [
                  {
                    "CognitoUserPool": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/Limit"
                  },
                  {
                    "$ref": "#/components/parameters/Cursor"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "One page of the caller's records, in id order.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ProjectPage"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  }
                }
              }
            },
            "/tasks": {
              "get": {
                "operationId": "listTasks",
                "summary": "List the caller's tasks",
                "tags": [
                  "tasks"
                ],
                "security": [
                  {
                    "CognitoUserPool": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/Limit"
                  },
                  {
                    "$ref": "#/components/parameters/Cursor"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "One page of the caller's records, in id order.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/TaskPage"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  }
                }
              }
            }
          },
          "components": {
            "securitySchemes": {
              "CognitoUserPool": {
                "type": "apiKey",
                "name": "Authorization",
                "in": "header",
                "description": "The raw Cognito ID token (API Gateway's Cognito user pool authorizer).",
                "x-amazon-apigateway-authtype": "cognito_user_pools"
              }
            },
            "parameters": {
              "Limit": {
                "name": "limit",
                "in": "query",
                "required": false,
                "description": "Page size.",
                "schema": {
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 500,
                  "default": 50
                }
              },
              "Cursor": {
                "name": "cursor",
                "in": "query",
                "required": false,
                "description": "The nextCursor of the previous page (opaque).",
                "schema": {
                  "type": "string"
                }
              }
            },
            "responses": {
              "BadRequest": {
                "description": "Invalid parameters.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "Unauthorized": {
                "description": "Missing, invalid or expired ID token.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "schemas": {
              "Project": {
                "type": "object",
                "title": "Project",
                "x-handset-collection": "projects",
                "x-handset-title": "name",
                "x-handset-list-columns": [
                  "name",
                  "status",
                  "updatedAt"
                ],
                "x-handset-auth": [
                  {
                    "allow": "owner"
                  }
                ],
                "required": [
                  "name"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "readOnly": true,
                    "description": "Server-assigned or client-chosen id (a UUID when created offline)."
                  },
                  "version": {
                    "type": "integer",
                    "minimum": 1,
                    "readOnly": true,
                    "description": "1 on create, +1 on every write; sent back as ETag."
                  },
                  "updatedAt": {
                    "type": "string",
                    "format": "date-time",
                    "readOnly": true
                  },
                  "owner": {
                    "type": "string",
                    "readOnly": true,
                    "description": "The creator's sub."
                  },
                  "name": {
                    "type": "string",
                    "maxLength": 80
                  },
                  "description": {
                    "type": "string",
                    "maxLength": 2000
                  },
                  "status": {
                    "type": "string",
                    "enum": [
                      "active",
                      "paused",
                      "archived"
                    ]
                  }
                }
              },
              "Task": {
                "type": "object",
                "title": "Task",
                "x-handset-collection": "tasks",
                "x-handset-title": "title",
                "x-handset-list-columns": [
                  "title",
                  "status",
                  "priority",
                  "due"
                ],
                "x-handset-auth": [
                  {
                    "allow": "owner"
                  }
                ],
                "required": [
                  "title",
                  "status"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "readOnly": true,
                    "description": "Server-assigned or client-chosen id (a UUID when created offline)."
                  },
                  "version": {
                    "type": "integer",
                    "minimum": 1,
                    "readOnly": true,
                    "description": "1 on create, +1 on every write; sent back as ETag."
                  },
                  "updatedAt": {
                    "type": "string",
                    "format": "date-time",
                    "readOnly": true
                  },
                  "owner": {
                    "type": "string",
                    "readOnly": true,
                    "description": "The creator's sub."
                  },
                  "title": {
                    "type": "string",
                    "maxLength": 120
                  },
                  "status": {
                    "type": "string",
                    "enum": [
                      "todo",
                      "doing",
                      "done"
                    ]
                  },
                  "priority": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 5
                  },
                  "due": {
                    "type": "string",
                    "format": "date"
                  },
                  "assignee": {
                    "type": "string",
                    "format": "email"
                  },
                  "notes": {
                    "type": "string",
                    "maxLength": 10000
                  },
                  "project": {
                    "type": "string",
                    "description": "The id of a record in projects."
                  },
                  "attachment": {
                    "type": "string",
                    "format": "x-object-key",
                    "description": "Key of an uploaded object."
                  }
                }
              },
              "ProjectPage": {
                "type": "object",
                "required": [
                  "items"
                ],
                "properties": {
                  "items": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Project"
                    }
                  },
                  "nextCursor": {
                    "type": "string",
                    "nullable": true,
                    "description": "Pass back as cursor for the next page; null on the last page."
                  }
                }
              },
              "TaskPage": {
                "type": "object",
                "required": [
                  "items"
                ],
                "properties": {
                  "items": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Task"
                    }
                  },
                  "nextCursor": {
                    "type": "string",
                    "nullable": true,
                    "description": "Pass back as cursor for the next page; null on the last page."
                  }
                }
              },
              "Error": {
                "type": "object",
                "required": [
                  "message"
                ],
                "properties": {
                  "message": {
                    "type": "string"
                  },
                  "fields": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "string"
                    },
                    "description": "A message per invalid field."
                  }
                }
              }
            }
          }
        }
        """#
}
