<?php
// The database connection, from the environment (as a deployment would set it).
function db(): mysqli {
    static $db = null;
    if ($db === null) {
        mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
        $db = new mysqli(
            getenv('DB_HOST') ?: 'localhost', getenv('DB_USER') ?: 'root', getenv('DB_PASSWORD') ?: '',
            getenv('DB_NAME') ?: 'helpdesk', (int)(getenv('DB_PORT') ?: 3306), getenv('DB_SOCKET') ?: null);
        $db->set_charset('utf8mb4');
    }
    return $db;
}

function h(?string $text): string {
    return htmlspecialchars($text ?? '', ENT_QUOTES, 'UTF-8');
}

function page(string $title, string $body): void {
    header('Content-Type: text/html; charset=utf-8');
    echo "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>", h($title), "</title></head>\n<body>\n";
    echo "<p><a href=\"/index.php\">Tickets</a> · <a href=\"/new.php\">New ticket</a></p>\n";
    echo "<h1>", h($title), "</h1>\n", $body, "\n</body></html>\n";
}

const STATUSES = ['open', 'pending', 'closed'];
const LABELS = ['bug', 'billing', 'urgent'];

// The ticket fields a form posts, checked as the old application always did.
function ticket_from_post(): array {
    $status = $_POST['status'] ?? 'open';
    if (!in_array($status, STATUSES, true)) { $status = 'open'; }
    $labels = array_values(array_intersect(LABELS, (array)($_POST['labels'] ?? [])));
    $due = trim($_POST['due'] ?? '');
    return [
        'subject' => trim($_POST['subject'] ?? ''),
        'body' => ($_POST['body'] ?? '') === '' ? null : $_POST['body'],
        'status' => $status,
        'labels' => implode(',', $labels),
        'urgent' => isset($_POST['urgent']) ? 1 : 0,
        'price' => is_numeric($_POST['price'] ?? '') ? $_POST['price'] : '0.00',
        'due' => preg_match('/^\d{4}-\d{2}-\d{2}$/', $due) ? $due : '0000-00-00',
    ];
}
