"""Hostile-client and operations checks that need `clippings serve` as a process of its own: slow clients
against its timeouts, malformed bytes on a raw socket, its connection limit, `Expect: 100-continue` on the
wire, a feed reader's parser, another process writing to the served file, kill -9 and SIGTERM, and the
command line. What an in-process server can show is a Swift test (request ids, the access log, metrics,
431 and 414 are in OperationsTests and ReadAPITests).

    python3 -m pytest scripts/test_server.py [--clippings BINARY]

The shared server runs

    BINARY serve --db TMP/clippings.sqlite --port PORT --seeds ROOT/seeds --api-token check-token
        --idle-timeout 2 --body-timeout 3 --max-connections 20 --max-header-bytes 8192
        --max-uri-bytes 2048 --max-query-bytes 1024 --shutdown-timeout 10 --log-level info

  slowloris-head     a request head trickled one byte per 0.5 s is closed within idle-timeout + 3 s,
                     while GET /articles keeps answering in under 1 s
  slowloris-body     a POST body trickled one byte per 0.5 s gets a 408 problem or a close within
                     body-timeout + 3 s
  malformed          each malformed request (bad request lines, lengths, Transfer-Encoding tricks, chunks,
                     invalid UTF-8, NUL, huge numbers, forged cursors) gets a 4xx (problem+json when it has
                     a body) or a close
  max-connections    25 idle connections and a 26th request: it waits for the idle timeout, then is served
  expect-continue    `Expect: 100-continue` gets `100 Continue` at once, then 201 for the body
  feeds              feedparser reads the Atom feed page by page (every article once); a JSON Feed search
                     keeps JSON Feed 1.1's rules
  changes-import     a long poll of /changes wakes when `BINARY import` writes to the served file
  webhook-crash      a server with a subscription is stopped while `BINARY import` commits a match, then
                     killed -9; after a restart the match is delivered once, its HMAC-SHA256 signature valid
  sigterm-inflight   5 POSTs half-sent when SIGTERM arrives all finish with 201; the server exits 0;
                     after a restart on the same database every new article answers 200
  cli                commands refuse a missing archive; import inflates .gz and names what it skips
  copy               `BINARY copy` SQLite -> PostgreSQL (CLIPPINGS_TEST_DATABASE_URL's server) -> SQLite

Each hostile check ends by asking GET /health for a 200.
"""
import datetime
import gzip
import hashlib
import hmac
import http.client
import http.server
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse

import pytest

from harness import HOST, SEEDS, Exchange, ServedArchive, parse_response, port_accepts, problem_issue, \
    read_response, request

TOKEN = "check-token"
IDLE_TIMEOUT = 2
BODY_TIMEOUT = 3
MAX_CONNECTIONS = 20
SHUTDOWN_TIMEOUT = 10
LIMITS = ["--api-token", TOKEN, "--idle-timeout", str(IDLE_TIMEOUT), "--body-timeout", str(BODY_TIMEOUT),
          "--max-connections", str(MAX_CONNECTIONS), "--max-header-bytes", "8192", "--max-uri-bytes", "2048",
          "--max-query-bytes", "1024", "--shutdown-timeout", str(SHUTDOWN_TIMEOUT), "--log-level", "info"]


@pytest.fixture(scope="module")
def server(clippings):
    """One server with the seeds and tight limits, shared by the checks that leave it running."""
    with ServedArchive(clippings, *LIMITS, wait=30) as running:
        yield running


@pytest.fixture
def own_server(clippings):
    """A server of the check's own, for checks that stop or kill it."""
    with ServedArchive(clippings, *LIMITS, wait=30) as running:
        yield running


def health(server):
    """(ok, detail) for GET /health answering 200."""
    try:
        status = server.get("/health", timeout=3.0).status
    except (OSError, http.client.HTTPException) as error:
        return False, f"health {type(error).__name__}: {error}"
    return status == 200, f"health {status}"


def with_health(server, ok, detail):
    """Every hostile check ends by making sure the server still answers."""
    healthy, text = health(server)
    if not healthy and not server.running():
        text += f" (server exited with {server.describe_exit()})"
    return ok and healthy, f"{detail}; {text}"



def check_slowloris_head(server):
    port = server.port
    latencies, failures = [], []
    stop = threading.Event()

    def keep_listing():
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = request(port, "GET", "/articles", timeout=3.0).status
                elapsed = time.monotonic() - started
                latencies.append(elapsed)
                if status != 200 or elapsed >= 1.0:
                    failures.append(f"{status} in {elapsed:.2f} s")
            except (OSError, http.client.HTTPException) as error:
                failures.append(f"{type(error).__name__} after {time.monotonic() - started:.2f} s")
            stop.wait(0.2)

    lister = threading.Thread(target=keep_listing, daemon=True)
    sock = socket.create_connection((HOST, port), timeout=2.0)
    closed_after, answered = None, b""
    limit = IDLE_TIMEOUT + 3
    try:
        sock.sendall(b"GET /articles HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        started = time.monotonic()
        lister.start()
        while time.monotonic() - started < limit + 1:  # watch a little past the limit to report lateness
            try:
                sock.send(b"a")
            except (BrokenPipeError, ConnectionResetError):
                closed_after = time.monotonic() - started
                break
            ended = None
            readable, _, _ = select.select([sock], [], [], 0.5)
            if readable:
                try:
                    chunk = sock.recv(65536)
                    answered += chunk
                    ended = not chunk
                except ConnectionResetError:
                    ended = True
            if ended:
                closed_after = time.monotonic() - started
                break
    finally:
        sock.close()
        stop.set()
        if lister.is_alive():
            lister.join(5.0)
    listing = (f"{len(latencies)} GET /articles meanwhile, slowest {max(latencies):.2f} s" if latencies
               else "no GET /articles completed meanwhile")
    if failures:
        listing += f", {len(failures)} slow or failed ({', '.join(failures[:3])})"
    ok = closed_after is not None and closed_after <= limit and latencies and not failures
    closing = (f"closed after {closed_after:.1f} s" if closed_after is not None
               else f"still open after {limit + 1} s")
    if answered:
        first_line = answered.split(b"\r\n", 1)[0][:40].decode("latin-1")
        closing += f" after answering {first_line!r}"
    return with_health(server, bool(ok), f"{closing} (limit {limit} s); {listing}")


def check_slowloris_body(server):
    head = (f"POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\n").encode()
    limit = BODY_TIMEOUT + 3
    sock = socket.create_connection((HOST, server.port), timeout=2.0)
    data, ended, elapsed, response, sending = b"", None, None, None, True
    try:
        sock.sendall(head)
        started = time.monotonic()
        while time.monotonic() - started < limit + 1:
            if sending:
                try:
                    sock.send(b"a")
                except (BrokenPipeError, ConnectionResetError):
                    sending = False  # closed on our side of the story; read what was answered, if anything
            readable, _, _ = select.select([sock], [], [], 0.5)
            if readable:
                try:
                    chunk = sock.recv(65536)
                    data += chunk
                    ended = None if chunk else "closed"
                except ConnectionResetError:
                    ended = "reset"
            try:
                response = parse_response(data, eof=ended is not None)
            except ValueError:
                response = None
            if response is not None or ended is not None:
                elapsed = time.monotonic() - started
                break
    finally:
        sock.close()
    if elapsed is None:
        return with_health(server, False, f"no answer and still open after {limit + 1} s (limit {limit} s)")
    if response is not None:
        issue = None if response.status == 408 else f"expected 408, got {response.status}"
        issue = issue or problem_issue(response)
        detail = f"{response.status} after {elapsed:.1f} s (limit {limit} s)"
        ok = issue is None and elapsed <= limit
        return with_health(server, ok, detail + (f": {issue}" if issue else ""))
    detail = f"{ended} after {elapsed:.1f} s without a response (limit {limit} s)"
    if data:
        detail += f"; {len(data)} bytes of an incomplete response"
    return with_health(server, elapsed <= limit and not data, detail)



MALFORMED = [
    ("garbage", b"GARBAGE\r\n\r\n"),
    ("bare-GET", b"GET\r\n\r\n"),
    ("HTTP/9.9", b"GET / HTTP/9.9\r\n\r\n"),
    ("length-abc", b"GET /articles HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
    ("length-twice", b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello"),
    ("chunk-ZZ", b"POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer check-token\r\n"
                 b"Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n"),
    ("chunked+length",
     b"POST /articles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n"),
    ("path-%FF%FE", b"GET /articles/%FF%FE HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("query-%FF%00", b"GET /articles?q=%FF%00 HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("NUL-in-path", b"GET /art\x00icles HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("huge-limit", b"GET /articles?limit=99999999999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("forged-cursor", b"GET /articles?cursor=AAAAforged HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("huge-id", b"GET /articles/99999999999999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("length-same-twice",
     b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
    ("length-negative", b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\nhello"),
    ("te-gzip-chunked", b"POST /articles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
    ("te-chunked-identity",
     b"POST /articles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"),
    ("te-space-before-colon",
     b"POST /articles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
    ("te-folded", b"POST /articles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n chunked\r\n\r\n0\r\n\r\n"),
    ("raw-bytes-in-path", b"GET /articles/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("raw-bytes-in-query", b"GET /articles?q=\xc3\x28&tag=\xff HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("huge-cursor-number", b"GET /articles?cursor=eyJrIjpudWxsLCJsIjoiOTk5OTk5OTk5OTk5OTk5OTk5OTk5OTkiLCJvIjoiLXB1Ymxpc2hlZF9hdCJ9"
                           b" HTTP/1.1\r\nHost: x\r\n\r\n"),
]


def judge_malformed(exchange):
    """None when the answer to a malformed request is acceptable, else why not."""
    response = exchange.response
    if response is None:
        return "partial response" if exchange.raw else None  # a close (or reset) without a response is fine
    if not 400 <= response.status < 500:
        return f"status {response.status} is not 4xx"
    issue = problem_issue(response)
    if issue and not (response.body == b"" and exchange.ended):
        return issue
    return None


def check_malformed(server, payload):
    try:
        exchange = server.raw(payload, timeout=5.0, linger=0.5)
        text, issue = exchange.describe(), judge_malformed(exchange)
    except socket.timeout:
        text, issue = "hang", "no response or close within 5 s"
    except OSError as error:
        text, issue = type(error).__name__, str(error)
    return with_health(server, issue is None, text + (f" [{issue}]" if issue else ""))


def check_max_connections(server):
    """The server serves at most MAX_CONNECTIONS connections at once; further ones wait in the listen
    backlog (they are not refused) until a slot frees, and the idle timeout frees the slots idle
    connections hold. So with MAX_CONNECTIONS + 5 idle connections open, one more request must wait
    (proof the limit holds) and then be answered once the idle ones are cut off (proof nothing starves)."""
    port, extra = server.port, MAX_CONNECTIONS + 5
    idle, refused = [], 0
    try:
        for _ in range(extra):
            try:
                idle.append(socket.create_connection((HOST, port), timeout=2.0))
            except OSError:
                refused += 1
        time.sleep(0.2)  # let the server accept what it will
        started = time.monotonic()
        try:
            status = request(port, "GET", "/health", timeout=IDLE_TIMEOUT + 4.0).status
            waited = time.monotonic() - started
            answer = f"answered {status} after {waited:.1f} s"
        except (OSError, http.client.HTTPException) as error:
            status, waited = None, time.monotonic() - started
            answer = f"{type(error).__name__} after {waited:.1f} s"
        closed = 0
        for sock in idle:
            sock.setblocking(False)
            try:
                closed += sock.recv(1) == b""
            except BlockingIOError:
                pass
            except OSError:
                closed += 1
    finally:
        for sock in idle:
            sock.close()
    detail = (f"{extra} idle connections ({refused} refused by TCP); request #{extra + 1} {answer} "
              f"(limit {MAX_CONNECTIONS}: it must wait for the {IDLE_TIMEOUT} s idle timeout, then be served); "
              f"{closed} idle connections seen closed by the server so far")
    ok = status == 200 and 0.8 <= waited <= IDLE_TIMEOUT + 3.0
    return with_health(server, ok, detail)


def check_expect_continue(server):
    """`Expect: 100-continue` (curl sends it with bodies over 1 MB) gets `100 Continue` at once, then the
    final answer once the body is sent; without it, curl stalls a second per upload."""
    body = make_document(900)
    head = (f"POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n").encode()
    sock = socket.create_connection((HOST, server.port), timeout=2.0)
    try:
        sock.sendall(head)
        started = time.monotonic()
        interim = b""
        while b"\r\n\r\n" not in interim and time.monotonic() - started < 0.9:
            readable, _, _ = select.select([sock], [], [], 0.1)
            if readable:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                interim += chunk
        waited = time.monotonic() - started
        if not interim.startswith(b"HTTP/1.1 100"):
            return with_health(server, False, f"no 100 Continue within {waited:.1f} s: {interim[:40]!r}")
        sock.sendall(body)
        rest = interim.split(b"\r\n\r\n", 1)[1]
        try:
            response = read_response(sock, 5.0, rest).response
        except socket.timeout:
            response = None
    finally:
        sock.close()
    ok = response is not None and response.status == 201
    return with_health(server, ok, f"100 Continue after {waited * 1000:.0f} ms, then "
                       f"{response.status if response else 'no answer'} for the body")


def make_document(number):
    """A unique plain-text article of about 300 bytes."""
    paragraph = (f"This is the body of article number {number}, sent in two halves by the shutdown check: "
                 f"the first half before SIGTERM, the second after it, so article {number} shows that a "
                 f"request already in flight is finished before the server exits.")
    text = f"Headline number {number} for the graceful shutdown check\n\n{paragraph}"
    while len(text.encode()) < 300:
        text += f" Article {number} continues."
    return text.encode()


def check_sigterm_inflight(server):
    count = 5
    half_sent = [threading.Event() for _ in range(count)]
    release = threading.Event()
    results = [None] * count

    def post(index):
        number = index + 1
        body = make_document(number)
        head = (f"POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
                f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        half = len(body) // 2
        try:
            with socket.create_connection((HOST, server.port), timeout=5.0) as sock:
                sock.sendall(head + body[:half])
                half_sent[index].set()
                if not release.wait(10.0):
                    results[index] = "never released"
                    return
                sock.sendall(body[half:])
                results[index] = read_response(sock, SHUTDOWN_TIMEOUT + 5)
        except OSError as error:
            results[index] = f"{type(error).__name__}: {error}"
        finally:
            half_sent[index].set()

    posters = [threading.Thread(target=post, args=(index,), daemon=True) for index in range(count)]
    for poster in posters:
        poster.start()
    deadline = time.monotonic() + 5.0
    for event in half_sent:
        event.wait(max(0.0, deadline - time.monotonic()))
    time.sleep(0.5)  # let the server read the heads: the requests are then in flight, bodies unfinished
    exit_seen = {}
    watcher = threading.Thread(target=lambda: exit_seen.setdefault("at", (server.process.wait(), time.monotonic())),
                               daemon=True)
    watcher.start()
    signalled = time.monotonic()
    if server.running():
        server.process.send_signal(signal.SIGTERM)
    time.sleep(0.5)  # the server is shutting down before the bodies complete (well within the body timeout)
    release.set()
    for poster in posters:
        poster.join(max(0.0, signalled + SHUTDOWN_TIMEOUT + 8 - time.monotonic()))

    problems, locations = [], []
    for number, result in enumerate(results, start=1):
        if isinstance(result, Exchange) and result.response is not None and result.response.status == 201 \
                and result.response.header("location"):
            locations.append(result.response.header("location"))
        elif isinstance(result, Exchange):
            if result.response is None:
                problems.append(f"POST {number}: {result.describe()}")
            else:
                problems.append(f"POST {number}: {result.response.status} "
                                f"{'without Location' if result.response.status == 201 else ''}".strip())
        else:
            problems.append(f"POST {number}: {result or 'no result'}")

    status = server.wait(max(0.0, signalled + SHUTDOWN_TIMEOUT + 5 - time.monotonic()))
    watcher.join(1.0)
    exited_after = exit_seen["at"][1] - signalled if "at" in exit_seen else time.monotonic() - signalled
    if status is None:
        problems.append(f"still running {SHUTDOWN_TIMEOUT + 5} s after SIGTERM")
        server.stop()
    elif status != 0:
        problems.append(f"exited with status {status}")
    if port_accepts(server.port):
        problems.append("a new connection succeeded after the exit")
    summary = f"{len(locations)}/{count} POSTs got 201, exit {status} {exited_after:.2f} s after SIGTERM"

    # Restart on the same database (on a new port): the articles written during shutdown must be there.
    try:
        server.start()
    except RuntimeError as error:
        problems.append(f"restart: {error}")
        return False, f"{summary}; " + "; ".join(problems)
    for location in locations:
        parts = urllib.parse.urlsplit(location)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            answered = server.request("GET", path).status
        except (OSError, http.client.HTTPException) as error:
            answered = type(error).__name__
        if answered != 200:
            problems.append(f"after restart GET {path}: {answered}")
    status = server.terminate(SHUTDOWN_TIMEOUT + 5)
    if status != 0:
        problems.append(f"restarted server: {'still running after SIGTERM' if status is None else f'exit {status}'}")
    summary += f"; after restart {len(locations)} Location URLs checked, exit {status}"
    return not problems, summary + ("; " + "; ".join(problems) if problems else "")


def check_cli(binary):
    """Commands that read an archive refuse a missing one; import inflates .gz files and names what it skips."""
    scratch = tempfile.mkdtemp(prefix="check-cli-")
    problems = []
    try:
        missing = os.path.join(scratch, "missing", "x.sqlite")
        for command in (["export"], ["check"], ["reextract", "--dry-run"], ["backup", os.path.join(scratch, "b.sqlite")]):
            run = subprocess.run([binary, *command, "--db", missing], capture_output=True, text=True, timeout=60)
            if run.returncode == 0 or "no database" not in run.stderr:
                problems.append(f"{command[0]} on a missing database: exit {run.returncode}, {run.stderr.strip()[:80]!r}")
        if os.path.exists(os.path.dirname(missing)):
            problems.append("a command created the missing database's folder")
        help_text = subprocess.run([binary, "import", "--help"], capture_output=True, text=True, timeout=60).stdout
        for option in ("--jobs", "--batch"):
            paragraph = help_text.split(f"  {option} ", 1)[1].split("\n  --", 1)[0]
            if paragraph.count("default") != 1:
                problems.append(f"import --help states the {option} default {paragraph.count('default')} times")
        folder = os.path.join(scratch, "docs")
        os.makedirs(folder)
        page = b"<html><body><article><h1>Quay approved</h1><p>The harbour authority approved a quay.</p></article></body></html>"
        with open(os.path.join(folder, "quay.html.gz"), "wb") as handle:
            handle.write(gzip.compress(page))
        with open(os.path.join(folder, "photo.png"), "wb") as handle:
            handle.write(bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + os.urandom(512))
        with open(os.path.join(folder, ".draft.txt"), "w") as handle:
            handle.write("Draft\n\nNot for the archive.")
        archive = os.path.join(scratch, "archive.sqlite")
        run = subprocess.run([binary, "import", folder, "--db", archive], capture_output=True, text=True, timeout=120)
        out = run.stdout
        if run.returncode != 0 or "1 imported" not in out or "2 skipped" not in out:
            problems.append(f"import: exit {run.returncode}, summary {out.strip().splitlines()[-1:]!r}")
        if "skipped    " + os.path.join(folder, ".draft.txt") + ": hidden" not in out:
            problems.append("import did not name the hidden file it skipped")
        if "photo.png: the document is a PNG image, not text" not in out:
            problems.append("import did not say why it skipped the PNG")
        exported = subprocess.run([binary, "export", "--db", archive], capture_output=True, text=True, timeout=60)
        if '"title":"Quay approved"' not in exported.stdout:
            problems.append("the .gz document was not imported inflated")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return not problems, "; ".join(problems) or "missing archives refused, --help states each default once, .gz inflated, hidden and binary files skipped by name"


def json_feed_issues(feed):
    """What breaks JSON Feed 1.1's rules (jsonfeed.org/version/1.1) in a parsed document; feedparser 6.0,
    the release on PyPI, reads Atom and RSS only."""
    issues = []
    if feed.get("version") != "https://jsonfeed.org/version/1.1" or not isinstance(feed.get("title"), str):
        issues.append("version or title")
    for key in ("home_page_url", "feed_url", "next_url"):
        if key in feed and not feed[key].startswith(("http://", "https://")):
            issues.append(f"{key} is not absolute")
    for item in feed.get("items", None) or []:
        if not isinstance(item.get("id"), str) or not (item.get("content_text") or item.get("content_html")):
            issues.append(f"item {item.get('id')!r} lacks an id or content")
        for key in ("date_published", "date_modified"):
            if key in item:
                try:
                    datetime.datetime.fromisoformat(item[key].replace("Z", "+00:00"))
                except ValueError:
                    issues.append(f"item {item.get('id')!r}: {key} {item[key]!r} is not RFC 3339")
    if not isinstance(feed.get("items"), list):
        issues.append("no items array")
    return issues


def check_feeds(server):
    """The Atom feed read by feedparser (the parser many feed readers build on), page by page; a JSON Feed."""
    import feedparser  # installed by .ci/run

    problems = []
    total = json.loads(server.request("GET", "/articles?limit=1").body)["total"]
    seen = []
    path = "/articles/feed.atom?limit=2"
    while path:
        answer = server.request("GET", path)
        parsed = feedparser.parse(answer.body)
        if answer.status != 200 or parsed.bozo or parsed.version != "atom10":
            problems.append(f"{path}: {answer.status}, {parsed.version!r}, {getattr(parsed, 'bozo_exception', '')}")
            break
        for entry in parsed.entries:
            if not (entry.get("id") and entry.get("title") and entry.get("updated") and entry.get("summary")):
                problems.append(f"an entry lacks id, title, updated or summary: {entry.get('id')}")
        seen += [entry.id for entry in parsed.entries]
        following = [link.href for link in parsed.feed.get("links", []) if link.rel == "next"]
        path = following[0].split(f":{server.port}", 1)[1] if following else None
    if len(seen) != total or len(set(seen)) != total:
        problems.append(f"paging the Atom feed gave {len(seen)} entries, {len(set(seen))} distinct, of {total}")
    answer = server.request("GET", "/articles/feed.json?q=reikras", headers={"Accept-Encoding": "gzip"})
    feed = answer.json()  # decoded from gzip by the harness
    issues = json_feed_issues(feed)
    if answer.status != 200 or issues or len(feed.get("items", [])) != 4:
        problems.append(f"JSON Feed: {answer.status}, {len(feed.get('items', []))} items, {'; '.join(issues)}")
    return not problems, "; ".join(problems) or f"Atom paged by its next links ({total} entries) and a JSON Feed search read cleanly"


def check_changes_import(server):
    """A long poll of /changes is answered by `clippings import` writing to the served file from another process."""
    latest = json.loads(server.request("GET", "/changes?limit=1").body)["latest"]
    outcome = {}

    def poll():
        started = time.monotonic()
        answer = server.request("GET", f"/changes?since={latest}&wait=20", timeout=30)
        outcome["answer"], outcome["seconds"] = answer, time.monotonic() - started

    poller = threading.Thread(target=poll)
    poller.start()
    scratch = tempfile.mkdtemp(prefix="check-changes-")
    try:
        document = os.path.join(scratch, "ferry.txt")
        with open(document, "w") as handle:
            handle.write("Ferry timetable changes from May\n\nThe ferry between the islands sails every hour from May.\n")
        time.sleep(0.5)  # the poll is waiting by now; were it not, it would answer at once all the same
        run = subprocess.run([server.binary, "import", document, "--db", server.database],
                             capture_output=True, text=True, timeout=60)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    poller.join(30)
    answer = outcome.get("answer")
    if run.returncode != 0 or answer is None or answer.status != 200:
        return False, f"import exit {run.returncode} {run.stderr.strip()[:80]!r}; poll {answer and answer.status}"
    items = json.loads(answer.body)["items"]
    titles = [item["article"]["title"] for item in items if item["type"] == "upsert"]
    if titles != ["Ferry timetable changes from May"] or outcome["seconds"] > 15:
        return False, f"the poll answered {titles!r} after {outcome['seconds']:.1f} s"
    return True, f"the poll got the imported article {outcome['seconds']:.1f} s after it began"



def check_webhook_crash(binary):
    """A match committed while the server could not act (stopped, then killed -9) is delivered after a restart."""
    received = []
    arrived = threading.Event()

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()
            arrived.set()

        def log_message(self, *args):
            pass

    receiver = http.server.ThreadingHTTPServer((HOST, 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    server = ServedArchive(binary, *LIMITS, "--allow-private-webhooks", "true", wait=30)
    scratch, database = server.folder, server.database
    secret = "check-server-webhook-secret"
    try:
        server.start()
        subscription = json.dumps({"url": f"http://{HOST}:{receiver.server_address[1]}/hook", "secret": secret,
                                   "query": "q=lighthouse"})
        created = server.request("POST", "/subscriptions", body=subscription,
                               headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        if created.status != 201:
            return False, f"POST /subscriptions answered {created.status}: {created.body[:200]!r}"
        # The server is stopped while another process commits a matching article, then killed outright.
        server.process.send_signal(signal.SIGSTOP)
        document = os.path.join(scratch, "lighthouse.txt")
        with open(document, "w") as handle:
            handle.write("Lighthouse keeper retires after forty years\n\nThe last lighthouse keeper on the coast retires.\n")
        run = subprocess.run([server.binary, "import", document, "--db", database], capture_output=True, text=True,
                             timeout=60)
        server.kill()
        if run.returncode != 0 or received:
            return False, f"import exit {run.returncode} {run.stderr.strip()[:80]!r}; {len(received)} early deliveries"
        server.start()
        if not arrived.wait(20):
            return False, "nothing was delivered within 20 s of the restart"
        time.sleep(0.5)  # a second delivery of the same match would have come by now
        headers, body = received[0]
        payload = json.loads(body)
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        problems = []
        if len(received) != 1:
            problems.append(f"{len(received)} deliveries")
        if not hmac.compare_digest(headers.get("Clippings-Signature", ""), expected):
            problems.append("the signature does not verify")
        if headers.get("Clippings-Delivery") != payload.get("delivery_id"):
            problems.append("Clippings-Delivery differs from the body's delivery_id")
        if payload.get("article", {}).get("title") != "Lighthouse keeper retires after forty years":
            problems.append(f"delivered {payload.get('article', {}).get('title')!r}")
        return not problems, "; ".join(problems) or "the match committed before kill -9 was delivered once after the restart, its HMAC verified"
    finally:
        server.close()
        receiver.shutdown()



def check_copy(binary):
    """`clippings copy` moves the seeds' archive SQLite -> PostgreSQL -> SQLite (SQLite -> SQLite without a
    server in CLIPPINGS_TEST_DATABASE_URL) with every article whole, and refuses a destination that holds some."""
    scratch = tempfile.mkdtemp(prefix="check-copy-")
    server_url = os.environ.get("CLIPPINGS_TEST_DATABASE_URL")
    database = f"clippings_copy_{os.getpid()}"
    middle = None
    problems = []

    def run(*arguments):
        return subprocess.run([binary, *arguments], capture_output=True, text=True, timeout=120)

    def articles(*where):
        exported = run("export", *where)
        if exported.returncode != 0:
            problems.append(f"export {where}: exit {exported.returncode}, {exported.stderr.strip()[-120:]!r}")
            return []
        # Stories are placed anew at each end; everything else must be as it was.
        lines = [json.loads(line) for line in exported.stdout.splitlines()]
        return [{k: v for k, v in line.items() if k not in ("story_id", "near_duplicate_of")} for line in lines]

    try:
        first, last = os.path.join(scratch, "a.sqlite"), os.path.join(scratch, "b.sqlite")
        run("import", SEEDS, "--db", first)
        if server_url:
            base, _, query = server_url.partition("?")
            admin = subprocess.run(["psql", server_url.replace("postgres://", "postgresql://"), "-qc", f"CREATE DATABASE {database}"],
                                   capture_output=True, text=True, timeout=60)
            if admin.returncode != 0:
                return False, f"psql could not create a database: {admin.stderr.strip()[:120]}"
            middle = base.rsplit("/", 1)[0] + "/" + database + ("?" + query if query else "")
        hops = [(first, middle), (middle, last)] if middle else [(first, last)]
        for source, destination in hops:
            copied = run("copy", "--from", source, "--to", destination)
            if copied.returncode != 0 or "counts: ok" not in copied.stdout or copied.stdout.count(": ok") < 3:
                problems.append(f"copy to {destination.split('@')[-1]}: exit {copied.returncode}, {copied.stdout.strip()[-160:]!r}")
        if middle:
            checked = run("check", "--database-url", middle)
            if checked.returncode != 0 or "ok: 5 articles" not in checked.stdout:
                problems.append(f"check on PostgreSQL: exit {checked.returncode}, {checked.stdout.strip()[-120:]!r}")
            if articles("--database-url", middle) != articles("--db", first):
                problems.append("the PostgreSQL copy exports differently from the original")
        original = articles("--db", first)
        if len(original) != 5 or articles("--db", last) != original:
            problems.append(f"the copy back exports differently from the original ({len(original)} articles)")
        again = run("copy", "--from", first, "--to", last)
        if again.returncode == 0 or "empty archive" not in again.stderr:
            problems.append(f"a copy into a full archive: exit {again.returncode}, {again.stderr.strip()[:100]!r}")
    finally:
        if middle:
            subprocess.run(["psql", server_url.replace("postgres://", "postgresql://"), "-qc", f"DROP DATABASE IF EXISTS {database}"],
                           capture_output=True, timeout=60)
        shutil.rmtree(scratch, ignore_errors=True)
    via = "SQLite -> PostgreSQL -> SQLite" if middle else "SQLite -> SQLite (no CLIPPINGS_TEST_DATABASE_URL)"
    return not problems, "; ".join(problems) or f"{via}: every article whole, counts and checks ok; a full destination refused"


# ---------------------------------------------------------------------------------------------------
# The tests: each check's (ok, detail) is the test's verdict and its line in the report


def test_slowloris_head(server, verdict):
    verdict(*check_slowloris_head(server))


def test_slowloris_body(server, verdict):
    verdict(*check_slowloris_body(server))


@pytest.mark.parametrize("payload", [payload for _, payload in MALFORMED], ids=[label for label, _ in MALFORMED])
def test_malformed(server, verdict, payload):
    verdict(*check_malformed(server, payload))


def test_max_connections(server, verdict):
    verdict(*check_max_connections(server))


def test_expect_continue(server, verdict):
    verdict(*check_expect_continue(server))


def test_feeds(server, verdict):
    verdict(*check_feeds(server))


def test_changes_import(server, verdict):
    verdict(*check_changes_import(server))


def test_webhook_crash(clippings, verdict):
    verdict(*check_webhook_crash(clippings))


def test_sigterm_inflight(own_server, verdict):
    verdict(*check_sigterm_inflight(own_server))


def test_cli(clippings, verdict):
    verdict(*check_cli(clippings))


def test_copy(clippings, verdict):
    verdict(*check_copy(clippings))
