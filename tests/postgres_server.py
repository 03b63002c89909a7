"""A throwaway PostgreSQL server with PostGIS for tests.

``running_postgres()`` makes a cluster in a temporary folder, starts it on a free loopback port
(trust authentication, unix socket inside the folder), creates a database with the PostGIS
extension, yields its URL, then stops the server and removes the folder. initdb refuses to run
as root, so as root the folder is handed to the ``postgres`` user and the server runs as it.

``fresh_schema(url)`` gives each test an empty schema of its own in that database, so tests do
not see each other's tables and need no CREATE DATABASE privilege.
"""

from __future__ import annotations

import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

DATABASE = "tocsin_test"
SERVER_USER = "postgres"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL binaries (initdb, pg_ctl) cannot be found or cannot be run."""


class PostgresMissing(PostgresUnavailable):
    """PostgreSQL or its PostGIS extension is not installed (as opposed to failing to run)."""


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: $PG_BIN alone when it is set, else PATH, then
    Debian's layout."""
    candidates: list[Path] = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    else:
        on_path = shutil.which("pg_ctl")
        if on_path:
            candidates.append(Path(os.path.realpath(on_path)).parent)
        versions = sorted(
            glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0)
        )
        candidates.extend(Path(p) for p in reversed(versions))
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError as error:
        raise PostgresUnavailable(
            f"running as root but there is no {SERVER_USER!r} user to run PostgreSQL as"
        ) from error
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", SERVER_USER, "--", *command]
    return ["su", SERVER_USER, "-s", "/bin/sh", "-c", shlex.join(command)]


def _run(command: list[str], log: Path | None = None) -> None:
    done = subprocess.run(
        _as_server_user(command), capture_output=True, text=True, check=False, timeout=120
    )
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        raise PostgresUnavailable(
            f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n{tail}"
        )


def _wait_for_connection(url: str, attempts: int = 100) -> None:
    import psycopg

    last: Exception | None = None
    for _ in range(attempts):
        try:
            with psycopg.connect(url, connect_timeout=2):
                return
        except psycopg.OperationalError as error:
            last = error
            time.sleep(0.1)
    raise PostgresUnavailable(f"PostgreSQL did not accept connections: {last}")


@contextmanager
def running_postgres() -> Iterator[str]:
    """Start a throwaway PostgreSQL with PostGIS; yield a ``postgresql+psycopg://`` URL."""
    import psycopg

    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresMissing(
            "PostgreSQL binaries (initdb, pg_ctl) not found: install PostgreSQL with PostGIS "
            "(Debian: postgresql-15-postgis-3), put its bin folder on PATH or in $PG_BIN, "
            "or set TOCSIN_TEST_POSTGRES_URL to an existing server"
        )
    root = Path(tempfile.mkdtemp(prefix="tocsin-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, user=SERVER_USER)
        root.chmod(0o700)
    data, log, port = root / "data", root / "server.log", _free_port()
    started = False
    try:
        _run(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", SERVER_USER, "-A", "trust",
             "-E", "UTF8", "--no-locale", "--no-sync"]
        )
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB"
            " -c max_connections=40"
        )
        _run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w",
             "-t", "60", "start"],
            log,
        )
        started = True
        admin = f"postgresql://{SERVER_USER}@127.0.0.1:{port}/postgres"
        _wait_for_connection(admin)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")
        with psycopg.connect(
            f"postgresql://{SERVER_USER}@127.0.0.1:{port}/{DATABASE}", autocommit=True
        ) as connection:
            try:
                connection.execute("CREATE EXTENSION postgis")
            except psycopg.Error as error:
                if "postgis" in str(error) and "not available" in str(error):
                    raise PostgresMissing(f"PostGIS is not installed: {error}") from error
                raise
        yield f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{port}/{DATABASE}"
    finally:
        if started:
            try:
                _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
            except PostgresUnavailable:
                pass
        shutil.rmtree(root, ignore_errors=True)


def _plain_url(url: str) -> str:
    """A libpq URL (psycopg.connect does not take SQLAlchemy's driver suffix)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """Create an empty schema in the database at ``url``; yield a URL whose connections use it
    first (PostGIS stays reachable through ``public``); drop the schema afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_plain_url(url), autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema},public"
    finally:
        with psycopg.connect(_plain_url(url), autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
