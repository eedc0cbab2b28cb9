import HandsetWire

/// The demo team app's users and records. Ids are chosen so that each user's records list in a useful order:
/// alice's first task is "Draft release notes".
enum DemoData {
    /// A file stored for the demo, as if uploaded to a record's attachment field.
    struct Attachment: Sendable {
        var key: String
        var contentType: String
        var text: String
    }

    /// alice's task-0005 has a real attachment, so the demo shows downloading one (a key with no object behind it
    /// answered 403).
    static let screenshotChecklist = Attachment(
        key: "tasks/task-0005/attachment/demo0000000000000001/screenshot-checklist.txt", contentType: "text/plain",
        text: """
            App store screenshots for 2.0
            - iPhone 6.7" and 5.5", iPad 12.9": list, detail, offline banner, inbox
            - Dark and light theme
            - No real customer data in any shot

            """)

    struct Account: Sendable {
        var user: DemoUser
        var projects: [(id: String, body: [String: JSONValue])]
        var tasks: [(id: String, body: [String: JSONValue])]
    }

    static let alice = Account(
        user: DemoUser(
            username: "alice", password: "Wonderland-42!", email: "alice@example.com",
            covers: "3 projects and 12 tasks (the first is \"Draft release notes\")"),
        projects: [
            (
                "project-0001",
                [
                    "name": "Mobile app 2.0", "status": "active",
                    "description": "The offline-first rewrite of the mobile app, shipping before the holidays.",
                ]
            ),
            (
                "project-0002",
                [
                    "name": "Website refresh", "status": "paused",
                    "description": "New landing pages and pricing; paused until the brand guide is final.",
                ]
            ),
            ("project-0003", ["name": "Legacy API sunset", "status": "archived"]),
        ],
        tasks: [
            (
                "task-0001",
                [
                    "title": "Draft release notes", "status": "doing", "priority": 2, "due": "2026-12-04",
                    "assignee": "alice@example.com", "project": "project-0001",
                    "notes": "Cover offline editing, the new inbox and the sync progress bar.",
                ]
            ),
            (
                "task-0002",
                [
                    "title": "Fix crash when the inbox is empty", "status": "todo", "priority": 1, "due": "2026-11-30",
                    "assignee": "bob@example.com", "project": "project-0001",
                ]
            ),
            (
                "task-0003",
                [
                    "title": "Review onboarding copy", "status": "done", "priority": 3, "project": "project-0001",
                ]
            ),
            (
                "task-0004",
                [
                    "title": "Plan Q1 roadmap", "status": "todo", "priority": 2, "due": "2026-12-15",
                    "notes": "Collect input from support and sales first.",
                ]
            ),
            (
                "task-0005",
                [
                    "title": "Update app store screenshots", "status": "doing", "priority": 3, "due": "2026-12-08",
                    "project": "project-0001", "attachment": .string(screenshotChecklist.key),
                ]
            ),
            (
                "task-0006",
                [
                    "title": "Write offline sync tests", "status": "todo", "priority": 2,
                    "assignee": "alice@example.com", "project": "project-0001",
                ]
            ),
            ("task-0007", ["title": "Triage customer feedback", "status": "done", "priority": 4]),
            (
                "task-0008",
                [
                    "title": "Renew TLS certificates", "status": "todo", "priority": 1, "due": "2026-12-01",
                    "notes": "The wildcard certificate expires on December 3rd.",
                ]
            ),
            (
                "task-0009",
                [
                    "title": "Choose hero images for the landing page", "status": "todo", "priority": 4,
                    "project": "project-0002",
                ]
            ),
            (
                "task-0010",
                [
                    "title": "Interview backend candidate", "status": "doing", "priority": 3, "due": "2026-12-02",
                    "assignee": "alice@example.com",
                ]
            ),
            (
                "task-0011",
                [
                    "title": "Turn off the v1 endpoints", "status": "done", "priority": 2, "project": "project-0003",
                ]
            ),
            ("task-0012", ["title": "Archive old design files", "status": "todo", "priority": 5]),
        ])

    static let bob = Account(
        user: DemoUser(
            username: "bob", password: "Builder-42!", email: "bob@example.com",
            covers: "1 project and 4 tasks (titles start with \"Bob:\"); never sees alice's records"),
        projects: [
            (
                "project-0004",
                [
                    "name": "Build pipeline", "status": "active",
                    "description": "Faster, greener CI for every repository.",
                ]
            )
        ],
        tasks: [
            (
                "task-0013",
                [
                    "title": "Bob: fix the build", "status": "doing", "priority": 1, "due": "2026-11-28",
                    "project": "project-0004",
                ]
            ),
            (
                "task-0014",
                [
                    "title": "Bob: update dependencies", "status": "todo", "priority": 3, "project": "project-0004",
                ]
            ),
            ("task-0015", ["title": "Bob: write the deployment guide", "status": "todo", "priority": 4]),
            (
                "task-0016",
                [
                    "title": "Bob: clean up old branches", "status": "done", "priority": 5,
                    "assignee": "bob@example.com",
                ]
            ),
        ])

    /// TOTP (SOFTWARE_TOKEN_MFA) with a fixed secret, so that any authenticator app or `oathtool` gives codes.
    static let tinaTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    static let tina = Account(
        user: DemoUser(
            username: "tina", password: "Authenticator-42!", email: "tina@example.com",
            covers: "TOTP MFA with secret \(tinaTOTPSecret) (oathtool --totp -b \(tinaTOTPSecret)); "
                + "in group admins"),
        projects: [], tasks: [])

    static let emma = Account(
        user: DemoUser(
            username: "emma", password: "Envelope-42!", email: "emma@example.com",
            covers: "email OTP MFA: the code goes to the mailbox (handset-cloud mailbox)"),
        projects: [], tasks: [])

    static let sam = Account(
        user: DemoUser(
            username: "sam", password: "Messenger-42!", email: "sam@example.com",
            covers: "SMS MFA to +15555550123: the code goes to the mailbox (handset-cloud mailbox)"),
        projects: [], tasks: [])

    static let nora = Account(
        user: DemoUser(
            username: "nora", password: "Temporary-42!", email: "nora@example.com",
            covers: "temporary password: the first sign-in must choose a new one (NEW_PASSWORD_REQUIRED)"),
        projects: [], tasks: [])

    static let accounts = [alice, bob, tina, emma, sam, nora]
}
