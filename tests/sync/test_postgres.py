"""PostgresStore on a real PostgreSQL server: the store interface, migrations, shared syncs.

Every test gets a fresh database on the test server (``postgres_dsn``, tests/conftest.py).
The multi-process test with SIGKILL is in tests/sync/test_postgres_workers.py.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.order_server import OrderServer
from tests.sync.test_integrity import client_for, repeat_page_one_as_page_three
from tests.sync.test_store import T0, rec
from xportcn_async import XportcnClient
from xportcn_async.errors import ConfigurationError, StorageError
from xportcn_async.serde import CHINA_TZ
from xportcn_async.sync import SQLiteStore, sync_orders
from xportcn_async.sync.postgres import PostgresStore
from xportcn_async.sync.store import SCHEMA_VERSION
from xportcn_async.testing import Emulator, FaultPlan, FaultRule
from xportcn_async.testing.emulator import Credentials


async def fetch(dsn: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    conn = await asyncpg.connect(dsn)
    try:
        return [tuple(r) for r in await conn.fetch(sql, *args)]
    finally:
        await conn.close()


# --------------------------------------------------------------------------- the store interface


async def test_upserts_are_idempotent_and_classified_like_sqlite(
    postgres_dsn: str, tmp_path: Path
) -> None:
    async with (
        PostgresStore(postgres_dsn, account="a") as pg,
        SQLiteStore(tmp_path / "o.sqlite", account="a") as lite,
    ):
        for store in (pg, lite):
            first = await store.save_page("taobao", [rec(1), rec(2)], {"page": 1})
            again = await store.save_page("taobao", [rec(1), rec(2)], {"page": 1})
            changed = await store.save_page("taobao", [rec(1, status=10), rec(3)], {"page": 2})
            assert (first.new, again.unchanged, changed.changed, changed.new) == (2, 2, 1, 1)
            state = await store.get_state("taobao")
            assert state.checkpoint == {"page": 2} and state.synced_until is None
            await store.finish("taobao", {"done": True}, T0)
            assert (await store.get_state("taobao")).synced_until == T0
            assert await store.open_orders("taobao", (3, 4), T0 + timedelta(days=1)) == [
                ("1", "NO1"),
                ("2", "NO2"),
                ("3", "NO3"),
            ]
            assert await store.open_orders("taobao", (10,), T0 + timedelta(days=1)) == [
                ("2", "NO2"),
                ("3", "NO3"),
            ]
            assert await store.reset_state("taobao") is True
            assert await store.reset_state("taobao") is False
        assert await pg.count() == await lite.count() == 3
    rows = await fetch(
        postgres_dsn, 'SELECT id, status, amount_fen FROM orders ORDER BY id COLLATE "C"'
    )
    assert rows == [("1", "10", 100), ("2", "0", 200), ("3", "0", 300)]  # status is jsonb
    subs = await fetch(postgres_dsn, "SELECT order_id, status, refund_status FROM sub_orders")
    assert sorted(subs) == [(str(i), '"WAIT_BUYER_P"', "0") for i in (1, 2, 3)]


async def test_the_checkpoint_is_committed_with_its_page_or_not_at_all(postgres_dsn: str) -> None:
    async with PostgresStore(postgres_dsn, account="a") as store:
        await store.save_page("taobao", [rec(1)], {"page": 1})
        bad = rec(2, raw="x\x00y")  # PostgreSQL text cannot hold NUL: the page fails
        with pytest.raises(StorageError):
            await store.save_page("taobao", [rec(3), bad], {"page": 2})
        assert (await store.get_state("taobao")).checkpoint == {"page": 1}
        assert await store.count() == 1


async def test_export_from_postgres_equals_export_from_sqlite(
    postgres_dsn: str, tmp_path: Path
) -> None:
    from xportcn_async.cli.export import export_row

    emu_kwargs: dict[str, Any] = {"orders": 300, "alibaba_orders": 60, "seed": 11, "days": 20}
    exports: list[list[dict[str, Any]]] = []
    async with Emulator(**emu_kwargs) as emu:
        for store in (
            SQLiteStore(tmp_path / "o.sqlite", account=emu.credentials.user_id),
            PostgresStore(postgres_dsn, account=emu.credentials.user_id),
        ):
            async with XportcnClient(**emu.client_kwargs()) as xp, store:
                for platform in ("taobao", "alibaba"):
                    await sync_orders(
                        xp, store, platform=platform, begin=emu.data_begin, end=emu.data_end
                    )
                rows = await store.export_rows()
            exports.append(
                [
                    {
                        k: v
                        for k, v in export_row(r).items()
                        if k not in {"first_seen", "last_synced"}
                    }
                    | {"order": r["raw_json"]}
                    for r in rows
                ]
            )
    lite, pg = exports
    assert len(lite) == 360
    assert pg == lite


async def test_a_newer_schema_is_refused_and_left_untouched(postgres_dsn: str) -> None:
    async with PostgresStore(postgres_dsn, account="a"):
        pass
    conn = await asyncpg.connect(postgres_dsn)
    await conn.execute("UPDATE xportcn_schema SET version = $1", SCHEMA_VERSION + 1)
    await conn.close()
    with pytest.raises(ConfigurationError, match="newer than this xportcn-async"):
        async with PostgresStore(postgres_dsn, account="a"):
            pass
    assert await fetch(postgres_dsn, "SELECT version FROM xportcn_schema") == [
        (SCHEMA_VERSION + 1,)
    ]


async def test_a_foreign_orders_table_is_refused(postgres_dsn: str) -> None:
    conn = await asyncpg.connect(postgres_dsn)
    await conn.execute("CREATE TABLE orders (x int)")
    await conn.close()
    with pytest.raises(ConfigurationError, match="did not create"):
        async with PostgresStore(postgres_dsn, account="a"):
            pass


async def test_an_unreachable_server_is_a_storage_error_without_the_password() -> None:
    dsn = "postgresql://someone:s3cret@127.0.0.1:9/nowhere"
    with pytest.raises(StorageError) as caught:
        async with PostgresStore(dsn, account="a"):
            pass
    assert "s3cret" not in str(caught.value) and "someone@127.0.0.1:9" in str(caught.value)


#: Version 1 of the PostgreSQL layout: the SQLite version-1 tables (no ``account``), as an
#: early PostgresStore build or a pgloader copy of a 0.1 SQLite file made them.
_V1 = """
CREATE TABLE orders (platform text NOT NULL, id text NOT NULL, order_no text, status jsonb,
    amount_fen bigint, create_time timestamptz, pay_time timestamptz, raw_json text NOT NULL,
    first_seen timestamptz NOT NULL, last_synced timestamptz NOT NULL, PRIMARY KEY (platform, id));
CREATE INDEX orders_by_create ON orders (platform, create_time);
CREATE INDEX orders_by_status ON orders (platform, status);
CREATE TABLE sub_orders (platform text NOT NULL, order_id text NOT NULL, id text NOT NULL,
    status jsonb, refund_status jsonb, title text, raw_json text NOT NULL,
    PRIMARY KEY (platform, order_id, id));
CREATE TABLE sync_state (platform text PRIMARY KEY, checkpoint_json text,
    synced_until timestamptz, updated_at timestamptz NOT NULL);
CREATE TABLE xportcn_schema (version integer NOT NULL);
INSERT INTO xportcn_schema VALUES (1);
INSERT INTO orders VALUES ('taobao', '7', 'NO7', '10', 700, '2026-04-16 18:17:12+08', NULL,
    '{"id":"7"}', now(), now());
INSERT INTO sub_orders VALUES ('taobao', '7', '7-1', '"WAIT_BUYER_P"', '0', 'ball', '{}');
INSERT INTO sync_state VALUES ('taobao', '{"done": true}', '2026-04-17 00:00:00+08', now());
"""


async def test_an_older_schema_is_migrated_to_the_account_that_opens_it(postgres_dsn: str) -> None:
    conn = await asyncpg.connect(postgres_dsn)
    await conn.execute(_V1)
    await conn.close()
    # Two workers starting together: the migration runs once, under the advisory lock.
    stores = [PostgresStore(postgres_dsn, account="acct-1") for _ in range(2)]
    await asyncio.gather(*(s.open() for s in stores))
    try:
        store = stores[0]
        assert await store.open_orders("taobao", (4,), T0 + timedelta(days=1)) == [("7", "NO7")]
        state = await store.get_state("taobao")
        assert state.checkpoint == {"done": True}
        assert state.synced_until == datetime(2026, 4, 17, tzinfo=CHINA_TZ)
        result = await store.save_page("taobao", [rec(7)], None)
        assert result.changed == 1  # the same order under the same account, not a new one
    finally:
        await asyncio.gather(*(s.close() for s in stores))
    assert await fetch(postgres_dsn, "SELECT version FROM xportcn_schema") == [(SCHEMA_VERSION,)]
    assert await fetch(postgres_dsn, "SELECT account, id FROM orders") == [("acct-1", "7")]
    assert await fetch(postgres_dsn, "SELECT account, order_id FROM sub_orders") == [
        ("acct-1", "7")
    ]
    keys = await fetch(
        postgres_dsn,
        "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'p' AND conrelid::regclass::text IN ('orders', 'sub_orders', "
        "'sync_state') ORDER BY 1",
    )
    assert keys == [
        ("orders", "PRIMARY KEY (account, platform, id)"),
        ("sub_orders", "PRIMARY KEY (account, platform, order_id, id)"),
        ("sync_state", "PRIMARY KEY (account, platform)"),
    ]


# --------------------------------------------------------------------------- shared syncs


def _truth(emu: Emulator) -> set[str]:
    """The ids of the emulator's Taobao orders (its ground truth)."""
    return {str(emu.state.taobao_doc(r)["id"]) for r in emu.state.taobao.records}


async def test_two_workers_in_one_process_store_exactly_the_servers_orders(
    postgres_dsn: str,
) -> None:
    plan = FaultPlan(default=FaultRule(server_error=0.05, reset=0.02), seed=3)
    async with Emulator(orders=3000, seed=4, days=30, faults=plan) as emu:
        begin, end = emu.data_begin, emu.data_end

        async def worker(name: str) -> Any:
            async with (
                XportcnClient(**emu.client_kwargs()) as xp,
                PostgresStore(postgres_dsn, account=emu.credentials.user_id) as store,
            ):
                return await sync_orders(
                    xp, store, begin=begin, end=end, concurrency=4, worker=name, lease=5
                )

        first, second = await asyncio.gather(worker("w1"), worker("w2"))
        truth = _truth(emu)
    assert first.complete and second.complete
    stored = await fetch(postgres_dsn, "SELECT id FROM orders")
    assert sorted(r[0] for r in stored) == sorted(truth)  # no loss, no duplicate
    # Every window was walked by one of the two, once (both walking some is the usual case,
    # not a guarantee: the first could finish before the second has connected).
    by_worker = dict(
        await fetch(postgres_dsn, "SELECT worker, count(*) FROM sync_windows GROUP BY 1")
    )
    assert set(by_worker) <= {"w1", "w2"} and sum(by_worker.values()) == first.windows_total
    assert first.orders_new + second.orders_new == len(truth)
    leases = await fetch(postgres_dsn, "SELECT outcome, count(*) FROM sync_leases GROUP BY 1")
    assert dict(leases) == {"done": first.windows_total}
    assert await fetch(postgres_dsn, "SELECT state FROM sync_runs") == [("finished",)]


async def test_a_worker_started_later_joins_the_run_and_a_finished_run_is_not_rewalked(
    postgres_dsn: str,
) -> None:
    async with Emulator(orders=500, seed=5, days=10) as emu:
        kwargs: dict[str, Any] = {"begin": emu.data_begin, "end": emu.data_end, "worker": "w"}
        async with (
            XportcnClient(**emu.client_kwargs()) as xp,
            PostgresStore(postgres_dsn, account=emu.credentials.user_id) as store,
        ):
            first = await sync_orders(xp, store, **kwargs)
            requests = emu.counters.requests["taobao.orders.list"]
            again = await sync_orders(xp, store, **kwargs)  # a new run: walks again, no change
            other = sync_orders(xp, store, begin=emu.data_begin, page_size=20, worker="x")
            assert not first.resumed and first.orders_new == 500
            assert again.orders_new == 0 and again.orders_unchanged == 500
            assert emu.counters.requests["taobao.orders.list"] > requests
            await other  # nothing running: another range is simply a new run
    runs = await fetch(postgres_dsn, "SELECT state, page_size FROM sync_runs ORDER BY id")
    assert runs == [("finished", 50), ("finished", 50), ("finished", 20)]


async def test_workers_with_other_arguments_than_the_running_sync_are_refused(
    postgres_dsn: str,
) -> None:
    async with PostgresStore(postgres_dsn, account="a") as store:
        begin = datetime(2026, 11, 1, tzinfo=CHINA_TZ)
        kwargs: dict[str, Any] = {
            "begin": begin,
            "end": begin + timedelta(days=2),
            "window": timedelta(days=1),
            "page_size": 50,
            "default_begin": begin,
            "default_end": begin,
        }
        run = await store.start_run("taobao", **kwargs)
        assert run.created
        joined = await store.start_run("taobao", **{**kwargs, "end": None})
        assert joined.id == run.id and not joined.created
        with pytest.raises(ConfigurationError, match="other --page-size is running"):
            await store.start_run("taobao", **{**kwargs, "page_size": 20})
        # --reset-checkpoint abandons it: a sync with new arguments can start.
        assert await store.reset_state("taobao") is True
        assert (await store.start_run("taobao", **{**kwargs, "page_size": 20})).created
        # Another account's sync is independent.
    async with PostgresStore(postgres_dsn, account="b") as other:
        assert (await other.start_run("taobao", **{**kwargs, "page_size": 20})).created


async def test_a_lost_lease_commits_nothing_and_the_window_is_walked_again(
    postgres_dsn: str,
) -> None:
    async with PostgresStore(postgres_dsn, account="a") as store:
        begin = datetime(2026, 11, 1, tzinfo=CHINA_TZ)
        run = await store.start_run(
            "taobao",
            begin=begin,
            end=begin + timedelta(hours=23, minutes=59, seconds=59),
            window=timedelta(days=1),
            page_size=50,
            default_begin=begin,
            default_end=begin,
        )
        slow = await store.claim_window(run, "slow", lease=2)
        assert slow is not None
        assert await store.claim_window(run, "fast", lease=5) is None  # held
        await asyncio.sleep(2.2)  # the slow worker stalls past its lease
        fast = await store.claim_window(run, "fast", lease=5)
        assert fast is not None and fast.begin == slow.begin
        assert not await store.renew(slow, 5)
        from xportcn_async.sync.postgres import LeaseLost

        with pytest.raises(LeaseLost):
            await store.complete_window(slow, [rec(1)])
        assert await store.count() == 0
        await store.complete_window(fast, [rec(2)])
        assert await store.finish_run(run)
    leases = await fetch(
        postgres_dsn,
        "SELECT worker, acquired_at, held_until, outcome FROM sync_leases ORDER BY acquired_at",
    )
    (w1, _a1, h1, o1), (w2, a2, _h2, o2) = leases
    assert (w1, o1, w2, o2) == ("slow", None, "fast", "done")
    assert h1 < a2  # never held by two workers at once
    assert [r[0] for r in await fetch(postgres_dsn, "SELECT id FROM orders")] == ["2"]


async def test_two_accounts_sync_into_one_database(postgres_dsn: str) -> None:
    async with (
        Emulator(orders=200, seed=1, days=5, credentials=Credentials(user_id="1001")) as one,
        Emulator(orders=300, seed=2, days=5, credentials=Credentials(user_id="2002")) as two,
    ):
        for emu in (one, two):
            async with (
                XportcnClient(**emu.client_kwargs()) as xp,
                PostgresStore(postgres_dsn, account=emu.credentials.user_id) as store,
            ):
                stats = await sync_orders(xp, store, begin=emu.data_begin, end=emu.data_end)
                assert stats.orders_new == len(emu.state.taobao.records)
        truth = {("1001", i) for i in _truth(one)} | {("2002", i) for i in _truth(two)}
    stored = await fetch(postgres_dsn, "SELECT account, id FROM orders")
    assert len(stored) == 500 and set(stored) == truth
    states = await fetch(postgres_dsn, "SELECT account FROM sync_state ORDER BY 1")
    assert states == [("1001",), ("2002",)]


@pytest.mark.slow
async def test_the_accounts_request_rate_is_shared_between_workers(postgres_dsn: str) -> None:
    rate = 15.0  # well below what two workers reach unpaced here (about 30 requests/s)
    # 8 one-day windows of 12 pages each, walked 8 pages at a time: pacing is the limit.
    async with Emulator(orders=960, seed=8, days=8) as emu:
        begin, end = emu.data_begin, emu.data_end

        async def worker(name: str) -> Any:
            async with (
                XportcnClient(**emu.client_kwargs(), max_requests_per_second=rate) as xp,
                PostgresStore(postgres_dsn, account=emu.credentials.user_id) as store,
            ):
                stats = await sync_orders(
                    xp, store, begin=begin, end=end, page_size=10, concurrency=8, worker=name
                )
                limiter = xp.transport.rate_limiter
                assert limiter is not None
                return stats, limiter.rate

        started = asyncio.get_running_loop().time()
        (one, rate_one), (two, rate_two) = await asyncio.gather(worker("w1"), worker("w2"))
        elapsed = asyncio.get_running_loop().time() - started
        requests = emu.counters.requests["taobao.orders.list"]
    assert one.orders_new + two.orders_new == 960
    assert min(one.pages, two.pages) > 0  # both worked
    assert requests >= 96
    # Together the two workers stayed near the account's rate, not at twice it (each paced
    # at half the rate while the other held a window; the first window of each may overlap
    # at more, as documented).
    assert requests / elapsed < rate * 1.3, (requests, elapsed)
    assert {rate_one, rate_two} <= {rate, rate / 2}


async def test_an_incomplete_window_is_not_done_and_the_next_run_walks_it_again(
    postgres_dsn: str,
) -> None:
    srv = OrderServer(
        300, span=timedelta(hours=12), now=datetime.now(CHINA_TZ) - timedelta(hours=1)
    )
    await srv.server.start_server()
    try:
        repeat_page_one_as_page_three(srv)
        async with client_for(srv) as xp, PostgresStore(postgres_dsn, account="u") as store:
            stats = await sync_orders(xp, store, concurrency=3)  # incremental: 90 days back
            assert [(w.unique, w.total) for w in stats.incomplete] == [(250, 300)]
            assert not stats.complete
            state = await store.get_state("taobao")
            # Synced only up to the incomplete window: the next run starts there at the latest.
            assert state.synced_until == stats.incomplete[0].begin
            srv.tamper = None  # the server behaves again
            again = await sync_orders(xp, store, concurrency=3)
            assert again.complete and again.orders_new == 50
        windows = await fetch(
            postgres_dsn,
            "SELECT run_id, state, count(*) FROM sync_windows GROUP BY 1, 2 ORDER BY 1, 2",
        )
        assert [(run, state) for run, state, _ in windows if state != "done"] == [(1, "incomplete")]
        assert sorted(r[0] for r in await fetch(postgres_dsn, "SELECT id FROM orders")) == sorted(
            srv.ids()
        )
    finally:
        await srv.server.close()


async def test_refresh_open_runs_once_per_run_not_once_per_worker(postgres_dsn: str) -> None:
    async with Emulator(orders=400, seed=6, days=20) as emu:

        async def worker(name: str) -> Any:
            async with (
                XportcnClient(**emu.client_kwargs()) as xp,
                PostgresStore(postgres_dsn, account=emu.credentials.user_id) as store,
            ):
                return await sync_orders(
                    xp, store, begin=emu.data_begin, end=emu.data_end, refresh_open=True,
                    lookback=timedelta(days=7), worker=name,
                )  # fmt: skip

        one, two = await asyncio.gather(worker("w1"), worker("w2"))
    refreshed = sorted([one.orders_refreshed, two.orders_refreshed])
    assert refreshed[0] == 0 and refreshed[1] > 0  # by the worker that finished the run
