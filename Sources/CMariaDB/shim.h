#ifndef HANDSET_CMARIADB_SHIM_H
#define HANDSET_CMARIADB_SHIM_H
// MariaDB Connector/C 3.3 (Debian's libmariadb-dev).
#include <mariadb/mysql.h>
#include <mariadb/errmsg.h>
#include <mariadb/mysqld_error.h>
#include <poll.h>
#include <stddef.h>

// mysql_library_init is a macro; Swift sees only functions.
static inline int handset_mysql_library_init(void) {
    return mysql_library_init(0, NULL, NULL);
}

// True when the socket of an idle connection has something to read or was closed by the peer: an idle connection
// has no answer pending, so anything readable is the server's goodbye (KILL, shutdown, timeout).
static inline int handset_socket_closed_or_readable(int fd) {
    struct pollfd p = { .fd = fd, .events = POLLIN | POLLPRI, .revents = 0 };
    int n = poll(&p, 1, 0);
    if (n < 0) return 1;
    return n > 0 && (p.revents & (POLLIN | POLLPRI | POLLHUP | POLLERR | POLLNVAL)) != 0;
}
#endif
