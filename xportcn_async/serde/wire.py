"""Wire types: how a value is written on the wire (China times, Unix times, fen, ids…).

Each alias is ``Annotated[T, WireType(...)]``; the converter reads the marker and
uses its ``structure`` / ``unstructure`` functions for the field. Plain functions
only: nothing here knows about cattrs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Final

import attrs

__all__ = [
    "CHINA_TZ",
    "EPOCH_MS_THRESHOLD",
    "JSON_STRING",
    "ChinaDateTime",
    "DecimalValue",
    "Id",
    "IntId",
    "JsonString",
    "Money",
    "Scalar",
    "UnixMs",
    "UnixSeconds",
    "WireType",
    "fen_to_yuan",
    "format_china_datetime",
]

#: The time zone of every ``"YYYY-MM-DD HH:MM:SS"`` string of the API: China Standard
#: Time, a fixed UTC+08:00 (Asia/Shanghai has had no daylight saving time since 1991,
#: and the API's times are all later than that).
CHINA_TZ: Final = timezone(timedelta(hours=8), "CST")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS: Final = timedelta(milliseconds=1)
_S: Final = timedelta(seconds=1)


# --------------------------------------------------------------------------- markers


@attrs.frozen
class WireType:
    """Marker for ``Annotated[T, WireType(...)]``: how a value of ``T`` is read and written.

    ``structure(value, type)`` turns the JSON value into ``T``; ``unstructure(value)``
    turns ``T`` back into its JSON form. ``structure_optional`` (optional) does the
    same for ``T | None`` in one call, treating ``null`` and ``""`` as None.
    """

    name: str
    structure: Callable[[Any, Any], Any]
    unstructure: Callable[[Any], Any]
    #: Hook for ``T | None`` (``null`` and ``""`` → None), when a fused one is faster.
    structure_optional: Callable[[Any, Any], Any] | None = None


@attrs.frozen
class JsonString:
    """Marker for ``Annotated[T, JSON_STRING]``: ``T`` travels as a JSON document in a string."""


#: The one :class:`JsonString` marker instance.
JSON_STRING: Final = JsonString()


# --------------------------------------------------------------------------- times


def _naive(value: datetime) -> ValueError:
    return ValueError(
        f"naive datetime {value.isoformat()} has no time zone: pass an aware datetime, "
        "for example datetime(2026, 4, 1, tzinfo=ZoneInfo('Asia/Shanghai'))"
    )


def _parse_china(value: str) -> datetime:
    if len(value) == 22 and value[17] in "+-" and value[:17].isdigit():
        # 1688 writes times as yyyyMMddHHmmssSSS+0800 (fromisoformat misreads it).
        return datetime.strptime(value, "%Y%m%d%H%M%S%f%z").astimezone(CHINA_TZ)
    if value.isdigit() and len(value) >= 9:
        return _from_epoch(int(value))
    if len(value) < 10 or value[4] != "-":
        raise ValueError(f"not a 'YYYY-MM-DD HH:MM:SS' time: {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a 'YYYY-MM-DD HH:MM:SS' time: {value!r}") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=CHINA_TZ)
    return parsed.astimezone(CHINA_TZ)


def _structure_china(value: Any, _: Any) -> datetime:
    if value.__class__ is str:
        return _parse_china(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise _naive(value)
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return _from_epoch(value)
    raise TypeError(f"expected a 'YYYY-MM-DD HH:MM:SS' string, got {type(value).__name__}")


def _optional_china(value: Any, _: Any) -> datetime | None:
    if value.__class__ is str and len(value) == 19 and value[4] == "-":
        # The API's own format, the common case: one C call, parsed once, no fallbacks.
        try:
            return datetime.fromisoformat(value).replace(tzinfo=CHINA_TZ)
        except ValueError:
            raise ValueError(f"not a 'YYYY-MM-DD HH:MM:SS' time: {value!r}") from None
    if value is None or value == "":
        return None
    return _structure_china(value, None)


def format_china_datetime(value: datetime) -> str:
    """Format an aware datetime as the API's ``"YYYY-MM-DD HH:MM:SS"`` in China time.

    Raises ``ValueError`` for a naive datetime: the SDK never guesses a time zone.

    >>> from datetime import datetime, timezone
    >>> format_china_datetime(datetime(2026, 4, 1, 0, 0, tzinfo=timezone.utc))
    '2026-04-01 08:00:00'
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise _naive(value)
    return value.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


#: Integer Unix times from this value up are milliseconds, below it seconds: 10**11 seconds
#: is the year 5138, 10**11 milliseconds is March 1973 — no API time is near either.
EPOCH_MS_THRESHOLD: Final = 10**11
#: Every time the API sends lies in [2000, 2100): anything else is a misread unit or garbage.
_EARLIEST: Final = 946_684_800  # 2000-01-01T00:00:00Z
_LATEST: Final = 4_102_444_800  # 2100-01-01T00:00:00Z


def _from_epoch(value: int) -> datetime:
    """An integer Unix time, in seconds or milliseconds by magnitude, as China time.

    Below :data:`EPOCH_MS_THRESHOLD` it is seconds, from it up milliseconds; a result
    outside 2000–2100 raises ``ValueError`` (a wrong unit or a broken server).
    """
    seconds, rest = divmod(value, 1000) if value >= EPOCH_MS_THRESHOLD else (value, 0)
    if not _EARLIEST <= seconds < _LATEST:
        raise ValueError(
            f"Unix time {value} is outside 2000–2100 (as "
            f"{'milliseconds' if value >= EPOCH_MS_THRESHOLD else 'seconds'}): not a time "
            "this API sends"
        )
    moment = datetime.fromtimestamp(seconds, CHINA_TZ)
    # replace() is slow for what it does: skip it for whole seconds (the usual case).
    return moment.replace(microsecond=rest * 1000) if rest else moment


def _epoch_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if value.__class__ is str and value.isdigit():
        return int(value)
    raise ValueError(f"expected a decimal Unix time, got {value!r}")


def _structure_ms(value: Any, _: Any) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise _naive(value)
        return value
    if value.__class__ is str and not value.isdigit():
        return _parse_china(value)
    return _from_epoch(_epoch_int(value))


def _optional_ms(value: Any, _: Any) -> datetime | None:
    if value.__class__ is str and value.isdigit():
        return _from_epoch(int(value))
    if value is None or value == "":
        return None
    return _structure_ms(value, None)


def _structure_seconds(value: Any, _: Any) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise _naive(value)
        return value
    if value.__class__ is str and not value.isdigit():
        return _parse_china(value)
    return _from_epoch(_epoch_int(value))


def _unstructure_ms(value: datetime) -> str:
    if value.tzinfo is None:
        raise _naive(value)
    return str((value - _EPOCH) // _MS)


def _unstructure_seconds(value: datetime) -> str:
    if value.tzinfo is None:
        raise _naive(value)
    return str((value - _EPOCH) // _S)


# --------------------------------------------------------------------------- money, ids, numbers


def _structure_money(value: Any, _: Any) -> int:
    if value.__class__ is int:
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        raise ValueError(f"money must be an integer number of fen, got {value!r}")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise ValueError(f"money must be an integer number of fen, got {value!r}")


def _structure_id(value: Any, _: Any) -> str:
    if value.__class__ is str:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return str(value)
    raise TypeError(f"expected an id (string or integer), got {type(value).__name__}")


def _optional_id(value: Any, _: Any) -> str | None:
    if value.__class__ is str:
        return value or None
    if value.__class__ is int:
        return str(value)
    if value is None:
        return None
    return _structure_id(value, None)


def _optional_money(value: Any, _: Any) -> int | None:
    if value.__class__ is int:
        return value
    if value.__class__ is str and value.isdigit():  # fen sent as "5245"
        return int(value)
    if value is None or value == "":
        return None
    return _structure_money(value, None)


def _unstructure_int_id(value: Any) -> Any:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _structure_decimal(value: Any, _: Any) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("expected a number, got a boolean")
    if isinstance(value, (int, str, Decimal)):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"not a decimal number: {value!r}") from None
        if not number.is_finite():  # "NaN", "Infinity": no amount or quantity is that
            raise ValueError(f"not a finite decimal number: {value!r}")
        return number
    if isinstance(value, float):
        # repr() is the shortest string that reads back as this float: 12.5 → "12.5".
        return Decimal(repr(value))
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _structure_scalar(value: Any, _: Any) -> int | float | str:
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return value
    raise TypeError(f"expected a number or a string, got {type(value).__name__}")


def _identity(value: Any) -> Any:
    return value


def optional_of(structure: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """A ``T | None`` hook from a ``T`` hook: ``null`` / ``""`` → None."""

    def structure_optional(value: Any, tp: Any) -> Any:
        if value is None or value == "":
            return None
        return structure(value, tp)

    return structure_optional


def _wire(
    name: str,
    structure: Callable[[Any, Any], Any],
    unstructure: Callable[[Any], Any],
    optional: Callable[[Any, Any], Any] | None = None,
) -> WireType:
    return WireType(name, structure, unstructure, optional or optional_of(structure))


#: ``"YYYY-MM-DD HH:MM:SS"`` in China time on the wire; an aware datetime in models.
ChinaDateTime = Annotated[
    datetime,
    _wire("ChinaDateTime", _structure_china, format_china_datetime, _optional_china),
]
#: Unix milliseconds as a decimal string on the wire; an aware datetime (China time) in models.
UnixMs = Annotated[datetime, _wire("UnixMs", _structure_ms, _unstructure_ms, _optional_ms)]
#: Unix seconds as a decimal string on the wire; an aware datetime (China time) in models.
UnixSeconds = Annotated[datetime, _wire("UnixSeconds", _structure_seconds, _unstructure_seconds)]
#: An identifier: a JSON string or number on the wire, always ``str`` in models.
Id = Annotated[str, _wire("Id", _structure_id, _identity, _optional_id)]
#: An identifier the API wants as a JSON number (``offerId``, ``purchaseId``); ``str`` in models.
IntId = Annotated[str, _wire("IntId", _structure_id, _unstructure_int_id, _optional_id)]
#: Integer fen (CNY cents). ``"5245"`` is accepted; a fractional value is an error.
Money = Annotated[int, _wire("Money", _structure_money, _identity, _optional_money)]
#: An exact decimal whose unit the API does not document (1688 prices); written as a string.
DecimalValue = Annotated[Decimal, _wire("DecimalValue", _structure_decimal, str)]
#: A JSON scalar kept exactly as sent (``"34"`` stays a string, ``23`` an int).
Scalar = Annotated[int | float | str, _wire("Scalar", _structure_scalar, _identity)]


def fen_to_yuan(fen: int | None) -> Decimal | None:
    """Integer fen → exact ``Decimal`` yuan: ``5245`` → ``Decimal('52.45')``; None stays None."""
    if fen is None:
        return None
    # From a string: exact for any size (arithmetic would round to the context's 28 digits).
    return Decimal(f"{int(fen)}E-2")
