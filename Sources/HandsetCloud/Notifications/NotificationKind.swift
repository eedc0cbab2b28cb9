/// What raised a notification (`InboxItem.kind`).
enum NotificationKind: String, Sendable {
    case topic
    case assigned = "record.assigned"
    case changed = "record.changed"
    case conflict
    case direct
}
