"""Tests of ``xportcn_async/pagination.py``: AsyncPager's windows, de-duplication, drift,
concurrency, checkpoints and guards.

First against in-memory lists, then through the real client and the emulator: every order
once through retryable faults and through orders arriving during the walk, a failed page
mid-walk resumed from its checkpoint, and an early break that leaves nothing running.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import time
import tracemalloc
from datetime import datetime, timedelta, timezone

import attrs
import pytest

from tests.conftest import FakeSleep, sdk_tasks
from tests.emulated import make_client, make_emulator
from xportcn_async import RetryPolicy
from xportcn_async.errors import ServerError
from xportcn_async.models.common import Page
from xportcn_async.pagination import AsyncPager, PaginationError, split_windows
from xportcn_async.testing import FaultPlan, FaultRule

UTC = timezone.utc
NOW = datetime(2026, 5, 1, tzinfo=UTC)


@attrs.frozen
class Item:
    id: str
    created: datetime


class FakeList:
    """A newest-first list with creation-time filters, like the order list."""

    def __init__(self, n: int, *, span: timedelta = timedelta(days=10), drift: int = 0) -> None:
        step = span / max(n, 1)
        self.items = sorted(
            (Item(f"o{i}", NOW - span + step * i) for i in range(n)),
            key=lambda it: (it.created, it.id),
            reverse=True,
        )
        self.drift = drift
        self.now = NOW + timedelta(minutes=10)  # the server's "now": when new orders are created
        self.calls: list[tuple[int, int]] = []
        self.added = 0
        self.in_flight = 0
        self.max_in_flight = 0

    async def fetch(
        self, page: int, size: int, begin: datetime | None, end: datetime | None
    ) -> Page[Item]:
        self.calls.append((page, size))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0)
            rows = [
                i
                for i in self.items
                if (begin is None or i.created >= begin) and (end is None or i.created <= end)
            ]
            result = Page(
                items=rows[(page - 1) * size : page * size],
                total=len(rows),
                page_num=page,
                page_size=size,
            )
            for _ in range(self.drift):  # orders arriving during the walk, created "now"
                self.added += 1
                self.items.insert(
                    0, Item(f"new{self.added}", self.now + timedelta(seconds=self.added))
                )
            return result
        finally:
            self.in_flight -= 1


async def collect(pager: AsyncPager[Item]) -> list[str]:
    return [item.id async for item in pager]


@pytest.mark.parametrize("concurrency", [2, 8])
async def test_read_ahead_keeps_every_slot_busy_while_the_consumer_works(
    concurrency: int,
) -> None:
    """While the consumer holds a page, ``concurrency`` requests are on their way and at
    most ``concurrency`` pages wait: slots never idle on a slow consumer."""
    fake = FakeList(200)
    gate = asyncio.Event()
    requested: list[int] = []

    async def slow_fetch(
        page: int, size: int, begin: datetime | None, end: datetime | None
    ) -> Page[Item]:
        requested.append(page)
        if page > 1:
            await gate.wait()  # the server answers only when the test lets it
        return await fake.fetch(page, size, begin, end)

    async with AsyncPager(slow_fetch, page_size=10, concurrency=concurrency) as pager:
        pages = pager.pages()
        first = await anext(pages)
        for _ in range(5):
            await asyncio.sleep(0)  # the consumer "works" on page 1
        # Pages 2..N+1 were requested before page 1 was handed over.
        assert requested == list(range(1, concurrency + 2))
        gate.set()
        for _ in range(50):
            await asyncio.sleep(0)  # answers arrive; the consumer still holds page 1
        # The buffer is bounded: nothing beyond the N pages in flight was requested.
        assert len(requested) == concurrency + 1
        got = [first.page_num] + [p.page_num async for p in pages]
    assert got == list(range(1, 21))
    assert fake.max_in_flight <= concurrency


def test_split_windows_are_closed_and_contiguous() -> None:
    wins = split_windows(NOW, NOW + timedelta(days=2, hours=5), timedelta(days=1))
    assert len(wins) == 3
    assert wins[0].begin == NOW and wins[0].end == NOW + timedelta(days=1, seconds=-1)
    assert wins[1].begin == NOW + timedelta(days=1)
    assert wins[-1].end == NOW + timedelta(days=2, hours=5)


async def test_plain_walk_yields_everything_once() -> None:
    fake = FakeList(237)
    ids = await collect(AsyncPager(fake.fetch, page_size=20))
    assert ids == [i.id for i in fake.items]
    assert len(fake.calls) == 12  # stops at total, no extra empty page


async def test_walk_under_drift_yields_every_original_order_exactly_once() -> None:
    fake = FakeList(500, drift=3)
    original = [i.id for i in fake.items]
    ids = await collect(AsyncPager(fake.fetch, page_size=25))
    assert len(ids) == len(set(ids))  # no duplicates
    assert set(original) <= set(ids)  # nothing lost


async def test_windowed_walk_excludes_orders_created_during_the_walk() -> None:
    fake = FakeList(500, drift=2)
    original = {i.id for i in fake.items}
    pager = AsyncPager(
        fake.fetch,
        page_size=30,
        begin=NOW - timedelta(days=11),
        now=lambda: NOW + timedelta(minutes=10),
    )
    ids = await collect(pager)
    assert sorted(ids) == sorted(original)
    assert pager.window_count == 12 and pager.windows_done == 12
    assert pager.rewalks == 0


async def test_empty_window_and_empty_list() -> None:
    fake = FakeList(0)
    assert await collect(AsyncPager(fake.fetch, page_size=10)) == []
    assert (
        await collect(
            AsyncPager(fake.fetch, page_size=10, begin=NOW - timedelta(days=2), now=lambda: NOW)
        )
        == []
    )


@pytest.mark.parametrize("windowed", [False, True])
async def test_concurrency_1_and_8_give_identical_sequences(windowed: bool) -> None:
    kwargs = {"begin": NOW - timedelta(days=11), "now": lambda: NOW} if windowed else {}
    a, b = FakeList(1003), FakeList(1003)
    seq1 = await collect(AsyncPager(a.fetch, page_size=17, concurrency=1, **kwargs))  # type: ignore[arg-type]
    seq8 = await collect(AsyncPager(b.fetch, page_size=17, concurrency=8, **kwargs))  # type: ignore[arg-type]
    assert seq1 == seq8
    assert len(seq1) == 1003
    assert a.max_in_flight == 1
    assert b.max_in_flight > 1 and b.max_in_flight <= 8


async def test_early_break_leaves_no_pending_tasks() -> None:
    fake = FakeList(2000)
    pager = AsyncPager(fake.fetch, page_size=10, concurrency=8)
    async for item in pager:
        if item.id == fake.items[25].id:
            break
    await pager.aclose()
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_early_break_without_aclose_cleans_up_on_collection() -> None:
    fake = FakeList(2000)
    async for item in AsyncPager(fake.fetch, page_size=10, concurrency=8):
        if item.id == fake.items[25].id:
            break
    gc.collect()
    for _ in range(5):
        await asyncio.sleep(0)
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_first_error_stops_the_walk_and_cancels_in_flight_requests() -> None:
    fake = FakeList(500)
    cancelled: list[int] = []

    async def fetch(page: int, size: int, b: datetime | None, e: datetime | None) -> Page[Item]:
        if page == 3:
            raise RuntimeError("boom on page 3")
        if page > 3:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                cancelled.append(page)
                raise
        return await fake.fetch(page, size, b, e)

    seen: list[str] = []
    with pytest.raises(RuntimeError, match="page 3"):
        async for item in AsyncPager(fetch, page_size=10, concurrency=4):
            seen.append(item.id)
    assert len(seen) == 20
    assert cancelled  # pages 4.. were in flight and got cancelled
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_same_page_twice_raises() -> None:
    fake = FakeList(100)

    async def ignores_page_num(
        page: int, size: int, b: datetime | None, e: datetime | None
    ) -> Page[Item]:
        p = await fake.fetch(1, size, b, e)
        return Page(items=p.items, total=None, page_num=page, page_size=size)

    with pytest.raises(PaginationError, match="same page twice"):
        await collect(AsyncPager(ignores_page_num, page_size=10))


async def test_runaway_total_raises() -> None:
    fake = FakeList(100)

    async def wild(page: int, size: int, b: datetime | None, e: datetime | None) -> Page[Item]:
        p = await fake.fetch(page, size, b, e)
        return Page(items=p.items, total=100 if page == 1 else 10**9, page_num=page, page_size=size)

    with pytest.raises(PaginationError, match="total went"):
        await collect(AsyncPager(wild, page_size=10))


async def test_endless_list_without_total_is_bounded() -> None:
    async def endless(page: int, size: int, b: datetime | None, e: datetime | None) -> Page[Item]:
        return Page(
            items=[Item(f"p{page}-{i}", NOW) for i in range(size)],
            total=None,
            page_num=page,
            page_size=size,
        )

    with pytest.raises(PaginationError, match="more than 50 pages"):
        await collect(AsyncPager(endless, page_size=5, max_pages=50))


async def test_window_is_rewalked_when_an_order_was_skipped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeList(100)
    removed: list[Item] = []

    async def flaky(page: int, size: int, b: datetime | None, e: datetime | None) -> Page[Item]:
        p = await fake.fetch(page, size, b, e)
        if page == 2 and not removed:
            # the server loses an item from page 2 on the first pass only
            removed.append(p.items[3])
            return Page(
                items=[i for i in p.items if i is not removed[0]],
                total=p.total,
                page_num=page,
                page_size=size,
            )
        return p

    pager = AsyncPager(
        flaky,
        page_size=10,
        begin=NOW - timedelta(days=11),
        end=NOW,
        window=timedelta(days=30),
        now=lambda: NOW + timedelta(days=1),
    )
    with caplog.at_level(logging.INFO, logger="xportcn_async"):
        ids = await collect(pager)
    assert sorted(ids) == sorted(i.id for i in fake.items)
    assert pager.rewalks == 1


async def test_persistent_mismatch_warns_with_numbers(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeList(50)

    async def lying_total(
        page: int, size: int, b: datetime | None, e: datetime | None
    ) -> Page[Item]:
        p = await fake.fetch(page, size, b, e)
        return Page(items=p.items, total=(p.total or 0) + 5, page_num=page, page_size=size)

    pager = AsyncPager(
        lying_total,
        page_size=10,
        max_rewalks=2,
        begin=NOW - timedelta(days=11),
        end=NOW,
        window=timedelta(days=30),
        now=lambda: NOW,
    )
    with caplog.at_level(logging.WARNING, logger="xportcn_async"):
        ids = await collect(pager)
    assert len(ids) == 50
    assert any("50 unique ids against a total of 55" in r.getMessage() for r in caplog.records)
    assert pager.rewalks <= 2


async def test_max_items_stops_early() -> None:
    fake = FakeList(100)
    ids = await collect(AsyncPager(fake.fetch, page_size=7, max_items=15))
    assert ids == [i.id for i in fake.items[:15]]
    assert len(fake.calls) == 3


async def test_checkpoint_resume_continues_where_it_stopped() -> None:
    fake = FakeList(400)
    kwargs = {
        "page_size": 20,
        "begin": NOW - timedelta(days=11),
        "end": NOW,
        "filters": {"status": 1},
        "now": lambda: NOW,
    }
    first = AsyncPager(fake.fetch, **kwargs)  # type: ignore[arg-type]
    got: list[str] = []
    pages = first.pages()
    async for page in pages:
        got.extend(i.id for i in page.items)
        if len(got) >= 150:
            break
    await pages.aclose()
    state = json.loads(json.dumps(first.checkpoint()))  # JSON-serialisable
    assert state["done"] is False and state["current"]["page"] >= 1
    fake.calls.clear()
    second = AsyncPager(fake.fetch, resume=state, **kwargs)  # type: ignore[arg-type]
    rest = await collect(second)
    assert sorted(got + rest) == sorted(i.id for i in fake.items)
    assert len(got + rest) == len(set(got + rest))
    assert second.done and second.checkpoint()["done"]


async def test_checkpoint_with_other_filters_is_refused() -> None:
    fake = FakeList(10)
    state = AsyncPager(fake.fetch, page_size=5, filters={"status": 1}).checkpoint()
    with pytest.raises(Exception, match="filters differ"):
        AsyncPager(fake.fetch, page_size=5, filters={"status": 2}, resume=state)


def test_bad_arguments() -> None:
    fake = FakeList(1)
    with pytest.raises(ValueError, match="page_size"):
        AsyncPager(fake.fetch, page_size=0)
    with pytest.raises(ValueError, match="concurrency"):
        AsyncPager(fake.fetch, concurrency=0)
    with pytest.raises(ValueError, match="aware"):
        AsyncPager(fake.fetch, begin=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="before begin"):
        AsyncPager(fake.fetch, begin=NOW, end=NOW - timedelta(days=1), now=lambda: NOW)


async def test_streaming_50000_items_keeps_memory_bounded() -> None:
    # 1,000 orders a day, generated on demand (the "server" holds nothing either).
    per_day = 1_000
    start = NOW - timedelta(days=60)

    async def fetch(page: int, size: int, b: datetime | None, e: datetime | None) -> Page[Item]:
        assert b is not None
        day = (b - start).days
        lo = (page - 1) * size
        hi = min(lo + size, per_day)
        items = [Item(f"id-{day}-{n}", b) for n in range(lo, hi)]
        return Page(items=items, total=per_day, page_num=page, page_size=size)

    async def walk(days: int) -> tuple[int, int]:
        tracemalloc.start()
        count = 0
        pager = AsyncPager(
            fetch,
            page_size=100,
            begin=start,
            end=start + timedelta(days=days, seconds=-1),
            concurrency=4,
            now=lambda: NOW,
        )
        async for _ in pager:
            count += 1
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return count, peak

    small_count, small_peak = await walk(5)
    big_count, big_peak = await walk(50)
    assert (small_count, big_count) == (5_000, 50_000)
    # Items are not accumulated and de-duplication is per window: 10x the orders
    # must not cost 10x the memory (it stays at about one window's worth).
    assert big_peak < small_peak * 2, (small_peak, big_peak)


async def test_checkpoint_after_max_items_cut_loses_nothing() -> None:
    fake = FakeList(100)
    kwargs = {"page_size": 10, "begin": NOW - timedelta(days=11), "end": NOW, "now": lambda: NOW}
    first = AsyncPager(fake.fetch, max_items=25, **kwargs)  # type: ignore[arg-type]
    got = await collect(first)
    assert len(got) == 25  # the third page was cut after 5 items
    rest = await collect(AsyncPager(fake.fetch, resume=first.checkpoint(), **kwargs))  # type: ignore[arg-type]
    assert set(got) | set(rest) == {i.id for i in fake.items}


async def test_item_mode_checkpoint_counts_only_pages_fully_consumed() -> None:
    fake = FakeList(100)
    kwargs = {
        "page_size": 10,
        "begin": NOW - timedelta(days=11),
        "end": NOW,
        "window": timedelta(days=30),
        "now": lambda: NOW,
    }
    pager = AsyncPager(fake.fetch, **kwargs)  # type: ignore[arg-type]
    got: list[str] = []
    async for item in pager:
        got.append(item.id)
        if len(got) == 15:  # in the middle of page 2
            state = pager.checkpoint()
            break
    await pager.aclose()
    assert state["current"]["page"] == 1 and state["current"]["seen"] == 10
    rest = await collect(AsyncPager(fake.fetch, resume=state, **kwargs))  # type: ignore[arg-type]
    assert set(got[:10]) | set(rest) == {i.id for i in fake.items}
    assert len(rest) == 90


# --------------------------------------------------------------------------- through the SDK and the emulator, with faults


#: Retryable faults on the Taobao order list; the script makes sure each kind shows up.
RETRYABLE = FaultRule(
    script=(
        "server_error",
        "rate_limit",
        "ok",
        "reset",
        "truncate",
        "ok",
        "html_error",
        "business_error",
    ),
    server_error=0.1,
    rate_limit=0.1,
    retry_after=0,
    reset=0.05,
    truncate=0.05,
    html_error=0.05,
    business_error=0.05,
)


def hour_ago() -> int:
    """An hour-aligned anchor older than the pager's 5-minute safety margin."""
    return (int(time.time()) // 3600 - 1) * 3600


async def test_iter_yields_every_order_once_through_retryable_faults() -> None:
    sleep = FakeSleep()
    plan = FaultPlan(endpoints={"taobao.orders.list": RETRYABLE})
    async with make_emulator(orders=150, seed=3, faults=plan) as emu:
        expected = [str(r.order_id) for r in reversed(emu.state.taobao.records)]
        async with make_client(emu, retry=RetryPolicy(attempts=6, sleep=sleep)) as xp:
            ids = [o.id async for o in xp.taobao.orders.iter(page_size=10)]
            retries = xp.transport.retries
    assert ids == expected  # every order exactly once, newest first
    faults = emu.counters.faults
    assert set(faults) == set(RETRYABLE.script) - {"ok"}
    assert retries == sum(faults.values())  # every fault cost one retry, none was fatal
    assert len(sleep.calls) == retries
    assert sleep.calls.count(0.0) >= faults["rate_limit"]  # Retry-After: 0 honoured
    assert emu.counters.requests["taobao.orders.list"] == 15 + retries


async def test_windowed_concurrent_iter_through_faults() -> None:
    plan = FaultPlan(
        endpoints={
            "taobao.orders.list": FaultRule(
                script=("reset", "server_error", "rate_limit"),
                server_error=0.05,
                rate_limit=0.05,
                reset=0.05,
            )
        }
    )
    async with (
        make_emulator(orders=150, seed=4, now=hour_ago(), days=10, faults=plan) as emu,
        make_client(emu, retry=RetryPolicy(attempts=6, sleep=FakeSleep())) as xp,
    ):
        pager = xp.taobao.orders.iter(
            begin=emu.data_begin, page_size=7, concurrency=3, window=timedelta(days=2)
        )
        ids = [o.id async for o in pager]
    assert sorted(ids) == sorted(str(r.order_id) for r in emu.state.taobao.records)
    assert len(ids) == len(set(ids)) == 150
    assert pager.done and pager.window_count >= 5 and pager.rewalks == 0
    assert emu.counters.faults["reset"] >= 1


async def test_iter_with_orders_arriving_during_the_walk() -> None:
    plan = FaultPlan(drift_per_request=3, drift_endpoints=frozenset({"taobao.orders.list"}))
    async with make_emulator(orders=100, seed=6, faults=plan) as emu:
        original = {str(r.order_id) for r in emu.state.taobao.records}
        async with make_client(emu) as xp:
            ids = [o.id async for o in xp.taobao.orders.iter(page_size=10)]
    assert len(ids) == len(set(ids))  # nothing repeated, although every page shifted
    assert original <= set(ids)  # nothing skipped
    assert emu.counters.drift_orders >= 30


async def test_failed_page_mid_walk_raises_and_the_checkpoint_resumes() -> None:
    script = ("ok", "ok", "server_error")  # the third page fails, and retries are off
    plan = FaultPlan(endpoints={"taobao.orders.list": FaultRule(script=script)})
    async with (
        make_emulator(orders=45, seed=8, faults=plan) as emu,
        make_client(emu, retry=RetryPolicy.disabled()) as xp,
    ):
        got: list[str] = []
        pager = xp.taobao.orders.iter(page_size=10)
        checkpoint = pager.checkpoint()
        with pytest.raises(ServerError):
            async for page in pager.pages():
                got += [o.id for o in page.items]
                checkpoint = pager.checkpoint()
        assert len(got) == 20 and checkpoint["current"] == {"page": 2, "seen": 20}
        resumed = xp.taobao.orders.iter(page_size=10, resume=checkpoint)
        rest = [o.id async for o in resumed]
    assert got + rest == [str(r.order_id) for r in reversed(emu.state.taobao.records)]


async def test_breaking_out_of_a_concurrent_walk_leaves_nothing_running() -> None:
    async with make_emulator(orders=100) as emu, make_client(emu) as xp:
        async with xp.taobao.orders.iter(page_size=5, concurrency=4) as pager:
            async for order in pager:
                if order.id == str(emu.state.taobao.records[-12].order_id):
                    break
        assert not sdk_tasks()  # the prefetched pages were cancelled
        assert emu.counters.requests["taobao.orders.list"] <= 3 + 4
