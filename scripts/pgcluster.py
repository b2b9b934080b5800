"""PostgreSQL clusters of a script's own on loopback: a primary, and streaming replicas made from it with
`pg_basebackup -R`, in a new folder under the system's temporary one, each on a free port, run as the
postgres user when the script runs as root (PostgreSQL refuses root). Stopped and removed on leaving.

    with Primary() as primary:
        replica = primary.replica()
        primary.url("postgres")  ->  postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable
"""
import os
import pwd
import shutil
import subprocess
import tempfile

from harness import free_port

PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")


def as_postgres(command, check=True, timeout=120):
    """Runs `command` (an argument list) as the postgres user when we are root, else as ourselves; a
    failure raises RuntimeError with what the command printed."""
    shown = " ".join(command)
    if os.getuid() == 0:
        command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{part}'" for part in command)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if check and run.returncode != 0:
        raise RuntimeError(f"{shown} exited {run.returncode}: {(run.stderr or run.stdout).strip()[-400:]}")
    return run


def own(path):
    if os.getuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


class Cluster:
    """One server: its data folder, port and log; `start`, `stop` (fast shutdown) and `kill` (immediate)."""

    def __init__(self, folder, name):
        self.data = os.path.join(folder, name)
        self.log = os.path.join(folder, f"{name}.log")
        self.socket_folder = folder
        self.port = free_port()

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def start(self):
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.socket_folder} -c fsync=off "
                   "-c max_connections=200 -c wal_level=replica -c max_wal_senders=10 -c hot_standby=on")
        as_postgres([f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "-o", options, "start"])

    def stop(self, mode="fast"):
        as_postgres([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"], check=False)

    def psql(self, statement, database="postgres"):
        run = subprocess.run(["psql", self.url(database).replace("postgres://", "postgresql://", 1), "-Atqc", statement],
                             check=True, capture_output=True, text=True, timeout=120)
        return run.stdout.strip()


class Primary(Cluster):
    """A fresh primary (trust authentication on loopback, replication allowed) and its replicas."""

    def __init__(self):
        folder = tempfile.mkdtemp(prefix="clippings-pg-")
        own(folder)
        super().__init__(folder, "primary")
        self.folder = folder
        self.replicas = []

    def __enter__(self):
        as_postgres([f"{PG_BIN}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres"])
        self.start()
        return self

    def replica(self):
        """A hot standby streaming from this primary, started."""
        replica = Cluster(self.folder, f"replica{len(self.replicas) + 1}")
        as_postgres([f"{PG_BIN}/pg_basebackup", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                     "-D", replica.data, "-R", "-X", "stream", "-c", "fast"])
        replica.start()
        self.replicas.append(replica)
        return replica

    def create_database(self, name):
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)

    def close(self):
        for cluster in self.replicas + [self]:
            cluster.stop("immediate")

    def __exit__(self, *exception):
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)
