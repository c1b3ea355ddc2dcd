"""The base of every resource group and the argument checks they share.

A resource method builds a request model, hands it to
:meth:`Transport.call <xportcn_async.transport.Transport.call>` under its
catalogue key and structures the envelope's ``data`` into the answer model. No
HTTP code lives here: signing, retries and error mapping are the transport's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import aiohttp
import attrs

from .. import serde
from ..errors import ResponseDecodeError
from ..models.common import RawResult, WriteResult

if TYPE_CHECKING:
    from ..transport import Transport

__all__ = ["Resource"]

T = TypeVar("T")


class Resource:
    """A group of operations sharing one :class:`~xportcn_async.transport.Transport`.

    Argument types are checked statically (mypy); argument values by the
    ``check_*`` helpers below and the request models' validators, before
    anything is sent (``ValueError``, or ``TypeError`` for a wrong type).
    """

    __slots__ = ("_transport",)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    async def _call(
        self,
        key: str,
        body: Any,
        model_type: type[T],
        *,
        params: Mapping[str, str] | None = None,
        data: aiohttp.FormData | None = None,
        check: Callable[[T, str, str | None], None] | None = None,
    ) -> T:
        """Send ``body`` (a model, a dict or None) to operation ``key``; structure ``data``.

        ``check(result, key, request_id)`` runs on the structured result (e.g.
        :func:`require_ids`) and raises :class:`ResponseDecodeError` when it does not hold.

        A ``null`` data for a model whose fields are all optional gives the empty
        model (short envelopes carry no data). Write results and raw results get the
        envelope's request id (``.request_id``).
        """
        wire, request_id = await self._call_data(key, body, params=params, data=data)
        return _structure(key, wire, request_id, model_type, check)

    async def _call_with_wire(
        self,
        key: str,
        body: Any,
        model_type: type[T],
        *,
        check: Callable[[T, str, str | None], None] | None = None,
    ) -> tuple[T, Any]:
        """Like :meth:`_call`, also returning the decoded ``data`` as the server sent it."""
        wire, request_id = await self._call_data(key, body)
        return _structure(key, wire, request_id, model_type, check), wire

    async def _call_data(
        self,
        key: str,
        body: Any,
        *,
        params: Mapping[str, str] | None = None,
        data: aiohttp.FormData | None = None,
    ) -> tuple[Any, str | None]:
        """Like :meth:`_call` but return the raw ``data`` and the request id (for reshaping)."""
        json = serde.unstructure(body) if body is not None else None
        envelope = await self._transport.call(key, json=json, params=params, data=data)
        return envelope.data, envelope.request_id


def _structure(
    key: str,
    wire: Any,
    request_id: str | None,
    model_type: type[T],
    check: Callable[[T, str, str | None], None] | None,
) -> T:
    if wire is None and _all_optional(model_type):
        result = model_type()
    else:
        result = serde.structure(wire, model_type, endpoint=key, request_id=request_id)
    if check is not None:
        check(result, key, request_id)
    if isinstance(result, (WriteResult, RawResult)):
        # An init=False field of a frozen model: set once, here, from the envelope.
        object.__setattr__(result, "request_id", request_id)
    return result


def wire_items(wire: Any, name: str, count: int) -> list[Any] | None:
    """``wire[name]`` when it is the list of ``count`` items that were structured, else None."""
    items = wire.get(name) if isinstance(wire, dict) else None
    return items if isinstance(items, list) and len(items) == count else None


def _all_optional(model_type: Any) -> bool:
    return (
        isinstance(model_type, type)
        and attrs.has(model_type)
        and all(f.default is not attrs.NOTHING for f in attrs.fields(model_type))
    )


# --------------------------------------------------------------------------- checks


def require_ids(
    items: Callable[[Any], Iterable[Any]], path: str, id_path: str = "id"
) -> Callable[[Any, str, str | None], None]:
    """A ``check`` for :meth:`Resource._call`: every listed item must have a non-empty ``.id``.

    An order without an id cannot be stored, de-duplicated or counted against the
    page's total, so it is a :class:`ResponseDecodeError` naming its path
    (``data.data[3].id``), never an item silently dropped or kept under ``""``.
    ``items`` is a function of the result giving the items; ``path`` their wire path.
    """

    def check(result: Any, endpoint: str, request_id: str | None) -> None:
        for index, item in enumerate(items(result)):
            if item.id is None or not str(item.id).strip():
                where = f"{path}[{index}].{id_path}"
                raise ResponseDecodeError(
                    f"[{endpoint}] {where} is missing or empty: an order without an id "
                    "cannot be stored or counted, so the page is refused",
                    request_id=request_id,
                    endpoint=endpoint,
                    errors=[f"{where}: missing or empty id"],
                )

    return check


def check_page(page_num: int, page_size: int, *, num_name: str = "page_num") -> None:
    """Reject page numbers and sizes below 1 before anything is sent."""
    if not isinstance(page_num, int) or isinstance(page_num, bool) or page_num < 1:
        raise ValueError(
            f"{num_name} must be an integer >= 1 (pages are 1-based), got {page_num!r}"
        )
    if not isinstance(page_size, int) or isinstance(page_size, bool) or page_size < 1:
        raise ValueError(f"page_size must be an integer >= 1, got {page_size!r}")


def check_one_image(
    image_base64: str | None, image_address: str | None, image_id: str | None
) -> None:
    """Picture searches take exactly one way to name the picture."""
    if len([v for v in (image_base64, image_address, image_id) if v]) != 1:
        raise ValueError("pass exactly one of image_base64, image_address or image_id")


def check_positive(name: str, value: int) -> None:
    """Reject a quantity that is not a positive integer."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def check_non_negative(name: str, value: int) -> None:
    """Reject an amount (fen) that is not a non-negative integer."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer number of fen, got {value!r}")


def check_aware(name: str, value: datetime | None) -> None:
    """Reject naive datetimes: the SDK never guesses a time zone."""
    if value is None:
        return
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} is a naive datetime ({value.isoformat()}): pass an aware datetime, "
            "e.g. datetime(2026, 4, 1, tzinfo=ZoneInfo('Asia/Shanghai'))"
        )


def check_window(
    begin_name: str, begin: datetime | None, end_name: str, end: datetime | None
) -> None:
    """Both bounds aware, and ``begin <= end`` when both are given."""
    check_aware(begin_name, begin)
    check_aware(end_name, end)
    if begin is not None and end is not None and begin > end:
        raise ValueError(f"{begin_name} ({begin}) is after {end_name} ({end})")


def check_text(name: str, value: str, *, min_len: int, max_len: int) -> None:
    """Reject a string whose length is outside ``[min_len, max_len]``."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {type(value).__name__}")
    if not min_len <= len(value) <= max_len:
        raise ValueError(
            f"{name} must be {min_len}–{max_len} characters long, got {len(value)} characters"
        )


def check_not_empty(name: str, value: Sequence[Any]) -> None:
    """Reject an empty list."""
    if isinstance(value, (str, bytes)) or len(value) == 0:
        raise ValueError(f"{name} must be a non-empty list, got {value!r}")


def check_max_items(name: str, value: Sequence[Any] | None, limit: int) -> None:
    """Reject a list longer than ``limit``."""
    if value is not None and len(value) > limit:
        raise ValueError(f"{name} takes at most {limit} items, got {len(value)}")


def check_id(name: str, value: str | int) -> str:
    """An id given as ``str`` or ``int`` (never ``bool``, ``float`` or None), as a string."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"{name} must be an id (str or int), got {type(value).__name__}")


def check_type(name: str, value: object, *types: type, optional: bool = False) -> None:
    """Refuse a wrongly typed argument (``TypeError``) instead of sending it as garbage.

    ``bool`` passes only when listed (it is an ``int``); None only when ``optional``.
    """
    if value is None and optional:
        return
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        expected = " | ".join(t.__name__ for t in types)
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__}")


def id_list(name: str, values: Sequence[str | int] | str | int) -> list[str]:
    """Normalise one id or a list of ids to a non-empty list of strings."""
    if isinstance(values, (str, int)) and not isinstance(values, bool):
        items: list[str | int] = [values]
    elif isinstance(values, (list, tuple)):
        items = list(values)
    else:
        raise TypeError(f"{name} must be an id or a list of ids, got {type(values).__name__}")
    if not items:
        raise ValueError(f"{name} must name at least one id")
    return [check_id(f"{name}[{i}]", v) for i, v in enumerate(items)]


def check_items(name: str, value: object, *types: type, optional: bool = False) -> None:
    """Refuse (``TypeError``) anything but a list or tuple whose items are ``types``."""
    if value is None and optional:
        return
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list, got {type(value).__name__}")
    for index, item in enumerate(value):
        check_type(f"{name}[{index}]", item, *types)


def check_mapping(
    name: str, value: object, keys: tuple[type, ...], values: tuple[type, ...], *, optional: bool
) -> None:
    """Refuse (``TypeError``) anything but a mapping of ``keys`` to ``values``."""
    if value is None and optional:
        return
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, got {type(value).__name__}")
    for key, item in value.items():
        check_type(f"{name} key", key, *keys)
        check_type(f"{name}[{key!r}]", item, *values)


def check_str(name: str, value: object, *, optional: bool = False) -> None:
    """Refuse (``TypeError``) anything but a string (or None when ``optional``)."""
    check_type(name, value, str, optional=optional)
