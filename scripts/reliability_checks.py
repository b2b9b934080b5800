"""Reliability checks (issue 7): kills, killed imports, concurrency, unwritable storage, replicas, fuzzing.
Run by scripts/test_reliability.py under pytest (or scripts/reliability BIN_DIR [--budget short|full]
[--only NAME...] [--keep-scratch]); each check returns (ok, one-line detail).

BIN_DIR holds already-built `clippings` and `clippings-corpus` executables; nothing but the fuzz target is
built here. Each check works in its own temporary directory, starts its servers on random free ports as

    BIN_DIR/clippings serve --db DB --no-seeds --port PORT --api-token reliability-token --log-level warning

and always stops them (SIGKILL if SIGTERM does not do it) before the next check. The checks:

  crash           ROUNDS rounds on one database: 4 writer threads POST /articles (JSON, 2-4 tags), POST
                  /articles/bulk (20-50 NDJSON lines, while fewer than 20 000 articles are tracked), PATCH
                  (title and tags) and DELETE articles they created, recording every write answered 2xx;
                  after 0.2-2.0 s the server is killed with SIGKILL and restarted on the same database.
                  Every acknowledged write must have survived: this round's one by one with GET
                  /articles/{id} (a search for a word unique to each new body must find a sample of them),
                  every earlier round's through the listing. A write in flight at the kill (sent, never
                  answered) may or may not have happened: either state is accepted, and the state found
                  becomes the expected one. Then the server is stopped with SIGTERM, which must leave the
                  write-ahead log empty or gone (the shutdown folds it back into the file), and the file is
                  checked with Python's sqlite3, read-only: PRAGMA integrity_check and foreign_key_check,
                  one article_fts_docsize row (the FTS5 shadow table with one row per indexed document) per
                  article and none without one, as many article_tag rows as each tracked article has tags;
                  and `clippings check --db DB` (when the binary has no `check` subcommand, that sub-step
                  fails and says so).
  import-kill     `clippings-corpus --count COUNT --documents DIR`, imported once unkilled to time it; then
                  ROUNDS times, each on a fresh database, `clippings import --db DB --jobs 2 DIR` is killed
                  with SIGKILL at a random 10-80 % of that time, the articles committed are counted, and the
                  import is rerun to completion: its summary must report the remaining documents imported
                  and the committed ones as duplicates, the database must hold COUNT articles without a
                  repeated content_hash or title, and pass the integrity checks of `crash`.
  concurrency     one server on a database made by `clippings-corpus --count 3000 --db DB`, for SECONDS:
                  8 reader threads (searches, tag filters, articles by id, /tags, /sources, pages followed
                  through next_cursor), 2 writer threads as in `crash`, and `clippings import` of a second
                  generated folder (`--seed 7`) on the same file, rerun while time remains. Fails on any 5xx,
                  any error answer mentioning busy or locked (any answer mentioning "database is locked"),
                  a request without an answer within 10 s, a read slower than 2 s, a non-zero exit of the
                  import, or an acknowledged write missing afterwards. Reports read latencies, and the
                  slowest read while a write (an HTTP write or the import) was in progress.
  unwritable      (a) full disk: the server runs with RLIMIT_FSIZE 3 MiB above the database's size (SIGXFSZ
                  ignored, so writes fail with EFBIG instead of killing it) and 64 KB articles are POSTed
                  until one is refused: that one must be a 503 problem with Retry-After; five twice as
                  large then each get a 503 problem or, when a checkpoint has freed log space, a 201
                  whose article reads back; never a 500; reads keep answering 200 before, during and
                  after. (b) read-only: a 64 MiB tmpfs holds the
                  database, the server serves it, then `mount -o remount,ro`; Linux refuses that while a
                  file on the mount is open for writing (the server's database is), so the check then puts
                  the database on an ext4 image on a loop device mounted errors=remount-ro and forces it
                  read-only under the running server through /sys/fs/ext4/DEV/trigger_fs_error (what a
                  failing disk does). Writes must answer 503 problems, reads 200. Needs root and mounts;
                  when they are not permitted the sub-check fails with the reason.
  replicas        PostgreSQL past one machine (needs PostgreSQL 15's server programs, PG_BIN, default
                  /usr/lib/postgresql/15/bin; run as root they run as the postgres user): a primary and a
                  streaming replica made with `pg_basebackup -R` on loopback, and two nodes serving the
                  primary with `--read-database-url` the replica. (a) freshness: ROUNDS times, a search is
                  asked (and cached) on one node, an article with a word of its own is written through the
                  other, and the first node is asked for the search and the article until both show it: each
                  within 100 ms of the write's answer, alternating the nodes. (b) 4 reader threads on both
                  nodes while the replica is stopped (fast shutdown) and started again: no 5xx, no read
                  without an answer, the replica set aside while down (/metrics'
                  clippings_read_replica_available) and taking reads again after. (c) ROUNDS times, writer
                  threads as in `crash` write through one node, which is killed with SIGKILL after 0.5-2 s
                  and restarted: every acknowledged write must read back through the other node. Then
                  `clippings check --database-url`.
  fuzz            compiles Fuzz/ExtractionFuzzer.swift with every file of Sources/ClippingsExtraction into
                  one module with `swiftc -sanitize=fuzzer,address` into .build-fuzz/ (rebuilt only when a
                  source or a flag changed), runs each file of Fuzz/regressions/ once, then fuzzes for
                  SECONDS from a corpus of seeds/ and Tests/ClippingsExtractionTests/Fixtures/. A crash,
                  timeout or out-of-memory input is copied into Fuzz/regressions/ and its report printed.
                  LeakSanitizer is off: Swift's regex library leaks the boxes of each regex literal it
                  compiles once, which would be reported as a leak on the first input.

Budgets (ROUNDS, COUNT, SECONDS):
  short   crash 8 rounds; import-kill 2 000 documents, 3 rounds; concurrency 15 s (5 000 documents to
          import); replicas 40 freshness rounds, 3 kill rounds; fuzz 120 s. About 4 minutes without
          the fuzz check (for CI).
  full    crash 60 rounds; import-kill 20 000 documents, 10 rounds; concurrency 120 s (20 000 documents);
          replicas 200 freshness rounds, 10 kill rounds; fuzz 600 s. About 16 minutes without the fuzz
          check.

Progress and the details of any problem go to standard error; each check's one-line detail is its pytest
verdict. The malformed-HTTP checks are scripts/test_server.py's.
"""
import collections
import contextlib
import http.client
import json
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

import pgcluster
from harness import NotSent, ServedArchive, file_tail, problem_issue, request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "reliability-token"
CLIENT_TIMEOUT = 10.0
SLOW_READ = 2.0
BUSY_MESSAGES = re.compile(rb"database is locked|database table is locked|SQLITE_BUSY|SQLITE_LOCKED", re.I)
BUSY_WORDS = re.compile(rb"busy|locked", re.I)
IMPORT_SUMMARY = re.compile(r"^(\d+) imported, (\d+) duplicates, (\d+) failed", re.M)

BUDGETS = {
    "short": dict(crash_rounds=8, import_count=6000, import_rounds=3, concurrency_seconds=15,
                  concurrency_documents=5000, fuzz_seconds=120, freshness_rounds=40, node_kill_rounds=3),
    "full": dict(crash_rounds=60, import_count=20000, import_rounds=10, concurrency_seconds=120,
                 concurrency_documents=20000, fuzz_seconds=600, freshness_rounds=200, node_kill_rounds=10),
}


def note(message):
    """Progress and details: standard error, so standard output holds only the summary lines."""
    print(message, file=sys.stderr, flush=True)


def number(value):
    """12345 -> '12 345'."""
    return f"{value:,}".replace(",", " ")


def milliseconds(seconds):
    return f"{seconds * 1000:.0f} ms"


def summarize(problems, shown=3):
    """The first few distinct problems, each with how often it occurred."""
    counts = collections.Counter(problems)
    parts = [text if times == 1 else f"{text} (x{times})" for text, times in list(counts.items())[:shown]]
    if len(counts) > shown:
        parts.append(f"and {len(counts) - shown} more")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------------
# Processes: every child is registered, so that nothing outlives the script


CHILDREN = []


def spawn(command, log_path, preexec_fn=None):
    """Starts a child with its output appended to `log_path`."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   preexec_fn=preexec_fn)
    CHILDREN.append(process)
    return process


def stop_process(process, timeout=15.0):
    """SIGTERM, then SIGKILL after `timeout` seconds; the exit status (negative: the signal that ended it)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def kill_process(process):
    """SIGKILL, as a crash would."""
    if process.poll() is None:
        process.kill()
    process.wait()


def stop_children():
    for process in CHILDREN:
        stop_process(process, timeout=5.0)
    CHILDREN.clear()


def run(command, timeout, log_path=None):
    """Runs a command to completion: (exit status, output). A command still running after `timeout` seconds
    is killed and reported with status None."""
    try:
        completed = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=timeout)
        status, output = completed.returncode, completed.stdout
    except subprocess.TimeoutExpired as expired:
        status, output = None, expired.output or b""
    text = output.decode("utf-8", "replace")
    if log_path:
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(text)
    return status, text


def tail(text, lines=5):
    return " | ".join(text.strip().splitlines()[-lines:]) or "(no output)"


def Server(context, database, log_path, preexec_fn=None, archive=None):
    """`clippings serve --db DATABASE --no-seeds` (or over `archive` arguments) with the write token, on a new
    free port at each start."""
    return ServedArchive(context.clippings, "--api-token", TOKEN, "--log-level", "warning", database=database,
                         archive=archive, log_path=log_path, preexec_fn=preexec_fn, wait=30)


def write_headers(content_type):
    return {"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type}


def mentions_busy(response):
    """Whether an answer shows SQLite contention: an error answer saying busy/locked, or any answer
    quoting SQLite's "database is locked" (article text may contain the plain words)."""
    return bool(BUSY_MESSAGES.search(response.body)) or (
        response.status >= 400 and bool(BUSY_WORDS.search(response.body)))


class Traffic:
    """Every exchange of one check: timings, errors, and the answers that must never happen."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reads = []      # (started, ended) of answered reads
        self.writes = []     # (started, ended) of writes, answered or not
        self.findings = []   # 5xx and busy/locked answers
        self.errors = []     # requests sent but never answered (timeouts, resets)

    def exchange(self, kind, port, method, path, body=None, headers=None):
        """One request; 5xx and busy answers are recorded as findings, failures re-raised after recording."""
        started = time.monotonic()
        try:
            response = request(port, method, path, body, headers)
        except NotSent:
            raise
        except (OSError, http.client.HTTPException) as error:
            with self.lock:
                self.errors.append(f"{method} {path[:60]}: {type(error).__name__} after "
                                   f"{time.monotonic() - started:.1f} s")
                if kind == "write":
                    self.writes.append((started, time.monotonic()))
            raise
        ended = time.monotonic()
        with self.lock:
            (self.writes if kind == "write" else self.reads).append((started, ended))
            if response.status >= 500 or mentions_busy(response):
                self.findings.append(f"{method} {path[:60]} -> {response.brief(200)}")
        return response


# ---------------------------------------------------------------------------------------------------
# Writes through the API and the ledger of what they must have left behind


WORDS = ("harbour ferry council fjord weather election budget hospital bridge tunnel salmon fishery school "
         "railway airport storm court police museum festival energy climate housing tourism").split()
TAG_NAMES = [f"topic-{n}" for n in range(48)]
BULK_CAP = 20000  # tracked articles beyond which writers stop bulk-creating, so long runs keep their pace
GONE = None  # the state of a deleted article


def new_article(rng, label):
    """(JSON article, expected state, unique body word) for a new article with 2-4 tags."""
    token = "zq" + "".join(rng.choice("0123456789abcdef") for _ in range(12))
    title = f"{label} {' '.join(rng.sample(WORDS, 3))} {token[2:8]}"
    body = "\n\n".join([
        f"The {rng.choice(WORDS)} report {token} was written by the reliability check {label}.",
        " ".join(rng.choice(WORDS) for _ in range(40)) + ".",
        f"It ends with the {rng.choice(WORDS)} and the {rng.choice(WORDS)}.",
    ])
    tags = rng.sample(TAG_NAMES, rng.randint(2, 4))
    return {"title": title, "body": body, "tags": tags}, (title, tuple(tags)), token


def state_of(article):
    """An article's (title, tag names) from its JSON."""
    return article["title"], tuple(tag["name"] for tag in article["tags"])


class Ledger:
    """What the archive must hold: for each article id our writes touched, the states it may be in."""

    def __init__(self, writers):
        self.lock = threading.Lock()
        self.writers = writers    # the writer of article `id` is `id % writers`
        self.pools = collections.defaultdict(list)  # writer -> ids it created (some since deleted)
        self.states = {}          # id -> acceptable states: (title, tags) or GONE
        self.tokens = {}          # id -> the word unique to its body
        self.answers = {}         # id -> the last acknowledged write and its answer, for reports
        self.acknowledged = collections.Counter()  # kind -> writes answered 2xx
        self.touched = set()      # ids acknowledged since the last verification
        self.unanswered = 0       # writes sent and never answered

    def pick(self, index, rng):
        """A random id certainly present among writer `index`'s, or None. Each id has one writer, so its
        writes are sequential and the last acknowledgement is its state."""
        with self.lock:
            pool = self.pools[index]
            while pool:
                position = rng.randrange(len(pool))
                states = self.states[pool[position]]
                if len(states) == 1 and states[0] is not GONE:
                    return pool[position]
                pool[position] = pool[-1]  # deleted or uncertain: no longer a target
                pool.pop()
            return None

    def acknowledge(self, kind, article_id, state, answer, token=None):
        with self.lock:
            if article_id not in self.states:
                self.pools[article_id % self.writers].append(article_id)
            self.states[article_id] = [state]
            self.acknowledged[kind] += 1
            self.touched.add(article_id)
            self.answers[article_id] = f"{kind} answered {answer.brief(160)}"
            if token:
                self.tokens[article_id] = token

    def unanswered_write(self, article_id=None, state=None):
        """A write sent but not answered: it may or may not have happened."""
        with self.lock:
            self.unanswered += 1
            if article_id is not None and state not in self.states[article_id]:
                self.states[article_id].append(state)

    def take_touched(self):
        with self.lock:
            touched, self.touched = self.touched, set()
            return sorted(touched)

    def judge(self, article_id, observed):
        """None when the observed state is acceptable, else what is wrong."""
        acceptable = self.states[article_id]
        if observed in acceptable:
            return None
        if observed is GONE:
            what = "lost: the article is missing"
        elif acceptable == [GONE]:
            what = "the deleted article is back"
        else:
            what = f"wrong state {observed}, expected {' or '.join(str(state) for state in acceptable)}"
        return f"article {article_id} {what} (last acknowledged: {self.answers.get(article_id, '?')})"

    def settle(self, article_id, observed):
        with self.lock:
            self.states[article_id] = [observed]

    def expected_tags(self):
        """id -> tag count for every article certainly present."""
        return {key: len(states[0][1]) for key, states in self.states.items()
                if len(states) == 1 and states[0] is not GONE}


class Writer(threading.Thread):
    """One thread of random writes (create, bulk, patch, delete) until `stop` is set, all in the ledger."""

    def __init__(self, index, port, ledger, traffic, stop, label, rng):
        super().__init__(daemon=True)
        self.index, self.port = index, port
        self.ledger, self.traffic, self.stop = ledger, traffic, stop
        self.label, self.rng = label, rng
        self.problems = []
        self.sequence = 0

    def run(self):
        operations = [(self.create, 4), (self.bulk, 1), (self.patch, 3), (self.delete, 1)]
        functions, weights = zip(*operations)
        while not self.stop.is_set():
            try:
                self.rng.choices(functions, weights)[0]()
            except NotSent:
                self.stop.wait(0.05)  # the server is down: the kill has come, or it is restarting
            except Exception as error:
                self.problems.append(f"writer {self.index}: {type(error).__name__}: {error}")

    def send(self, method, path, body, content_type):
        """The answer, or None when it never came (the write may or may not have happened)."""
        try:
            return self.traffic.exchange("write", self.port, method, path, body, write_headers(content_type))
        except (OSError, http.client.HTTPException):
            return None

    def article(self):
        self.sequence += 1
        return new_article(self.rng, f"{self.label}.{self.index}.{self.sequence}")

    def unexpected(self, what, response):
        self.problems.append(f"{what}: {response.brief(200)}")

    def create(self):
        article, state, token = self.article()
        response = self.send("POST", "/articles", json.dumps(article), "application/json")
        if response is None or response.status >= 500:
            self.ledger.unanswered_write()
        elif response.status == 201:
            answered = response.json()
            if state_of(answered) != state:
                self.unexpected(f"POST /articles answered other values than sent {state}", response)
            self.ledger.acknowledge("create", answered["id"], state_of(answered), response, token)
        else:
            self.unexpected("POST /articles", response)

    def bulk(self):
        if len(self.ledger.states) >= BULK_CAP:
            return self.create()
        lines = [self.article() for _ in range(self.rng.randint(20, 50))]
        body = "".join(json.dumps(article) + "\n" for article, _, _ in lines)
        response = self.send("POST", "/articles/bulk", body, "application/x-ndjson")
        if response is None or response.status >= 500:
            self.ledger.unanswered_write()
            return
        if response.status != 200:
            self.unexpected("POST /articles/bulk", response)
            return
        for result in response.json()["results"]:
            _, state, token = lines[result["line"] - 1]
            if result["status"] == "created":
                self.ledger.acknowledge("bulk line", result["id"], state, response, token)
            else:
                self.problems.append(f"bulk line {result['line']}: {result}")

    def target(self):
        return self.ledger.pick(self.index, self.rng)

    def patch(self):
        article_id = self.target()
        if article_id is None:
            return self.create()
        self.sequence += 1
        title = f"{self.label}.{self.index}.{self.sequence} patched {' '.join(self.rng.sample(WORDS, 2))}"
        state = (title, tuple(self.rng.sample(TAG_NAMES, self.rng.randint(2, 4))))
        patch = json.dumps({"title": state[0], "tags": list(state[1])})
        response = self.send("PATCH", f"/articles/{article_id}", patch, "application/merge-patch+json")
        if response is None or response.status >= 500:
            self.ledger.unanswered_write(article_id, state)
        elif response.status == 200:
            if state_of(response.json()) != state:
                self.unexpected(f"PATCH /articles/{article_id} answered other values than sent {state}", response)
            self.ledger.acknowledge("patch", article_id, state_of(response.json()), response)
        else:
            self.unexpected(f"PATCH /articles/{article_id} of an acknowledged article", response)

    def delete(self):
        article_id = self.target()
        if article_id is None:
            return self.create()
        response = self.send("DELETE", f"/articles/{article_id}", None, "application/json")
        if response is None or response.status >= 500:
            self.ledger.unanswered_write(article_id, GONE)
        elif response.status == 204:
            self.ledger.acknowledge("delete", article_id, GONE, response)
        else:
            self.unexpected(f"DELETE /articles/{article_id} of an acknowledged article", response)


def start_writers(port, ledger, traffic, stop, label, rng):
    """One writer thread per writer the ledger was made for."""
    writers = [Writer(index, port, ledger, traffic, stop, label, random.Random(rng.random()))
               for index in range(ledger.writers)]
    for writer in writers:
        writer.start()
    return writers


def join_all(threads, timeout=30.0):
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [thread for thread in threads if thread.is_alive()]


def read_archive(port):
    """id -> (title, tags) of every article, through the listing and its cursors."""
    articles, cursor = {}, None
    while True:
        path = "/articles?fields=id,title,tags&limit=100"
        if cursor:
            path += "&cursor=" + urllib.parse.quote(cursor, safe="")
        response = request(port, "GET", path)
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.brief()}")
        page = response.json()
        articles.update((item["id"], state_of(item)) for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return articles


def fetch_state(port, article_id):
    """An article's state by GET /articles/{id}: (title, tags), GONE on 404; RuntimeError otherwise."""
    response = request(port, "GET", f"/articles/{article_id}")
    if response.status == 404:
        return GONE
    if response.status != 200:
        raise RuntimeError(f"GET /articles/{article_id} answered {response.brief()}")
    return state_of(response.json())


def search_finds(port, token, article_id):
    response = request(port, "GET", f"/articles?q={token}&fields=id&limit=10")
    return response.status == 200 and article_id in [item["id"] for item in response.json()["items"]]


def verify_ledger(port, ledger, search_sample=10):
    """Checks every tracked article against a running server: the ones written since the last
    verification one by one (a sample of them also by searching a word unique to their body), all of them
    through the listing. Returns (writes checked one by one, {id: problem}); every state found is settled."""
    problems = {}
    touched = ledger.take_touched()
    for article_id in touched:
        problem = ledger.judge(article_id, fetch_state(port, article_id))
        if problem:
            problems[article_id] = problem
    searchable = [key for key in touched if key in ledger.tokens and ledger.states[key][0] is not GONE
                  and len(ledger.states[key]) == 1]
    for article_id in random.sample(searchable, min(search_sample, len(searchable))):
        if not search_finds(port, ledger.tokens[article_id], article_id):
            problems.setdefault(article_id, f"article {article_id}: a search for its word "
                                            f"{ledger.tokens[article_id]} does not find it")
    archive = read_archive(port)
    for article_id in list(ledger.states):
        observed = archive.get(article_id, GONE)
        problem = ledger.judge(article_id, observed)
        if problem:
            problems.setdefault(article_id, problem)
        ledger.settle(article_id, observed)
    return len(touched), problems


# ---------------------------------------------------------------------------------------------------
# The database file


def open_read_only(database):
    return sqlite3.connect(f"file:{urllib.parse.quote(database)}?mode=ro", uri=True, timeout=10.0)


def article_count(database):
    """Articles in the file (0 if it has no article table yet)."""
    try:
        with contextlib.closing(open_read_only(database)) as connection:
            return connection.execute("SELECT count(*) FROM article").fetchone()[0]
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return 0
        raise


def database_problems(database, expected_tags=None):
    """What Python's sqlite3 finds wrong in the (closed) file: page integrity, foreign keys, the FTS5
    shadow table with one row per indexed article, and tag rows of the articles we know."""
    problems = []
    with contextlib.closing(open_read_only(database)) as connection:
        pages = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if pages != ["ok"]:
            problems.append("integrity_check: " + "; ".join(pages[:3]))
        orphans = connection.execute("PRAGMA foreign_key_check").fetchall()
        if orphans:
            problems.append(f"foreign_key_check: {len(orphans)} rows, first {orphans[0]}")
        shadow = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'article_fts_%'")}
        if "article_fts_docsize" not in shadow:
            problems.append(f"no article_fts_docsize table (FTS5 shadow tables: {sorted(shadow)})")
        else:
            unindexed = connection.execute(
                "SELECT count(*) FROM article WHERE id NOT IN (SELECT id FROM article_fts_docsize)").fetchone()[0]
            stale = connection.execute(
                "SELECT count(*) FROM article_fts_docsize WHERE id NOT IN (SELECT id FROM article)").fetchone()[0]
            if unindexed or stale:
                problems.append(f"full-text index: {unindexed} articles without a row, {stale} rows without "
                                "an article")
        if expected_tags:
            tag_rows = dict(connection.execute("SELECT article_id, count(*) FROM article_tag GROUP BY article_id"))
            wrong = [key for key, count in expected_tags.items() if tag_rows.get(key, 0) != count]
            if wrong:
                problems.append(f"{len(wrong)} articles with the wrong number of article_tag rows, e.g. "
                                f"{wrong[0]}: {tag_rows.get(wrong[0], 0)} rows, {expected_tags[wrong[0]]} tags")
    return problems


def duplicate_problems(database):
    problems = []
    with contextlib.closing(open_read_only(database)) as connection:
        for column in ("content_hash", "title"):
            repeated = connection.execute(
                f"SELECT {column}, count(*) FROM article GROUP BY {column} HAVING count(*) > 1").fetchall()
            if repeated:
                problems.append(f"{len(repeated)} repeated {column} values, e.g. {repeated[0]}")
    return problems


def wal_left_problems(database):
    """A server stopped gracefully closes the database, which must fold the write-ahead log back into the
    file: the file alone is then the whole archive (a copy of it is a backup). Checked before anything
    else opens the file."""
    left = file_size(database + "-wal")
    if not left:
        return []
    note(f"  after a graceful stop: {database}-wal {left // 1024} KiB, the database file "
         f"{file_size(database) // 1024} KiB")
    return ["a graceful stop leaves the write-ahead log behind, not folded into the database file (which "
            "alone is not the whole archive)"]


def file_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


# ---------------------------------------------------------------------------------------------------
# What the checks share: binaries, generated corpora, `clippings check`


class Context:
    def __init__(self, bin_dir, budget, scratch):
        self.bin_dir = bin_dir
        self.clippings = os.path.join(bin_dir, "clippings")
        self.corpus = os.path.join(bin_dir, "clippings-corpus")
        self.budget = budget
        self.scratch = scratch
        self.documents = {}
        self.check_command = None  # (available, reason), once asked

    def directory(self, name):
        path = os.path.join(self.scratch, name)
        os.makedirs(path, exist_ok=True)
        return path

    def generate(self, arguments, what):
        if not os.access(self.corpus, os.X_OK):
            raise RuntimeError(f"{self.corpus} is not an executable file")
        status, output = run([self.corpus, *arguments], timeout=900)
        if status != 0:
            raise RuntimeError(f"clippings-corpus {what} failed with status {status}: {tail(output)}")

    def corpus_documents(self, count, seed):
        """A folder of `count` generated plain-text documents, made once per run."""
        key = (count, seed)
        if key not in self.documents:
            folder = os.path.join(self.directory("documents"), f"seed-{seed}-{count}")
            started = time.monotonic()
            self.generate(["--count", str(count), "--seed", str(seed), "--documents", folder],
                          f"--documents ({count})")
            note(f"  generated {number(count)} documents (seed {seed}) in {time.monotonic() - started:.1f} s")
            self.documents[key] = folder
        return self.documents[key]

    def corpus_database(self, path, count):
        self.generate(["--count", str(count), "--db", path], f"--db ({count})")
        return path

    def import_documents(self, database, folder, log_path, timeout=1800):
        """`clippings import` to completion: (exit status, (imported, duplicates, failed) or None, output)."""
        status, output = run(self.import_command(database, folder), timeout, log_path)
        found = IMPORT_SUMMARY.findall(output)
        return status, tuple(map(int, found[-1])) if found else None, output

    def import_command(self, database, folder):
        return [self.clippings, "import", "--db", database, "--jobs", "2", folder, "--log-level", "error"]

    def check_problem(self, database):
        """None when `clippings check --db DATABASE` passes, else why not (also when there is no such
        subcommand: that is said once, clearly, and the sub-step counts as failed)."""
        if self.check_command is None:
            status, output = run([self.clippings, "check", "--help"], timeout=30)
            if status == 0 and re.search(r"USAGE: clippings check\b", output):
                self.check_command = (True, None)
            else:
                usage = re.search(r"USAGE: (clippings \S+)", output)
                answered = (f"printed the usage of `{usage.group(1)}` (the default subcommand)" if usage
                            else f"exited with status {status}: {tail(output, 2)}")
                reason = f"`{self.clippings} check --help` {answered}: this binary has no `check` subcommand"
                self.check_command = (False, reason)
                note(f"  NOTE: {reason}; the `clippings check` sub-step fails")
        available, reason = self.check_command
        if not available:
            return "clippings check unavailable (the binary has no `check` subcommand)"
        status, output = run([self.clippings, "check", "--db", database], timeout=600)
        if status == 0:
            return None
        problems = [line.strip() for line in output.splitlines() if line.strip() and not line.endswith(": ok")]
        return f"clippings check exited {status}: {' | '.join(problems[:4])}"

    def integrity_problems(self, database, expected_tags=None):
        problems = database_problems(database, expected_tags)
        check = self.check_problem(database)
        return problems + ([check] if check else [])


# ---------------------------------------------------------------------------------------------------
# crash


def crash_round(context, server, ledger, rng, round_number):
    """One round: write, SIGKILL, restart and verify, stop cleanly and check the file. Returns
    (acknowledged writes checked one by one, articles lost or wrong, problems)."""
    traffic = Traffic()
    acknowledged_before = sum(ledger.acknowledged.values())
    unanswered_before = ledger.unanswered
    server.start()
    stop = threading.Event()
    writers = start_writers(server.port, ledger, traffic, stop, f"r{round_number}", rng)
    delay = rng.uniform(0.2, 2.0)
    time.sleep(delay)
    server.kill()
    stop.set()
    problems = [f"a writer thread did not stop ({thread.name})" for thread in join_all(writers)]
    for writer in writers:
        problems += writer.problems
    problems += [f"before the kill: {finding}" for finding in traffic.findings]

    server.start()
    checked, lost = verify_ledger(server.port, ledger)
    problems += lost.values()
    status = server.stop()
    if status != 0:
        problems.append(f"the restarted server exited with {server.describe_exit()} on SIGTERM: "
                        f"{file_tail(server.log_path)}")
    problems += wal_left_problems(server.database)
    problems += context.integrity_problems(server.database, ledger.expected_tags())
    note(f"  round {round_number}: killed after {delay:.2f} s with "
         f"{number(sum(ledger.acknowledged.values()) - acknowledged_before)} writes acknowledged and "
         f"{ledger.unanswered - unanswered_before} unanswered; {number(len(ledger.states))} articles "
         f"re-verified; {len(lost)} lost" + (f"; {summarize(problems, 2)}" if problems else ""))
    return checked, len(lost), problems


def check_crash(context):
    rounds = context.budget["crash_rounds"]
    scratch = context.directory("crash")
    server = Server(context, os.path.join(scratch, "crash.sqlite"), os.path.join(scratch, "server.log"))
    ledger, rng = Ledger(writers=4), random.Random()
    survived, checked, lost, problems = 0, 0, 0, []
    try:
        for round_number in range(1, rounds + 1):
            round_checked, round_lost, round_problems = crash_round(context, server, ledger, rng, round_number)
            checked, lost = checked + round_checked, lost + round_lost
            survived += round_lost == 0
            problems += round_problems
    except RuntimeError as error:
        problems.append(str(error))
    finally:
        server.close(kill=True)
    plurals = {"create": "creates", "bulk line": "bulk lines", "patch": "patches", "delete": "deletes"}
    kinds = ", ".join(f"{number(ledger.acknowledged[kind])} {plural}" for kind, plural in plurals.items())
    integrity = "integrity ok" if not problems else summarize(problems)
    detail = (f"{survived}/{rounds} rounds survived, {number(sum(ledger.acknowledged.values()))} acknowledged "
              f"writes verified ({kinds}; {number(checked)} one by one after their kill, "
              f"{number(len(ledger.states))} articles re-verified every round), {lost} lost, "
              f"{ledger.unanswered} unanswered at kills accepted either way, {integrity}")
    return not problems, detail


# ---------------------------------------------------------------------------------------------------
# import-kill


def import_kill_round(context, folder, count, duration, rng, round_number, scratch):
    """Kill an import, rerun it, check the result. Returns (the kill's delay, or None if the import had
    already finished; articles committed before the kill; problems)."""
    database = os.path.join(scratch, f"round-{round_number}.sqlite")
    log_path = os.path.join(scratch, f"round-{round_number}.log")
    process = spawn(context.import_command(database, folder), log_path)
    delay = rng.uniform(0.1, 0.8) * duration
    time.sleep(delay)
    finished_early = process.poll() is not None
    kill_process(process)
    committed = article_count(database)
    status, summary, output = context.import_documents(database, folder, log_path)
    problems = []
    if status != 0 or summary is None:
        problems.append(f"round {round_number}: the rerun exited {status}: {tail(output, 2)}")
    elif summary != (count - committed, committed, 0):
        problems.append(f"round {round_number}: {committed} committed before the kill, so the rerun should "
                        f"report {count - committed} imported, {committed} duplicates, 0 failed; it reported "
                        f"{summary[0]} imported, {summary[1]} duplicates, {summary[2]} failed")
    stored = article_count(database)
    if stored != count:
        problems.append(f"round {round_number}: {stored} articles after the rerun, expected {count}")
    problems += duplicate_problems(database) + context.integrity_problems(database)
    killed = f"finished before the kill at {delay:.2f} s" if finished_early else f"killed after {delay:.2f} s"
    note(f"  round {round_number}: {killed} with {number(committed)} committed; rerun "
         f"{summary}, {number(stored)} articles" + (f"; {summarize(problems, 2)}" if problems else ""))
    return (None if finished_early else delay), committed, problems


def check_import_kill(context):
    count, rounds = context.budget["import_count"], context.budget["import_rounds"]
    scratch = context.directory("import-kill")
    folder = context.corpus_documents(count, seed=42)
    started = time.monotonic()
    status, summary, output = context.import_documents(os.path.join(scratch, "unkilled.sqlite"), folder,
                                                       os.path.join(scratch, "unkilled.log"))
    duration = time.monotonic() - started
    if status != 0 or summary != (count, 0, 0):
        return False, f"the unkilled import exited {status} reporting {summary}: {tail(output, 2)}"
    note(f"  unkilled import of {number(count)} documents: {duration:.2f} s")
    rng, delays, committed, problems = random.Random(), [], [], []
    for round_number in range(1, rounds + 1):
        delay, round_committed, round_problems = import_kill_round(context, folder, count, duration, rng,
                                                                   round_number, scratch)
        if delay is not None:
            delays.append(delay)
            committed.append(round_committed)
        problems += round_problems
    if problems:
        return False, f"{rounds} imports of {number(count)} killed, then rerun: {summarize(problems)}"
    killed = (f"{len(delays)} killed after {min(delays):.2f}-{max(delays):.2f} s with "
              f"{number(min(committed))}-{number(max(committed))} committed" if delays else "none killed")
    if len(delays) < rounds:
        killed += f", {rounds - len(delays)} finished before the kill"
    if delays and not max(committed):
        killed += " (every kill came before the first commit)"
    return True, (f"{rounds} imports of {number(count)} (unkilled {duration:.2f} s): {killed}; every rerun "
                  f"reported the rest imported and the committed as duplicates, {number(count)} articles, "
                  f"no repeated content or titles, integrity ok")


# ---------------------------------------------------------------------------------------------------
# concurrency


class Reader(threading.Thread):
    """Random reads until `stop` is set: searches, tag filters, articles, tags, sources, cursor pages."""

    def __init__(self, port, traffic, stop, words, tags, max_id, rng):
        super().__init__(daemon=True)
        self.port, self.traffic, self.stop = port, traffic, stop
        self.words, self.tags, self.max_id, self.rng = words, tags, max_id, rng
        self.count = 0
        self.problems = []

    def run(self):
        reads = [self.search, self.tagged, self.article, self.listing("/tags"), self.listing("/sources"),
                 self.pages]
        while not self.stop.is_set():
            try:
                self.rng.choice(reads)()
            except (OSError, http.client.HTTPException, NotSent):
                pass  # recorded by Traffic
            except Exception as error:
                self.problems.append(f"reader: {type(error).__name__}: {error}")

    def get(self, path, allowed=(200,)):
        response = self.traffic.exchange("read", self.port, "GET", path)
        self.count += 1
        if response.status not in allowed and response.status < 500:
            self.problems.append(f"GET {path[:80]} -> {response.brief(150)}")
        return response

    def search(self):
        self.get("/articles?q=" + urllib.parse.quote(self.rng.choice(self.words)))

    def tagged(self):
        self.get("/articles?tag=" + urllib.parse.quote(self.rng.choice(self.tags)))

    def article(self):
        self.get(f"/articles/{self.rng.randint(1, self.max_id)}", allowed=(200, 404))

    def listing(self, path):
        return lambda: self.get(path)

    def pages(self):
        path = "/articles?limit=20"
        for _ in range(self.rng.randint(2, 5)):
            response = self.get(path)
            cursor = response.json().get("next_cursor") if response.status == 200 else None
            if not cursor:
                return
            path = "/articles?limit=20&cursor=" + urllib.parse.quote(cursor, safe="")


class ImportLoop(threading.Thread):
    """`clippings import` of one folder, rerun until `stop` is set (the run in progress is finished)."""

    def __init__(self, context, database, folder, log_path, stop):
        super().__init__(daemon=True)
        self.context, self.database, self.folder = context, database, folder
        self.log_path, self.stop = log_path, stop
        self.intervals, self.imported, self.failures = [], 0, []

    def run(self):
        while not self.stop.is_set():
            started = time.monotonic()
            status, summary, output = self.context.import_documents(self.database, self.folder, self.log_path,
                                                                    timeout=900)
            self.intervals.append((started, time.monotonic()))
            if summary:
                self.imported += summary[0]
            if status != 0:
                self.failures.append(f"clippings import exited {status}: {tail(output, 3)}")
                return


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def overlaps(interval, busy):
    """Whether [start, end] overlaps any of the (sorted, merged) busy intervals."""
    start, end = interval
    return any(busy_start <= end and start <= busy_end for busy_start, busy_end in busy)


def merged(intervals):
    result = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def sample_vocabulary(port):
    """Words of titles and tag slugs of the running archive, for searches and filters."""
    titles = request(port, "GET", "/articles?fields=title&limit=100").json()["items"]
    words = sorted({word for item in titles for word in re.findall(r"[a-z]{5,}", item["title"].lower())})
    tags = [item["slug"] for item in request(port, "GET", "/tags?limit=100").json()["items"]]
    if not words or not tags:
        raise RuntimeError(f"the corpus database gave {len(words)} title words and {len(tags)} tags")
    return words, tags


def run_concurrently(context, server, database, folder, scratch, seconds):
    """Readers, writers and an import against one server for `seconds`. Returns (traffic, ledger, readers,
    importer, problems)."""
    traffic, ledger, stop, rng = Traffic(), Ledger(writers=2), threading.Event(), random.Random()
    words, tags = sample_vocabulary(server.port)
    readers = [Reader(server.port, traffic, stop, words, tags, 3000, random.Random(rng.random()))
               for _ in range(8)]
    importer = ImportLoop(context, database, folder, os.path.join(scratch, "import.log"), stop)
    for thread in [importer, *readers]:
        thread.start()
    writers = start_writers(server.port, ledger, traffic, stop, "c", rng)
    try:
        time.sleep(seconds)
    finally:
        stop.set()
        stuck = join_all(readers + writers, timeout=CLIENT_TIMEOUT + 5)
        importer.join(900)
    problems = [f"{len(stuck)} threads still running {CLIENT_TIMEOUT + 5:.0f} s after the end"] if stuck else []
    for thread in readers + writers:
        problems += thread.problems
    if server.running():
        problems += verify_ledger(server.port, ledger)[1].values()
    else:
        problems.append(f"the server died: {server.describe_exit()}: {file_tail(server.log_path)}")
    return traffic, ledger, readers, importer, problems


def check_concurrency(context):
    seconds = context.budget["concurrency_seconds"]
    scratch = context.directory("concurrency")
    database = context.corpus_database(os.path.join(scratch, "concurrency.sqlite"), 3000)
    folder = context.corpus_documents(context.budget["concurrency_documents"], seed=7)
    server = Server(context, database, os.path.join(scratch, "server.log"))
    try:
        server.start()
        traffic, ledger, readers, importer, problems = run_concurrently(context, server, database, folder,
                                                                        scratch, seconds)
        server.stop()
    finally:
        server.close(kill=True)
    problems += traffic.findings + traffic.errors + importer.failures + database_problems(database)
    latencies = [end - start for start, end in traffic.reads]
    slow = [latency for latency in latencies if latency > SLOW_READ]
    if slow:
        problems.append(f"{len(slow)} reads slower than {SLOW_READ:.0f} s (slowest {max(slow):.1f} s)")
    if not latencies:
        problems.append("no read was answered")
    busy = merged(traffic.writes + importer.intervals)
    during_writes = [end - start for start, end in traffic.reads if overlaps((start, end), busy)]
    for problem in problems:
        note(f"  PROBLEM: {problem}")
    detail = (f"{seconds} s: {number(sum(reader.count for reader in readers))} reads, "
              f"{number(len(traffic.writes))} HTTP writes ({number(sum(ledger.acknowledged.values()))} "
              f"article writes acknowledged, bulk lines counted singly), {number(importer.imported)} articles "
              f"imported by "
              f"{len(importer.intervals)} concurrent `clippings import` runs; read latency "
              f"p50 {milliseconds(percentile(latencies, 0.5))}, p99 {milliseconds(percentile(latencies, 0.99))}, "
              f"max {milliseconds(max(latencies, default=0))}; slowest read while a write was in progress "
              f"{milliseconds(max(during_writes, default=0))}; {len(traffic.findings)} 5xx or busy answers, "
              f"{len(traffic.errors)} unanswered")
    return not problems, detail + (f"; {summarize(problems)}" if problems else "")


# ---------------------------------------------------------------------------------------------------
# unwritable


READS = ["/articles", "/articles/1", "/tags", "/sources", "/articles?q=harbour", "/ready"]


def every_kind_of_write():
    """One write of each kind: POST /articles, POST /articles/bulk, PATCH and DELETE of article 1."""
    article = json.dumps(new_article(random.Random(), "unwritable")[0])
    return [
        ("POST", "/articles", article, "application/json"),
        ("POST", "/articles/bulk", article + "\n", "application/x-ndjson"),
        ("PATCH", "/articles/1", json.dumps({"title": "Unwritable patch"}), "application/merge-patch+json"),
        ("DELETE", "/articles/1", None, "application/json"),
    ]


def probe_unwritable(port, writes, may_fit=False):
    """Reads, the writes, the reads again: every read must answer 200 and every write a 503 problem with
    Retry-After, or, with `may_fit`, a 201 whose article then reads back. Returns (problems, Counter of
    "METHOD status")."""
    problems, seen = [], collections.Counter()

    def read_all():
        for path in READS:
            response = request(port, "GET", path)
            seen[f"GET {response.status}"] += 1
            if response.status != 200:
                problems.append(f"GET {path}: {response.brief(200)}")

    read_all()
    for method, path, body, content_type in writes:
        response = request(port, method, path, body, write_headers(content_type))
        seen[f"{method} {response.status}"] += 1
        if may_fit and response.status == 201:
            stored = request(port, "GET", response.header("location") or "/articles/0")
            if stored.status != 200:
                problems.append(f"{method} {path} was acknowledged but reads back {stored.brief(200)}")
            continue
        issue = f"status {response.status}" if response.status != 503 else problem_issue(response, retry_after=True)
        if issue:
            problems.append(f"{method} {path}: {issue}: {response.brief(200)}")
    read_all()
    return problems, seen


def described(seen):
    return ", ".join(f"{key} x{count}" for key, count in sorted(seen.items()))


def big_article(rng, label, words=9000):
    """A JSON article of about 7 bytes a word (64 KB by default), to fill a disk quickly."""
    body = " ".join(rng.choice(WORDS) + str(rng.randint(0, 99999)) for _ in range(words))
    return json.dumps({"title": f"Disk filler {label} {rng.randint(0, 10**9)}", "body": body,
                       "tags": ["filler"]})


def limit_file_size(limit):
    """For the server's child process: no file may grow past `limit` bytes, and growing one fails with
    EFBIG instead of killing the process with SIGXFSZ."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def fill_disk(port, rng):
    """POSTs large articles until one is refused: (articles written, the refusal or None, problems)."""
    created, problems = 0, []
    for attempt in range(1, 400):
        response = request(port, "POST", "/articles", big_article(rng, attempt), write_headers("application/json"))
        if response.status != 201:
            return created, response, problems
        created += 1
        if attempt % 5 == 0 and request(port, "GET", "/articles?limit=5").status != 200:
            problems.append(f"GET /articles failed while filling, after {created} writes")
    return created, None, problems + [f"{created} large articles written and none refused"]


def full_disk(context, scratch):
    """(problems, detail) for writes against a file-size limit."""
    database = context.corpus_database(os.path.join(scratch, "full.sqlite"), 200)
    limit = max(file_size(database), file_size(database + "-wal")) + 3 * 1024 * 1024
    server = Server(context, database, os.path.join(scratch, "full-server.log"), limit_file_size(limit))
    seen = collections.Counter()
    try:
        server.start()
        created, refusal, problems = fill_disk(server.port, random.Random())
        if refusal is not None:
            issue = (f"status {refusal.status}" if refusal.status != 503
                     else problem_issue(refusal, retry_after=True))
            if issue:
                problems.append(f"the first refused write: {issue}: {refusal.brief(300)}; server log: "
                                f"{file_tail(server.log_path, 3)}")
            # Later writes may fit again (a checkpoint moves the log into the file and the log starts over):
            # each must be a 503 problem, or a 201 whose article reads back; never a 500.
            rng = random.Random()
            larger = [("POST", "/articles", big_article(rng, f"x{n}", 18000), "application/json") for n in range(5)]
            probe_problems, seen = probe_unwritable(server.port, larger, may_fit=True)
            problems += probe_problems
        if not server.running():
            problems.append(f"the server died: {server.describe_exit()}: {file_tail(server.log_path)}")
        server.stop()
    finally:
        server.close(kill=True)
    problems += database_problems(database)
    first = (f"write {created + 1} answered {refusal.status} {refusal.header('content-type')} with "
             f"Retry-After {refusal.header('retry-after') or 'missing'}" if refusal is not None else "no refusal")
    detail = (f"full disk (RLIMIT_FSIZE {limit // 1024} KiB): {created} large writes, then {first}; then "
              f"{described(seen) or 'nothing probed'}; SIGTERM exit {server.describe_exit()}")
    return problems, detail


def mount(arguments):
    status, output = run(["mount", *arguments], timeout=60)
    if status != 0:
        raise RuntimeError(f"`mount {' '.join(arguments)}` failed: {tail(output, 2)}")


def unmount(path):
    if run(["umount", path], timeout=60)[0] != 0:
        run(["umount", "-l", path], timeout=60)


class TmpfsRemount:
    name = "tmpfs remount,ro"

    def mount(self, directory):
        mount(["-t", "tmpfs", "-o", "size=64m", "tmpfs", directory])

    def make_read_only(self, directory):
        try:
            mount(["-o", "remount,ro", directory])
        except RuntimeError as error:
            if "busy" not in str(error):
                raise
            raise RuntimeError("the kernel refuses it (mount point is busy): Linux remounts read-only only "
                               "when no file on the mount is open for writing, and the server's database is")


class Ext4ErrorReadOnly:
    """ext4 on a loop device, mounted errors=remount-ro, then an error injected through sysfs: the kernel
    makes the file system read-only under its open files, as it does when a disk fails."""
    name = "ext4 loop device forced read-only"

    def __init__(self, scratch):
        self.image = os.path.join(scratch, "ext4.img")

    def mount(self, directory):
        with open(self.image, "wb") as image:
            image.truncate(64 * 1024 * 1024)
        status, output = run(["mkfs.ext4", "-q", "-F", self.image], timeout=120)
        if status != 0:
            raise RuntimeError(f"mkfs.ext4 failed ({status}): {tail(output, 2)}")
        mount(["-o", "loop,errors=remount-ro", self.image, directory])

    def make_read_only(self, directory):
        _, source = run(["findmnt", "-n", "-o", "SOURCE", directory], timeout=30)
        trigger = f"/sys/fs/ext4/{os.path.basename(source.strip())}/trigger_fs_error"
        try:
            with open(trigger, "w") as control:
                control.write("scripts/reliability: read-only check\n")
        except OSError as error:
            raise RuntimeError(f"writing {trigger}: {error}") from None
        try:
            open(os.path.join(directory, "probe"), "w").close()
        except OSError:
            return
        raise RuntimeError(f"{directory} still accepts new files after {trigger}")


def read_only_attempt(context, scratch, strategy, source):
    """(problems, detail) serving a database on a mount that `strategy` makes read-only under the server;
    RuntimeError when the mount cannot be made or made read-only."""
    directory = os.path.join(scratch, "mount-" + strategy.name.split()[0])
    os.makedirs(directory, exist_ok=True)
    with contextlib.ExitStack() as cleanup:
        strategy.mount(directory)
        cleanup.callback(unmount, directory)
        database = os.path.join(directory, "ro.sqlite")
        shutil.copy(source, database)
        server = Server(context, database, os.path.join(scratch, "ro-server.log"))
        cleanup.callback(server.close, kill=True)
        server.start()
        before = request(server.port, "POST", "/articles", json.dumps(new_article(random.Random(), "writable")[0]),
                      write_headers("application/json"))
        if before.status != 201:
            return [f"before the remount a write answered {before.brief(200)}"], "writes failed while writable"
        strategy.make_read_only(directory)
        problems, seen = probe_unwritable(server.port, every_kind_of_write())
        if not server.running():
            problems.append(f"the server died: {server.describe_exit()}: {file_tail(server.log_path)}")
        server.stop()
        return problems, f"{described(seen)}; SIGTERM exit {server.describe_exit()}"


def read_only(context, scratch):
    source = context.corpus_database(os.path.join(scratch, "ro-source.sqlite"), 200)
    refusals = []
    for strategy in (TmpfsRemount(), Ext4ErrorReadOnly(scratch)):
        try:
            problems, detail = read_only_attempt(context, scratch, strategy, source)
        except RuntimeError as error:
            refusals.append(f"{strategy.name}: {error}")
            note(f"  read-only via {strategy.name} not possible: {error}")
            continue
        refused = f" ({'; '.join(refusals)})" if refusals else ""
        return problems, f"read-only via {strategy.name}{refused}: {detail}"
    return [f"no way to make storage read-only: {'; '.join(refusals)}"], "read-only: not checked"


def check_unwritable(context):
    scratch = context.directory("unwritable")
    problems, details = [], []
    for sub_check in (full_disk, read_only):
        try:
            sub_problems, detail = sub_check(context, scratch)
        except (RuntimeError, OSError, http.client.HTTPException, NotSent) as error:
            name = sub_check.__name__.replace("_", " ")
            sub_problems, detail = [f"{name}: {type(error).__name__}: {error}"], f"{name}: not checked"
        problems += sub_problems
        details.append(detail)
    for problem in problems:
        note(f"  PROBLEM: {problem}")
    return not problems, "; ".join(details) + (f"; {summarize(problems)}" if problems else "")


# ---------------------------------------------------------------------------------------------------
# replicas (PostgreSQL)


FRESHNESS_LIMIT = 0.1  # seconds from a write's answer to the other node answering with it


def metric(port, name, labels=""):
    """The sum of the series of GET /metrics named `name` whose labels contain `labels` (0 when none)."""
    text = request(port, "GET", "/metrics").body.decode()
    series = re.findall(rf"^{re.escape(name)}(?:\{{([^}}]*)\}})? (\S+)$", text, re.M)
    return sum(float(value) for found, value in series if labels in found)


def freshness_round(writer, reader, rng, label):
    """A write through `writer`, then `reader` asked (a search it answered, and cached, just before, and
    the article by id) until it shows it. Seconds from the write's answer to `reader`'s, or a problem."""
    article, _, token = new_article(rng, label)
    search = f"/articles?q={token}&fields=id"
    before = request(reader.port, "GET", search)
    if before.status != 200 or before.json()["items"]:
        return None, f"GET {search} before the write: {before.brief(120)}"
    created = request(writer.port, "POST", "/articles", json.dumps(article), write_headers("application/json"))
    acknowledged = time.monotonic()
    if created.status != 201:
        return None, f"POST /articles: {created.brief(120)}"
    article_id = created.json()["id"]
    while True:
        found = request(reader.port, "GET", search)
        by_id = request(reader.port, "GET", f"/articles/{article_id}")
        if found.status >= 500 or by_id.status >= 500:
            return None, f"a 5xx while waiting: {found.brief(80)} / {by_id.brief(80)}"
        if by_id.status == 200 and [item["id"] for item in found.json()["items"]] == [article_id]:
            return time.monotonic() - acknowledged, None
        if time.monotonic() - acknowledged > 5:
            return None, f"article {article_id} written through one node not read through the other in 5 s"


class NodeReader(threading.Thread):
    """Uncached-looking reads (varied limits, ids and words) against each node in turn until `stop`."""

    def __init__(self, nodes, traffic, stop, max_id, rng):
        super().__init__(daemon=True)
        self.nodes, self.traffic, self.stop, self.max_id, self.rng = nodes, traffic, stop, max_id, rng
        self.count = 0
        self.problems = []

    def run(self):
        while not self.stop.is_set():
            node = self.rng.choice(self.nodes)
            path = self.rng.choice([
                f"/articles?limit={self.rng.randint(1, 100)}",
                f"/articles/{self.rng.randint(1, self.max_id)}",
                f"/articles?q={self.rng.choice(WORDS)}&limit={self.rng.randint(1, 50)}",
                f"/articles?tag={self.rng.choice(TAG_NAMES)}&limit={self.rng.randint(1, 50)}",
            ])
            try:
                response = self.traffic.exchange("read", node.port, "GET", path)
                self.count += 1
                if response.status not in (200, 404):
                    self.problems.append(f"GET {path} -> {response.brief(120)}")
            except NotSent as error:
                self.problems.append(f"GET {path}: not sent ({error})")
            except (OSError, http.client.HTTPException):
                pass  # recorded by Traffic


def replica_restart(nodes, replica, max_id, seconds=14.0):
    """Readers on both nodes while the replica is stopped (fast shutdown) and started again. No 5xx and no
    unanswered read allowed; the replica must be set aside, then take reads again. (detail, problems)"""
    traffic, stop, rng = Traffic(), threading.Event(), random.Random()
    readers = [NodeReader(nodes, traffic, stop, max_id, random.Random(rng.random())) for _ in range(4)]
    replica_reads = lambda: sum(metric(node.port, "clippings_database_reads_total", 'target="replica"')
                                for node in nodes)
    available = lambda: [metric(node.port, "clippings_read_replica_available") for node in nodes]
    for reader in readers:
        reader.start()
    problems = []
    time.sleep(seconds * 0.15)
    before_stop = replica_reads()
    replica.stop("fast")
    time.sleep(seconds * 0.3)
    if available() != [0.0] * len(nodes):
        problems.append(f"the stopped replica is not set aside: read_replica_available {available()}")
    replica.start()
    deadline = time.monotonic() + 10
    while available() != [1.0] * len(nodes) and time.monotonic() < deadline:
        time.sleep(0.1)
    back = replica_reads()
    time.sleep(seconds * 0.3)
    after = replica_reads()
    stop.set()
    problems += [f"a reader did not stop ({thread.name})" for thread in join_all(readers)]
    for reader in readers:
        problems += reader.problems
    problems += traffic.findings + traffic.errors
    if available() != [1.0] * len(nodes):
        problems.append(f"the restarted replica does not take reads again: read_replica_available {available()}")
    elif after <= back:
        problems.append("no read went to the replica after it came back")
    if before_stop == 0:
        problems.append("no read went to the replica before it was stopped")
    reads = sum(reader.count for reader in readers)
    return (f"{number(reads)} reads while the replica was stopped and restarted without a 5xx "
            f"({number(int(after))} on the replica, before the stop and after the restart)", problems)


def node_kill_rounds(context, nodes, ledger, rounds, rng):
    """Writes through node 0, killed with SIGKILL mid-write and restarted; every acknowledged write must
    read back through node 1 (which reads through the replica when it has caught up). (detail, problems)"""
    problems, lost_total = [], 0
    writer_node, reader_node = nodes
    for round_number in range(1, rounds + 1):
        traffic, stop = Traffic(), threading.Event()
        writers = start_writers(writer_node.port, ledger, traffic, stop, f"k{round_number}", rng)
        time.sleep(rng.uniform(0.5, 2.0))
        writer_node.kill()
        stop.set()
        problems += [f"a writer thread did not stop ({thread.name})" for thread in join_all(writers)]
        for writer in writers:
            problems += writer.problems
        problems += traffic.findings
        _, lost = verify_ledger(reader_node.port, ledger)
        lost_total += len(lost)
        problems += lost.values()
        writer_node.start()
    return (f"{rounds} kill -9 rounds of the writing node, {number(sum(ledger.acknowledged.values()))} "
            f"acknowledged writes read back through the other node, {lost_total} lost", problems)


def check_replicas(context):
    """PostgreSQL: a primary, a pg_basebackup -R replica, two nodes reading through it."""
    scratch = context.directory("replicas")
    rng = random.Random()
    with pgcluster.Primary() as primary:
        replica = primary.replica()
        primary.create_database("clippings")
        archive = ["--database-url", primary.url("clippings"), "--read-database-url", replica.url("clippings")]
        nodes = [Server(context, None, os.path.join(scratch, f"node{index}.log"), archive=archive)
                 for index in (1, 2)]
        try:
            for node in nodes:
                node.start()
            ledger = Ledger(writers=2)
            lines = "".join(json.dumps(new_article(rng, f"seed.{index}")[0]) + "\n" for index in range(300))
            seeded = request(nodes[0].port, "POST", "/articles/bulk", lines, write_headers("application/x-ndjson"))
            if seeded.status != 200:
                return False, f"POST /articles/bulk of 300 articles: {seeded.brief(160)}"

            delays, problems = [], []
            for index in range(context.budget["freshness_rounds"]):
                writer, reader = (nodes[0], nodes[1]) if index % 2 == 0 else (nodes[1], nodes[0])
                delay, problem = freshness_round(writer, reader, rng, f"fresh.{index}")
                if problem:
                    problems.append(problem)
                else:
                    delays.append(delay)
            late = [delay for delay in delays if delay > FRESHNESS_LIMIT]
            if late:
                problems.append(f"{len(late)} of {len(delays)} writes read through the other node later than "
                                f"{FRESHNESS_LIMIT * 1000:.0f} ms (worst {max(late) * 1000:.0f} ms)")
            freshness = (f"a write through one node read through the other within "
                         f"{max(delays, default=0) * 1000:.0f} ms (median "
                         f"{percentile(delays, 0.5) * 1000 if delays else 0:.0f} ms) in {len(delays)} rounds")

            restart, restart_problems = replica_restart(nodes, replica, max_id=300)
            problems += restart_problems
            kills, kill_problems = node_kill_rounds(context, nodes, ledger, context.budget["node_kill_rounds"], rng)
            problems += kill_problems
            for node in nodes:
                node.stop()
            status, output = run([context.clippings, "check", "--database-url", primary.url("clippings")], 300)
            if status != 0:
                problems.append(f"clippings check --database-url exited {status}: {tail(output, 3)}")
        finally:
            for node in nodes:
                node.close(kill=True)
    detail = f"{freshness}; {restart}; {kills}; " + ("check ok" if not problems else summarize(problems))
    return not problems, detail


# ---------------------------------------------------------------------------------------------------
# fuzz


FUZZ_DIR = os.path.join(ROOT, "Fuzz")
FUZZ_SOURCE = os.path.join(FUZZ_DIR, "ExtractionFuzzer.swift")
REGRESSIONS = os.path.join(FUZZ_DIR, "regressions")
FUZZ_BUILD = os.path.join(ROOT, ".build-fuzz")
FUZZ_BINARY = os.path.join(FUZZ_BUILD, "extraction-fuzzer")
# Package.swift builds the module in Swift 6 mode (which also enables bare /regex/ literals) with these
# upcoming features; the fuzz build must parse the sources the same way.
SWIFT_FLAGS = ["-swift-version", "6", "-enable-upcoming-feature", "ExistentialAny",
               "-enable-upcoming-feature", "MemberImportVisibility"]
FUZZ_FLAGS = SWIFT_FLAGS + ["-sanitize=fuzzer,address", "-parse-as-library", "-O", "-g",
                            "-module-name", "ClippingsExtraction"]
LIBFUZZER_OPTIONS = ["-timeout=10", "-rss_limit_mb=2048", "-max_len=262144", "-print_final_stats=1",
                     "-detect_leaks=0"]


def fuzz_sources():
    folder = os.path.join(ROOT, "Sources", "ClippingsExtraction")
    return sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".swift")) \
        + [FUZZ_SOURCE]


def build_fuzzer():
    """Compiles the fuzz target unless the binary is newer than every source and was built with these
    flags. Returns None on success, else why it failed."""
    swiftc = shutil.which("swiftc")
    if swiftc is None:
        return "swiftc is not on PATH"
    sources = fuzz_sources()
    command = [swiftc, *FUZZ_FLAGS, "-module-cache-path", os.path.join(FUZZ_BUILD, "module-cache"),
               *sources, "-o", FUZZ_BINARY]
    stamp = os.path.join(FUZZ_BUILD, "extraction-fuzzer.command")
    built_with = open(stamp).read() if os.path.exists(stamp) else None
    if (os.path.exists(FUZZ_BINARY) and built_with == " ".join(command)
            and os.path.getmtime(FUZZ_BINARY) > max(os.path.getmtime(source) for source in sources)):
        note("  fuzz target is up to date")
        return None
    os.makedirs(FUZZ_BUILD, exist_ok=True)
    note("  compiling the fuzz target: " + " ".join(FUZZ_FLAGS) + " ...")
    started = time.monotonic()
    status, output = run(command, timeout=1800, log_path=os.path.join(FUZZ_BUILD, "build.log"))
    if status != 0:
        errors = [line for line in output.splitlines() if "error" in line.lower()]
        return f"swiftc exited {status}: {' | '.join(errors[:5]) or tail(output)} (full log .build-fuzz/build.log)"
    with open(stamp, "w") as file:
        file.write(" ".join(command))
    note(f"  compiled in {time.monotonic() - started:.0f} s")
    return None


def fuzz_report(output):
    """The crash report in a libFuzzer log: from the first error line to the sanitizer summary."""
    lines = output.splitlines()
    start = next((index for index, line in enumerate(lines)
                  if re.search(r"Fatal error|==\d+==ERROR|ERROR: libFuzzer|deadly signal|ALARM: working", line)),
                 None)
    if start is None:
        return tail(output, 20)
    end = next((index for index in range(start, len(lines)) if lines[index].startswith("SUMMARY:")),
               min(len(lines) - 1, start + 60))
    return "\n".join(lines[start:end + 1])


def run_fuzzer(arguments, log_path, timeout):
    environment = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    with open(log_path, "wb") as log:
        completed = subprocess.run([FUZZ_BINARY, *LIBFUZZER_OPTIONS, *arguments], stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, env=environment, timeout=timeout)
    with open(log_path, "rb") as log:
        return completed.returncode, log.read().decode("utf-8", "replace")


def seed_corpus(scratch):
    corpus = os.path.join(scratch, "corpus")
    os.makedirs(corpus, exist_ok=True)
    for folder in ("seeds", os.path.join("Tests", "ClippingsExtractionTests", "Fixtures")):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            source = os.path.join(ROOT, folder, name)
            if os.path.isfile(source):
                shutil.copy(source, os.path.join(corpus, name))
    return corpus


def check_fuzz(context):
    seconds = context.budget["fuzz_seconds"]
    failure = build_fuzzer()
    if failure:
        return False, f"could not build the fuzz target: {failure}"
    scratch = context.directory("fuzz")
    problems = []
    os.makedirs(REGRESSIONS, exist_ok=True)
    regressions = sorted(os.path.join(REGRESSIONS, name) for name in os.listdir(REGRESSIONS)
                         if not name.startswith("README") and os.path.isfile(os.path.join(REGRESSIONS, name)))
    if regressions:
        status, output = run_fuzzer(regressions, os.path.join(scratch, "regressions.log"), timeout=600)
        if status != 0:
            note(f"  a regression input fails:\n{fuzz_report(output)}")
            problems.append(f"a Fuzz/regressions input still fails (exit {status})")
    artifacts = os.path.join(scratch, "artifacts") + os.sep
    os.makedirs(artifacts)
    status, output = run_fuzzer([seed_corpus(scratch), f"-max_total_time={seconds}", f"-artifact_prefix={artifacts}"],
                                os.path.join(scratch, "fuzz.log"), timeout=seconds + 600)
    executions = re.search(r"stat::number_of_executed_units:\s*(\d+)", output)
    peak = re.search(r"stat::peak_rss_mb:\s*(\d+)", output)
    found = sorted(os.listdir(artifacts))
    for name in found:
        shutil.copy(os.path.join(artifacts, name), os.path.join(REGRESSIONS, name))
    if found or status != 0:
        note(f"  fuzzing stopped (exit {status}), input(s) {', '.join(found) or 'none'} copied to "
             f"Fuzz/regressions/:\n{fuzz_report(output)}")
        problems.append(f"{', '.join(found) or 'no artifact'} (exit {status}) copied to Fuzz/regressions/")
    detail = (f"{number(int(executions.group(1))) if executions else '?'} executions in {seconds} s "
              f"(peak RSS {peak.group(1) if peak else '?'} MB) after {len(regressions)} Fuzz/regressions "
              f"input(s), " + (summarize(problems) if problems else "no crash"))
    return not problems, detail
