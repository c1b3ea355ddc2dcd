"""Chaos: a bulk sync of 5,000 orders (1,000 at quick depth) through every fault at once,
then cancelled and resumed.

The emulator injects, per request to ``taobao.orders.list``, at the same time:
~10 % HTTP 5xx (JSON and nginx HTML pages), 5 % connection resets, 2 % answers
later than the client's timeout, bursts of 429 with ``Retry-After``, 3 % JSON
bodies cut short, and two new orders arriving before every list request (drift).
The sync writes into a real SQLite file. Afterwards the file must hold exactly
the emulator's orders of the synced range (no loss, no duplicate, same content)
and the stats must account for every retry.

Nothing sleeps for real except the injected slow answers (the client gives up
after ``TIMEOUT`` seconds): retry waits go through a recording fake sleep.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web
from aiohttp.typedefs import Middleware

from xportcn_async import RetryPolicy, XportcnClient
from xportcn_async.sync import SQLiteStore, SyncStats, sync_orders
from xportcn_async.testing import Emulator, FaultPlan, FaultRule

from ..conftest import FakeSleep, db_rows, depth, sdk_tasks

pytestmark = pytest.mark.slow

ORDERS = depth(5000, 1000)
SEED = 1686  # data, faults and cancellation points (every fault kind shows up)
ANCHOR = "2026-03-01 00:00:00"  # a fixed past "now": every window is closed, runs repeat
DAYS = 30
PAGE_SIZE = 50
CONCURRENCY = 4
TIMEOUT = 0.5  # the client's total timeout per attempt
RETRY_AFTER = 1.0  # seconds asked by every 429 (recorded by the fake sleep, never slept)

CHAOS = FaultPlan(
    default=FaultRule(
        server_error=0.08,  # HTTP 500/502/503 with an envelope
        html_error=0.02,  # HTTP 502/503/504 nginx pages: 10 % 5xx in all
        reset=0.05,  # connection closed before an answer
        rate_limit=0.01,  # ... starting a burst of 4 x 429
        rate_limit_burst=4,
        retry_after=RETRY_AFTER,
        truncate=0.03,  # HTTP 200, JSON cut short
        delay=0.02,  # answered after the client's timeout
        delay_seconds=TIMEOUT * 2,
    ),
    drift_per_request=2,  # new orders arrive during the walk
)


def chaos_emulator() -> Emulator:
    return Emulator(orders=ORDERS, seed=SEED, now=ANCHOR, days=DAYS, faults=CHAOS)


def chaos_client(emu: Emulator, sleep: FakeSleep) -> XportcnClient:
    return XportcnClient(
        **emu.client_kwargs(),
        total_timeout=TIMEOUT,
        retry=RetryPolicy(attempts=12, sleep=sleep),
    )


async def run_sync(xp: XportcnClient, store: SQLiteStore, emu: Emulator) -> SyncStats:
    return await sync_orders(
        xp,
        store,
        begin=emu.data_begin,
        end=_range_end(emu),
        page_size=PAGE_SIZE,
        concurrency=CONCURRENCY,
    )


def _range_end(emu: Emulator) -> datetime:
    # One second before the anchor: orders arriving during the walk (drift) are created
    # at the anchor or later, so they fall outside the range and must not be stored.
    return datetime.fromtimestamp(emu.state.now_anchor - 1, emu.data_end.tzinfo)


def ground_truth(emu: Emulator, stats: SyncStats) -> dict[str, dict[str, Any]]:
    """The emulator's orders created in the synced range, by id, with their documents."""
    assert stats.begin is not None and stats.end is not None
    lo, hi = stats.begin.timestamp(), stats.end.timestamp()
    return {
        rec.order_id: emu.state.taobao_doc(rec)
        for rec in emu.state.taobao.records
        if lo <= rec.ts <= hi
    }


def stored(db: Path) -> list[tuple[str, int, int, str]]:
    return db_rows(db, "SELECT id, status, amount_fen, raw_json FROM orders")


def sub_order_count(db: Path) -> int:
    [(count,)] = db_rows(db, "SELECT COUNT(*) FROM sub_orders")
    return int(count)


def assert_store_is_ground_truth(db: Path, truth: dict[str, dict[str, Any]]) -> None:
    rows = stored(db)
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids))  # no duplicate
    assert set(ids) == set(truth)  # no loss, nothing extra (drift orders are outside)
    for order_id, status, amount, raw in rows:
        doc = truth[order_id]
        assert (status, amount) == (doc["status"], doc["purchaseAmount"]), order_id
        assert orjson.loads(raw)["orderNo"] == doc["orderNo"]
    assert sub_order_count(db) == sum(len(d["subOrderVOS"]) for d in truth.values())


async def test_sync_of_thousands_of_orders_through_every_fault_at_once(tmp_path: Path) -> None:
    db = tmp_path / "chaos.sqlite"
    sleep = FakeSleep()
    async with chaos_emulator() as emu:
        async with chaos_client(emu, sleep) as xp, SQLiteStore(db) as store:
            stats = await run_sync(xp, store, emu)
        truth = ground_truth(emu, stats)
        counters = emu.counters
    assert len(truth) >= ORDERS - 50  # (the last second before the anchor is outside)
    assert_store_is_ground_truth(db, truth)
    assert stats.orders_new == len(truth) and stats.orders_changed == 0

    faults = counters.faults
    # Every kind of fault happened, several times.
    assert {"server_error", "html_error", "reset", "rate_limit", "truncate", "delay"} <= set(faults)
    assert faults["rate_limit"] >= 4  # at least one whole burst
    assert counters.drift_orders > 0
    # Every failed attempt was retried and counted: requests = pages stored + retries.
    requests = counters.requests["taobao.orders.list"]
    assert stats.retries == requests - stats.pages
    assert stats.retries >= sum(faults.values())  # a slow-but-in-time answer is not a retry
    # 429s waited exactly their Retry-After (through the fake sleep: no real waiting).
    assert sleep.calls.count(RETRY_AFTER) == faults["rate_limit"]
    assert len(sleep.calls) == stats.retries
    print(
        f"\nchaos sync: {len(truth)} orders, {stats.pages} pages, {requests} requests, "
        f"{stats.retries} retries, faults {dict(faults)}, drift {counters.drift_orders}, "
        f"{stats.elapsed:.1f} s"
    )


def cancel_at(thresholds: list[int], target: list[asyncio.Task[SyncStats]]) -> Middleware:
    """Emulator middleware: cancels the running sync when a run reaches its n-th request."""
    seen = [0]

    @web.middleware
    async def middleware(
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        seen[0] += 1
        if thresholds and target and seen[0] >= thresholds[0]:
            thresholds.pop(0)
            seen[0] = 0
            target[0].cancel()  # the sync is awaiting this very request (or another one)
        return await handler(request)

    return middleware


async def test_cancelled_at_random_points_and_resumed_ends_equal_to_ground_truth(
    tmp_path: Path,
) -> None:
    db = tmp_path / "resumed.sqlite"
    rng = random.Random(SEED)
    # Four cancellations, each after a random number of requests of that run (seeded).
    thresholds = [rng.randint(1, 40) for _ in range(4)]
    planned = list(thresholds)
    target: list[asyncio.Task[SyncStats]] = []
    emu = chaos_emulator()
    emu.app.middlewares.append(cancel_at(thresholds, target))
    runs: list[SyncStats] = []
    cancelled = 0
    async with emu:
        while True:
            sleep = FakeSleep()
            async with chaos_client(emu, sleep) as xp, SQLiteStore(db) as store:
                task = asyncio.create_task(run_sync(xp, store, emu))
                target[:] = [task]
                try:
                    runs.append(await task)
                except asyncio.CancelledError:
                    cancelled += 1
                    for _ in range(3):
                        await asyncio.sleep(0)
                    assert not sdk_tasks()  # nothing of the sync is left running
                    continue
                finally:
                    target.clear()
            break
        truth = ground_truth(emu, runs[-1])
        counters = emu.counters
    assert cancelled == len(planned) == 4 and not thresholds
    assert runs[-1].resumed
    assert_store_is_ground_truth(db, truth)
    print(
        f"\ncancelled after {planned} requests of each run, resumed: {len(truth)} orders, "
        f"{counters.requests['taobao.orders.list']} requests in all, faults {dict(counters.faults)}"
    )
