"""attrs validators for request models: wrong types and values fail before sending.

Argument types are checked statically (mypy); these cheap run-time checks make
sure a wrongly typed value is never sent as garbage (``TypeError``) and that
value rules hold (``ValueError``). Messages name the field by its ``__init__``
name (its alias), the keyword the caller wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

__all__ = [
    "aware",
    "blank_to_none",
    "instance",
    "items",
    "mapping",
    "optional_id",
    "optional_ids",
    "optional_str_map",
    "window",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _name(attribute: attrs.Attribute[Any]) -> str:
    return attribute.alias or attribute.name


def _fits(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in types:
        return False  # a bool is an int, but never an id, a count or a status
    return isinstance(value, types)


def _names(types: tuple[type, ...]) -> str:
    return " | ".join(t.__name__ for t in types)


def instance(*types: type, optional: bool = True) -> Validator:
    """The value is one of ``types`` (``bool`` only if listed), or None when ``optional``."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not _fits(value, types):
            raise TypeError(
                f"{_name(attribute)} must be {_names(types)}, got {type(value).__name__}"
            )

    return check


def items(*types: type, optional: bool = True) -> Validator:
    """A list or tuple (not a string) whose items are ``types``; None when ``optional``."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, (str, bytes, bytearray)) or not isinstance(value, Sequence):
            raise TypeError(f"{_name(attribute)} must be a list, got {type(value).__name__}")
        for index, item in enumerate(value):
            if not _fits(item, types):
                raise TypeError(
                    f"{_name(attribute)}[{index}] must be {_names(types)}, "
                    f"got {type(item).__name__}"
                )

    return check


def mapping(key: type, value_type: type, *, optional: bool = True) -> Validator:
    """A mapping of ``key`` → ``value_type``; None when ``optional``."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, Mapping):
            raise TypeError(f"{_name(attribute)} must be a mapping, got {type(value).__name__}")
        for k, v in value.items():
            if not _fits(k, (key,)) or not _fits(v, (value_type,)):
                raise TypeError(
                    f"{_name(attribute)} must map {key.__name__} to {value_type.__name__}, "
                    f"got {k!r}: {type(v).__name__}"
                )

    return check


def aware(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """None or an aware datetime: the SDK never guesses a time zone."""
    if value is None:
        return
    name = _name(attribute)
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} is a naive datetime ({value.isoformat()}): pass an aware datetime, "
            "e.g. datetime(2026, 4, 1, tzinfo=ZoneInfo('Asia/Shanghai'))"
        )


def window(inst: Any, begin: str, end: str) -> None:
    """``begin <= end`` when both of ``inst``'s fields are set (names them by their aliases)."""
    lo, hi = getattr(inst, begin), getattr(inst, end)
    if lo is not None and hi is not None and lo > hi:
        fields = attrs.fields_dict(type(inst))
        raise ValueError(
            f"{fields[begin].alias or begin} ({lo}) is after {fields[end].alias or end} ({hi})"
        )


def blank_to_none(value: str | None) -> str | None:
    """Converter: an empty string filter means "no filter" (None, not sent)."""
    return None if value == "" else value


def optional_id(value: str | int | None) -> str | None:
    """Converter: an id given as ``str`` or ``int`` (never ``bool``/``float``) → ``str``."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"an id must be str or int, got {type(value).__name__}")


def optional_ids(value: Sequence[str | int] | None) -> list[str] | None:
    """Converter: a non-empty list of ids (``str`` or ``int``) → a list of ``str``; None stays."""
    if value is None:
        return None
    if isinstance(value, (str, bytes, bytearray)) or not isinstance(value, Sequence):
        raise TypeError(f"ids must be a list of str or int, got {type(value).__name__}")
    if not value:
        raise ValueError("a list of ids must name at least one id (or leave it None)")
    ids = [optional_id(v) for v in value]
    if None in ids:
        raise TypeError("ids must be str or int, got None")
    return [i for i in ids if i is not None]


def optional_str_map(value: Mapping[str, str] | None) -> dict[str, str] | None:
    """Converter: a mapping of strings to strings → a ``dict`` copy; None stays."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise TypeError(f"expected a mapping of str to str, got {value!r:.60}")
    return dict(value)
