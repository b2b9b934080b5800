"""What every script that drives a built server from outside shares: a `clippings serve` on a free port
(a fresh SQLite database in a temporary folder, a kept one, or PostgreSQL archive arguments), readiness by
GET /health, start/stop/kill/restart, an HTTP request helper, a raw-socket exchange for requests no client
library would send, and the check that an answer is an RFC 9457 problem document.

    with ServedArchive(binary, "--api-token", "t") as server:
        status, headers, body = server.get("/articles")
        exchange = server.raw(b"GARBAGE\\r\\n\\r\\n")
"""
import gzip
import http.client
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import NamedTuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "seeds")
HOST = "127.0.0.1"


def free_port():
    """A port nothing listens on now (the kernel's choice for an ephemeral bind)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def port_accepts(port, timeout=1.0):
    """Whether a TCP connection to the port succeeds."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def file_tail(path, lines=5):
    """The last lines of a log, joined on one line for a report."""
    try:
        with open(path, "rb") as log:
            text = log.read().decode("utf-8", "replace")
    except OSError:
        return "(no log)"
    return " | ".join(text.strip().splitlines()[-lines:]) or "(empty log)"


# ---------------------------------------------------------------------------------------------------
# HTTP


class NotSent(ConnectionRefusedError):
    """The connection was refused: the request never reached a server (so a write certainly did not happen)."""


class Response(NamedTuple):
    """An answer: `status, headers, body = response` also works. Header names are lower-case; repeated
    fields are joined with ", "."""
    status: int
    headers: dict
    body: bytes

    def header(self, name, default=""):
        return self.headers.get(name.lower(), default)

    def json(self):
        return json.loads(self.body)

    def brief(self, length=300):
        return f"{self.status} {self.header('content-type')} {self.body[:length].decode('utf-8', 'replace')}"


def joined_headers(pairs):
    headers = {}
    for name, value in pairs:
        name = name.lower()
        headers[name] = headers[name] + ", " + value if name in headers else value
    return headers


def request(port, method, path, body=None, headers=None, timeout=10.0, decode=True):
    """One request on its own connection, the whole answer read; a gzip body is decoded unless `decode` is
    False. NotSent when the connection is refused."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        try:
            connection.connect()
        except ConnectionRefusedError as error:
            raise NotSent(str(error)) from None
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        data = answer.read()
        fields = joined_headers(answer.getheaders())
        if decode and fields.get("content-encoding") == "gzip":
            data = gzip.decompress(data)
        return Response(answer.status, fields, data)
    finally:
        connection.close()


def problem_issue(response, retry_after=False):
    """None when the answer is an RFC 9457 problem document (application/problem+json, a JSON object whose
    status is the answer's, with a title and, if given, a string type; Retry-After when asked), else what
    is wrong with it."""
    content_type = response.header("content-type")
    if content_type.split(";")[0].strip().lower() != "application/problem+json":
        return f"Content-Type {content_type or 'missing'}"
    try:
        document = json.loads(response.body)
    except ValueError:
        return "problem body is not JSON"
    if not isinstance(document, dict):
        return "problem body is not a JSON object"
    if document.get("status") != response.status:
        return f"problem status {document.get('status')} differs from {response.status}"
    if not isinstance(document.get("title"), str) or not isinstance(document.get("type", ""), str):
        return "problem without a title or with a type that is not a string"
    if retry_after and not response.header("retry-after"):
        return "no Retry-After header"
    return None


# ---------------------------------------------------------------------------------------------------
# Raw sockets: for requests no client library would send, and to see how a connection ends


def decode_chunked(data):
    """The body of a chunked message, or None while it is incomplete; ValueError when malformed."""
    body, position = b"", 0
    while True:
        end = data.find(b"\r\n", position)
        if end < 0:
            return None
        size = int(data[position:end].split(b";")[0].strip(), 16)
        position = end + 2
        if size == 0:
            return body  # trailers are not read
        if len(data) < position + size + 2:
            return None
        body += data[position:position + size]
        position += size + 2


def parse_response(data, eof=False):
    """The response in `data` once it is complete, else None; ValueError when it is not HTTP."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = data[:end].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ValueError(f"not an HTTP status line: {lines[0][:60]!r}")
    status = int(parts[1])
    headers = joined_headers((name.strip(), value.strip()) for name, _, value in
                             (line.partition(":") for line in lines[1:]))
    rest = data[end + 4:]
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = decode_chunked(rest)
        if body is None:
            return None
    elif "content-length" in headers:
        length = int(headers["content-length"].split(",")[0])
        if len(rest) < length:
            return None
        body = rest[:length]
    elif status < 200 or status in (204, 304):
        body = b""
    elif eof:
        body = rest
    else:
        return None
    return Response(status, headers, body)


class Exchange:
    """What came back on a raw connection: the response (None if none arrived whole), how the connection
    ended ("closed", "reset", or None while still open) and the raw bytes received."""

    def __init__(self, response, ended, raw):
        self.response = response
        self.ended = ended
        self.raw = raw

    def describe(self):
        if self.response is not None:
            return str(self.response.status) + (f" then {self.ended}" if self.ended else "")
        if self.raw:
            return f"partial response ({len(self.raw)} bytes) then {self.ended}"
        return self.ended or "nothing"


def read_response(sock, timeout, data=b""):
    """Reads one response from `sock` (after the bytes already in `data`); raises socket.timeout when
    neither it nor a close arrives in time."""
    deadline = time.monotonic() + timeout
    ended = None
    while ended is None:
        response = parse_response(data)
        if response is not None:
            return Exchange(response, None, data)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout(f"no complete response within {timeout:g} s ({len(data)} bytes received)")
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            ended = "reset"
            break
        if chunk:
            data += chunk
        else:
            ended = "closed"
    try:
        response = parse_response(data, eof=True)
    except ValueError:
        response = None
    return Exchange(response, ended, data)


def connection_ends(sock, wait):
    """How the server ends the connection within `wait` seconds: "closed", "reset", or None (still open)."""
    readable, _, _ = select.select([sock], [], [], wait)
    if not readable:
        return None
    try:
        return "closed" if sock.recv(65536) == b"" else None
    except ConnectionResetError:
        return "reset"
    except OSError:
        return "closed"


def raw_exchange(port, payload, timeout=5.0, linger=0.0):
    """Sends raw bytes on a new connection and reads one response; with `linger`, then waits that long
    to learn whether the server closes the connection."""
    sock = socket.create_connection((HOST, port), timeout=timeout)
    try:
        try:
            sock.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading all of it; read what it said
        exchange = read_response(sock, timeout)
        if exchange.ended is None and linger > 0:
            exchange.ended = connection_ends(sock, linger)
        return exchange
    finally:
        sock.close()


# ---------------------------------------------------------------------------------------------------
# Processes


class Service:
    """A child process that serves HTTP on `port`: ready once GET `ready_path` answers 200. Its output is
    appended to `log_path`. Subclasses say how its command is made (`command`) and may pick a new port at
    each start (`choose_port`)."""

    def __init__(self, command=None, port=None, ready_path="/health", log_path=None, cwd=None, preexec_fn=None,
                 wait=60.0, name="server"):
        self.fixed_command = command
        self.port = port
        self.ready_path = ready_path
        self.log_path = log_path
        self.cwd = cwd
        self.preexec_fn = preexec_fn
        self.wait_seconds = wait
        self.name = name
        self.process = None

    def command(self):
        return self.fixed_command

    def choose_port(self):
        return self.port

    @property
    def base(self):
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self):
        return self.process.pid

    def launch(self):
        """Spawns the process without waiting for it to answer."""
        self.port = self.choose_port()
        with open(self.log_path or os.devnull, "ab") as log:
            self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, cwd=self.cwd, preexec_fn=self.preexec_fn)
        return self

    def start(self):
        """Spawns the process and waits for `ready_path` to answer 200; RuntimeError (the process stopped)
        otherwise."""
        self.launch()
        deadline = time.monotonic() + self.wait_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.describe_exit()} while starting: "
                                   f"{self.log_tail()}")
            try:
                if request(self.port, "GET", self.ready_path, timeout=1.0).status == 200:
                    return self
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"{self.name}: GET {self.ready_path} did not answer 200 within {self.wait_seconds:.0f} s: "
                           f"{self.log_tail()}")

    def restart(self):
        """Starts it again (after a stop or a kill), on a new port if the subclass picks one."""
        self.stop()
        return self.start()

    def running(self):
        return self.process is not None and self.process.poll() is None

    def wait(self, timeout):
        """The exit status, or None if the process is still running after `timeout` seconds."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def terminate(self, timeout):
        """SIGTERM, then the exit status (None if still running after `timeout` seconds)."""
        if self.running():
            self.process.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def stop(self, timeout=15.0):
        """SIGTERM (the graceful shutdown), SIGKILL if it does not end within `timeout` seconds; the exit
        status (negative: the signal that ended it)."""
        if self.process is None:
            return None
        if self.terminate(timeout) is None:
            self.kill()
        return self.process.returncode

    def kill(self):
        """SIGKILL, as a crash would."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()

    def describe_exit(self):
        status = self.process.returncode
        return f"status {status}" if status is None or status >= 0 else f"signal {signal.Signals(-status).name}"

    def log_tail(self, lines=5):
        return file_tail(self.log_path, lines) if self.log_path else "(no log)"

    def close(self):
        self.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exception):
        self.close()

    # Requests to this server

    def request(self, method, path, body=None, headers=None, timeout=10.0, decode=True):
        return request(self.port, method, path, body, headers, timeout, decode)

    def get(self, path, headers=None, timeout=10.0):
        return self.request("GET", path, headers=headers, timeout=timeout)

    def raw(self, payload, timeout=5.0, linger=0.0):
        return raw_exchange(self.port, payload, timeout, linger)

    def wire_size(self, path):
        """The bytes a gzip-accepting client receives for `path`."""
        return len(self.request("GET", path, headers={"Accept-Encoding": "gzip"}, decode=False).body)


class ServedArchive(Service):
    """`BINARY serve` on a free loopback port (a new one at each start), over one of:
      - a fresh SQLite database in a temporary folder, the seeds imported (`seeds=False`: empty);
      - `database`, a SQLite file that is kept (no seeds);
      - `archive`, other archive arguments (`--database-url URL --read-database-url URL`), no seeds.
    The log goes to `log_path` or the temporary folder's server.log; the folder goes when the server does
    (`close`, or leaving the `with` block)."""

    def __init__(self, binary, *arguments, database=None, seeds=True, archive=None, log_path=None,
                 preexec_fn=None, ready_path="/health", wait=60.0):
        self.folder = tempfile.mkdtemp(prefix="clippings-")
        super().__init__(ready_path=ready_path, log_path=log_path or os.path.join(self.folder, "server.log"),
                         cwd=self.folder, preexec_fn=preexec_fn, wait=wait, name="clippings serve")
        self.binary = os.path.abspath(binary)
        self.arguments = list(arguments)
        if archive:
            self.database, self.archive = None, list(archive) + ["--no-seeds"]
        elif database:
            self.database, self.archive = database, ["--db", database, "--no-seeds"]
        else:
            self.database = os.path.join(self.folder, "clippings.sqlite")
            self.archive = ["--db", self.database] + (["--seeds", SEEDS] if seeds else ["--no-seeds"])

    def command(self):
        return [self.binary, "serve", "--port", str(self.port), *self.archive, *self.arguments]

    def choose_port(self):
        return free_port()

    def close(self, kill=False):
        """Stops the server (SIGTERM, or SIGKILL with `kill`) and removes its temporary folder."""
        self.kill() if kill else self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exception):
        self.close()
