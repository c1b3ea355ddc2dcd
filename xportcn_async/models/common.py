"""Shared model bases and generic shapes: :class:`WireModel`, :class:`Page`, :class:`RawResult`.

Every request and response model derives from :class:`WireModel`, so every
model keeps the keys it does not know in ``extra`` (forward compatibility: a
field Xportcn adds tomorrow is not lost today) and puts them back when it is
written out. Request models derive from :class:`RequestModel`: on a request,
``extra`` is also the way to send a field the SDK does not know yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar, Final, Generic, TypeVar

import attrs

from ..serde import register_hooks

__all__ = ["EMPTY_EXTRA", "Page", "RawResult", "RequestModel", "WireModel", "WriteResult"]

T = TypeVar("T")

#: The shared, read-only empty mapping that ``extra`` defaults to.
EMPTY_EXTRA: Final[Mapping[str, Any]] = MappingProxyType({})


def _extra_repr(value: Mapping[str, Any]) -> str:
    return repr(dict(value))


@attrs.frozen(kw_only=True)
class WireModel:
    """Base of every model: ``extra`` holds the JSON keys the model does not declare.

    ``extra`` is filled when a response is read and merged back when a model is
    written, so a round trip loses no key. It is excluded from hashing.
    """

    extra: Mapping[str, Any] = attrs.field(default=EMPTY_EXTRA, hash=False, repr=_extra_repr)


@attrs.frozen(kw_only=True)
class RequestModel(WireModel):
    """Base of request bodies: optional fields left at ``None`` are not sent.

    Unlike responses, a request keeps an explicit ``""`` (some documented
    examples send empty strings). Put fields the SDK does not know yet in
    ``extra``; they are sent as given.
    """

    _request_model: ClassVar[bool] = True


@attrs.frozen(kw_only=True)
class WriteResult(WireModel):
    """Base of the results of writes (create, pay, refund, voucher upload).

    ``request_id`` is the envelope's ``requestId`` of the call that made the change:
    the number to give Xportcn support. It is set by the SDK, not read from
    ``data``; it is ``None`` when the server sent none, and on a result recovered by
    a lookup after a lost answer (the create's own answer, and its id, were lost).
    It takes no part in equality.
    """

    request_id: str | None = attrs.field(default=None, init=False, eq=False)


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of a list endpoint.

    ``total`` is the server's total count when it sends one. ``has_next`` is
    True when more items probably follow: with a known total, when
    ``page_num * page_size < total``; without one, when this page is full.

    >>> Page(items=[1, 2], total=5, page_num=1, page_size=2).has_next
    True
    >>> Page(items=[1], total=None, page_num=3, page_size=2).has_next
    False
    """

    items: list[T]
    total: int | None
    page_num: int
    page_size: int
    #: The items as the server sent them (decoded JSON), in step with ``items``; set by
    #: the order lists (the sync stores them as ``raw_json``), None elsewhere.
    raw: list[Any] | None = attrs.field(default=None, eq=False, repr=False)

    def subset(self, keep: Sequence[int]) -> Page[T]:
        """This page with only the items at the positions ``keep`` (``raw`` kept in step)."""
        return Page(
            items=[self.items[i] for i in keep],
            total=self.total,
            page_num=self.page_num,
            page_size=self.page_size,
            raw=None if self.raw is None else [self.raw[i] for i in keep],
        )

    @property
    def has_next(self) -> bool:
        """True when a following page probably holds more items."""
        if self.total is not None:
            return self.page_num * self.page_size < self.total
        return len(self.items) >= self.page_size > 0


@attrs.frozen
class RawResult:
    """The ``data`` of an endpoint whose response shape is not documented, kept as decoded JSON.

    Used where the spec gives no response shape (most GUESS endpoints and
    "short envelope" writes): nothing is invented, nothing is dropped. ``data`` is
    whatever the envelope's ``data`` held (dict, list, scalar or ``None``).
    ``request_id`` is the envelope's ``requestId`` (set by the SDK; not part of
    equality), so the booking, update and forecast writes that answer a
    :class:`RawResult` carry it too.
    """

    data: Any = None
    request_id: str | None = attrs.field(default=None, init=False, eq=False)

    def get(self, key: str, default: Any = None) -> Any:
        """``data[key]`` when ``data`` is a JSON object, else ``default``."""
        if isinstance(self.data, Mapping):
            return self.data.get(key, default)
        return default


register_hooks(
    RawResult,
    structure=lambda value, _: RawResult(value),
    unstructure=lambda result: result.data,
)
