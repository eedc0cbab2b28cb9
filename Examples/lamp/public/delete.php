<?php
require __DIR__ . '/db.php';

$id = (int)($_POST['id'] ?? 0);
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    http_response_code(405);
    exit;
}
$statement = db()->prepare("DELETE FROM tickets WHERE ticket_id = ?");
$statement->bind_param('i', $id);
$statement->execute();
header('Location: /index.php', true, 303);
