<?php
require __DIR__ . '/db.php';

$id = (int)($_GET['id'] ?? $_POST['id'] ?? 0);
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $t = ticket_from_post();
    $statement = db()->prepare(
        "UPDATE tickets SET subject = ?, body = ?, status = ?, labels = ?, urgent = ?, price = ?, due = ?
         WHERE ticket_id = ?");
    $statement->bind_param(
        'ssssissi', $t['subject'], $t['body'], $t['status'], $t['labels'], $t['urgent'], $t['price'], $t['due'], $id);
    $statement->execute();
    header("Location: /ticket.php?id=$id", true, 303);
    exit;
}
$statement = db()->prepare(
    "SELECT t.*, c.name FROM tickets t JOIN customers c ON c.customer_id = t.customer_id WHERE t.ticket_id = ?");
$statement->bind_param('i', $id);
$statement->execute();
$ticket = $statement->get_result()->fetch_assoc();
if (!$ticket) {
    http_response_code(404);
    page('No such ticket', "<p>Ticket $id does not exist.</p>");
    exit;
}
$options = '';
foreach (STATUSES as $status) {
    $options .= sprintf("<option%s>%s</option>", $status === $ticket['status'] ? ' selected' : '', $status);
}
$labels = '';
$chosen = $ticket['labels'] === '' ? [] : explode(',', $ticket['labels']);
foreach (LABELS as $label) {
    $labels .= sprintf(
        "<label><input type=\"checkbox\" name=\"labels[]\" value=\"%s\"%s> %s</label> ",
        $label, in_array($label, $chosen, true) ? ' checked' : '', $label);
}
$html = sprintf(
    "<p>Customer: <span id=\"customer\">%s</span> · opened <span id=\"opened\">%s</span></p>\n"
    . "<form method=\"post\" action=\"/ticket.php\"><input type=\"hidden\" name=\"id\" value=\"%d\">\n"
    . "<p>Subject <input name=\"subject\" id=\"subject\" value=\"%s\"></p>\n"
    . "<p>Body <textarea name=\"body\" id=\"body\">%s</textarea></p>\n"
    . "<p>Status <select name=\"status\" id=\"status\">%s</select></p>\n<p>%s</p>\n"
    . "<p><label><input type=\"checkbox\" name=\"urgent\"%s> urgent</label></p>\n"
    . "<p>Price <input name=\"price\" value=\"%s\"> Due <input name=\"due\" value=\"%s\"></p>\n"
    . "<p><button>Save</button></p></form>\n"
    . "<form method=\"post\" action=\"/delete.php\"><input type=\"hidden\" name=\"id\" value=\"%d\">"
    . "<button>Delete</button></form>",
    h($ticket['name']), $ticket['opened_at'] === '0000-00-00 00:00:00' ? '—' : h($ticket['opened_at']),
    $ticket['ticket_id'], h($ticket['subject']), h($ticket['body']), $options, $labels,
    $ticket['urgent'] ? ' checked' : '', h($ticket['price']), $ticket['due'] === '0000-00-00' ? '' : h($ticket['due']),
    $ticket['ticket_id']);
page("Ticket #$id: " . $ticket['subject'], $html);
