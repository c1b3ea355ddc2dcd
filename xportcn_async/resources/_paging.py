"""``iter`` twins for list endpoints that page without time windows.

Product searches page with ``beginPage``/``pageSize`` and the 1688 product pool
with ``pageNo``/``pageSize`` plus a ``taskId`` that must stay the same for every
page of one walk. Both are walked by :class:`~xportcn_async.pagination.AsyncPager`
(stop at ``total``, on a short or empty page; de-duplication; bounded concurrency).
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import attrs

from ..models.common import Page, RawResult
from ..pagination import AsyncPager
from ._base import check_type

__all__ = ["filter_fingerprint", "page_walker", "raw_item_key", "raw_page"]

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
    check_type("max_items", max_items, int, optional=True)

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


def filter_fingerprint(body: Any, names: Iterable[str]) -> dict[str, Any]:
    """The JSON-safe filters a pager records in its checkpoints.

    ``names`` are the filters the caller passed (keyword names, i.e. the request
    model's ``__init__`` aliases); their values are read back from the validated
    request model ``body`` (so ``""`` → None, ids → ``str``) and made JSON-safe
    (enums → their value, datetimes → ISO text, lists → lists). None is left out.
    """
    wanted = set(names)
    found: dict[str, Any] = {}
    for field in attrs.fields(type(body)):
        name = field.alias or field.name
        if name in wanted:
            value = _json_safe(getattr(body, field.name))
            if value is not None:
                found[name] = value
    return found


def _json_safe(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value
