/// The demo "team app" API: tasks and projects (owner-only; tasks also readable by the `managers` group) and
/// announcements (read by every signed-in user, written by the `admins` group). Between them they use every field
/// type and every kind of access rule.
enum DemoAPI {
    /// An OpenAPI 3.0.3 document. Every component schema with `x-handset-collection` is a collection the cloud
    /// serves (adding a schema adds a collection); the cloud generates the paths of every collection's routes.
    static let document = #"""
        {
          "openapi": "3.0.3",
          "info": {
            "title": "Handset demo team app",
            "version": "1.1.0",
            "description": "The REST API of the Handset demo: tasks and projects visible to their owner (tasks also to the managers group), and announcements that every signed-in user reads and the admins group writes. Served by handset-cloud at <api>/openapi.json, completed with every route; the client builds its screens from the schemas."
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
            },
            {
              "name": "announcements",
              "description": "News for the whole team, written by admins"
            }
          ],
          "paths": {},
          "components": {
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
                "additionalProperties": false,
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
                    "minLength": 1,
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
                  },
                  "budget": {
                    "type": "number",
                    "minimum": 0,
                    "description": "In euros."
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
                  },
                  {
                    "allow": "groups",
                    "groups": [
                      "managers"
                    ],
                    "operations": [
                      "read"
                    ]
                  }
                ],
                "required": [
                  "title",
                  "status"
                ],
                "additionalProperties": false,
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
                    "minLength": 1,
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
                    "description": "The id of a record in projects.",
                    "x-handset-ref": "projects"
                  },
                  "estimateHours": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 1000
                  },
                  "flagged": {
                    "type": "boolean"
                  },
                  "link": {
                    "type": "string",
                    "format": "uri",
                    "maxLength": 2000
                  },
                  "remindAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "attachment": {
                    "type": "string",
                    "format": "x-object-key",
                    "description": "Key of an uploaded object."
                  }
                }
              },
              "Announcement": {
                "type": "object",
                "title": "Announcement",
                "x-handset-collection": "announcements",
                "x-handset-title": "title",
                "x-handset-list-columns": [
                  "title",
                  "severity",
                  "publishedAt"
                ],
                "x-handset-auth": [
                  {
                    "allow": "private",
                    "operations": [
                      "read"
                    ]
                  },
                  {
                    "allow": "groups",
                    "groups": [
                      "admins"
                    ]
                  }
                ],
                "required": [
                  "title",
                  "publishedAt"
                ],
                "additionalProperties": false,
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
                    "minLength": 1,
                    "maxLength": 120
                  },
                  "body": {
                    "type": "string",
                    "maxLength": 4000
                  },
                  "severity": {
                    "type": "string",
                    "enum": [
                      "info",
                      "warning",
                      "outage"
                    ]
                  },
                  "publishedAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "pinned": {
                    "type": "boolean"
                  },
                  "link": {
                    "type": "string",
                    "format": "uri",
                    "maxLength": 2000
                  }
                }
              }
            }
          }
        }
        """#
}
