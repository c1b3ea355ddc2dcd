"""The durable inbox of the push receiver: a SQLite file every push is committed to first.

:class:`~xportcn_async.webhooks.MessageReceiver` (``message_handler(..., inbox=path)``)
answers Xportcn's 200 only once the push is a committed row here, then delivers rows to
your callback and marks them delivered. Xportcn never pushes again after a 200, so this
file is the only copy of an acknowledged push until it is delivered.

Schema (``PRAGMA user_version`` 1), one table keyed by the message identity
(:func:`~xportcn_async.webhooks.message_identity`)::

    messages(seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- arrival order (never reused)
             id TEXT NOT NULL UNIQUE,                 -- message identity (de-duplication key)
             body BLOB NOT NULL,                      -- the push exactly as received
             received_at TEXT NOT NULL,               -- ISO 8601, UTC
             delivered_at TEXT,                       -- set when the callback returned
             attempts INTEGER NOT NULL DEFAULT 0,     -- callback calls that completed
             last_error TEXT,                         -- the last callback error
             failed_at TEXT)                          -- attempts exhausted in this run

How it is used:

* **one worker thread** owns the connection (SQLite connections belong to a thread),
  so the event loop never waits on disk;
* **group commit**: writes submitted while a commit is running are committed together
  in the next transaction (``INSERT OR IGNORE`` per push, ``UPDATE`` per delivery),
  so 1,000 concurrent pushes cost a few commits, not 1,000;
* ``journal_mode=WAL`` with ``synchronous=FULL``: a commit is on disk (fsync) before
  the 200 goes out, so an acknowledged push survives a crash of the process *and* of
  the machine;
* delivered rows are kept for ``retention`` (default 7 days: far longer than
  Xportcn's re-push window of 5 × 30 min) to recognise re-pushes, then purged in
  small chunks; undelivered rows are never purged.

A file of a newer schema version (written by a newer xportcn-async) or a SQLite
file holding other tables is refused with
:class:`~xportcn_async.errors.ConfigurationError` and left untouched.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import attrs

from .errors import ConfigurationError

__all__ = ["SCHEMA_VERSION", "Inbox", "InboxEntry"]

logger = logging.getLogger("xportcn_async.webhooks")

R = TypeVar("R")

#: The schema version this release writes (``PRAGMA user_version``).
SCHEMA_VERSION = 1

#: ``{version: SQL}``: statements taking a file from ``version`` to ``version + 1``.
#: Empty while there is one version; a future change adds an entry, never edits one.
MIGRATIONS: dict[int, str] = {}

_OUR_TABLES = frozenset({"messages", "sqlite_sequence"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    body          BLOB NOT NULL,
    received_at   TEXT NOT NULL,
    delivered_at  TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    failed_at     TEXT
)
"""

_INSERT = "INSERT OR IGNORE INTO messages (id, body, received_at) VALUES (?, ?, ?)"
_DELIVERED = "UPDATE messages SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?"
_FAILED_ATTEMPT = (
    "UPDATE messages SET attempts = attempts + 1, last_error = ?, failed_at = ? WHERE id = ?"
)
_COLUMNS = "seq, id, body, received_at, delivered_at, attempts, last_error, failed_at"
_PURGE_CHUNK = 1000
_ERROR_TEXT = 2000


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _time(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) and text else None


@attrs.frozen(kw_only=True)
class InboxEntry:
    """One stored push, as :meth:`Inbox.entries` returns it."""

    seq: int
    identity: str
    body: bytes = attrs.field(repr=False)
    received_at: datetime
    delivered_at: datetime | None
    attempts: int
    last_error: str | None
    failed_at: datetime | None

    @property
    def delivered(self) -> bool:
        """True once the callback returned for this push."""
        return self.delivered_at is not None


class InboxClosedError(RuntimeError):
    """A write was submitted to an inbox that is closed or closing."""


class Inbox:
    """A SQLite inbox file (see the module docs). Normally created by the receiver.

    Open it yourself only to look inside, e.g. while the receiver is stopped::

        inbox = Inbox("messages.sqlite")
        await inbox.open()
        try:
            for entry in await inbox.entries(undelivered_only=True):
                print(entry.identity, entry.attempts, entry.last_error)
        finally:
            await inbox.close()
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None
        self._ops: list[tuple[str, tuple[Any, ...], asyncio.Future[int]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._closing = False

    def __repr__(self) -> str:
        state = "open" if self._conn is not None else "closed"
        return f"Inbox({str(self.path)!r}, {state})"

    # -- lifecycle ---------------------------------------------------------------------

    async def open(self) -> None:
        """Open (creating if needed) the file and its schema; idempotent."""
        if self._executor is not None:
            return
        self._closing = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xportcn-inbox")
        try:
            await self._run(self._open_sync)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        """Commit what was submitted, close the connection, stop the thread (idempotent)."""
        self._closing = True
        if self._flusher is not None:
            await asyncio.shield(self._flusher)
        if self._executor is None:
            return
        try:
            await self._run(self._close_sync)
        finally:
            self._executor.shutdown(wait=True)
            self._executor = None

    async def _run(self, fn: Callable[..., R], *args: Any) -> R:
        if self._executor is None:
            raise InboxClosedError(f"the inbox {self.path} is not open")
        future = asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)
        # A cancelled caller must not leave a half-done transaction: let it finish.
        return await asyncio.shield(future)

    def _open_sync(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            # Read before writing anything: a newer or foreign file must stay untouched.
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if version > SCHEMA_VERSION:
                raise ConfigurationError(
                    f"the inbox {self.path} has schema version {version}, newer than this "
                    f"xportcn-async understands ({SCHEMA_VERSION}): upgrade xportcn-async "
                    "(the file was left untouched)"
                )
            if version == 0 and tables and not tables <= _OUR_TABLES:
                raise ConfigurationError(
                    f"{self.path} is a SQLite database of something else (tables: "
                    f"{', '.join(sorted(tables))}): choose another inbox file "
                    "(the file was left untouched)"
                )
            conn.execute("PRAGMA journal_mode=WAL")
            # FULL: the WAL is fsynced at each commit, so an acknowledged push survives
            # a power cut too. Group commit keeps that to one fsync per batch.
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=5000")
            if version < SCHEMA_VERSION:
                self._migrate(conn, version if tables else 0)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    @staticmethod
    def _migrate(conn: sqlite3.Connection, version: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if version == 0:
                conn.execute(_SCHEMA)
            else:
                for step in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[step].split(";"):
                        if statement.strip():
                            conn.execute(statement)
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _close_sync(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise InboxClosedError(f"the inbox {self.path} is not open")
        return self._conn

    # -- group-committed writes ----------------------------------------------------------

    def _submit(self, sql: str, args: tuple[Any, ...]) -> asyncio.Future[int]:
        """Queue one statement for the next commit; the future gets its row count."""
        if self._closing or self._executor is None:
            raise InboxClosedError(f"the inbox {self.path} is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        self._ops.append((sql, args, future))
        if self._flusher is None:
            self._flusher = loop.create_task(self._flush())
        return future

    async def _flush(self) -> None:
        try:
            while self._ops:
                batch, self._ops = self._ops, []
                try:
                    counts = await self._run(self._apply_sync, [(s, a) for s, a, _ in batch])
                except Exception as exc:  # every statement of the batch failed with it
                    for _sql, _args, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                else:
                    for (_sql, _args, future), count in zip(batch, counts, strict=True):
                        if not future.done():  # its waiter may have been cancelled
                            future.set_result(count)
        finally:
            self._flusher = None

    def _apply_sync(self, ops: Sequence[tuple[str, tuple[Any, ...]]]) -> list[int]:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            counts = [db.execute(sql, args).rowcount for sql, args in ops]
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return counts

    async def record(self, identity: str, body: bytes) -> bool:
        """Commit a push; True when it is new, False when ``identity`` is already stored.

        Returns only after the commit (the caller may then answer 200).
        """
        return await self._submit(_INSERT, (identity, body, _now())) == 1

    async def mark_delivered(self, identity: str) -> None:
        """Record that the callback returned for ``identity``."""
        await self._submit(_DELIVERED, (_now(), identity))

    async def mark_failed_attempt(self, identity: str, error: str, *, final: bool) -> None:
        """Record a failed callback call; ``final`` when no attempt is left in this run."""
        await self._submit(
            _FAILED_ATTEMPT, (error[:_ERROR_TEXT], _now() if final else None, identity)
        )

    # -- reads and maintenance ------------------------------------------------------------

    async def begin_run(self) -> int:
        """Start a delivery run: give failed rows a new round; return the undelivered count."""

        def run() -> int:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "UPDATE messages SET failed_at = NULL "
                    "WHERE delivered_at IS NULL AND failed_at IS NOT NULL"
                )
                row = db.execute(
                    "SELECT COUNT(*) FROM messages WHERE delivered_at IS NULL"
                ).fetchone()
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            return int(row[0])

        return await self._run(run)

    async def fetch(self, *, after: int, limit: int) -> list[tuple[int, str, bytes]]:
        """``(seq, identity, body)`` of undelivered, not-failed rows past ``after``, in order."""

        def run() -> list[tuple[int, str, bytes]]:
            rows = self._db.execute(
                "SELECT seq, id, body FROM messages WHERE seq > ? AND delivered_at IS NULL "
                "AND failed_at IS NULL ORDER BY seq LIMIT ?",
                (after, limit),
            ).fetchall()
            return [(int(seq), str(ident), bytes(body)) for seq, ident, body in rows]

        return await self._run(run)

    async def purge(self, retention: float | timedelta) -> int:
        """Delete delivered rows received more than ``retention`` ago; return how many.

        Runs in chunks of 1,000 rows, one transaction each, so pushes arriving
        meanwhile are committed between chunks rather than after the whole purge.
        """
        seconds = retention.total_seconds() if isinstance(retention, timedelta) else retention
        cutoff = (datetime.now(timezone.utc) - timedelta(seconds=seconds)).isoformat(
            timespec="milliseconds"
        )

        def chunk() -> int:
            db = self._db
            cur = db.execute(
                "DELETE FROM messages WHERE seq IN (SELECT seq FROM messages "
                "WHERE delivered_at IS NOT NULL AND received_at < ? ORDER BY seq LIMIT ?)",
                (cutoff, _PURGE_CHUNK),
            )
            return cur.rowcount

        total = 0
        while True:
            deleted = await self._run(chunk)
            total += deleted
            if deleted < _PURGE_CHUNK:
                return total

    async def entries(
        self, *, undelivered_only: bool = False, limit: int | None = None
    ) -> list[InboxEntry]:
        """Stored pushes in arrival order (only the undelivered ones if asked)."""

        def run() -> list[InboxEntry]:
            sql = f"SELECT {_COLUMNS} FROM messages"  # noqa: S608 - constant column list
            if undelivered_only:
                sql += " WHERE delivered_at IS NULL"
            sql += " ORDER BY seq LIMIT ?"
            rows = self._db.execute(sql, (-1 if limit is None else limit,)).fetchall()
            return [
                InboxEntry(
                    seq=int(r[0]),
                    identity=str(r[1]),
                    body=bytes(r[2]),
                    received_at=_time(r[3]) or datetime.min.replace(tzinfo=timezone.utc),
                    delivered_at=_time(r[4]),
                    attempts=int(r[5]),
                    last_error=r[6],
                    failed_at=_time(r[7]),
                )
                for r in rows
            ]

        return await self._run(run)
