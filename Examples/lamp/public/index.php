<?php
require __DIR__ . '/db.php';

$rows = db()->query(
    "SELECT t.ticket_id, t.subject, t.status, t.labels, t.urgent, t.price, t.due, c.name
     FROM tickets t JOIN customers c ON c.customer_id = t.customer_id ORDER BY t.ticket_id");
$html = "<table border=\"1\">\n<tr><th>#</th><th>Subject</th><th>Customer</th><th>Status</th><th>Labels</th>"
    . "<th>Urgent</th><th>Price</th><th>Due</th></tr>\n";
foreach ($rows as $row) {
    $html .= sprintf(
        "<tr id=\"ticket-%d\"><td>%d</td><td><a href=\"/ticket.php?id=%d\">%s</a></td><td>%s</td>"
        . "<td class=\"status\">%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
        $row['ticket_id'], $row['ticket_id'], $row['ticket_id'], h($row['subject']), h($row['name']),
        h($row['status']), h($row['labels']), $row['urgent'] ? 'yes' : 'no', h($row['price']),
        $row['due'] === '0000-00-00' ? '—' : h($row['due']));
}
page('Tickets', $html . "</table>");
