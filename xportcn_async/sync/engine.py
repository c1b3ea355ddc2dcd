"""The bulk order sync: walk the order lists window by window into a store, resumably."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from contextlib import aclosing
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from ..errors import ConfigurationError
from ..pagination import AsyncPager, IncompleteWindow, integrity_logger
from ..serde import CHINA_TZ
from .postgres import LeaseLost, PostgresStore, RunInfo, WindowClaim, new_worker_id
from .records import FINAL_STATUSES, PLATFORMS, AmountUnit, alibaba_record
from .store import OrderRecord, OrderStore

if TYPE_CHECKING:
    from ..client import XportcnClient

__all__ = ["SyncStats", "sync_orders"]

#: Where a first sync starts when no ``begin`` is given and nothing was synced yet.
DEFAULT_INITIAL_SPAN = timedelta(days=90)

#: How long a worker's lease on a window lasts without renewal (renewed every third of it).
DEFAULT_LEASE = 30.0

logger = logging.getLogger("xportcn_async.sync")


@attrs.define(kw_only=True)
class SyncStats:
    """What a sync did. ``progress`` callbacks receive the same object as it fills in."""

    platform: str
    begin: datetime = attrs.field(factory=lambda: datetime.now(CHINA_TZ))
    end: datetime = attrs.field(factory=lambda: datetime.now(CHINA_TZ))
    resumed: bool = False
    windows_total: int = 0
    windows_done: int = 0
    pages: int = 0
    orders_new: int = 0
    orders_changed: int = 0
    orders_unchanged: int = 0
    orders_refreshed: int = 0
    rewalks: int = 0
    retries: int = 0
    elapsed: float = 0.0
    #: Windows whose orders are not all stored (see :class:`~xportcn_async.pagination.AsyncPager`):
    #: they stay in the checkpoint and the next run walks them again.
    incomplete: list[IncompleteWindow] = attrs.field(factory=list)

    @property
    def complete(self) -> bool:
        """True when no window is incomplete: every order the server counted was stored."""
        return not self.incomplete

    @property
    def orders(self) -> int:
        """Orders seen in all (new + changed + unchanged)."""
        return self.orders_new + self.orders_changed + self.orders_unchanged

    @property
    def orders_per_second(self) -> float:
        """Throughput so far."""
        return self.orders / self.elapsed if self.elapsed > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view (times as ISO strings)."""
        data = attrs.asdict(self)
        data["begin"] = self.begin.isoformat()
        data["end"] = self.end.isoformat()
        data["orders"] = self.orders
        data["orders_per_second"] = round(self.orders_per_second, 1)
        data["elapsed"] = round(self.elapsed, 3)
        data["incomplete"] = [w.as_dict() for w in self.incomplete]
        data["complete"] = self.complete
        return data


ProgressCallback = Callable[[SyncStats], Any]


def _list_resource(client: XportcnClient, platform: str) -> Any:
    if platform == "taobao":
        return client.taobao.orders
    if platform == "alibaba":
        return client.alibaba.orders
    raise ConfigurationError(f"unknown platform {platform!r}: use 'taobao' or 'alibaba'")


async def sync_orders(
    client: XportcnClient,
    store: OrderStore,
    *,
    platform: str = "taobao",
    begin: datetime | None = None,
    end: datetime | None = None,
    concurrency: int = 4,
    page_size: int = 50,
    window: timedelta = timedelta(days=1),
    lookback: timedelta = timedelta(days=7),
    safety_margin: timedelta = timedelta(minutes=5),
    refresh_open: bool = False,
    alibaba_amount_unit: AmountUnit = "yuan",
    progress: ProgressCallback | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    reset_checkpoint: bool = False,
    lease: float = DEFAULT_LEASE,
    worker: str | None = None,
) -> SyncStats:
    """Copy every order of ``platform`` created in ``[begin, end]`` into ``store``.

    Each page is stored in one transaction with the checkpoint saying it is
    done, so a killed or cancelled sync resumes after its last stored page when
    run again with the same range (or, in incremental mode, at all).

    Incremental mode (``begin=None``): continue from the end of the last
    completed sync minus ``lookback`` (7 days by default), so that status
    changes of recent orders are picked up; a first sync starts 90 days back.
    ``refresh_open=True`` also re-reads, one by one, the orders older than the
    look-back that are not in a final status. ``alibaba_amount_unit`` says
    whether 1688 ``totalAmount`` arrives in yuan (default, INFERRED) or fen; a
    fractional amount is read as yuan whatever the setting.

    Returns :class:`SyncStats`; ``progress(stats)`` is called after every page.
    A window whose orders could not all be read (the server's list stayed short of
    its own total, or repeated a page) is listed in ``stats.incomplete``: the run
    goes on with the other windows, its checkpoint is not ``done``, and the next run
    walks the incomplete windows again. Check ``stats.complete``.

    A saved state that does not validate raises ``ConfigurationError`` naming it;
    ``reset_checkpoint=True`` discards the saved state first (stored orders stay).

    With a :class:`~xportcn_async.sync.postgres.PostgresStore`, the sync is shared: any
    number of processes running it with the same arguments split the windows between them
    (:func:`_sync_shared`); ``lease`` is how long a worker holds a window without renewing
    it (a worker that dies loses its windows after that), ``worker`` its name in the lease
    log (default ``host:pid:random``).
    """
    if platform not in PLATFORMS:
        raise ConfigurationError(f"unknown platform {platform!r}: use 'taobao' or 'alibaba'")
    account = getattr(store, "account", "")
    if account not in ("", client.config.user_id):
        raise ConfigurationError(
            f"the store is bound to account {account!r}, the client signs as "
            f"{client.config.user_id!r}: open the store with account= the client's user id"
        )
    to_record = PLATFORMS[platform]
    if platform == "alibaba":
        to_record = functools.partial(alibaba_record, amount_unit=alibaba_amount_unit)
    resource = _list_resource(client, platform)
    started = time.perf_counter()
    retries_before = client.transport.retries
    stats = SyncStats(platform=platform)
    if reset_checkpoint:
        await store.reset_state(platform)
    state = await store.get_state(platform)
    if isinstance(store, PostgresStore):
        stats, finished_here = await _sync_shared(
            client,
            store,
            resource,
            to_record,
            stats,
            begin=begin,
            end=end,
            default_begin=(
                state.synced_until - lookback
                if state.synced_until is not None
                else now() - DEFAULT_INITIAL_SPAN
            ),
            default_end=now() - safety_margin,
            concurrency=concurrency,
            page_size=page_size,
            window=window,
            lease=lease,
            worker=worker or new_worker_id(),
            progress=progress,
            started=started,
            retries_before=retries_before,
        )
        if refresh_open and finished_here:  # once per run: by the worker that finished it
            await _refresh_open(
                client, store, platform, resource, to_record, stats, now() - lookback
            )
        return stats

    resume: dict[str, Any] | None = None
    checkpoint = state.checkpoint
    if checkpoint and not checkpoint.get("done"):
        same_range = begin is None or (
            checkpoint.get("begin") == begin.isoformat()
            and (end is None or checkpoint.get("end") == end.isoformat())
        )
        if same_range and checkpoint.get("page_size") == page_size:
            resume = checkpoint
        else:
            # Shown at any verbosity: the unfinished run's range is walked again only by a
            # run with its arguments; what it stored stays.
            integrity_logger.warning(
                "%s: the saved, unfinished sync (%s .. %s, page size %s) does not match these "
                "arguments: starting a new sync instead of resuming it (orders already "
                "stored are kept). To resume it, run again with its --since/--until/"
                "--page-size; to drop it for good, --reset-checkpoint",
                platform,
                checkpoint.get("begin"),
                checkpoint.get("end"),
                checkpoint.get("page_size"),
            )
    if resume is None and begin is None:
        if state.synced_until is not None:
            begin = state.synced_until - lookback
        else:
            begin = now() - DEFAULT_INITIAL_SPAN
    try:
        if begin is None and resume is not None:
            begin = _checkpoint_begin(resume)
        pager: AsyncPager[Any] = resource.iter(
            page_size=page_size,
            begin=begin,
            end=end,
            concurrency=concurrency,
            window=window,
            safety_margin=safety_margin,
            resume=resume,
        )
    except ConfigurationError as exc:
        if resume is None:
            raise
        raise ConfigurationError(
            f"the saved checkpoint of {platform} cannot be resumed ({exc}). Discard it with "
            f"'xportcn sync orders --platform {platform} --reset-checkpoint' (or "
            "sync_orders(..., reset_checkpoint=True)): stored orders are kept"
        ) from None
    stats.resumed = resume is not None
    first = pager.checkpoint()
    # Report the range in China time, like the API's own times.
    stats.begin = datetime.fromisoformat(first["begin"]).astimezone(CHINA_TZ)
    stats.end = datetime.fromisoformat(first["end"]).astimezone(CHINA_TZ)
    stats.windows_total = pager.window_count
    stats.windows_done = pager.windows_done

    def tick() -> None:
        stats.elapsed = time.perf_counter() - started
        stats.retries = client.transport.retries - retries_before
        stats.rewalks = pager.rewalks
        stats.windows_done = pager.windows_done
        if progress is not None:
            progress(stats)

    # aclosing: a failed save or a cancellation must not leave page requests in flight.
    async with aclosing(pager.pages()) as pages:
        async for page in pages:
            records = [to_record(order, wire=wire) for order, wire in _with_wires(page)]
            result = await store.save_page(platform, records, pager.checkpoint())
            stats.pages += 1
            stats.orders_new += result.new
            stats.orders_changed += result.changed
            stats.orders_unchanged += result.unchanged
            tick()

    stats.incomplete = list(pager.incomplete)
    synced_until = stats.end
    if stats.incomplete:
        # Synced completely only up to the first window that is not: an incremental
        # run restarts from there at the latest.
        synced_until = min(synced_until, *(w.begin for w in stats.incomplete))
    await store.finish(platform, pager.checkpoint(), synced_until)

    if refresh_open:
        await _refresh_open(client, store, platform, resource, to_record, stats, now() - lookback)
    tick()
    return stats


async def _sync_shared(
    client: XportcnClient,
    store: PostgresStore,
    resource: Any,
    to_record: Callable[..., OrderRecord],
    stats: SyncStats,
    *,
    begin: datetime | None,
    end: datetime | None,
    default_begin: datetime,
    default_end: datetime,
    concurrency: int,
    page_size: int,
    window: timedelta,
    lease: float,
    worker: str,
    progress: ProgressCallback | None,
    started: float,
    retries_before: int,
) -> tuple[SyncStats, bool]:
    """One worker of a sync shared through PostgreSQL: claim windows until none is left.

    The run (range, windows) is joined when one with these arguments is running, else
    started. The worker leases the oldest free window, walks it with the pager (its
    integrity checks included), renewing the lease every third of ``lease`` seconds, and
    commits the window's orders together with its completion while the lease is still its
    own. A window whose lease was lost is left to the worker that took it over. When no
    window is free but others hold some, the worker waits: a worker that died frees its
    windows when its lease runs out. The run finishes when every window is done or
    incomplete; each worker's stats are its own windows, ``incomplete`` the run's. Returns
    the stats and whether this worker finished the run.

    Pacing: the client's ``max_requests_per_second`` is taken as the account's limit, and
    each worker paces itself at that limit divided by the number of workers holding a live
    lease in the run (itself included), recounted before each window it claims. A worker
    that joins is counted by the others at their next claim, so for up to one window the
    account may see up to (n + 1) / n of its limit.
    """
    platform = stats.platform
    run = await store.start_run(
        platform,
        begin=begin,
        end=end,
        window=window,
        page_size=page_size,
        default_begin=default_begin,
        default_end=default_end,
    )
    stats.resumed = not run.created
    stats.begin, stats.end = run.begin.astimezone(CHINA_TZ), run.end.astimezone(CHINA_TZ)

    async def tick() -> None:
        counts = await store.run_progress(run)
        stats.windows_total = counts.total
        stats.windows_done = counts.done + counts.incomplete
        stats.elapsed = time.perf_counter() - started
        stats.retries = client.transport.retries - retries_before
        if progress is not None:
            progress(stats)

    await tick()
    poll = max(0.05, min(lease / 4, 2.0))
    # The client's max_requests_per_second is the account's: split between the run's live
    # workers, recounted before every claim.
    limiter = client.transport.rate_limiter
    account_rate = limiter.rate if limiter is not None else None
    finished_here = False
    while True:
        if limiter is not None and account_rate is not None:
            limiter.rate = account_rate / await store.live_workers(run, worker)
        claim = await store.claim_window(run, worker, lease)
        if claim is None:
            finished_here = await store.finish_run(run)
            if finished_here:
                break
            counts = await store.run_progress(run)
            if counts.pending == 0 and counts.leased == 0:
                break  # finished by another worker
            await asyncio.sleep(poll)  # windows held by others, who may die: look again
            continue
        try:
            await _walk_claimed(store, resource, to_record, stats, run, claim, concurrency, lease)
        except LeaseLost as exc:
            logger.warning("%s: %s; another worker walks it", platform, exc)
        except BaseException as exc:
            # The window goes back to the pool at once (a killed worker's runs out instead).
            await asyncio.shield(store.release(claim, f"failed: {type(exc).__name__}"))
            raise
        await tick()
    stats.incomplete = [
        _incomplete_window(lo, hi, detail) for lo, hi, detail in await store.incomplete_windows(run)
    ]
    await tick()
    return stats, finished_here


async def _walk_claimed(
    store: PostgresStore,
    resource: Any,
    to_record: Callable[..., OrderRecord],
    stats: SyncStats,
    run: RunInfo,
    claim: WindowClaim,
    concurrency: int,
    lease: float,
) -> None:
    """Walk one leased window, renewing the lease, then commit it with its completion."""

    async def walk() -> tuple[list[OrderRecord], list[IncompleteWindow]]:
        pager: AsyncPager[Any] = resource.iter(
            page_size=run.page_size,
            begin=claim.begin,
            end=claim.end,
            concurrency=concurrency,
            window=claim.end - claim.begin + timedelta(seconds=1),  # this window only
            safety_margin=timedelta(0),
        )
        records: list[OrderRecord] = []
        async with aclosing(pager.pages()) as pages:
            async for page in pages:
                records += [to_record(order, wire=wire) for order, wire in _with_wires(page)]
                stats.pages += 1
        return records, list(pager.incomplete)

    walking = asyncio.ensure_future(walk())
    try:
        while True:
            done, _ = await asyncio.wait({walking}, timeout=lease / 3)
            if done:
                break
            if not await store.renew(claim, lease):
                raise LeaseLost(f"the lease on {claim.begin.isoformat()} was lost while walking")
        records, incomplete = walking.result()
    finally:
        if not walking.done():
            walking.cancel()
            await asyncio.gather(walking, return_exceptions=True)
    detail = orjson.dumps(incomplete[0].as_dict()).decode() if incomplete else None
    result = await store.complete_window(claim, records, incomplete=detail)
    stats.orders_new += result.new
    stats.orders_changed += result.changed
    stats.orders_unchanged += result.unchanged


def _incomplete_window(lo: datetime, hi: datetime, detail: str) -> IncompleteWindow:
    try:
        seen = orjson.loads(detail) if detail else {}
    except orjson.JSONDecodeError:
        seen = {}
    return IncompleteWindow(
        begin=lo.astimezone(CHINA_TZ),
        end=hi.astimezone(CHINA_TZ),
        unique=int(seen.get("unique") or 0),
        total=seen.get("total"),
        reason=str(seen.get("reason") or "incomplete"),
    )


def _with_wires(page: Any) -> list[tuple[Any, Any]]:
    """(order, its wire dict or None) for each item of a page (``page.raw`` when kept)."""
    wires = page.raw if page.raw is not None else [None] * len(page.items)
    return list(zip(page.items, wires, strict=True))


def _checkpoint_begin(checkpoint: dict[str, Any]) -> datetime:
    value = checkpoint.get("begin")
    try:
        begin = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        begin = None
    if begin is None or begin.utcoffset() is None:
        raise ConfigurationError(f"its begin is not an ISO 8601 time with an offset: {value!r}")
    return begin


async def _refresh_open(
    client: XportcnClient,
    store: OrderStore,
    platform: str,
    resource: Any,
    to_record: Callable[..., OrderRecord],
    stats: SyncStats,
    created_before: datetime,
) -> None:
    """Re-read open orders older than the look-back window, one by one (by order number)."""
    rows = await store.open_orders(
        platform, FINAL_STATUSES[platform], created_before.astimezone(CHINA_TZ)
    )
    for order_id, order_no in rows:
        if platform == "taobao":
            if not order_no:
                continue
            page = await resource.list(page_num=1, page_size=10, order_no=order_no)
            found = [(o, w) for o, w in _with_wires(page) if o.id == order_id]
        else:
            raw = await client.with_raw_response.alibaba.orders.detail(order_id=order_id)
            found = [(raw.parse(), raw.data)]
        if found:
            order, wire = found[0]
            result = await store.save_page(platform, [to_record(order, wire=wire)], None)
            stats.orders_changed += result.changed
            stats.orders_refreshed += 1
