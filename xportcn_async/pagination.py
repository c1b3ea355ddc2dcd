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
  again, yielding only ids not seen yet, up to ``max_rewalks`` times, then logs
  a WARNING with the numbers.

Guaranteed: every order whose creation time lies in a walked window and that
exists for the whole walk is yielded, exactly once per window. Not guaranteed:
orders created less than ``safety_margin`` ago (the next incremental sync picks
them up); orders deleted during the walk; an order whose creation time the
server changes. Changes of status are not movements in a creation-time window,
so they are not re-walked: re-sync a look-back period to pick them up (the bulk
sync does, 7 days by default).

Concurrency
-----------
With ``concurrency=N > 1`` the pager fetches page 1 of a window, learns
``total``, then keeps up to N page requests in flight, still yielding pages and
items in page order. The first error cancels the requests in flight and is
raised. Breaking out of the loop cancels them too (when the generator is closed:
use ``async with pager:`` or ``await pager.aclose()`` to make it immediate).

Checkpoints
-----------
``pager.checkpoint()`` returns a small JSON-serialisable dict (filters, the end
of the finished windows, the current window and the last page handed over).
``iter(..., resume=checkpoint)`` continues from it. While iterating
``pages()``, the checkpoint already counts the page just yielded: store it in
the same transaction as that page's items.
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

from .errors import ConfigurationError, XportcnError
from .models.common import Page

__all__ = ["AsyncPager", "Page", "PaginationError", "Window"]

logger = logging.getLogger("xportcn_async")

T = TypeVar("T")

CHECKPOINT_VERSION = 1


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


def split_windows(begin: datetime, end: datetime, size: timedelta) -> list[Window]:
    """Split ``[begin, end]`` into consecutive closed windows of ``size`` (the last may be shorter).

    Windows do not overlap: each ends one second before the next begins,
    matching the API's second-resolution ``beginDateTime``/``endDateTime``.
    """
    windows: list[Window] = []
    start = begin.replace(microsecond=0)
    end = end.replace(microsecond=0)
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
        # progress, for checkpoints and stats
        self._window_index = 0
        self._page_done = 0  # pages of the current window handed to the consumer
        self._seen_in_window = 0
        self.pages_fetched = 0
        self.items_yielded = 0
        self.rewalks = 0
        self._started = False
        self._agen: AsyncGenerator[Any, None] | None = None
        if resume is not None:
            try:
                self._restore(resume)
            except ConfigurationError:
                raise
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                # A damaged or foreign checkpoint (hand-edited, another pager's).
                raise ConfigurationError(f"not a checkpoint of this walk: {exc!r}") from None

    # -- checkpoints ---------------------------------------------------------------

    def checkpoint(self) -> dict[str, Any]:
        """A JSON-serialisable state to resume from (see the module docstring)."""
        current: dict[str, Any] | None = None
        finished_until: str | None = None
        if self._windows is not None:
            if self._window_index > 0:
                finished_until = self._windows[self._window_index - 1].end.isoformat()
            if self._window_index < len(self._windows):
                win = self._windows[self._window_index]
                current = {
                    "begin": win.begin.isoformat(),
                    "end": win.end.isoformat(),
                    "page": self._page_done,
                    "seen": self._seen_in_window,
                }
        else:
            current = {"page": self._page_done, "seen": self._seen_in_window}
        return {
            "version": CHECKPOINT_VERSION,
            "filters": self._filters,
            "page_size": self.page_size,
            "begin": self._begin.isoformat() if self._begin else None,
            "end": self._end.isoformat() if self._end else None,
            "window_seconds": int(self._window_size.total_seconds()),
            "finished_until": finished_until,
            "current": current,
            "done": self.done,
        }

    @property
    def window_count(self) -> int:
        """Number of windows in the walk (1 without time windows)."""
        return len(self._windows) if self._windows is not None else 1

    @property
    def windows_done(self) -> int:
        """Windows completely walked so far."""
        return self._window_index

    @property
    def done(self) -> bool:
        """True once every window (or the whole list) has been walked."""
        if self._windows is not None:
            return self._window_index >= len(self._windows)
        return self._window_index >= 1

    def _restore(self, state: Mapping[str, Any]) -> None:
        if state.get("version") != CHECKPOINT_VERSION:
            raise ConfigurationError(f"unsupported checkpoint version {state.get('version')!r}")
        if dict(state.get("filters") or {}) != self._filters:
            raise ConfigurationError(
                "checkpoint filters differ from this walk's filters: "
                f"{state.get('filters')!r} != {self._filters!r}"
            )
        if state.get("page_size") != self.page_size:
            raise ConfigurationError(
                f"checkpoint page_size {state.get('page_size')} != page_size {self.page_size}"
            )
        current = state.get("current") or {}
        if self._windows is None:
            self._window_index = 1 if state.get("done") else 0
        else:
            # Windows are recomputed from the checkpoint's own range, so a resumed walk
            # covers exactly what the interrupted one would have.
            begin = datetime.fromisoformat(state["begin"])
            end = datetime.fromisoformat(state["end"])
            self._begin, self._end = begin, end
            self._window_size = timedelta(seconds=int(state["window_seconds"]))
            self._windows = split_windows(begin, end, self._window_size)
            if state.get("done"):
                self._window_index = len(self._windows)
                return
            cur_begin = datetime.fromisoformat(current["begin"]) if current else begin
            self._window_index = next(
                (i for i, w in enumerate(self._windows) if w.begin == cur_begin), 0
            )
        self._page_done = int(current.get("page", 0))
        self._seen_in_window = int(current.get("seen", 0))

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
        windows: list[Window | None] = list(self._windows) if self._windows is not None else [None]
        while self._window_index < len(windows):
            win = windows[self._window_index]
            async with aclosing(self._walk_window(win)) as walk:
                async for page, seen_after in walk:
                    complete = True
                    if remaining is not None:
                        if remaining <= 0:
                            return
                        if len(page.items) > remaining:
                            # A cut page is not done: a checkpoint resumes at its start.
                            complete = False
                            page = Page(
                                items=page.items[:remaining],
                                total=page.total,
                                page_num=page.page_num,
                                page_size=page.page_size,
                            )
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
            self._window_index += 1
            self._page_done = 0
            self._seen_in_window = 0

    async def _walk_window(self, win: Window | None) -> AsyncGenerator[tuple[Page[T], int], None]:
        """One window (or the whole list): walk, compare with total, re-walk when they differ.

        Yields each de-duplicated page with the number of unique ids handed over so far.
        """
        seen: set[Hashable] = set()
        start_page = self._page_done + 1
        resumed = self._seen_in_window  # ids handed over before a resume, not in ``seen``
        total: int | None = None
        unique = 0
        for attempt in range(self._max_rewalks + 1):
            if attempt:
                self.rewalks += 1
                start_page, resumed = 1, 0  # a full walk from page 1 sees everything again
            before = len(seen)
            async with aclosing(self._walk_once(win, start_page)) as walk:
                async for page in walk:
                    total = page.total
                    fresh = []
                    for item in page.items:
                        k = self._key(item)
                        if k not in seen:
                            seen.add(k)
                            fresh.append(item)
                    deduped = Page(
                        items=fresh,
                        total=page.total,
                        page_num=page.page_num,
                        page_size=page.page_size,
                    )
                    yield deduped, resumed + len(seen)
            unique = resumed + len(seen)
            if win is None or total is None or unique == total:
                # A plain walk is open at the top (new orders keep arriving): only closed
                # windows can be compared with their total.
                return
            if attempt and len(seen) == before:
                break  # a full re-walk found nothing new: re-walking again cannot help
            if attempt < self._max_rewalks:
                logger.info(
                    "window %s: %d unique ids but total %s; walking it again (%d/%d)",
                    win,
                    unique,
                    total,
                    attempt + 1,
                    self._max_rewalks,
                )
        level = logging.WARNING if total is not None and unique < total else logging.INFO
        logger.log(
            level,
            "window %s: %d unique ids against a total of %s after %d re-walk(s): "
            "the list changed during the walk%s",
            win,
            unique,
            total,
            self.rewalks,
            " (some ids may be missing)" if level == logging.WARNING else " (ids removed)",
        )

    async def _walk_once(
        self, win: Window | None, start_page: int
    ) -> AsyncGenerator[Page[T], None]:
        """Pages ``start_page..`` of one window; prefetches up to ``concurrency`` pages."""
        begin = win.begin if win else None
        end = win.end if win else self._open_end
        offset = self._first_page - 1  # the API's first page number (1 almost everywhere)

        async def get(n: int) -> Page[T]:
            if n > self._max_pages:
                raise PaginationError(
                    f"more than {self._max_pages} pages in one walk: the server never ends "
                    "the list; stopping instead of looping"
                )
            page = await self._fetch(n + offset, self.page_size, begin, end)
            self.pages_fetched += 1
            return page

        first = await get(start_page)
        yield first
        if not first.items or len(first.items) < self.page_size:
            return
        last_page = self._last_page(first, start_page)
        previous_ids = [self._key(i) for i in first.items]
        next_page = start_page + 1
        in_flight: deque[asyncio.Task[Page[T]]] = deque()
        try:
            while True:
                while (
                    len(in_flight) < self.concurrency
                    and (last_page is None or next_page <= last_page)
                    and (last_page is not None or not in_flight)
                ):
                    in_flight.append(asyncio.ensure_future(get(next_page)))
                    next_page += 1
                if not in_flight:
                    return
                page = await in_flight.popleft()
                ids = [self._key(i) for i in page.items]
                if ids and ids == previous_ids:
                    raise PaginationError(
                        f"the server returned the same page twice (page {page.page_num}): "
                        "it may ignore pageNum; stopping instead of looping"
                    )
                previous_ids = ids
                self._check_total(first, page)
                yield page
                if not page.items or len(page.items) < self.page_size:
                    return
                if page.total is not None:
                    # Follow a growing total: orders inserted at the top push others down.
                    grown = self._last_page(page, start_page)
                    last_page = grown if last_page is None else max(last_page, grown or 0)
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
