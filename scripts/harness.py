"""A `clippings serve` for scripts that drive the built server from outside: a fresh database in a temporary
folder, a free port, readiness by GET /health, and a stop that always happens.

    with ServedArchive(binary, "--api-token", "t") as server:
        status, headers, body = server.get("/articles")
"""
import gzip
import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "seeds")


def free_port():
    """A port nothing listens on now (the kernel's choice for an ephemeral bind)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServedArchive:
    """`BINARY serve` on a fresh database with the seeds (or on `database`, kept), on a free loopback port."""

    def __init__(self, binary, *arguments, database=None, wait=60.0):
        self.binary = os.path.abspath(binary)
        self.arguments = list(arguments)
        self.database = database
        self.wait = wait
        self.port = free_port()
        self.folder = None
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="clippings-")
        log = open(os.path.join(self.folder, "server.log"), "wb")
        archive = ["--db", self.database, "--no-seeds"] if self.database else [
            "--db", os.path.join(self.folder, "clippings.sqlite"), "--seeds", SEEDS]
        self.process = subprocess.Popen(
            [self.binary, "serve", "--port", str(self.port)] + archive + self.arguments,
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        deadline = time.monotonic() + self.wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}: {self.log_tail()}")
            try:
                if self.get("/health", timeout=1.0)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"GET /health did not answer within {self.wait:.0f} s")

    def __exit__(self, *exception):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def log_tail(self, lines=5):
        try:
            with open(os.path.join(self.folder, "server.log"), "rb") as log:
                return b" | ".join(log.read().splitlines()[-lines:]).decode("utf-8", "replace")
        except OSError:
            return "(no log)"

    def request(self, method, path, body=None, headers=None, timeout=10.0):
        """(status, headers with lower-case names, body) with a gzip body decoded."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            fields = {name.lower(): value for name, value in response.getheaders()}
            if fields.get("content-encoding") == "gzip":
                data = gzip.decompress(data)
            return response.status, fields, data
        finally:
            connection.close()

    def get(self, path, headers=None, timeout=10.0):
        return self.request("GET", path, headers=headers, timeout=timeout)

    def wire_size(self, path):
        """The bytes a gzip-accepting client receives for `path`."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            return len(connection.getresponse().read())
        finally:
            connection.close()
