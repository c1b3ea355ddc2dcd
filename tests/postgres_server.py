"""A throwaway PostgreSQL server for the tests: ``initdb`` and ``pg_ctl`` into a temporary folder.

``make test`` (and so ``.ci/run``) runs the matrix inside one server::

    python -m tests.postgres_server run -- make -j2 -O matrix

which starts a server on a free loopback port, exports ``XPORTCN_TEST_POSTGRES_DSN`` to the
command, and stops the server and deletes its folder afterwards (also when the command fails
or is interrupted). When ``XPORTCN_TEST_POSTGRES_DSN`` is already set, that server is used and
nothing is started. The binaries are looked up on ``PATH`` and under
``/usr/lib/postgresql/*/bin``; when they are missing and this runs as root on Debian, Debian's
``postgresql`` package is installed first (``apt-get install postgresql``). PostgreSQL refuses
to run as root, so as root the server runs as the ``postgres`` user the package creates (made
with ``useradd`` when the binaries came without it).

The test fixture ``postgres_dsn`` (``tests/conftest.py``) uses the variable, or starts a server
of its own with :func:`throwaway_server` for a run outside ``make test``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ENV = "XPORTCN_TEST_POSTGRES_DSN"


def _find(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    return str(candidates[0]) if candidates else None


def binaries() -> tuple[str, str]:
    """Paths of ``initdb`` and ``pg_ctl``, installing Debian's package when they are missing."""
    initdb, pg_ctl = _find("initdb"), _find("pg_ctl")
    if initdb and pg_ctl:
        return initdb, pg_ctl
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("postgres_server: installing Debian's postgresql package", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
            check=True,
            env=env,
        )
        initdb, pg_ctl = _find("initdb"), _find("pg_ctl")
        if initdb and pg_ctl:
            return initdb, pg_ctl
    raise SystemExit(
        "postgres_server: initdb/pg_ctl not found; install PostgreSQL (Debian: apt-get install "
        f"postgresql) or set {ENV} to a server the tests may create databases on"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a PostgreSQL server in a temporary folder; yields its DSN; stops and deletes it."""
    initdb, pg_ctl = binaries()
    as_user: list[str] = []
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:  # binaries without Debian's package: make the user it would make
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                 "postgres"],
                check=True,
            )  # fmt: skip
            owner = pwd.getpwnam("postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="xportcn-pg-"))
    data = folder / "data"
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    user = owner.pw_name if owner is not None else pwd.getpwuid(os.geteuid()).pw_name
    try:
        subprocess.run(
            [*as_user, initdb, "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        subprocess.run(
            [
                *as_user,
                pg_ctl,
                "-D",
                str(data),
                "-l",
                str(folder / "log"),
                "-o",
                options,
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        try:
            yield f"postgresql://{user}@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                [*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                check=False,
                stdout=subprocess.DEVNULL,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def server() -> Iterator[str]:
    """The server ``XPORTCN_TEST_POSTGRES_DSN`` names, or else a throwaway one."""
    dsn = os.environ.get(ENV)
    if dsn:
        yield dsn
    else:
        with throwaway_server() as started:
            yield started


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "run" or argv[1] != "--" or len(argv) < 3:
        print("usage: python -m tests.postgres_server run -- COMMAND [ARGS…]", file=sys.stderr)
        return 2
    # SIGTERM (CI cancelling the job) must still stop the server: turn it into an exception.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with server() as dsn:
        print(f"postgres_server: {ENV}={dsn}", file=sys.stderr)
        return subprocess.call(argv[2:], env={**os.environ, ENV: dsn})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
