"""What every handler module shares: the call, the answers, input checks, the base class.

A handler takes a :class:`Call` (decoded body, query, uploaded files) and returns
the envelope's ``data``, a :class:`Short` for the short ``{"code", "msg"}`` form,
or raises :class:`BusinessError` (another ``code``) or :class:`DuplicateRequest`
(answer a stored result). :class:`HandlerBase` holds the state and the lookups
that several domains use.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import orjson

from ..data import AlibabaOrderRecord, Offer, parse_china_time
from ..state import EmulatorState

__all__ = [
    "BAD_REQUEST",
    "NOT_FOUND",
    "OK",
    "BusinessError",
    "Call",
    "DuplicateRequest",
    "Emit",
    "HandlerBase",
    "Short",
]


# Business codes (documented in the package docstring and docs/emulator.md).
OK = 200
BAD_REQUEST = 400
NOT_FOUND = 404


class BusinessError(Exception):
    """An envelope with ``code`` != 200 (delivered with HTTP 200, like the real API)."""

    def __init__(self, code: int, msg: str, data: Any = None) -> None:
        super().__init__(f"{code} {msg}")
        self.code = code
        self.msg = msg
        self.data = data


@attrs.frozen
class Short:
    """The short envelope some endpoints answer: ``{"code": 200, "msg": "成功"}``, no data."""

    code: int = OK
    msg: str = "成功"


@attrs.frozen(kw_only=True)
class Call:
    """A decoded request."""

    key: str
    body: dict[str, Any]
    query: Mapping[str, str]
    files: dict[str, bytes] = attrs.field(factory=dict)
    user_id: str = ""


class DuplicateRequest(Exception):
    """Raised by create handlers when the idempotency key was seen: answer the stored result."""

    def __init__(self, response: dict[str, Any]) -> None:
        super().__init__("duplicate")
        self.response = response


# ----------------------------------------------------------------- input helpers


def _missing(name: str) -> BusinessError:
    return BusinessError(BAD_REQUEST, f"missing required field: {name}")


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _int(
    body: Mapping[str, Any],
    name: str,
    *,
    default: int | None = None,
    required: bool = False,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    value = body.get(name)
    if not _present(value):
        if required:
            raise _missing(name)
        return default
    if isinstance(value, bool):
        raise BusinessError(BAD_REQUEST, f"{name} must be an integer, got {value!r}")
    try:
        number = float(value) if isinstance(value, float) else int(str(value).strip())
    except ValueError:
        raise BusinessError(BAD_REQUEST, f"{name} must be an integer, got {value!r}") from None
    if isinstance(number, float):
        if not number.is_integer():
            raise BusinessError(BAD_REQUEST, f"{name} must be an integer, got {value!r}")
        number = int(number)
    if minimum is not None and number < minimum:
        raise BusinessError(BAD_REQUEST, f"{name} must be >= {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise BusinessError(BAD_REQUEST, f"{name} must be <= {maximum}, got {number}")
    return number


def _req_int(body: Mapping[str, Any], name: str, **kw: Any) -> int:
    value = _int(body, name, required=True, **kw)
    assert value is not None
    return value


def _str(body: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if not _present(value):
        if required:
            raise _missing(name)
        return None
    if isinstance(value, (dict, list, bool)):
        raise BusinessError(BAD_REQUEST, f"{name} must be a string, got {type(value).__name__}")
    return str(value).strip()


def _req_str(body: Mapping[str, Any], name: str) -> str:
    value = _str(body, name, required=True)
    assert value is not None
    return value


def _time(body: Mapping[str, Any], name: str, *, end: bool = False) -> int | None:
    value = _str(body, name)
    if value is None:
        return None
    try:
        return parse_china_time(value, end_of_day=end)
    except ValueError:
        raise BusinessError(
            BAD_REQUEST, f"{name} must be 'YYYY-MM-DD HH:MM:SS' (China time), got {value!r}"
        ) from None


def _json_field(body: Mapping[str, Any], name: str, *, required: bool = False) -> Any:
    """A field that the API takes as a JSON document in a string (or, leniently, inline)."""
    value = body.get(name)
    if not _present(value):
        if required:
            raise _missing(name)
        return None
    if isinstance(value, str):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            raise BusinessError(BAD_REQUEST, f"{name} must be a JSON string") from None
    return value


def _list(body: Mapping[str, Any], name: str, *, required: bool = False) -> list[Any]:
    value = body.get(name)
    if not _present(value):
        if required:
            raise _missing(name)
        return []
    if isinstance(value, str):
        return [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list):
        raise BusinessError(BAD_REQUEST, f"{name} must be a list")
    return value


def _dict(body: Mapping[str, Any], name: str, *, required: bool = False) -> dict[str, Any]:
    value = body.get(name)
    if value is None:
        if required:
            raise _missing(name)
        return {}
    if not isinstance(value, dict):
        raise BusinessError(BAD_REQUEST, f"{name} must be an object")
    return value


def _yuan_bound(body: Mapping[str, Any], name: str) -> int | None:
    raw = _str(body, name)
    if raw is None:
        return None
    try:
        return round(float(raw) * 100)
    except ValueError:
        raise BusinessError(BAD_REQUEST, f"{name} must be a number (yuan)") from None


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _page_of(items: list[Any], page: int, size: int) -> dict[str, Any]:
    total = len(items)
    return {
        "totalRecords": total,
        "totalPage": math.ceil(total / size) if total else 0,
        "pageSize": size,
        "currentPage": page,
        "data": items[(page - 1) * size : page * size],
    }


Emit = Callable[[str, int, object, Mapping[str, Any] | None], None]


class HandlerBase:
    """The state every per-domain handler class works on, and helpers they share.

    ``emit(message_type, platform, order, extra)`` is called on order events so the
    emulator can push messages to a callback URL.
    """

    def __init__(
        self, state: EmulatorState, *, max_page_size: int = 200, emit: Emit | None = None
    ) -> None:
        self.state = state
        self.max_page_size = max_page_size
        self._emit = emit

    def emit(
        self,
        message_type: str,
        platform: int,
        order: object,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Report an order event (pushed when the emulator has a callback URL)."""
        if self._emit is not None:
            self._emit(message_type, platform, order, extra)

    def _page_params(
        self, body: Mapping[str, Any], page: str, default_size: int
    ) -> tuple[int, int]:
        number = _int(body, page, default=1, minimum=1)
        size = _int(body, "pageSize", default=default_size, minimum=1, maximum=self.max_page_size)
        assert number is not None
        assert size is not None
        return number, size

    # ------------------------------------------------------------- shared 1688 lookups

    def _offer_or_404(self, value: Any, name: str = "offerId") -> Offer:
        if not _present(value):
            raise _missing(name)
        offer = self.state.catalogue.offer(value)
        if offer is None:
            raise BusinessError(NOT_FOUND, f"offer {value} not found")
        return offer

    def _order_or_404(self, value: Any, name: str = "orderId") -> AlibabaOrderRecord:
        if not _present(value):
            raise _missing(name)
        rec = self.state.find_alibaba(value)
        if rec is None:
            raise BusinessError(NOT_FOUND, f"order {value} not found")
        return rec
