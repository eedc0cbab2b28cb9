-- The help desk's tables, in the style of a PHP application that has run on MySQL for years: AUTO_INCREMENT keys,
-- latin1 tables with a utf8mb4 column added later, zero dates for "no date", ENUM and SET, TINYINT(1) flags and
-- DECIMAL money. Handset never alters them; `handset-cloud serve --api api.json` only adds triggers.
CREATE TABLE customers (
    customer_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(120) NOT NULL,
    name VARCHAR(80) NOT NULL,
    UNIQUE KEY customers_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE tickets (
    ticket_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer_id INT UNSIGNED NOT NULL,
    subject VARCHAR(100) NOT NULL,
    body TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL,
    status ENUM('open','pending','closed') NOT NULL DEFAULT 'open',
    labels SET('bug','billing','urgent') NOT NULL DEFAULT '',
    urgent TINYINT(1) NOT NULL DEFAULT 0,
    price DECIMAL(10,2) NOT NULL DEFAULT '0.00',
    due DATE NOT NULL DEFAULT '0000-00-00',
    opened_at DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00',
    KEY tickets_customer (customer_id),
    CONSTRAINT tickets_customer FOREIGN KEY (customer_id) REFERENCES customers (customer_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

INSERT INTO customers (email, name) VALUES
    ('alice@example.com', 'Alice Martin'),
    ('bob@example.com', 'Bob Dupré');

INSERT INTO tickets (customer_id, subject, body, status, labels, urgent, price, due, opened_at) VALUES
    (1, 'Printer on fire', 'Smoke from tray 2', 'open', 'bug,urgent', 1, '12.50', '2026-12-01', '2026-11-02 09:30:00'),
    (1, 'Invoice twice', NULL, 'pending', 'billing', 0, '99.99', '0000-00-00', '2026-11-05 14:00:00'),
    (2, 'Café machine', 'Only decaf', 'open', '', 2, '0.00', '0000-00-00', '0000-00-00 00:00:00'),
    (1, 'New badge', NULL, 'closed', '', 0, '5.00', '2026-10-20', '2026-10-19 08:15:00');
