"""``iter`` twins for list endpoints that page without time windows.

Product searches page with ``beginPage``/``pageSize`` and the 1688 product pool
with ``pageNo``/``pageSize`` plus a ``taskId`` that must stay the same for every
page of one walk. Both are walked by :class:`~xportcn_async.pagination.AsyncPager`
(stop at ``total``, on a short or empty page; de-duplication; bounded concurrency).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Any, TypeVar

from ..models.common import Page, RawResult
from ..pagination import AsyncPager

__all__ = ["page_walker", "raw_page"]

T = TypeVar("T")

_ITEM_KEYS = ("data", "result", "items", "list", "offerList")
_TOTAL_KEYS = ("totalRecords", "totalRecord", "total", "totalCount")


def page_walker(
    fetch_page: Callable[[int, int], Awaitable[Page[T]]],
    *,
    page_size: int,
    key: Callable[[T], Hashable],
    concurrency: int = 1,
    max_items: int | None = None,
    filters: Mapping[str, Any] | None = None,
    resume: Mapping[str, Any] | None = None,
) -> AsyncPager[T]:
    """An :class:`AsyncPager` over ``fetch_page(page_number, page_size)``."""

    async def fetch(number: int, size: int, _begin: Any, _end: Any) -> Page[T]:
        return await fetch_page(number, size)

    return AsyncPager(
        fetch,
        page_size=page_size,
        key=key,
        concurrency=concurrency,
        max_items=max_items,
        filters={k: v for k, v in (filters or {}).items() if v is not None},
        resume=resume,
    )


def raw_page(result: RawResult, page_num: int, page_size: int) -> Page[Any]:
    """A :class:`Page` of raw items from an answer whose shape is not documented.

    Accepts a bare JSON list or an object holding the list under a usual key
    (``data``, ``result``, ``items``…) and maybe a total (``totalRecords``…).
    """
    data = result.data
    items: list[Any] = []
    total: int | None = None
    if isinstance(data, list):
        items = data
    elif isinstance(data, Mapping):
        items = next((data[k] for k in _ITEM_KEYS if isinstance(data.get(k), list)), [])
        found = next((data[k] for k in _TOTAL_KEYS if isinstance(data.get(k), int)), None)
        total = found if isinstance(found, int) and not isinstance(found, bool) else None
    return Page(items=items, total=total, page_num=page_num, page_size=page_size)


def raw_item_key(*names: str) -> Callable[[Any], Hashable]:
    """De-duplication key for raw items: the first of ``names`` present, else the item's JSON."""

    def key(item: Any) -> Hashable:
        if isinstance(item, Mapping):
            for name in names:
                value = item.get(name)
                if value is not None:
                    return str(value)
        return repr(item)

    return key
