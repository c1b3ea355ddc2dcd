"""Pagination a bulk sync can trust: time windows, de-duplication, bounded concurrency, checkpoints.

:class:`AsyncPager` walks any ``pageNum``/``pageSize``-style list. Used plainly
(no ``begin``) it walks the list page by page and stops at ``total``, on a short
or empty page. With ``begin`` (and optionally ``end``) it walks **closed time
windows**, oldest window first::

    async for order in xp.taobao.orders.iter(begin=since, page_size=100, concurrency=4):
        ...

What is guaranteed, and why
---------------------------
The order lists are sorted newest first, so an order created during a walk
shifts every later page by one: a naive ``pageNum`` walk then repeats or skips
orders. The pager avoids that in three ways:

* Windows are closed: the newest window ends at ``now - safety_margin``
  (5 minutes by default) and orders are filtered by creation time, so orders
  created during the walk fall outside every window being walked.
* Items are de-duplicated by id within a window (an id is yielded once per window).
* After each window the pager compares the number of unique ids with the
  window's ``total``; when they differ (something moved), it walks the window
  again, yielding only ids not seen yet, up to ``max_rewalks`` times.
* A page whose ids repeat *any* earlier page of the same walk of a window (a
  fingerprint of its ids, not only the neighbour) is a server fault: its items
  are not counted again, and the window is re-walked like any other shortfall.

A window whose unique ids stay **below its total** after the re-walks (or that
repeated a page and has no total to compare with) is **incomplete**: it is listed
in :attr:`AsyncPager.incomplete` with its counts, logged as a WARNING on the
``xportcn_async.integrity`` logger, and kept in the checkpoint so that a walk
resumed from it walks that window again; the checkpoint is ``done`` only when no
window is incomplete. The walk itself goes on with the next window.

Guaranteed: every order whose creation time lies in a walked window and that
exists for the whole walk is yielded, exactly once per window, or the window is
reported incomplete. Not guaranteed:
orders created less than ``safety_margin`` ago (the next incremental sync picks
them up); orders deleted during the walk; an order whose creation time the
server changes. Changes of status are not movements in a creation-time window,
so they are not re-walked: re-sync a look-back period to pick them up (the bulk
sync does, 7 days by default).

Concurrency
-----------
With ``concurrency=N > 1`` the pager fetches page 1 of a window, learns
``total``, then keeps up to N page requests in flight **whether or not the
consumer has taken the next page** (read-ahead: the requests run while the
consumer works; at most N pages wait in the buffer), still yielding pages and
items in page order. Slots left idle by a window whose pages are all asked for
fetch page 1 of the next windows ahead (at most N such pages), so short windows
do not go one first page at a time; a semaphore keeps the whole walk at N
requests in flight. The first error cancels the requests in flight and is
raised. Breaking out of the loop cancels them too (when the generator is closed:
use ``async with pager:`` or ``await pager.aclose()`` to make it immediate).

Checkpoints
-----------
``pager.checkpoint()`` returns a small JSON-serialisable dict (filters, the
range and window size, the current window and the last page handed over, the
next window of the range still to walk, and the incomplete windows to walk
again). ``iter(..., resume=checkpoint)`` continues from it: the current window,
then the rest of the range, then the incomplete windows. While iterating
``pages()``, the checkpoint already counts the page just yielded: store it in
the same transaction as that page's items. Every value of a checkpoint is
validated when it is resumed (types, ranges, at most :data:`MAX_WINDOWS`
windows); a damaged one raises :class:`~xportcn_async.errors.ConfigurationError`.
Checkpoints of version 1 (before incomplete windows were kept) are still read.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable, Mapping
from contextlib import aclosing
from datetime import datetime, timedelta, timezone
from types import TracebackType
from typing import Any, Generic, TypeVar

import attrs

from .errors import ConfigurationError, XportcnError
from .models.common import Page

__all__ = ["MAX_WINDOWS", "AsyncPager", "IncompleteWindow", "Page", "PaginationError", "Window"]

logger = logging.getLogger("xportcn_async")
#: Where the pager reports what puts completeness at risk (the CLI always shows it).
integrity_logger = logging.getLogger("xportcn_async.integrity")

T = TypeVar("T")

CHECKPOINT_VERSION = 2
#: The most windows one walk may have (a tiny window over a long range is refused,
#: not allocated): 100,000 one-hour windows are over eleven years.
MAX_WINDOWS = 100_000


class PaginationError(XportcnError):
    """The server's paging is inconsistent (same page twice, a runaway ``total``)."""


#: (page_num, page_size, begin, end) -> one page. ``begin``/``end`` are None outside windows.
PageFetcher = Callable[[int, int, "datetime | None", "datetime | None"], Awaitable[Page[T]]]


class Window:
    """A closed creation-time interval ``[begin, end]`` at one-second resolution."""

    __slots__ = ("begin", "end")

    def __init__(self, begin: datetime, end: datetime) -> None:
        self.begin = begin
        self.end = end

    def __repr__(self) -> str:
        return f"Window({self.begin.isoformat()} .. {self.end.isoformat()})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Window) and (self.begin, self.end) == (other.begin, other.end)

    def __hash__(self) -> int:
        return hash((self.begin, self.end))


@attrs.frozen
class IncompleteWindow:
    """A window whose unique ids stayed below its ``total`` after the re-walks.

    ``reason`` says what was seen (a shortfall, a page repeating an earlier one).
    """

    begin: datetime
    end: datetime
    unique: int
    total: int | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view (times as ISO strings)."""
        return {
            "begin": self.begin.isoformat(),
            "end": self.end.isoformat(),
            "unique": self.unique,
            "total": self.total,
            "reason": self.reason,
        }


def split_windows(begin: datetime, end: datetime, size: timedelta) -> list[Window]:
    """Split ``[begin, end]`` into consecutive closed windows of ``size`` (the last may be shorter).

    Windows do not overlap: each ends one second before the next begins,
    matching the API's second-resolution ``beginDateTime``/``endDateTime``.
    ``size`` must be at least one second, and the range must not make more than
    :data:`MAX_WINDOWS` windows (``ValueError``): nothing here can loop forever.
    """
    if size < timedelta(seconds=1):
        raise ValueError(f"a window must last at least one second, got {size}")
    windows: list[Window] = []
    start = begin.replace(microsecond=0)
    end = end.replace(microsecond=0)
    if end >= start and (end - start) / size >= MAX_WINDOWS:
        raise ValueError(
            f"{start.isoformat()} .. {end.isoformat()} in windows of {size} makes more than "
            f"{MAX_WINDOWS:,} windows: use a larger window"
        )
    step = timedelta(seconds=1)
    while start <= end:
        stop = min(start + size - step, end)
        windows.append(Window(start, stop))
        start = stop + step
    return windows


def _aware(name: str, value: datetime | None) -> datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(
            f"{name} must be an aware datetime, "
            "e.g. datetime(..., tzinfo=ZoneInfo('Asia/Shanghai'))"
        )
    return value


def _time(entry: Mapping[str, Any], name: str) -> datetime:
    """An aware ISO 8601 time of a checkpoint entry (``ConfigurationError`` otherwise)."""
    value = entry.get(name)
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.utcoffset() is None:
        raise ConfigurationError(
            f"checkpoint {name!r} is not an ISO 8601 time with an offset: {value!r}"
        )
    return parsed


def _count(entry: Mapping[str, Any], name: str) -> int:
    """A non-negative whole number of a checkpoint entry (0 when absent)."""
    value = entry.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**9:
        raise ConfigurationError(f"checkpoint {name!r} must be a whole number >= 0, got {value!r}")
    return value


def _default_key(item: Any) -> Hashable:
    key: Hashable = item.id
    return key


class AsyncPager(Generic[T]):
    """Walks a paged list; ``async for item in pager`` or ``async for page in pager.pages()``.

    Parameters: ``fetch`` gets one page (see :data:`PageFetcher`); ``page_size``;
    ``begin``/``end`` (aware datetimes) switch on time windows of ``window``
    (default one day), with the newest clamped to ``now - safety_margin``;
    ``concurrency`` pages in flight per window; ``max_items`` stops after that
    many items; ``key`` gives an item's id for de-duplication; ``max_rewalks``
    bounds the re-walks of a window whose unique count differs from its total;
    ``filters`` are recorded in checkpoints; ``resume`` continues a checkpoint.
    """

    def __init__(
        self,
        fetch: PageFetcher[T],
        *,
        page_size: int = 50,
        begin: datetime | None = None,
        end: datetime | None = None,
        window: timedelta = timedelta(days=1),
        safety_margin: timedelta = timedelta(minutes=5),
        concurrency: int = 1,
        max_items: int | None = None,
        key: Callable[[T], Hashable] = _default_key,
        max_rewalks: int = 2,
        filters: Mapping[str, Any] | None = None,
        resume: Mapping[str, Any] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        first_page: int = 1,
        max_pages: int = 100_000,
    ) -> None:
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
            raise ValueError(f"page_size must be an integer >= 1, got {page_size!r}")
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"concurrency must be an integer >= 1, got {concurrency!r}")
        if max_items is not None and max_items < 0:
            raise ValueError(f"max_items must be >= 0, got {max_items!r}")
        if window <= timedelta(0):
            raise ValueError("window must be a positive timedelta")
        if max_rewalks < 0:
            raise ValueError("max_rewalks must be >= 0")
        self._fetch = fetch
        self.page_size = page_size
        self.concurrency = concurrency
        self.max_items = max_items
        self._key = key
        self._max_rewalks = max_rewalks
        self._filters = dict(filters or {})
        self._first_page = first_page
        self._max_pages = max_pages
        self._window_size = window
        begin, end = _aware("begin", begin), _aware("end", end)
        self._windows: list[Window] | None = None
        if begin is not None:
            limit = now() - safety_margin
            end = min(end, limit) if end is not None else limit
            if end < begin:
                raise ValueError(f"end ({end.isoformat()}) is before begin ({begin.isoformat()})")
            self._windows = split_windows(begin, end, window)
        self._begin, self._end = begin, end
        # Without begin there are no windows; an end alone is passed to every request.
        self._open_end = end if begin is None else None
        # The work of this walk, in order: (window, its index in the range or None for a
        # window carried over as incomplete from a checkpoint). A plain walk is [None].
        self._queue: list[tuple[Window | None, int | None]] = (
            [(w, i) for i, w in enumerate(self._windows)]
            if self._windows is not None
            else [(None, None)]
        )
        self._position = 0  # index in _queue of the window being walked
        self._page_done = 0  # pages of the current window handed to the consumer
        self._seen_in_window = 0
        #: Windows found incomplete by this walk (see the module docstring).
        self.incomplete: list[IncompleteWindow] = []
        self.pages_fetched = 0
        self.items_yielded = 0
        self.rewalks = 0
        self._started = False
        self._agen: AsyncGenerator[Any, None] | None = None
        # At most ``concurrency`` requests in flight over all windows; page 1 of the
        # windows after the current one, fetched early into idle slots (by queue position).
        self._slots = asyncio.Semaphore(concurrency)
        self._ahead: dict[int, asyncio.Task[Page[T]]] = {}
        if resume is not None:
            try:
                self._restore(resume)
            except ConfigurationError:
                raise
            except (AttributeError, KeyError, TypeError, ValueError, OverflowError) as exc:
                # A damaged or foreign checkpoint (hand-edited, another pager's).
                raise ConfigurationError(f"not a checkpoint of this walk: {exc}") from None

    # -- checkpoints ---------------------------------------------------------------

    def checkpoint(self) -> dict[str, Any]:
        """A JSON-serialisable state to resume from (see the module docstring)."""
        current: dict[str, Any] | None = None
        if self._position < len(self._queue):
            win, _ = self._queue[self._position]
            current = {"page": self._page_done, "seen": self._seen_in_window}
            if win is not None:
                current = {"begin": win.begin.isoformat(), "end": win.end.isoformat(), **current}
        later = self._queue[self._position + 1 :]
        grid = len(self._windows) if self._windows is not None else 1
        next_window = min((i for _, i in later if i is not None), default=grid)
        retry = [
            {"begin": w.begin.isoformat(), "end": w.end.isoformat()}
            for w, i in later
            if w is not None and i is None
        ] + [{"begin": w.begin.isoformat(), "end": w.end.isoformat()} for w in self.incomplete]
        return {
            "version": CHECKPOINT_VERSION,
            "filters": self._filters,
            "page_size": self.page_size,
            "begin": self._begin.isoformat() if self._begin else None,
            "end": self._end.isoformat() if self._end else None,
            "window_seconds": int(self._window_size.total_seconds()),
            "current": current,
            "next_window": next_window,
            "retry": retry,
            "done": self.done,
        }

    @property
    def window_count(self) -> int:
        """Number of windows in the walk (1 without time windows), incomplete ones included."""
        grid = len(self._windows) if self._windows is not None else 1
        return grid + sum(1 for _, i in self._queue if i is None and self._windows is not None)

    @property
    def windows_done(self) -> int:
        """Windows completely walked so far (including those walked before a resume)."""
        return self.window_count - (len(self._queue) - self._position)

    @property
    def done(self) -> bool:
        """True once every window (or the whole list) is walked and none is incomplete."""
        return self._position >= len(self._queue) and not self.incomplete

    def _restore(self, state: Mapping[str, Any]) -> None:
        if not isinstance(state, Mapping):
            raise ConfigurationError(f"a checkpoint is a JSON object, got {type(state).__name__}")
        version = state.get("version")
        if version not in (1, CHECKPOINT_VERSION):
            raise ConfigurationError(f"unsupported checkpoint version {version!r}")
        if dict(state.get("filters") or {}) != self._filters:
            raise ConfigurationError(
                "checkpoint filters differ from this walk's filters: "
                f"{state.get('filters')!r} != {self._filters!r}"
            )
        if state.get("page_size") != self.page_size:
            raise ConfigurationError(
                f"checkpoint page_size {state.get('page_size')} != page_size {self.page_size}"
            )
        current = state.get("current")
        if current is not None and not isinstance(current, Mapping):
            raise ConfigurationError(f"checkpoint 'current' is not an object: {current!r}")
        current = current or {}
        page = _count(current, "page")
        seen = _count(current, "seen")
        if self._windows is None:
            self._position = 1 if state.get("done") else 0
            self._page_done, self._seen_in_window = page, seen
            return
        # Windows are recomputed from the checkpoint's own range, so a resumed walk
        # covers exactly what the interrupted one would have.
        begin = _time(state, "begin")
        end = _time(state, "end")
        if end < begin:
            raise ConfigurationError(f"checkpoint end {end.isoformat()} is before its begin")
        seconds = state.get("window_seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 1:
            raise ConfigurationError(
                f"checkpoint window_seconds must be a whole number >= 1, got {seconds!r}"
            )
        self._begin, self._end = begin, end
        self._window_size = timedelta(seconds=seconds)
        grid = split_windows(begin, end, self._window_size)
        self._windows = grid
        by_begin = {w.begin: i for i, w in enumerate(grid)}

        def window(entry: Any, what: str) -> tuple[Window, int | None]:
            if not isinstance(entry, Mapping):
                raise ConfigurationError(f"checkpoint {what} is not an object: {entry!r}")
            lo, hi = _time(entry, "begin"), _time(entry, "end")
            if not begin <= lo <= hi <= end:
                raise ConfigurationError(
                    f"checkpoint {what} {lo.isoformat()} .. {hi.isoformat()} is not inside "
                    f"the walk's range {begin.isoformat()} .. {end.isoformat()}"
                )
            index = by_begin.get(lo)
            return Window(lo, hi), index if index is not None and grid[index].end == hi else None

        if version == 1:
            if state.get("done"):
                self._queue, self._position = [], 0
                return
            first = by_begin.get(_time(current, "begin"), 0) if current else 0
            self._queue = [(w, i) for i, w in enumerate(grid) if i >= first]
        else:
            next_window = state.get("next_window")
            if (
                isinstance(next_window, bool)
                or not isinstance(next_window, int)
                or not 0 <= next_window <= len(grid)
            ):
                raise ConfigurationError(
                    f"checkpoint next_window must be 0..{len(grid)}, got {next_window!r}"
                )
            retry = state.get("retry") or []
            if not isinstance(retry, list) or len(retry) > len(grid):
                raise ConfigurationError("checkpoint 'retry' is not a list of windows")
            queue: list[tuple[Window | None, int | None]] = []
            if current:
                queue.append(window(current, "current window"))
            queue += [(grid[i], i) for i in range(next_window, len(grid))]
            for entry in retry:
                win, _ = window(entry, "retry window")
                if all(win != w for w, _ in queue):
                    queue.append((win, None))
            self._queue = queue
        self._position = 0
        self._page_done, self._seen_in_window = (page, seen) if current else (0, 0)

    # -- iteration -----------------------------------------------------------------

    def __aiter__(self) -> AsyncGenerator[T, None]:
        agen = self._items()
        self._agen = agen
        return agen

    async def _items(self) -> AsyncGenerator[T, None]:
        async with aclosing(self._pages(items_mode=True)) as pages:
            async for page in pages:
                for item in page.items:
                    yield item

    def pages(self) -> AsyncGenerator[Page[T], None]:
        """Yield de-duplicated pages in order (each page's ``items`` are new ids only)."""
        agen = self._pages(items_mode=False)
        self._agen = agen
        return agen

    async def _pages(self, *, items_mode: bool) -> AsyncGenerator[Page[T], None]:
        if self._started:
            raise RuntimeError("an AsyncPager can be iterated once; create a new one")
        self._started = True
        remaining = self.max_items
        try:
            async with aclosing(self._walk_queue(items_mode, remaining)) as pages:
                async for page in pages:
                    yield page
        finally:
            ahead, self._ahead = list(self._ahead.values()), {}
            for task in ahead:
                task.cancel()
            if ahead:
                await asyncio.gather(*ahead, return_exceptions=True)

    async def _walk_queue(
        self, items_mode: bool, remaining: int | None
    ) -> AsyncGenerator[Page[T], None]:
        while self._position < len(self._queue):
            win, _ = self._queue[self._position]
            async with aclosing(self._walk_window(win)) as walk:
                async for page, seen_after in walk:
                    complete = True
                    if remaining is not None:
                        if remaining <= 0:
                            return
                        if len(page.items) > remaining:
                            # A cut page is not done: a checkpoint resumes at its start.
                            complete = False
                            page = page.subset(range(remaining))
                        remaining -= len(page.items)
                    self.items_yielded += len(page.items)
                    if items_mode:
                        yield page
                    if complete:
                        # The checkpoint counts this page as handed over: in pages() mode
                        # before the yield (store it with the page), in item mode after
                        # the consumer took its last item.
                        self._page_done = page.page_num
                        self._seen_in_window = seen_after
                    if not items_mode:
                        yield page
                    if remaining is not None and remaining <= 0:
                        return
            self._position += 1
            self._page_done = 0
            self._seen_in_window = 0

    async def _walk_window(self, win: Window | None) -> AsyncGenerator[tuple[Page[T], int], None]:
        """One window (or the whole list): walk, compare with total, re-walk when they differ.

        Yields each de-duplicated page with the number of unique ids handed over so far.
        A window still short of its total after the re-walks is added to
        :attr:`incomplete` (after its last page is yielded).
        """
        seen: set[Hashable] = set()
        start_page = self._page_done + 1
        resumed = self._seen_in_window  # ids handed over before a resume, not in ``seen``
        total: int | None = None
        unique = 0
        repeats: list[str] = []
        for attempt in range(self._max_rewalks + 1):
            if attempt:
                self.rewalks += 1
                start_page, resumed = 1, 0  # a full walk from page 1 sees everything again
            before = len(seen)
            repeats.clear()
            early = self._ahead.pop(self._position, None) if start_page == 1 else None
            async with aclosing(self._walk_once(win, start_page, repeats, early)) as walk:
                async for page in walk:
                    total = page.total
                    fresh = []
                    for i, item in enumerate(page.items):
                        k = self._key(item)
                        if k not in seen:
                            seen.add(k)
                            fresh.append(i)
                    deduped = page if len(fresh) == len(page.items) else page.subset(fresh)
                    yield deduped, resumed + len(seen)
            unique = resumed + len(seen)
            if win is None or (total is None and not repeats):
                # A plain walk is open at the top (new orders keep arriving): only closed
                # windows can be compared with their total.
                return
            if total is not None and unique >= total:
                if unique > total:
                    logger.info(
                        "window %s: %d unique ids against a total of %d: ids were removed "
                        "during the walk",
                        win,
                        unique,
                        total,
                    )
                return
            if attempt and len(seen) == before:
                break  # a full re-walk found nothing new: re-walking again cannot help
            if attempt < self._max_rewalks:
                logger.info(
                    "window %s: %d unique ids but total %s%s; walking it again (%d/%d)",
                    win,
                    unique,
                    total,
                    f" ({repeats[0]})" if repeats else "",
                    attempt + 1,
                    self._max_rewalks,
                )
        assert win is not None  # a plain walk returned above
        reason = (
            repeats[0]
            if repeats
            else f"{unique} unique ids against a total of {total} after re-walking"
        )
        self.incomplete.append(
            IncompleteWindow(
                begin=win.begin, end=win.end, unique=unique, total=total, reason=reason
            )
        )
        integrity_logger.warning(
            "window %s is INCOMPLETE: %d unique ids against a total of %s (%s); it stays in "
            "the checkpoint to be walked again",
            win,
            unique,
            total,
            reason,
        )

    async def _get(self, win: Window | None, n: int) -> Page[T]:
        """Page ``n`` of ``win`` (or of the plain list), in one of the ``concurrency`` slots."""
        if n > self._max_pages:
            raise PaginationError(
                f"more than {self._max_pages} pages in one walk: the server never ends "
                "the list; stopping instead of looping"
            )
        begin = win.begin if win else None
        end = win.end if win else self._open_end
        async with self._slots:
            page = await self._fetch(n + self._first_page - 1, self.page_size, begin, end)
        self.pages_fetched += 1
        return page

    def _prefetch(self, free: int) -> None:
        """Start page 1 of the next windows in ``free`` idle slots (at most ``concurrency``
        such pages are fetched ahead), so a window's first page does not go alone."""
        position = self._position + 1
        while free > 0 and len(self._ahead) < self.concurrency and position < len(self._queue):
            if position not in self._ahead:
                win, _ = self._queue[position]
                self._ahead[position] = asyncio.ensure_future(self._get(win, 1))
                free -= 1
            position += 1

    def _running_ahead(self) -> int:
        return sum(1 for task in self._ahead.values() if not task.done())

    async def _walk_once(
        self,
        win: Window | None,
        start_page: int,
        repeats: list[str],
        early: asyncio.Task[Page[T]] | None = None,
    ) -> AsyncGenerator[Page[T], None]:
        """Pages ``start_page..`` of one window; prefetches up to ``concurrency`` pages.

        ``early`` is this window's page 1 when it was fetched ahead. A page repeating an
        earlier page of this walk is not yielded: it is described in ``repeats`` and,
        without a total to bound the walk, ends it. Outside windows it raises
        :class:`PaginationError` (there is no window to re-walk).
        """
        fingerprints: dict[int, int] = {}
        windowed = win is not None

        async def get(n: int) -> Page[T]:
            return await self._get(win, n)

        def repeated(page: Page[T]) -> bool:
            if not page.items:
                return False
            fingerprint = hash(tuple(self._key(i) for i in page.items))
            earlier = fingerprints.setdefault(fingerprint, page.page_num)
            if earlier == page.page_num:
                return False
            message = (
                f"the server returned the same page twice (page {page.page_num} repeats "
                f"page {earlier})"
            )
            if win is None:
                raise PaginationError(
                    f"{message}: it may ignore pageNum; stopping instead of looping"
                )
            repeats.append(message)
            return True

        if early is None:
            if windowed:
                self._prefetch(self.concurrency - 1 - self._running_ahead())
            first = await get(start_page)
        else:
            first = await early
        repeated(first)
        if not first.items or len(first.items) < self.page_size:
            yield first
            return
        last_page = self._last_page(first, start_page)
        next_page = start_page + 1
        in_flight: deque[asyncio.Task[Page[T]]] = deque()

        def refill() -> None:
            # Read-ahead: up to ``concurrency`` requests in flight, started *before* a page
            # is handed over, so they run while the consumer works on it. Done tasks not
            # yet taken are the buffer: at most ``concurrency`` pages. Without a total the
            # end is unknown: one request at a time.
            nonlocal next_page
            while (
                len(in_flight) < self.concurrency
                and (last_page is None or next_page <= last_page)
                and (last_page is not None or not in_flight)
            ):
                in_flight.append(asyncio.ensure_future(get(next_page)))
                next_page += 1
            if windowed and last_page is not None and next_page > last_page:
                # This window's pages are all asked for: idle slots go to the next windows.
                self._prefetch(self.concurrency - len(in_flight) - self._running_ahead())

        try:
            refill()
            yield first
            while in_flight:
                page = await in_flight.popleft()
                self._check_total(first, page)
                if repeated(page):
                    if page.total is None:
                        return  # nothing bounds this walk: stop rather than loop
                    refill()
                    continue
                if not page.items or len(page.items) < self.page_size:
                    yield page  # the end of the list: what is still in flight is cancelled
                    return
                if page.total is not None:
                    # Follow a growing total: orders inserted at the top push others down.
                    grown = self._last_page(page, start_page)
                    last_page = grown if last_page is None else max(last_page, grown or 0)
                refill()
                yield page
        finally:
            for task in in_flight:
                task.cancel()
            if in_flight:
                await asyncio.gather(*in_flight, return_exceptions=True)

    def _last_page(self, page: Page[T], start_page: int) -> int | None:
        if page.total is None:
            return None
        if page.total < 0:
            raise PaginationError(f"the server sent a negative total ({page.total})")
        return max(start_page, math.ceil(page.total / self.page_size))

    @staticmethod
    def _check_total(first: Page[T], page: Page[T]) -> None:
        if first.total is None or page.total is None:
            return
        # A closed window's total should not move much; a wild jump means a broken server.
        if page.total < 0 or page.total > 2 * first.total + 10_000:
            raise PaginationError(
                f"total went from {first.total} to {page.total} during one walk; stopping"
            )

    # -- lifecycle -----------------------------------------------------------------

    async def aclose(self) -> None:
        """Stop the walk now, cancelling requests in flight."""
        if self._agen is not None:
            await self._agen.aclose()

    async def __aenter__(self) -> AsyncPager[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
