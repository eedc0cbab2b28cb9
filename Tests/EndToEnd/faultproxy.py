"""A fault-injecting HTTP/1.1 proxy for end-to-end tests (Python standard library only).

It sits between `handset` and `handset-cloud` and forwards requests one by one; a fault, switched at run time,
applies to the requests whose target contains a given text (e.g. "/_batch") and every other request passes:

| mode | what the client gets |
|---|---|
| `pass` | the server's answer |
| `reset` | the request is forwarded and the server's whole answer read (the server has committed), then the client's connection is reset (RST) without a byte of answer: the lost acknowledgement |
| `close` | the same, but an orderly close (FIN) instead of a reset |
| `stall` | the request is read and never forwarded nor answered; the connection stays open until the proxy stops |
| `html502` | a gateway's HTML error page with 502 (the request is not forwarded) |
| `error500` | API Gateway's `{"message": "Internal server error"}` with 500 (the request is not forwarded) |
| `truncated` | the request is forwarded (the server commits), the answer is 200 with the first half of the server's JSON, correctly framed (Content-Length of the cut body) |
| `wrong_types` | the request is forwarded (the server commits), the answer is 200 with JSON of the wrong shape and types |

Two hooks, `before_forward(request)` and `after_upstream(request, response)`, run in the connection's thread, so
a test can kill the cloud at an exact moment of a sync. When the upstream cannot be reached, the client's
connection is reset (as a direct connection to a dead server would be). Client connections are kept alive like
a real gateway's unless `keep_alive` is False (then every answer closes its connection). Each request upstream
goes on a connection of its own. `log` lists what was done to each request.
"""

import json
import socket
import struct
import threading
import time

MODES = ("pass", "reset", "close", "stall", "html502", "error500", "truncated", "wrong_types")

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade"}

HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)

# Decodes as neither a batch answer (`results` must be an array) nor a change-feed page (`items` an array,
# `cursor` a string, `hasMore` a boolean) nor a record page.
WRONG_TYPES = json.dumps(
    {"results": "all good", "items": {"0": 1}, "cursor": 42, "hasMore": "maybe", "nextCursor": False}
).encode()


class Message:
    """One parsed HTTP/1.1 request or response; `raw_body` keeps the framing (chunks) as received."""

    def __init__(self, start_line, headers, raw_body):
        self.start_line = start_line
        self.headers = headers  # list of (name, value), order kept
        self.raw_body = raw_body

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def method(self):
        return self.start_line.split(" ", 1)[0]

    @property
    def target(self):
        return self.start_line.split(" ")[1]

    @property
    def status(self):
        return int(self.start_line.split(" ")[1])

    def body(self):
        """The body without chunk framing."""
        if (self.header("Transfer-Encoding") or "").lower() != "chunked":
            return self.raw_body
        out, rest = b"", self.raw_body
        while rest:
            line, rest = rest.split(b"\r\n", 1)
            size = int(line.split(b";")[0], 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2:]
        return out

    def encode(self, drop_hop_by_hop=False, extra=()):
        headers = [(k, v) for k, v in self.headers if not (drop_hop_by_hop and k.lower() in HOP_BY_HOP)]
        lines = [self.start_line] + [f"{k}: {v}" for k, v in list(headers) + list(extra)]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.raw_body


def read_message(reader, response_to=None):
    """Reads one message from a buffered socket reader; None at a clean end of stream."""
    start = reader.readline(65537)
    while start in (b"\r\n", b"\n"):
        start = reader.readline(65537)
    if not start:
        return None
    headers = []
    while True:
        line = reader.readline(65537)
        if not line:
            raise ConnectionError("end of stream inside the headers")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    message = Message(start.decode("latin-1").rstrip("\r\n"), headers, b"")
    if response_to is not None:
        status = message.status
        if response_to == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return message
    if (message.header("Transfer-Encoding") or "").lower() == "chunked":
        raw = b""
        while True:
            size_line = reader.readline(65537)
            if not size_line:
                raise ConnectionError("end of stream inside a chunked body")
            raw += size_line
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:  # trailers, then the blank line
                    trailer = reader.readline(65537)
                    raw += trailer
                    if trailer in (b"\r\n", b"\n", b""):
                        break
                break
            chunk = reader.read(size + 2)
            if len(chunk) < size + 2:
                raise ConnectionError("end of stream inside a chunk")
            raw += chunk
        message.raw_body = raw
    elif message.header("Content-Length") is not None:
        length = int(message.header("Content-Length"))
        body = reader.read(length) if length else b""
        if len(body) < length:
            raise ConnectionError("end of stream inside the body")
        message.raw_body = body
    elif response_to is not None:
        message.raw_body = reader.read()  # until the server closes
    return message


def plain_response(status, reason, content_type, body, extra=()):
    head = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {content_type}", f"Content-Length: {len(body)}",
            *[f"{k}: {v}" for k, v in extra]]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def arm_reset(sock):
    """Makes the coming close send a TCP RST instead of a FIN: no answer at all reaches the peer."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass


class FaultProxy:
    """A threaded HTTP/1.1 proxy on 127.0.0.1 in front of `upstream_port`; see the module documentation."""

    def __init__(self, upstream_port, upstream_host="127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self.mode = "pass"
        self.match = None
        self.remaining = None
        self.before_forward = None
        self.after_upstream = None
        # False: every answer says `Connection: close`, so the client opens a fresh connection per request.
        self.keep_alive = True
        self.log = []  # dicts: method, path, action (a mode, or "upstream-down"), status (the server's), time
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections = set()
        self._threads = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    # Control

    def start(self):
        thread = threading.Thread(target=self._accept_loop, name="faultproxy-accept", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self):
        self._stopping.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()
        for thread in list(self._threads):
            thread.join(timeout=5)

    def set_fault(self, mode, match=None, times=None):
        """Applies `mode` to requests whose target contains `match` (all when None), `times` times (None: always)."""
        assert mode in MODES, mode
        with self._lock:
            self.mode, self.match, self.remaining = mode, match, times

    def passthrough(self):
        self.set_fault("pass")

    def requests(self, path_contains="", action=None):
        with self._lock:
            return [entry for entry in self.log
                    if path_contains in entry["path"] and (action is None or entry["action"] == action)]

    def write_outputs(self, cloud_outputs, destination):
        """A copy of the cloud's amplify_outputs.json whose REST API endpoints point at the proxy.

        Cognito (`custom.handset.cognito_endpoint`) stays direct: sign-in and token refresh do not go through the
        proxy. The client takes `custom.handset.api_endpoint` first, else `custom.API.<name>.endpoint`; both are
        rewritten so the copy means the same whichever the client reads.
        """
        outputs = json.loads(open(cloud_outputs).read())
        api_base = f"{self.url}/api"
        custom = outputs.get("custom", {})
        for api in custom.get("API", {}).values():
            api["endpoint"] = api_base
        if "handset" in custom and "api_endpoint" in custom["handset"]:
            custom["handset"]["api_endpoint"] = api_base
        with open(destination, "w") as handle:
            json.dump(outputs, handle, indent=2)
        return destination

    # Serving

    def _accept_loop(self):
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._connections.add(client)
            thread = threading.Thread(target=self._serve, args=(client,), name="faultproxy-conn", daemon=True)
            thread.start()
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _take_fault(self, target):
        with self._lock:
            if self.mode == "pass" or (self.match is not None and self.match not in target):
                return "pass"
            if self.remaining is not None:
                if self.remaining <= 0:
                    return "pass"
                self.remaining -= 1
            return self.mode

    def _record(self, request, action, status=None):
        with self._lock:
            self.log.append({"method": request.method, "path": request.target, "action": action, "status": status,
                             "time": time.monotonic()})

    def _forward(self, request):
        """Sends the request upstream on a fresh connection and reads the whole answer; None if unreachable."""
        try:
            upstream = socket.create_connection(self.upstream, timeout=120)
        except OSError:
            return None
        try:
            upstream.sendall(request.encode(drop_hop_by_hop=True, extra=[("Connection", "close")]))
            with upstream.makefile("rb") as reader:
                return read_message(reader, response_to=request.method)
        except (OSError, ConnectionError):
            return None
        finally:
            upstream.close()

    def _serve(self, client):
        reader = client.makefile("rb")
        try:
            while not self._stopping.is_set():
                try:
                    request = read_message(reader)
                except (OSError, ConnectionError, ValueError):
                    return
                if request is None:
                    return
                if not self._answer(client, request):
                    return
                if (request.header("Connection") or "").lower() == "close":
                    return
        finally:
            with self._lock:
                self._connections.discard(client)
            try:
                reader.close()  # the descriptor closes only once the reader and the socket are both closed
                client.close()
            except OSError:
                pass

    def _answer(self, client, request):
        """Answers one request; False when the client connection is finished."""
        fault = self._take_fault(request.target)
        if fault == "stall":
            self._record(request, "stall")
            self._stopping.wait()
            return False
        close = [] if self.keep_alive else [("Connection", "close")]
        if fault == "html502":
            self._record(request, "html502", 502)
            client.sendall(plain_response(502, "Bad Gateway", "text/html", HTML_502, close))
            return self.keep_alive
        if fault == "error500":
            self._record(request, "error500", 500)
            client.sendall(plain_response(500, "Internal Server Error", "application/json",
                                          b'{"message":"Internal server error"}', close))
            return self.keep_alive

        if self.before_forward:
            self.before_forward(request)
        response = self._forward(request)
        if response is None:
            self._record(request, "upstream-down")
            arm_reset(client)
            return False
        if self.after_upstream:
            self.after_upstream(request, response)
        if fault == "reset":
            self._record(request, "reset", response.status)
            arm_reset(client)
            return False
        if fault == "close":
            self._record(request, "close", response.status)
            client.shutdown(socket.SHUT_RDWR)
            return False
        if fault == "truncated":
            body = response.body()
            cut = body[: max(1, len(body) // 2)]
            self._record(request, "truncated", response.status)
            client.sendall(plain_response(200, "OK", "application/json", cut, close))
            return self.keep_alive
        if fault == "wrong_types":
            self._record(request, "wrong_types", response.status)
            client.sendall(plain_response(200, "OK", "application/json", WRONG_TYPES, close))
            return self.keep_alive
        self._record(request, "pass", response.status)
        client.sendall(response.encode(drop_hop_by_hop=True, extra=close))
        return self.keep_alive
