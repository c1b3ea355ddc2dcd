"""The bulk order sync: walk the order lists window by window into a store, resumably."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from contextlib import aclosing
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import ConfigurationError
from ..pagination import AsyncPager, IncompleteWindow, integrity_logger
from ..serde import CHINA_TZ
from .records import FINAL_STATUSES, PLATFORMS, AmountUnit, alibaba_record
from .store import OrderRecord, OrderStore

if TYPE_CHECKING:
    from ..client import XportcnClient

__all__ = ["SyncStats", "sync_orders"]

#: Where a first sync starts when no ``begin`` is given and nothing was synced yet.
DEFAULT_INITIAL_SPAN = timedelta(days=90)


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
            wires = page.raw if page.raw is not None else [None] * len(page.items)
            records = [
                to_record(order, wire=wire) for order, wire in zip(page.items, wires, strict=True)
            ]
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
            wires = page.raw if page.raw is not None else [None] * len(page.items)
            found = [(o, w) for o, w in zip(page.items, wires, strict=True) if o.id == order_id]
        else:
            raw = await client.with_raw_response.alibaba.orders.detail(order_id=order_id)
            found = [(raw.parse(), raw.data)]
        if found:
            order, wire = found[0]
            result = await store.save_page(platform, [to_record(order, wire=wire)], None)
            stats.orders_changed += result.changed
            stats.orders_refreshed += 1
