<?php
require __DIR__ . '/db.php';

if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $t = ticket_from_post();
    $customer = (int)($_POST['customer_id'] ?? 0);
    $statement = db()->prepare(
        "INSERT INTO tickets (customer_id, subject, body, status, labels, urgent, price, due, opened_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW())");
    $statement->bind_param(
        'issssiss', $customer, $t['subject'], $t['body'], $t['status'], $t['labels'], $t['urgent'], $t['price'],
        $t['due']);
    $statement->execute();
    // The key the database gave the row, as every PHP application reads it.
    header('Location: /ticket.php?id=' . db()->insert_id, true, 303);
    exit;
}
$customers = '';
foreach (db()->query("SELECT customer_id, name FROM customers ORDER BY name") as $row) {
    $customers .= sprintf("<option value=\"%d\">%s</option>", $row['customer_id'], h($row['name']));
}
page('New ticket', "<form method=\"post\" action=\"/new.php\">\n"
    . "<p>Customer <select name=\"customer_id\">$customers</select></p>\n"
    . "<p>Subject <input name=\"subject\"></p>\n<p>Body <textarea name=\"body\"></textarea></p>\n"
    . "<p><button>Create</button></p></form>");
