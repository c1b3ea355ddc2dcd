"""Tests of ``xportcn_async/sync/engine.py``: bulk sync end to end, from a local order server
(``tests/order_server.py``) or the emulator into a real SQLite file.

The ``xportcn sync`` command over the same engine: ``tests/cli/test_sync.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import orjson
import pytest
import pytest_asyncio

from tests.conftest import db_orders, db_rows, db_sub_orders, sdk_tasks
from tests.order_server import OrderServer
from xportcn_async import RetryPolicy, XportcnClient
from xportcn_async.errors import ConfigurationError, StorageError
from xportcn_async.serde import CHINA_TZ
from xportcn_async.sync import SQLiteStore, SyncStats, sync_orders


async def _no_sleep(_: float) -> None:
    return None


@pytest_asyncio.fixture
async def server() -> AsyncIterator[OrderServer]:
    srv = OrderServer(600)
    await srv.server.start_server()
    try:
        yield srv
    finally:
        await srv.server.close()


def client_for(srv: OrderServer) -> XportcnClient:
    return XportcnClient(
        access_key="k",
        access_secret="s",
        user_id="u",
        base_url=srv.base_url,
        retry=RetryPolicy(sleep=_no_sleep),
    )


@pytest.mark.parametrize("windowed", [True, False])
async def test_walk_yields_every_order_that_existed_at_the_start_exactly_once(
    server: OrderServer, windowed: bool
) -> None:
    server.drift = 2  # two new orders arrive after every page request
    before = server.ids()
    begin = datetime.now(CHINA_TZ) - timedelta(days=21) if windowed else None
    async with client_for(server) as xp:
        ids = [o.id async for o in xp.taobao.orders.iter(page_size=20, begin=begin, concurrency=4)]
    assert server.added > 0
    assert len(ids) == len(set(ids))
    assert before <= set(ids)
    if windowed:  # closed windows: orders created during the walk are left to the next sync
        assert set(ids) == before


async def test_sync_stores_exactly_the_server_orders_with_typed_columns(
    server: OrderServer, tmp_path: Path
) -> None:
    db = tmp_path / "orders.sqlite"
    seen: list[SyncStats] = []
    async with client_for(server) as xp, SQLiteStore(db) as store:
        stats = await sync_orders(
            xp,
            store,
            begin=datetime.now(CHINA_TZ) - timedelta(days=21),
            page_size=50,
            concurrency=4,
            progress=seen.append,
        )
    rows = db_orders(db)
    assert {r[1] for r in rows} == server.ids()
    assert stats.orders_new == 600 and stats.orders_changed == 0
    assert stats.windows_done == stats.windows_total == 21  # 21 days less the 5-minute margin
    assert seen and seen[-1].pages == stats.pages
    one = next(r for r in rows if r[1] == "1000000")
    template = server.orders[-1]
    assert one[2] == template["orderNo"] and one[3] == 0 and one[4] == 1000
    assert (
        one[5]
        == datetime.strptime(template["createTime"], "%Y-%m-%d %H:%M:%S")
        .replace(tzinfo=CHINA_TZ)
        .isoformat()
    )
    raw = orjson.loads(one[7])
    assert raw["subOrderVOS"][0]["taobaoPurchaseId"] == "200108703155"
    # raw_json is what the server sent (sorted keys), not the models written back out:
    # nested JSON strings stay strings, no key is renamed, added or dropped.
    assert one[7] == orjson.dumps(template, option=orjson.OPT_SORT_KEYS).decode()
    subs = db_sub_orders(db)
    assert len(subs) == 600
    sub_json = {
        orjson.dumps(s, option=orjson.OPT_SORT_KEYS).decode() for s in template["subOrderVOS"]
    }
    assert sub_json <= {row[-1] for row in subs}


async def test_incremental_sync_rewalks_the_lookback_and_picks_up_changes(
    server: OrderServer, tmp_path: Path
) -> None:
    db = tmp_path / "orders.sqlite"
    async with client_for(server) as xp, SQLiteStore(db) as store:
        await sync_orders(xp, store, begin=datetime.now(CHINA_TZ) - timedelta(days=21))
        newest = server.orders[0]
        newest["status"] = 11  # an order moved on since
        stats = await sync_orders(xp, store)  # incremental: last synced end minus 7 days
    assert stats.orders_changed == 1
    assert stats.orders_new == 0
    assert stats.begin is not None and stats.begin > datetime.now(CHINA_TZ) - timedelta(days=8)
    assert 0 < stats.orders_unchanged < 600
    status = dict((r[1], r[3]) for r in db_orders(db))
    assert status[newest["id"]] == 11


async def test_refresh_open_rereads_old_open_orders(server: OrderServer, tmp_path: Path) -> None:
    db = tmp_path / "orders.sqlite"
    async with client_for(server) as xp, SQLiteStore(db) as store:
        await sync_orders(xp, store, begin=datetime.now(CHINA_TZ) - timedelta(days=21))
        oldest = server.orders[-1]  # status 0, far older than the look-back
        oldest["status"] = 10
        stats = await sync_orders(xp, store, refresh_open=True)
    assert stats.orders_refreshed > 0
    # re-read orders that did not change are not counted as changed (same raw_json)
    assert stats.orders_changed == 1
    assert dict((r[1], r[3]) for r in db_orders(db))[oldest["id"]] == 10


async def test_server_failures_are_retried_and_nothing_is_lost(
    server: OrderServer, tmp_path: Path
) -> None:
    server.fail_every = 5
    db = tmp_path / "orders.sqlite"
    async with client_for(server) as xp, SQLiteStore(db) as store:
        stats = await sync_orders(
            xp, store, begin=datetime.now(CHINA_TZ) - timedelta(days=21), concurrency=4
        )
    assert stats.retries > 0
    assert {r[1] for r in db_orders(db)} == server.ids()


async def test_killed_sync_resumes_to_the_same_database(
    server: OrderServer, tmp_path: Path
) -> None:
    begin = datetime.now(CHINA_TZ) - timedelta(days=21)
    end = datetime.now(CHINA_TZ) - timedelta(hours=1)
    reference = tmp_path / "reference.sqlite"
    async with client_for(server) as xp, SQLiteStore(reference) as store:
        await sync_orders(xp, store, begin=begin, end=end, page_size=10, concurrency=4)

    interrupted = tmp_path / "interrupted.sqlite"
    # Kill points well inside the 61 pages: a cancelled run may still commit the page it
    # was saving (saves are shielded, and read-ahead pages arrive without a pause).
    for kill_after in (3, 17, 25):
        async with client_for(server) as xp, SQLiteStore(interrupted) as store:
            running: list[asyncio.Task[SyncStats]] = []

            def progress(
                stats: SyncStats,
                limit: int = kill_after,
                running: list[asyncio.Task[SyncStats]] = running,
            ) -> None:
                if stats.pages >= limit:
                    running[0].cancel()

            running.append(
                asyncio.create_task(
                    sync_orders(
                        xp,
                        store,
                        begin=begin,
                        end=end,
                        page_size=10,
                        concurrency=4,
                        progress=progress,
                    )
                )
            )
            with pytest.raises(asyncio.CancelledError):
                await running[0]
    async with client_for(server) as xp, SQLiteStore(interrupted) as store:
        stats = await sync_orders(xp, store, begin=begin, end=end, page_size=10, concurrency=4)
    assert stats.resumed
    assert db_orders(interrupted) == db_orders(reference)
    assert db_sub_orders(interrupted) == db_sub_orders(reference)
    assert sdk_tasks() == set()


@pytest.mark.parametrize(
    ("served", "unit", "factor"),
    [("yuan", "yuan", 100), ("fen", "fen", 1), ("yuan", "fen", 1)],
    ids=["yuan-as-yuan", "fen-as-fen", "fractional-yuan-read-as-fen-is-still-yuan"],
)
async def test_alibaba_sync_amount_unit(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    served: Literal["fen", "yuan"],
    unit: Literal["fen", "yuan"],
    factor: int,
) -> None:
    from xportcn_async.sync import records
    from xportcn_async.testing import Emulator

    records._warn_fractional_fen.cache_clear()
    db = tmp_path / "ali.sqlite"
    async with (
        Emulator(orders=0, alibaba_orders=300, seed=2, alibaba_amount_unit=served) as emu,
        XportcnClient(**emu.credentials, base_url=emu.base_url) as xp,
    ):
        async with SQLiteStore(db) as store:
            stats = await sync_orders(
                xp, store, platform="alibaba", begin=emu.data_begin, alibaba_amount_unit=unit
            )
        listed = [o async for o in xp.alibaba.orders.iter(page_size=50)]
    assert stats.orders_new == 300 and len(listed) == 300
    stored = dict(db_rows(db, "SELECT id, amount_fen FROM orders"))
    fractional = 0
    for order in listed:
        assert order.base_info is not None and order.base_info.total_amount is not None
        amount = order.base_info.total_amount
        is_fraction = amount != amount.to_integral_value()
        fractional += is_fraction
        expected = amount * (100 if is_fraction else factor)
        assert stored[str(order.base_info.id)] == int(expected)
    if served == "yuan":
        assert fractional > 0  # the emulator sends decimals, as upstream does
    warned = [r for r in caplog.records if "fractional part" in r.getMessage()]
    assert len(warned) == (1 if (served, unit) == ("yuan", "fen") else 0)


async def test_alibaba_refresh_open_rereads_by_detail_without_spurious_changes(
    tmp_path: Path,
) -> None:
    from xportcn_async.testing import Emulator

    db = tmp_path / "ali.sqlite"
    async with (
        Emulator(orders=0, alibaba_orders=120, seed=3) as emu,
        XportcnClient(**emu.credentials, base_url=emu.base_url) as xp,
        SQLiteStore(db) as store,
    ):
        first = await sync_orders(xp, store, platform="alibaba", begin=emu.data_begin)
        again = await sync_orders(
            xp, store, platform="alibaba", refresh_open=True, lookback=timedelta(0)
        )
        details = emu.counters.requests.get("alibaba.orders.detail", 0)
    assert first.orders_new == 120
    assert again.orders_refreshed > 0 and details == again.orders_refreshed
    # the detail answer is stored as sent, like a listed one: nothing counted as changed
    assert again.orders_changed == 0


class _FailingStore(SQLiteStore):
    """A real SQLite store whose ``fail_at``-th page save fails (a disk filling up)."""

    def __init__(self, path: Path, fail_at: int) -> None:
        super().__init__(path)
        self.fail_at = fail_at
        self.saves = 0
        self.committed: set[str] = set()

    async def save_page(self, platform: str, records: Any, checkpoint: Any) -> Any:
        self.saves += 1
        if self.saves == self.fail_at:
            await asyncio.sleep(0.01)  # fail while the engine is building the next page
            raise StorageError("database or disk is full", path=str(self.path))
        result = await super().save_page(platform, records, checkpoint)
        self.committed.update(r.id for r in records)
        return result


async def test_a_failing_save_stops_the_sync_keeps_what_was_committed_and_resumes(
    server: OrderServer, tmp_path: Path
) -> None:
    db = tmp_path / "orders.sqlite"
    begin = datetime.now(CHINA_TZ) - timedelta(days=21)
    async with client_for(server) as xp:
        failing = _FailingStore(db, fail_at=5)
        async with failing:
            with pytest.raises(StorageError, match="disk is full"):
                await sync_orders(xp, failing, begin=begin, page_size=20, concurrency=4)
        assert failing.saves == 5  # nothing was handed to the store after the failure
        # the four pages before the failure are committed, nothing after them
        assert failing.committed and {r[1] for r in db_orders(db)} == failing.committed
        async with SQLiteStore(db) as store:
            stats = await sync_orders(xp, store, begin=begin, page_size=20, concurrency=4)
    assert stats.resumed
    assert {r[1] for r in db_orders(db)} == server.ids()


async def test_a_checkpoint_that_does_not_match_the_arguments_is_said_not_silently_dropped(
    server: OrderServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "orders.sqlite"
    begin = datetime.now(CHINA_TZ) - timedelta(days=21)
    async with client_for(server) as xp:
        failing = _FailingStore(db, fail_at=3)
        async with failing:
            with pytest.raises(StorageError):
                await sync_orders(xp, failing, begin=begin, page_size=20)
        async with SQLiteStore(db) as store:
            caplog.clear()
            other = await sync_orders(
                xp, store, begin=begin, page_size=25, end=begin + timedelta(days=1)
            )
    warned = [r.getMessage() for r in caplog.records if "does not match" in r.getMessage()]
    assert not other.resumed
    assert len(warned) == 1 and "--reset-checkpoint" in warned[0] and "page size 20" in warned[0]


async def test_a_store_bound_to_another_account_is_refused_before_any_request(
    server: OrderServer, tmp_path: Path
) -> None:
    async with client_for(server) as xp, SQLiteStore(tmp_path / "o.sqlite", account="other") as st:
        with pytest.raises(ConfigurationError, match="bound to account 'other'"):
            await sync_orders(xp, st, begin=server.now - timedelta(days=1))
        assert await st.count() == 0
    assert server.requests == 0
