"""Where synced orders go: the :class:`OrderStore` interface and its SQLite implementation.

The SQLite store runs every statement on one worker thread (SQLite connections
belong to a thread), so the event loop never blocks on disk. Each call to
:meth:`SQLiteStore.save_page` is one transaction holding a page of orders *and*
the checkpoint that says the page is done: a sync killed at any point loses
nothing and resumes after the last committed page.

Schema (``PRAGMA user_version`` 2)::

    orders(account, platform, id, order_no, status, amount_fen, create_time, pay_time,
           raw_json, first_seen, last_synced)     PRIMARY KEY (account, platform, id)
    sub_orders(account, platform, order_id, id, status, refund_status, title, raw_json)
    sync_state(account, platform, checkpoint_json, synced_until, updated_at)

``account`` is the Xportcn user id (:attr:`SQLiteStore.account`), so several accounts can
share one database; :class:`~xportcn_async.sync.postgres.PostgresStore` has the same tables.

Times are ISO 8601 with their UTC offset (orders keep China time, +08:00);
``status`` keeps the API's own value (an int for Taobao, a string for 1688).

Schema versions: a new file is created at :data:`SCHEMA_VERSION`; an older file is
migrated in one transaction (:data:`MIGRATIONS`); a file of a newer version (written
by a newer xportcn-async) is refused with :class:`~xportcn_async.errors.ConfigurationError`
and left untouched, as is a SQLite file holding other tables than ours. Every
SQLite failure (not a database, locked, disk full, read-only) is raised as
:class:`~xportcn_async.errors.StorageError`; what was committed before stays.
Checkpoints read back are checked (a JSON object, an ISO time): a damaged one is a
``ConfigurationError`` naming the row and :meth:`SQLiteStore.reset_state`, the way
out (``xportcn sync orders --reset-checkpoint``).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol, TypeVar

import attrs
import orjson

from ..errors import ConfigurationError, StorageError

__all__ = ["OrderRecord", "OrderStore", "SQLiteStore", "SaveResult", "SubOrderRecord", "SyncState"]

R = TypeVar("R")

SCHEMA_VERSION = 2

#: ``{version: SQL}``: the statements that take a file from ``version`` to ``version + 1``
#: (``:account`` is the store's account). Each change adds one entry, never edits one.
#: 1 → 2: an ``account`` column (the Xportcn user id) in every key, so that several accounts
#: can share one database; the rows of a version-1 file belong to the account that opens it
#: for writing (a version-1 file was written by one account).
MIGRATIONS: dict[int, str] = {
    1: """
    ALTER TABLE orders RENAME TO orders_v1;
    ALTER TABLE sub_orders RENAME TO sub_orders_v1;
    ALTER TABLE sync_state RENAME TO sync_state_v1;
    {schema};
    INSERT INTO orders SELECT :account, platform, id, order_no, status, amount_fen, create_time,
        pay_time, raw_json, first_seen, last_synced FROM orders_v1;
    INSERT INTO sub_orders SELECT :account, platform, order_id, id, status, refund_status,
        title, raw_json FROM sub_orders_v1;
    INSERT INTO sync_state SELECT :account, platform, checkpoint_json, synced_until, updated_at
        FROM sync_state_v1;
    DROP TABLE orders_v1;
    DROP TABLE sub_orders_v1;
    DROP TABLE sync_state_v1;
    {indexes}
    """,
}

_OUR_TABLES = frozenset({"orders", "sub_orders", "sync_state"})

#: Version 1, the schema before ``account``: a file with some of these tables and no
#: recorded version (written before versions were recorded) gets the missing ones first.
_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS orders (
    platform     TEXT NOT NULL,
    id           TEXT NOT NULL,
    order_no     TEXT,
    status,
    amount_fen   INTEGER,
    create_time  TEXT,
    pay_time     TEXT,
    raw_json     TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_synced  TEXT NOT NULL,
    PRIMARY KEY (platform, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS orders_by_create ON orders (platform, create_time);
CREATE INDEX IF NOT EXISTS orders_by_status ON orders (platform, status);
CREATE TABLE IF NOT EXISTS sub_orders (
    platform       TEXT NOT NULL,
    order_id       TEXT NOT NULL,
    id             TEXT NOT NULL,
    status,
    refund_status,
    title          TEXT,
    raw_json       TEXT NOT NULL,
    PRIMARY KEY (platform, order_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_state (
    platform         TEXT PRIMARY KEY,
    checkpoint_json  TEXT,
    synced_until     TEXT,
    updated_at       TEXT NOT NULL
);
"""

_TABLES = """
CREATE TABLE IF NOT EXISTS orders (
    account      TEXT NOT NULL,
    platform     TEXT NOT NULL,
    id           TEXT NOT NULL,
    order_no     TEXT,
    status,
    amount_fen   INTEGER,
    create_time  TEXT,
    pay_time     TEXT,
    raw_json     TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_synced  TEXT NOT NULL,
    PRIMARY KEY (account, platform, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sub_orders (
    account        TEXT NOT NULL,
    platform       TEXT NOT NULL,
    order_id       TEXT NOT NULL,
    id             TEXT NOT NULL,
    status,
    refund_status,
    title          TEXT,
    raw_json       TEXT NOT NULL,
    PRIMARY KEY (account, platform, order_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_state (
    account          TEXT NOT NULL,
    platform         TEXT NOT NULL,
    checkpoint_json  TEXT,
    synced_until     TEXT,
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (account, platform)
)"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS orders_by_create ON orders (account, platform, create_time);
CREATE INDEX IF NOT EXISTS orders_by_status ON orders (account, platform, status);
"""
_SCHEMA = f"{_TABLES};{_INDEXES}"
MIGRATIONS[1] = MIGRATIONS[1].format(schema=_TABLES, indexes=_INDEXES)


@attrs.frozen(kw_only=True)
class SubOrderRecord:
    """A sub-order (order line) as stored."""

    id: str
    status: Any = None
    refund_status: Any = None
    title: str | None = None
    raw_json: str = "{}"


@attrs.frozen(kw_only=True)
class OrderRecord:
    """An order as stored: a few indexed columns plus the order's full JSON."""

    platform: str
    id: str
    order_no: str | None
    status: Any
    amount_fen: int | None
    create_time: datetime | None
    pay_time: datetime | None
    raw_json: str
    sub_orders: Sequence[SubOrderRecord] = ()


@attrs.frozen
class SaveResult:
    """What one :meth:`OrderStore.save_page` changed."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0


@attrs.frozen
class SyncState:
    """Per-platform sync state: the last checkpoint and how far the sync is complete."""

    checkpoint: dict[str, Any] | None
    synced_until: datetime | None


class OrderStore(Protocol):
    """What the sync engine needs from a store. Implement it to sync elsewhere."""

    async def save_page(
        self, platform: str, records: Sequence[OrderRecord], checkpoint: dict[str, Any] | None
    ) -> SaveResult:
        """Upsert ``records`` and record ``checkpoint`` atomically."""
        ...

    async def get_state(self, platform: str) -> SyncState:
        """The platform's sync state (empty when never synced)."""
        ...

    async def finish(
        self, platform: str, checkpoint: dict[str, Any], synced_until: datetime
    ) -> None:
        """Record a completed walk: the final checkpoint and the end of the synced range."""
        ...

    async def open_orders(
        self, platform: str, final_statuses: Sequence[Any], created_before: datetime
    ) -> list[tuple[str, str | None]]:
        """(id, order_no) of orders not in a final status created before ``created_before``."""
        ...

    async def reset_state(self, platform: str) -> bool:
        """Discard the platform's saved sync state; True when there was one."""
        ...


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def classify(
    records: Sequence[OrderRecord], existing: Mapping[str, str]
) -> tuple[list[OrderRecord], list[str], SaveResult]:
    """A page against the stored ``raw_json`` of its ids (``existing``).

    Returns the orders to write (new or changed: one per id, the page's last, in id order),
    the ids stored unchanged, and the counts per record of the page.
    """
    latest = {r.id: r for r in records}
    same = [i for i in sorted(latest) if i in existing and existing[i] == latest[i].raw_json]
    unchanged = set(same)
    touched = [latest[i] for i in sorted(latest) if i not in unchanged]
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    for rec in records:
        if rec.id not in existing:
            counts["new"] += 1
        else:
            counts["unchanged" if existing[rec.id] == rec.raw_json else "changed"] += 1
    return touched, same, SaveResult(counts["new"], counts["changed"], counts["unchanged"])


def damaged_state(where: str, platform: str, what: str, store: str) -> ConfigurationError:
    """The error for a saved sync state that does not validate, with the way out."""
    return ConfigurationError(
        f"{where}: the saved sync state of {platform} is damaged ({what}). "
        f"Discard it with 'xportcn sync orders --platform {platform} --reset-checkpoint' "
        f"(or {store}.reset_state): stored orders are kept, the next sync walks "
        "its range again"
    )


def stored_checkpoint(
    text: Any, damaged: Callable[[str], ConfigurationError]
) -> dict[str, Any] | None:
    """A stored ``checkpoint_json`` read back: a JSON object or None, else ``damaged(what)``."""
    if text is None or text == "":
        return None
    try:
        value = orjson.loads(text)
    except (orjson.JSONDecodeError, TypeError):
        raise damaged("checkpoint_json is not JSON") from None
    if value is not None and not isinstance(value, dict):
        raise damaged("checkpoint_json is not a JSON object")
    return value


S = TypeVar("S", bound="StoreBase")


class StoreBase:
    """What both stores share: ``async with``, and ``export_rows`` over ``iter_export_rows``."""

    async def open(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def __aenter__(self: S) -> S:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def iter_export_rows(
        self,
        *,
        platform: str | None = None,
        statuses: Sequence[Any] = (),
        account: str | None = None,
        batch: int = 1000,
    ) -> AsyncIterator[list[dict[str, Any]]]:
        raise NotImplementedError

    async def export_rows(
        self,
        *,
        platform: str | None = None,
        statuses: Sequence[Any] = (),
        account: str | None = None,
    ) -> list[dict[str, Any]]:
        """Stored orders as dicts (columns plus ``raw_json``), newest first, all at once."""
        rows: list[dict[str, Any]] = []
        async for batch in self.iter_export_rows(
            platform=platform, statuses=statuses, account=account
        ):
            rows.extend(batch)
        return rows


class SQLiteStore(StoreBase):
    """SQLite file store (WAL). ``async with SQLiteStore("orders.sqlite") as store:``."""

    def __init__(self, path: str | Path, *, account: str = "", read_only: bool = False) -> None:
        self.path = Path(path)
        #: The Xportcn user id the synced rows belong to (``""``: not said, for a database of
        #: one account). ``xportcn sync orders`` passes its ``XPORTCN_USER_ID``.
        self.account = account
        #: Opened with SQLite's ``mode=ro``: nothing is written, not even the schema
        #: version or the journal mode; the file must exist and be of this schema version.
        self.read_only = read_only
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None

    async def open(self) -> None:
        """Open (creating if needed) the database file and its schema."""
        if self._executor is not None:
            return
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xportcn-sqlite")
        try:
            await self._run(self._open_sync)
        except BaseException:
            # Failed or cancelled: ``async with`` will not call close(), so close here.
            # The open may still be running on the worker: close() queues behind it.
            await self.close()
            raise

    async def close(self) -> None:
        """Close the connection and stop the worker thread (idempotent)."""
        if self._executor is None:
            return
        try:
            await self._run(self._close_sync)
        finally:
            self._executor.shutdown(wait=True)
            self._executor = None

    async def _run(self, fn: Callable[..., R], *args: Any) -> R:
        if self._executor is None:
            raise RuntimeError("the store is not open: use 'async with SQLiteStore(path)'")
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self._guarded, fn, *args)
        # A cancelled caller must not leave a half-written transaction: let it finish.
        return await asyncio.shield(future)

    def _guarded(self, fn: Callable[..., R], *args: Any) -> R:
        """Run ``fn`` on the worker, turning SQLite's failures into :class:`StorageError`."""
        try:
            return fn(*args)
        except sqlite3.Error as exc:
            raise StorageError(f"{self.path}: {_storage_reason(exc)}", path=str(self.path)) from exc

    def _connect_read_only(self) -> sqlite3.Connection:
        """Open the file with SQLite's ``mode=ro``, or ``immutable=1`` where that cannot work.

        A read-only connection to a WAL database needs the WAL index (the ``-shm`` file)
        and creates it when missing. Where it cannot (a read-only folder), ``mode=ro``
        fails and the file is opened ``immutable=1`` instead: SQLite then reads the main
        file without locks or WAL index, assuming nobody writes it meanwhile. When this
        user may not write the file (``chmod 0444``) and no ``-wal`` file exists,
        ``immutable=1`` is used directly: ``mode=ro`` would leave a ``-shm`` file as
        read-only as the database next to it, and a later ``xportcn sync orders`` on the
        file made writable again would fail on it. A ``-wal`` file holding changes that
        are not yet in the main file cannot be read ``immutable=1`` (its rows would be
        silently missing): that is a :class:`StorageError` saying what to do.
        """
        if not self.path.is_file():
            raise StorageError(
                f"{self.path}: no such file (a read-only store is never created)",
                path=str(self.path),
            )
        uri = self.path.resolve().as_uri()
        try:
            wal_size: int | None = Path(f"{self.path}-wal").stat().st_size
        except OSError:  # no -wal file (or none this user may see)
            wal_size = None
        if wal_size is None and _is_wal_file(self.path) and not _writable(self.path):
            return _connect_uri(f"{uri}?mode=ro&immutable=1")
        try:
            conn = _connect_uri(f"{uri}?mode=ro")
            try:
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            except BaseException:
                conn.close()
                raise
            return conn
        except sqlite3.OperationalError as exc:
            if "unable to open" not in str(exc) and "readonly" not in str(exc):
                raise
            if wal_size:
                raise StorageError(
                    f"{self.path}: its -wal file holds changes not yet in the database, "
                    "which SQLite cannot read from this read-only location (it cannot create "
                    "the -shm file): make the folder writable, or run 'xportcn sync orders' "
                    "on it once where it is writable",
                    path=str(self.path),
                ) from exc
        return _connect_uri(f"{uri}?mode=ro&immutable=1")

    def _open_sync(self) -> None:
        if self.read_only:
            conn = self._connect_read_only()
        else:
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
                    f"{self.path} has schema version {version}, newer than this "
                    f"xportcn-async understands ({SCHEMA_VERSION}): upgrade xportcn-async "
                    "(the file was left untouched)"
                )
            if version == 0 and tables and not tables <= _OUR_TABLES:
                raise ConfigurationError(
                    f"{self.path} is a SQLite database of something else (tables: "
                    f"{', '.join(sorted(tables))}): choose another --db file "
                    "(the file was left untouched)"
                )
            if self.read_only:
                if version < SCHEMA_VERSION and tables and MIGRATIONS:
                    raise ConfigurationError(
                        f"{self.path} has schema version {version}, older than this "
                        f"xportcn-async's ({SCHEMA_VERSION}), and is opened read-only: run "
                        "'xportcn sync orders' on it once to migrate it"
                    )
                if not tables >= {"orders"}:
                    raise ConfigurationError(
                        f"{self.path} holds no synced orders (no 'orders' table): "
                        "run 'xportcn sync orders --db' with it first"
                    )
                self._conn = conn
                return
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            if version < SCHEMA_VERSION:
                self._migrate(conn, (version or 1) if tables else 0)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        """Create the schema (version 0) or migrate an older file, in one transaction."""
        if version == 0:
            scripts = [_SCHEMA]
        else:  # a file without a recorded version is version 1 (with its missing tables)
            scripts = [_SCHEMA_V1] + [MIGRATIONS[v] for v in range(version, SCHEMA_VERSION)]
        with _Transaction(conn):
            for script in scripts:
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement, {"account": self.account})
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _close_sync(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("the store is not open")
        return self._conn

    # -- writes ------------------------------------------------------------------------

    async def save_page(
        self, platform: str, records: Sequence[OrderRecord], checkpoint: dict[str, Any] | None
    ) -> SaveResult:
        """Upsert a page of orders and its checkpoint in one transaction (idempotent)."""
        return await self._run(self._save_page_sync, platform, list(records), checkpoint)

    def _save_page_sync(
        self, platform: str, records: list[OrderRecord], checkpoint: dict[str, Any] | None
    ) -> SaveResult:
        db = self._db
        now = _now()
        with self._transaction():
            existing: dict[str, str] = {}
            ids = [r.id for r in records]
            for chunk in _chunks(ids, 500):
                marks = ",".join("?" * len(chunk))
                existing.update(
                    db.execute(
                        "SELECT id, raw_json FROM orders "  # noqa: S608
                        f"WHERE account = ? AND platform = ? AND id IN ({marks})",
                        (self.account, platform, *chunk),
                    ).fetchall()
                )
            touched, unchanged_ids, result = classify(records, existing)
            db.executemany(
                """
                INSERT INTO orders (account, platform, id, order_no, status, amount_fen,
                                    create_time, pay_time, raw_json, first_seen, last_synced)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (account, platform, id) DO UPDATE SET
                    order_no = excluded.order_no, status = excluded.status,
                    amount_fen = excluded.amount_fen, create_time = excluded.create_time,
                    pay_time = excluded.pay_time, raw_json = excluded.raw_json,
                    last_synced = excluded.last_synced
                """,
                [
                    (
                        self.account,
                        platform,
                        r.id,
                        r.order_no,
                        r.status,
                        r.amount_fen,
                        _iso(r.create_time),
                        _iso(r.pay_time),
                        r.raw_json,
                        now,
                        now,
                    )
                    for r in touched
                ],
            )
            db.executemany(
                "UPDATE orders SET last_synced = ? WHERE account = ? AND platform = ? AND id = ?",
                [(now, self.account, platform, i) for i in unchanged_ids],
            )
            db.executemany(
                "DELETE FROM sub_orders WHERE account = ? AND platform = ? AND order_id = ?",
                [(self.account, platform, r.id) for r in touched],
            )
            db.executemany(
                """
                INSERT OR REPLACE INTO sub_orders
                    (account, platform, order_id, id, status, refund_status, title, raw_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    (
                        self.account,
                        platform,
                        r.id,
                        s.id,
                        s.status,
                        s.refund_status,
                        s.title,
                        s.raw_json,
                    )
                    for r in touched
                    for s in r.sub_orders
                ],
            )
            if checkpoint is not None:
                self._put_state(platform, checkpoint, None)
        return result

    def _put_state(
        self, platform: str, checkpoint: dict[str, Any] | None, synced_until: datetime | None
    ) -> None:
        self._db.execute(
            """
            INSERT INTO sync_state (account, platform, checkpoint_json, synced_until, updated_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (account, platform) DO UPDATE SET
                checkpoint_json = excluded.checkpoint_json,
                synced_until = COALESCE(excluded.synced_until, sync_state.synced_until),
                updated_at = excluded.updated_at
            """,
            (
                self.account,
                platform,
                orjson.dumps(checkpoint).decode() if checkpoint is not None else None,
                _iso(synced_until),
                _now(),
            ),
        )

    async def finish(
        self, platform: str, checkpoint: dict[str, Any], synced_until: datetime
    ) -> None:
        """Record a completed walk and how far the platform is now synced."""

        def run() -> None:
            with self._transaction():
                self._put_state(platform, checkpoint, synced_until)

        await self._run(run)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    # -- reads -------------------------------------------------------------------------

    async def get_state(self, platform: str) -> SyncState:
        """The stored checkpoint and synced-until time for ``platform``."""

        def run() -> SyncState:
            row = self._db.execute(
                "SELECT checkpoint_json, synced_until FROM sync_state "
                "WHERE account = ? AND platform = ?",
                (self.account, platform),
            ).fetchone()
            if row is None:
                return SyncState(None, None)
            return SyncState(
                stored_checkpoint(row[0], lambda what: self._damaged(platform, what)),
                self._stored_time(platform, "synced_until", row[1]),
            )

        return await self._run(run)

    def _damaged(self, platform: str, what: str) -> ConfigurationError:
        return damaged_state(str(self.path), platform, what, "SQLiteStore")

    def _stored_time(self, platform: str, column: str, text: Any) -> datetime | None:
        if text is None or text == "":
            return None
        try:
            value = datetime.fromisoformat(text) if isinstance(text, str) else None
        except ValueError:
            value = None
        if value is None or value.utcoffset() is None:
            raise self._damaged(platform, f"{column} is not an ISO 8601 time: {text!r}")
        return value

    async def reset_state(self, platform: str) -> bool:
        """Discard ``platform``'s saved sync state (checkpoint and synced-until).

        Stored orders stay; the next sync starts afresh (and, re-walking, finds them
        unchanged). Returns True when there was a state to discard.
        """

        def run() -> bool:
            with self._transaction():
                cur = self._db.execute(
                    "DELETE FROM sync_state WHERE account = ? AND platform = ?",
                    (self.account, platform),
                )
                return cur.rowcount > 0

        return await self._run(run)

    async def open_orders(
        self, platform: str, final_statuses: Sequence[Any], created_before: datetime
    ) -> list[tuple[str, str | None]]:
        """(id, order_no) of orders not in ``final_statuses`` created before ``created_before``."""

        def run() -> list[tuple[str, str | None]]:
            marks = ",".join("?" * len(final_statuses)) or "NULL"
            rows = self._db.execute(
                f"""
                SELECT id, order_no FROM orders
                WHERE account = ? AND platform = ? AND create_time < ?
                  AND status NOT IN ({marks})
                ORDER BY create_time
                """,  # noqa: S608 - only placeholders are interpolated
                (self.account, platform, created_before.isoformat(), *final_statuses),
            ).fetchall()
            return [(str(r[0]), r[1]) for r in rows]

        return await self._run(run)

    async def count(self, platform: str | None = None) -> int:
        """Number of stored orders (of one platform, or all)."""

        def run() -> int:
            if platform is None:
                row = self._db.execute("SELECT COUNT(*) FROM orders").fetchone()
            else:
                row = self._db.execute(
                    "SELECT COUNT(*) FROM orders WHERE platform = ?", (platform,)
                ).fetchone()
            return int(row[0])

        return await self._run(run)

    async def iter_export_rows(
        self,
        *,
        platform: str | None = None,
        statuses: Sequence[Any] = (),
        account: str | None = None,
        batch: int = 1000,
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """Stored orders in batches of ``batch`` dicts, newest first (bounded memory).

        Every account's orders, or ``account``'s. ``statuses``: stored status values
        (Taobao codes as ``int``, 1688 strings); a value matches whether it was stored as
        a number or as text.
        """
        if batch < 1:
            raise ValueError(f"batch must be >= 1, got {batch!r}")
        sql = (
            "SELECT account, platform, id, order_no, status, amount_fen, create_time, pay_time, "
            "raw_json, first_seen, last_synced FROM orders WHERE 1 = 1"
        )
        args: list[Any] = []
        if account is not None:
            sql += " AND account = ?"
            args.append(account)
        if platform is not None:
            sql += " AND platform = ?"
            args.append(platform)
        if statuses:
            sql += f" AND CAST(status AS TEXT) IN ({','.join('?' * len(statuses))})"
            args.extend(str(s) for s in statuses)
        sql += " ORDER BY create_time DESC, id DESC, account, platform"
        cursor = await self._run(self._db.execute, sql, args)
        names = [d[0] for d in cursor.description]
        try:
            while True:
                rows = await self._run(cursor.fetchmany, batch)
                if not rows:
                    return
                yield [dict(zip(names, row, strict=True)) for row in rows]
        finally:
            if self._executor is not None:
                await self._run(cursor.close)


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self._conn.execute("BEGIN IMMEDIATE")
        return self._conn

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        self._conn.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def _connect_uri(uri: str) -> sqlite3.Connection:
    return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)


def _writable(path: Path) -> bool:
    """Whether this process (its effective user) may write ``path``."""
    return os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)


def _is_wal_file(path: Path) -> bool:
    """Whether the file's SQLite header says WAL mode (header bytes 18 and 19 are 2)."""
    try:
        with path.open("rb") as file:
            header = file.read(20)
    except OSError:
        return False
    return header[:16] == b"SQLite format 3\x00" and header[18:20] == b"\x02\x02"


def _storage_reason(exc: sqlite3.Error) -> str:
    """SQLite's message, with what to do for the usual causes."""
    text = str(exc)
    lowered = text.lower()
    if "not a database" in lowered:
        return f"{text} (choose another --db file)"
    if "locked" in lowered or "busy" in lowered:
        return f"{text} (another program is writing to it: try again when it has finished)"
    if "full" in lowered:
        return f"{text} (free some disk space and run again: committed pages are kept)"
    if "readonly" in lowered or "read-only" in lowered:
        return f"{text} (the file or its folder is read-only)"
    if "unable to open" in lowered:
        return f"{text} (does the folder exist, and may this user write to it?)"
    return text


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
