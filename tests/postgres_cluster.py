"""A real PostgreSQL server for the tests: initdb and pg_ctl in a temporary folder, listening
on a free loopback port, with password authentication (so the tests see what a password in
DATABASE_URL does). As root it runs as the `postgres` user, since initdb refuses root.

Without PostgreSQL's programs the tests that need it are skipped, except in CI (CI set),
where a missing server is a failure: CI installs it (.ci/run).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

USER = "resource_bot"
PASSWORD = "test-secret-7f3a"  # the tests look for it in log lines and errors


def find_bin() -> Path | None:
    """The folder with initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin."""
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


def require_bin() -> Path:
    """The programs' folder, or skip (fail in CI) without them."""
    folder = find_bin()
    if folder is None:
        message = "PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must test the PostgreSQL store", pytrace=False)
        pytest.skip(message)
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """One PostgreSQL server of our own; `start`, `stop`, and a fresh database per test."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="resource-bot-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as = None if os.geteuid() != 0 else pwd.getpwnam("postgres")
        self._databases = 0
        if self._as is not None:
            os.chown(self.folder, self._as.pw_uid, self._as.pw_gid)
        password_file = self.folder / "password"
        password_file.write_text(PASSWORD)
        if self._as is not None:
            os.chown(password_file, self._as.pw_uid, self._as.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            USER,
            f"--pwfile={password_file}",
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        )

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(self.bin / program), *arguments]
        if self._as is not None:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -F"
            " -c max_connections=50"
        )
        log = str(self.folder / "log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-o", options, "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        self._databases += 1
        name = f"test_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
