"""PostgreSQL as the store and the coordinator of any number of sync workers (asyncpg).

``PostgresStore`` has the tables and columns of :class:`~xportcn_async.sync.SQLiteStore`
(``orders``, ``sub_orders``, ``sync_state``, ``account`` in every key) and implements the same
:class:`~xportcn_async.sync.OrderStore` interface, so :func:`~xportcn_async.sync.sync_orders`
runs on it unchanged. It adds the tables through which several workers — processes on one
machine or many, started together or one after another — share a sync:

``sync_runs``
    one row per sync of an (account, platform): its range, window size and page size, and
    whether it is ``running``, ``finished`` or ``abandoned`` (``--reset-checkpoint``). At most
    one run per (account, platform) is running (a partial unique index); a worker started
    with the same arguments joins it.
``sync_windows``
    the run's creation-time windows: ``pending``, ``leased`` (by ``worker`` until
    ``lease_until``), ``done`` or ``incomplete``. A worker claims the oldest pending window,
    or one whose lease has run out, with ``SELECT … FOR UPDATE SKIP LOCKED``, and renews its
    lease while it walks. A window's orders and its completion are committed in one
    transaction, and only while the lease is still the worker's: a worker that lost its lease
    (it stalled, or was cut off) commits nothing, and another worker walks the window again.
``sync_leases``
    the log of every lease: who held which window from when until when, and how it ended.

Lease times are the database server's clock (``clock_timestamp()``), so the machines' clocks
do not matter. Every time is ``timestamptz``; ``status`` and ``refund_status`` are ``jsonb``
(a Taobao code stays a number, a 1688 status a string); ``raw_json`` is ``text``, exactly as
the API sent it (``raw_json::jsonb`` queries it).

The schema version is recorded in ``xportcn_schema``: a database of a newer version is refused
and left untouched; an older one is migrated in one transaction, under an advisory lock so
that workers starting together migrate it once.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from ..errors import ConfigurationError, StorageError
from ..pagination import split_windows
from .store import (
    SCHEMA_VERSION,
    OrderRecord,
    SaveResult,
    SQLiteStore,
    StoreBase,
    SyncState,
    classify,
    damaged_state,
    stored_checkpoint,
)

if TYPE_CHECKING:
    import asyncpg

__all__ = [
    "LeaseLost",
    "PostgresStore",
    "RunInfo",
    "WindowClaim",
    "is_postgres_url",
    "store_for",
]

#: The advisory lock taken while the schema is created or migrated.
_SCHEMA_LOCK = 0x78706F7274636E  # "xportcn"

_TABLES = """
CREATE TABLE IF NOT EXISTS orders (
    account      text NOT NULL,
    platform     text NOT NULL,
    id           text NOT NULL,
    order_no     text,
    status       jsonb,
    amount_fen   bigint,
    create_time  timestamptz,
    pay_time     timestamptz,
    raw_json     text NOT NULL,
    first_seen   timestamptz NOT NULL,
    last_synced  timestamptz NOT NULL,
    PRIMARY KEY (account, platform, id)
);
CREATE INDEX IF NOT EXISTS orders_by_create ON orders (account, platform, create_time);
CREATE INDEX IF NOT EXISTS orders_by_status ON orders (account, platform, status);
CREATE TABLE IF NOT EXISTS sub_orders (
    account        text NOT NULL,
    platform       text NOT NULL,
    order_id       text NOT NULL,
    id             text NOT NULL,
    status         jsonb,
    refund_status  jsonb,
    title          text,
    raw_json       text NOT NULL,
    PRIMARY KEY (account, platform, order_id, id)
);
CREATE TABLE IF NOT EXISTS sync_state (
    account          text NOT NULL,
    platform         text NOT NULL,
    checkpoint_json  text,
    synced_until     timestamptz,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (account, platform)
);
"""

_WORK_TABLES = """
CREATE TABLE IF NOT EXISTS sync_runs (
    id              bigserial PRIMARY KEY,
    account         text NOT NULL,
    platform        text NOT NULL,
    begin_at        timestamptz NOT NULL,
    end_at          timestamptz NOT NULL,
    window_seconds  integer NOT NULL,
    page_size       integer NOT NULL,
    state           text NOT NULL DEFAULT 'running',
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at     timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS sync_runs_one_running
    ON sync_runs (account, platform) WHERE state = 'running';
CREATE TABLE IF NOT EXISTS sync_windows (
    run_id       bigint NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    begin_at     timestamptz NOT NULL,
    end_at       timestamptz NOT NULL,
    state        text NOT NULL DEFAULT 'pending',
    worker       text,
    lease_until  timestamptz,
    attempts     integer NOT NULL DEFAULT 0,
    orders       integer,
    detail       text,
    PRIMARY KEY (run_id, begin_at)
);
CREATE TABLE IF NOT EXISTS sync_leases (
    id            bigserial PRIMARY KEY,
    run_id        bigint NOT NULL,
    window_begin  timestamptz NOT NULL,
    worker        text NOT NULL,
    acquired_at   timestamptz NOT NULL,
    held_until    timestamptz NOT NULL,
    released_at   timestamptz,
    outcome       text
);
"""

#: ``{version: [statements]}`` taking a database from ``version`` to ``version + 1``;
#: ``$1`` is the store's account. 1 → 2: ``account`` in every key (a version-1 database was
#: written for one account: its rows go to the account that opens it), and the work tables.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        *(
            statement
            for table, key in (
                ("orders", "platform, id"),
                ("sub_orders", "platform, order_id, id"),
                ("sync_state", "platform"),
            )
            for statement in (
                f"ALTER TABLE {table} ADD COLUMN account text",
                f"UPDATE {table} SET account = $1",  # noqa: S608 - table names are ours
                f"ALTER TABLE {table} ALTER COLUMN account SET NOT NULL",
                f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey",
                f"ALTER TABLE {table} ADD PRIMARY KEY (account, {key})",
            )
        ),
        "DROP INDEX IF EXISTS orders_by_create",
        "DROP INDEX IF EXISTS orders_by_status",
        _TABLES,
        _WORK_TABLES,
    ],
}


def is_postgres_url(value: str) -> bool:
    """Whether ``--db`` names a PostgreSQL database rather than a SQLite file."""
    return value.startswith(("postgresql://", "postgres://"))


def store_for(
    db: str, *, account: str = "", read_only: bool = False
) -> SQLiteStore | PostgresStore:
    """The store ``--db`` names: a PostgreSQL URL, or else a SQLite file."""
    if is_postgres_url(db):
        return PostgresStore(db, account=account, read_only=read_only)
    return SQLiteStore(db, account=account, read_only=read_only)


def _redacted(dsn: str) -> str:
    """The DSN without its password (for messages)."""
    scheme, sep, rest = dsn.partition("://")
    if "@" not in rest:
        return dsn
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}@{host}"


class LeaseLost(Exception):
    """The worker's lease on a window ran out or was taken over: nothing was committed."""


@attrs.frozen
class RunInfo:
    """A running sync that workers share (a ``sync_runs`` row)."""

    id: int
    platform: str
    begin: datetime
    end: datetime
    window: timedelta
    page_size: int
    created: bool


@attrs.frozen
class WindowClaim:
    """A window leased to one worker."""

    run_id: int
    platform: str
    begin: datetime
    end: datetime
    worker: str
    lease_id: int
    attempt: int


@attrs.frozen
class RunProgress:
    """Windows of a run by state."""

    pending: int = 0
    leased: int = 0
    done: int = 0
    incomplete: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.leased + self.done + self.incomplete


def new_worker_id() -> str:
    """``host:pid:random``: unique per worker process, readable in the lease log."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _unjson(value: str | None) -> Any:
    return None if value is None else orjson.loads(value)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class PostgresStore(StoreBase):
    """A PostgreSQL database as the sync's store: ``async with PostgresStore(dsn, account=…)``.

    ``dsn`` is a ``postgresql://user:password@host:port/database`` URL (libpq's usual
    ``PG*`` environment variables fill in what it leaves out). ``account`` is the Xportcn user
    id the rows belong to. Needs the ``postgres`` extra (``pip install
    'xportcn-async[postgres]'``).
    """

    def __init__(
        self, dsn: str, *, account: str = "", read_only: bool = False, pool_size: int = 4
    ) -> None:
        self.dsn = dsn
        self.account = account
        #: Nothing is created or migrated; the database must hold this schema version.
        self.read_only = read_only
        self.pool_size = pool_size
        self._pool: asyncpg.Pool | None = None

    def __repr__(self) -> str:
        return f"PostgresStore({_redacted(self.dsn)!r}, account={self.account!r})"

    # -- connection and schema -----------------------------------------------------------

    async def open(self) -> None:
        """Connect, then create the schema, migrate an older one, or refuse a newer one."""
        if self._pool is not None:
            return
        try:
            import asyncpg
        except ImportError:
            raise ConfigurationError(
                "PostgreSQL needs asyncpg: pip install 'xportcn-async[postgres]'"
            ) from None
        try:
            self._pool = await asyncpg.create_pool(
                self.dsn, min_size=1, max_size=self.pool_size, command_timeout=60
            )
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
            raise StorageError(
                f"{_redacted(self.dsn)}: cannot connect ({exc})", path=_redacted(self.dsn)
            ) from exc
        try:
            async with self._guard() as conn:
                await self._prepare_schema(conn)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        """Close every connection (idempotent)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    def _guard(self) -> _Guarded:
        if self._pool is None:
            raise RuntimeError("the store is not open: use 'async with PostgresStore(dsn)'")
        return _Guarded(self._pool, _redacted(self.dsn))

    async def _prepare_schema(self, conn: asyncpg.Connection) -> None:
        async with conn.transaction():
            if not self.read_only:
                await conn.execute("SELECT pg_advisory_xact_lock($1)", _SCHEMA_LOCK)
            has_version = await conn.fetchval("SELECT to_regclass('xportcn_schema') IS NOT NULL")
            tables = {
                r["tablename"]
                for r in await conn.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                )
            }
            version = (
                await conn.fetchval("SELECT max(version) FROM xportcn_schema") if has_version else 0
            ) or 0
            where = _redacted(self.dsn)
            if version > SCHEMA_VERSION:
                raise ConfigurationError(
                    f"{where} has schema version {version}, newer than this xportcn-async "
                    f"understands ({SCHEMA_VERSION}): upgrade xportcn-async (the database was "
                    "left untouched)"
                )
            if version == 0 and "orders" in tables:
                raise ConfigurationError(
                    f"{where} already has an 'orders' table that xportcn-async did not create: "
                    "use another database or schema (it was left untouched)"
                )
            if self.read_only:
                if version < SCHEMA_VERSION:
                    raise ConfigurationError(
                        f"{where} has schema version {version}, not {SCHEMA_VERSION}: run "
                        "'xportcn sync orders --db' on it once to create or migrate it"
                    )
                return
            if version == SCHEMA_VERSION:
                return
            if version == 0:
                await conn.execute(_TABLES + _WORK_TABLES)
                await conn.execute("CREATE TABLE xportcn_schema (version integer NOT NULL)")
            else:
                for step in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[step]:
                        if "$1" in statement:
                            await conn.execute(statement, self.account)
                        else:
                            await conn.execute(statement)
                await conn.execute("DELETE FROM xportcn_schema")
            await conn.execute("INSERT INTO xportcn_schema VALUES ($1)", SCHEMA_VERSION)

    # -- the OrderStore interface ----------------------------------------------------------

    async def save_page(
        self, platform: str, records: Sequence[OrderRecord], checkpoint: dict[str, Any] | None
    ) -> SaveResult:
        """Upsert a page of orders and its checkpoint in one transaction (idempotent)."""
        async with self._guard() as conn, conn.transaction():
            result = await self._upsert(conn, platform, records)
            if checkpoint is not None:
                await self._put_state(conn, platform, checkpoint, None)
        return result

    async def _upsert(
        self, conn: asyncpg.Connection, platform: str, records: Sequence[OrderRecord]
    ) -> SaveResult:
        # Rows locked in id order: two workers writing the same orders (a boundary order in
        # two windows) cannot deadlock.
        ids = sorted({r.id for r in records})
        if not ids:
            return SaveResult()
        existing = {
            r["id"]: r["raw_json"]
            for r in await conn.fetch(
                "SELECT id, raw_json FROM orders WHERE account = $1 AND platform = $2 "
                "AND id = ANY($3::text[]) ORDER BY id FOR UPDATE",
                self.account,
                platform,
                ids,
            )
        }
        touched, same, result = classify(records, existing)
        now = _now()
        if touched:
            await conn.execute(
                """
                INSERT INTO orders (account, platform, id, order_no, status, amount_fen,
                                    create_time, pay_time, raw_json, first_seen, last_synced)
                SELECT $1, $2, o.id, o.order_no, o.status, o.amount_fen, o.create_time,
                       o.pay_time, o.raw_json, $10, $10
                FROM unnest($3::text[], $4::text[], $5::jsonb[], $6::bigint[],
                            $7::timestamptz[], $8::timestamptz[], $9::text[])
                     AS o(id, order_no, status, amount_fen, create_time, pay_time, raw_json)
                ON CONFLICT (account, platform, id) DO UPDATE SET
                    order_no = excluded.order_no, status = excluded.status,
                    amount_fen = excluded.amount_fen, create_time = excluded.create_time,
                    pay_time = excluded.pay_time, raw_json = excluded.raw_json,
                    last_synced = excluded.last_synced
                """,
                self.account,
                platform,
                [r.id for r in touched],
                [r.order_no for r in touched],
                [_json(r.status) for r in touched],
                [r.amount_fen for r in touched],
                [r.create_time for r in touched],
                [r.pay_time for r in touched],
                [r.raw_json for r in touched],
                now,
            )
            touched_ids = [r.id for r in touched]
            await conn.execute(
                "DELETE FROM sub_orders WHERE account = $1 AND platform = $2 "
                "AND order_id = ANY($3::text[])",
                self.account,
                platform,
                touched_ids,
            )
            subs = {(r.id, s.id): s for r in touched for s in r.sub_orders}
            if subs:
                keys = sorted(subs)
                await conn.execute(
                    """
                    INSERT INTO sub_orders (account, platform, order_id, id, status,
                                            refund_status, title, raw_json)
                    SELECT $1, $2, s.* FROM unnest($3::text[], $4::text[], $5::jsonb[],
                                                   $6::jsonb[], $7::text[], $8::text[])
                         AS s(order_id, id, status, refund_status, title, raw_json)
                    """,
                    self.account,
                    platform,
                    [k[0] for k in keys],
                    [k[1] for k in keys],
                    [_json(subs[k].status) for k in keys],
                    [_json(subs[k].refund_status) for k in keys],
                    [subs[k].title for k in keys],
                    [subs[k].raw_json for k in keys],
                )
        if same:
            await conn.execute(
                "UPDATE orders SET last_synced = $3 WHERE account = $1 AND platform = $2 "
                "AND id = ANY($4::text[])",
                self.account,
                platform,
                now,
                same,
            )
        return result

    async def _put_state(
        self,
        conn: asyncpg.Connection,
        platform: str,
        checkpoint: dict[str, Any] | None,
        synced_until: datetime | None,
    ) -> None:
        await conn.execute(
            """
            INSERT INTO sync_state (account, platform, checkpoint_json, synced_until, updated_at)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (account, platform) DO UPDATE SET
                checkpoint_json = excluded.checkpoint_json,
                synced_until = COALESCE(excluded.synced_until, sync_state.synced_until),
                updated_at = excluded.updated_at
            """,
            self.account,
            platform,
            _json(checkpoint),
            synced_until,
            _now(),
        )

    async def finish(
        self, platform: str, checkpoint: dict[str, Any], synced_until: datetime
    ) -> None:
        """Record a completed walk and how far the platform is now synced."""
        async with self._guard() as conn, conn.transaction():
            await self._put_state(conn, platform, checkpoint, synced_until)

    async def get_state(self, platform: str) -> SyncState:
        """The stored checkpoint and synced-until time for ``platform``."""
        async with self._guard() as conn:
            row = await conn.fetchrow(
                "SELECT checkpoint_json, synced_until FROM sync_state "
                "WHERE account = $1 AND platform = $2",
                self.account,
                platform,
            )
        if row is None:
            return SyncState(None, None)
        where = _redacted(self.dsn)
        checkpoint = stored_checkpoint(
            row["checkpoint_json"],
            lambda what: damaged_state(where, platform, what, "PostgresStore"),
        )
        return SyncState(checkpoint, row["synced_until"])

    async def reset_state(self, platform: str) -> bool:
        """Discard ``platform``'s saved sync state and abandon its running sync, if any.

        Stored orders stay. Workers still walking the abandoned run finish its free windows
        and stop; the next command starts a new run. True when there was something to discard.
        """
        async with self._guard() as conn, conn.transaction():
            state = await conn.execute(
                "DELETE FROM sync_state WHERE account = $1 AND platform = $2",
                self.account,
                platform,
            )
            runs = await conn.execute(
                "UPDATE sync_runs SET state = 'abandoned', finished_at = clock_timestamp() "
                "WHERE account = $1 AND platform = $2 AND state = 'running'",
                self.account,
                platform,
            )
        return not (state.endswith(" 0") and runs.endswith(" 0"))

    async def open_orders(
        self, platform: str, final_statuses: Sequence[Any], created_before: datetime
    ) -> list[tuple[str, str | None]]:
        """(id, order_no) of orders not in ``final_statuses`` created before ``created_before``."""
        async with self._guard() as conn:
            rows = await conn.fetch(
                "SELECT id, order_no FROM orders WHERE account = $1 AND platform = $2 "
                "AND create_time < $3 AND NOT (status = ANY($4::jsonb[])) ORDER BY create_time",
                self.account,
                platform,
                created_before,
                [_json(s) for s in final_statuses],
            )
        return [(r["id"], r["order_no"]) for r in rows]

    async def count(self, platform: str | None = None) -> int:
        """Number of stored orders (of one platform, or all; every account)."""
        async with self._guard() as conn:
            if platform is None:
                value = await conn.fetchval("SELECT count(*) FROM orders")
            else:
                value = await conn.fetchval(
                    "SELECT count(*) FROM orders WHERE platform = $1", platform
                )
        return int(value)

    async def iter_export_rows(
        self,
        *,
        platform: str | None = None,
        statuses: Sequence[Any] = (),
        account: str | None = None,
        batch: int = 1000,
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """Stored orders in batches, newest first, as :meth:`SQLiteStore.iter_export_rows`.

        The values have the types SQLiteStore gives (times as ISO 8601 strings, the status
        as a number or a string), so the two stores export the same text for the same orders.
        """
        if batch < 1:
            raise ValueError(f"batch must be >= 1, got {batch!r}")
        sql = (
            "SELECT account, platform, id, order_no, status::text AS status, amount_fen, "
            "create_time, pay_time, raw_json, first_seen, last_synced FROM orders WHERE true"
        )
        args: list[Any] = []
        if account is not None:
            args.append(account)
            sql += f" AND account = ${len(args)}"
        if platform is not None:
            args.append(platform)
            sql += f" AND platform = ${len(args)}"
        if statuses:
            args.append([str(s) for s in statuses])
            sql += f" AND status #>> '{{}}' = ANY(${len(args)}::text[])"
        sql += (
            ' ORDER BY create_time DESC NULLS LAST, id COLLATE "C" DESC, '
            'account COLLATE "C", platform COLLATE "C"'
        )
        async with self._guard() as conn, conn.transaction():
            cursor = await conn.cursor(sql, *args)
            while True:
                rows = await cursor.fetch(batch)
                if not rows:
                    return
                yield [
                    {
                        "account": r["account"],
                        "platform": r["platform"],
                        "id": r["id"],
                        "order_no": r["order_no"],
                        "status": _unjson(r["status"]),
                        "amount_fen": r["amount_fen"],
                        "create_time": _iso(r["create_time"]),
                        "pay_time": _iso(r["pay_time"]),
                        "raw_json": r["raw_json"],
                        "first_seen": _iso(r["first_seen"]),
                        "last_synced": _iso(r["last_synced"]),
                    }
                    for r in rows
                ]

    # -- shared work: runs, windows, leases --------------------------------------------------

    async def start_run(
        self,
        platform: str,
        *,
        begin: datetime | None,
        end: datetime | None,
        window: timedelta,
        page_size: int,
        default_begin: datetime,
        default_end: datetime,
    ) -> RunInfo:
        """Join the running sync of ``platform``, or start one and lay out its windows.

        A running sync is joined when its arguments match (``begin``/``end`` when given,
        the window and page size): workers started with the same arguments share one run.
        Without one, a new run covers ``[begin, end]`` — ``default_begin``/``default_end``
        for what is not given (the engine passes the incremental defaults).
        """
        seconds = int(window.total_seconds())
        async with self._guard() as conn, conn.transaction():
            await conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                f"xportcn-run/{self.account}/{platform}",
            )
            row = await conn.fetchrow(
                "SELECT * FROM sync_runs WHERE account = $1 AND platform = $2 "
                "AND state = 'running'",
                self.account,
                platform,
            )
            if row is not None:
                mismatch = [
                    what
                    for what, ok in (
                        ("--since", begin is None or row["begin_at"] == begin),
                        ("--until", end is None or row["end_at"] == end),
                        ("--window-hours", row["window_seconds"] == seconds),
                        ("--page-size", row["page_size"] == page_size),
                    )
                    if not ok
                ]
                if mismatch:
                    raise ConfigurationError(
                        f"a sync of {platform} with other {', '.join(mismatch)} is running in "
                        f"this database ({row['begin_at'].isoformat()} .. "
                        f"{row['end_at'].isoformat()}, windows of {row['window_seconds']} s, "
                        f"page size {row['page_size']}): start workers with its arguments, wait "
                        "until it has finished, or abandon it with --reset-checkpoint (stored "
                        "orders are kept)"
                    )
                return self._run_info(row, created=False)
            lo, hi = begin or default_begin, end or default_end
            windows = split_windows(lo, hi, window) if hi >= lo else []
            row = await conn.fetchrow(
                "INSERT INTO sync_runs (account, platform, begin_at, end_at, window_seconds, "
                "page_size) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                self.account,
                platform,
                lo.replace(microsecond=0),
                hi.replace(microsecond=0),
                seconds,
                page_size,
            )
            await conn.executemany(
                "INSERT INTO sync_windows (run_id, begin_at, end_at) VALUES ($1, $2, $3)",
                [(row["id"], w.begin, w.end) for w in windows],
            )
            return self._run_info(row, created=True)

    @staticmethod
    def _run_info(row: Any, *, created: bool) -> RunInfo:
        return RunInfo(
            id=row["id"],
            platform=row["platform"],
            begin=row["begin_at"],
            end=row["end_at"],
            window=timedelta(seconds=row["window_seconds"]),
            page_size=row["page_size"],
            created=created,
        )

    async def claim_window(self, run: RunInfo, worker: str, lease: float) -> WindowClaim | None:
        """Lease the oldest window nobody holds: pending, or with a lease that ran out."""
        async with self._guard() as conn, conn.transaction():
            row = await conn.fetchrow(
                """
                WITH free AS (
                    SELECT run_id, begin_at FROM sync_windows
                    WHERE run_id = $1 AND (state = 'pending'
                          OR (state = 'leased' AND lease_until < clock_timestamp()))
                    ORDER BY begin_at LIMIT 1 FOR UPDATE SKIP LOCKED
                )
                UPDATE sync_windows w SET state = 'leased', worker = $2,
                    lease_until = clock_timestamp() + make_interval(secs => $3),
                    attempts = w.attempts + 1
                FROM free WHERE w.run_id = free.run_id AND w.begin_at = free.begin_at
                RETURNING w.begin_at, w.end_at, w.attempts, w.lease_until
                """,
                run.id,
                worker,
                lease,
            )
            if row is None:
                return None
            lease_id = await conn.fetchval(
                "INSERT INTO sync_leases (run_id, window_begin, worker, acquired_at, held_until) "
                "VALUES ($1, $2, $3, clock_timestamp(), $4) RETURNING id",
                run.id,
                row["begin_at"],
                worker,
                row["lease_until"],
            )
        return WindowClaim(
            run_id=run.id,
            platform=run.platform,
            begin=row["begin_at"],
            end=row["end_at"],
            worker=worker,
            lease_id=lease_id,
            attempt=row["attempts"],
        )

    async def live_workers(self, run: RunInfo, worker: str) -> int:
        """Workers of the run holding a live lease, this one included (at least 1)."""
        async with self._guard() as conn:
            others = await conn.fetchval(
                "SELECT count(DISTINCT worker) FROM sync_windows WHERE run_id = $1 "
                "AND state = 'leased' AND lease_until >= clock_timestamp() AND worker <> $2",
                run.id,
                worker,
            )
        return int(others) + 1

    async def renew(self, claim: WindowClaim, lease: float) -> bool:
        """Extend the lease; False when it is no longer this worker's (stop walking)."""
        async with self._guard() as conn, conn.transaction():
            until = await conn.fetchval(
                "UPDATE sync_windows "
                "SET lease_until = clock_timestamp() + make_interval(secs => $4) "
                "WHERE run_id = $1 AND begin_at = $2 AND worker = $3 AND state = 'leased' "
                "AND lease_until >= clock_timestamp() RETURNING lease_until",
                claim.run_id,
                claim.begin,
                claim.worker,
                lease,
            )
            if until is not None:
                await conn.execute(
                    "UPDATE sync_leases SET held_until = $2 WHERE id = $1", claim.lease_id, until
                )
        return until is not None

    async def complete_window(
        self,
        claim: WindowClaim,
        records: Sequence[OrderRecord],
        *,
        incomplete: str | None = None,
    ) -> SaveResult:
        """Store the window's orders and mark it done (or ``incomplete``), in one transaction.

        Only while the lease is still this worker's: otherwise nothing is written and
        :class:`LeaseLost` is raised (another worker walks the window).
        """
        async with self._guard() as conn, conn.transaction():
            held = await conn.fetchval(
                "SELECT 1 FROM sync_windows WHERE run_id = $1 AND begin_at = $2 AND worker = $3 "
                "AND state = 'leased' AND lease_until >= clock_timestamp() FOR UPDATE",
                claim.run_id,
                claim.begin,
                claim.worker,
            )
            if held is None:
                raise LeaseLost(f"the lease on {claim.begin.isoformat()} ran out")
            result = await self._upsert(conn, claim.platform, records)
            await conn.execute(
                "UPDATE sync_windows SET state = $4, lease_until = NULL, orders = $5, detail = $6 "
                "WHERE run_id = $1 AND begin_at = $2 AND worker = $3",
                claim.run_id,
                claim.begin,
                claim.worker,
                "incomplete" if incomplete else "done",
                len({r.id for r in records}),
                incomplete,
            )
            await conn.execute(
                "UPDATE sync_leases SET released_at = clock_timestamp(), held_until = "
                "clock_timestamp(), outcome = $2 WHERE id = $1",
                claim.lease_id,
                "incomplete" if incomplete else "done",
            )
        return result

    async def release(self, claim: WindowClaim, outcome: str) -> None:
        """Give a window back (pending again) after a failure, and log why."""
        async with self._guard() as conn, conn.transaction():
            await conn.execute(
                "UPDATE sync_windows SET state = 'pending', worker = NULL, lease_until = NULL "
                "WHERE run_id = $1 AND begin_at = $2 AND worker = $3 AND state = 'leased'",
                claim.run_id,
                claim.begin,
                claim.worker,
            )
            await conn.execute(
                "UPDATE sync_leases SET released_at = clock_timestamp(), held_until = "
                "LEAST(held_until, clock_timestamp()), outcome = $2 WHERE id = $1",
                claim.lease_id,
                outcome,
            )

    async def run_progress(self, run: RunInfo) -> RunProgress:
        """How many windows of the run are pending, leased, done and incomplete."""
        async with self._guard() as conn:
            rows = await conn.fetch(
                "SELECT CASE WHEN state = 'leased' AND lease_until < clock_timestamp() "
                "THEN 'pending' ELSE state END AS s, count(*) AS n FROM sync_windows "
                "WHERE run_id = $1 GROUP BY 1",
                run.id,
            )
        return RunProgress(**{r["s"]: int(r["n"]) for r in rows})

    async def incomplete_windows(self, run: RunInfo) -> list[tuple[datetime, datetime, str]]:
        """(begin, end, detail) of the run's incomplete windows, oldest first."""
        async with self._guard() as conn:
            rows = await conn.fetch(
                "SELECT begin_at, end_at, detail FROM sync_windows WHERE run_id = $1 "
                "AND state = 'incomplete' ORDER BY begin_at",
                run.id,
            )
        return [(r["begin_at"], r["end_at"], r["detail"] or "") for r in rows]

    async def finish_run(self, run: RunInfo) -> bool:
        """Mark the run finished once every window is done or incomplete (idempotent).

        Records how far the platform is synced: the run's end, or the begin of its first
        incomplete window. True for the worker that finished it.
        """
        async with self._guard() as conn, conn.transaction():
            open_windows = await conn.fetchval(
                "SELECT count(*) FROM sync_windows WHERE run_id = $1 "
                "AND state IN ('pending', 'leased')",
                run.id,
            )
            if open_windows:
                return False
            finished = await conn.fetchval(
                "UPDATE sync_runs SET state = 'finished', finished_at = clock_timestamp() "
                "WHERE id = $1 AND state = 'running' RETURNING id",
                run.id,
            )
            if finished is None:
                return False
            first_incomplete = await conn.fetchval(
                "SELECT min(begin_at) FROM sync_windows WHERE run_id = $1 AND state = 'incomplete'",
                run.id,
            )
            until = min(run.end, first_incomplete) if first_incomplete else run.end
            await self._put_state(conn, run.platform, {"run": run.id, "done": True}, until)
        return True


class _Guarded:
    """A pooled connection whose PostgreSQL and connection failures become StorageError."""

    def __init__(self, pool: asyncpg.Pool, where: str) -> None:
        self._pool = pool
        self._where = where
        self._conn: Any = None

    async def __aenter__(self) -> asyncpg.Connection:
        try:
            self._conn = await self._pool.acquire()
        except Exception as exc:
            raise _storage_error(self._where, exc) from exc
        return self._conn

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        await self._pool.release(self._conn)
        if exc is not None and _is_database_error(exc):
            raise _storage_error(self._where, exc) from exc


def _is_database_error(exc: BaseException) -> bool:
    import asyncpg

    return isinstance(exc, (asyncpg.PostgresError, asyncpg.InterfaceError, OSError))


def _storage_error(where: str, exc: BaseException) -> StorageError:
    return StorageError(f"{where}: {exc}", path=where)
