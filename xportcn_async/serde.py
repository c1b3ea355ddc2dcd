"""The one cattrs converter of the SDK, its wire types and its hooks.

Every model is an attrs class; this module turns the API's JSON into models and
back without a hand-written ``from_dict`` anywhere. The rules, in one place:

* **Names.** An attribute ``order_no`` is ``orderNo`` on the wire (camelCase by
  default). A class whose wire form is snake_case sets the class attribute
  ``_wire_case = "snake"``; a field whose wire name is odd says so in its metadata:
  ``attrs.field(metadata={"json": "subOrderVOS"})``.
* **Unknown keys.** Every model derived from :class:`WireModel` has an ``extra``
  mapping that receives the keys it does not know; unstructuring puts them back.
* **Wire types.** Annotated aliases say how a field is written on the wire:
  :data:`ChinaDateTime` (``"YYYY-MM-DD HH:MM:SS"`` in China time),
  :data:`UnixMs` / :data:`UnixSeconds` (decimal strings), :data:`Id` (string or
  number on the wire, ``str`` in models), :data:`IntId` (a ``str`` id sent as a
  JSON number), :data:`Money` (integer fen, also accepted as ``"5245"``),
  :data:`DecimalValue` (an exact decimal of unknown unit), :data:`Scalar` (a JSON
  scalar kept as sent).
* **JSON in strings.** ``Annotated[T, JSON_STRING]`` marks a field the API sends
  (or wants) as a JSON document inside a string: decoded into ``T`` on the way
  in, encoded back to a compact JSON string on the way out.
* **Empty values.** ``null`` and ``""`` both become ``None`` for optional fields
  of responses (request models keep ``""`` as given).
* **Enums.** A field typed ``SomeEnum | int`` (or ``| str``) becomes the enum
  member when the value is known and keeps the raw value otherwise.

The hooks are generated once per class (``make_dict_structure_fn`` with renames),
so structuring a page of orders runs generated code, not reflection. On top of
them, :func:`structure` first runs a leaner function generated per response model
(see "the fast path" below) and falls back to the cattrs hooks, which also report
the errors, whenever it raises.
"""

from __future__ import annotations

import contextlib
import enum
import inspect
import types
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Final, TypeVar, Union, get_args, get_origin
from zoneinfo import ZoneInfo

import attrs
import cattrs
import orjson
from cattrs.cols import list_structure_factory
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .errors import ResponseDecodeError

__all__ = [
    "CHINA_TZ",
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
    "converter",
    "fen_to_yuan",
    "format_china_datetime",
    "structure",
    "transform_error",
    "unstructure",
    "wire_name",
]

T = TypeVar("T")

#: The time zone of every ``"YYYY-MM-DD HH:MM:SS"`` string of the API.
CHINA_TZ: Final = ZoneInfo("Asia/Shanghai")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS: Final = timedelta(milliseconds=1)
_S: Final = timedelta(seconds=1)
_NONE_TYPE: Final = type(None)
_FEN: Final = Decimal("0.01")


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


def _naive(value: datetime) -> ValueError:
    return ValueError(
        f"naive datetime {value.isoformat()} has no time zone: pass an aware datetime, "
        "for example datetime(2026, 4, 1, tzinfo=ZoneInfo('Asia/Shanghai'))"
    )


def _parse_china(value: str) -> datetime:
    if len(value) == 22 and value[17] in "+-" and value[:17].isdigit():
        # 1688 writes times as yyyyMMddHHmmssSSS+0800 (fromisoformat misreads it).
        return datetime.strptime(value, "%Y%m%d%H%M%S%f%z").astimezone(CHINA_TZ)
    if value.isdigit() and len(value) >= 12:
        return _from_ms(int(value))
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
        return _from_ms(value)
    raise TypeError(f"expected a 'YYYY-MM-DD HH:MM:SS' string, got {type(value).__name__}")


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


def _from_ms(ms: int) -> datetime:
    seconds, rest = divmod(ms, 1000)
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
    return _from_ms(_epoch_int(value))


def _structure_seconds(value: Any, _: Any) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise _naive(value)
        return value
    if value.__class__ is str and not value.isdigit():
        return _parse_china(value)
    return datetime.fromtimestamp(_epoch_int(value), CHINA_TZ)


def _unstructure_ms(value: datetime) -> str:
    if value.tzinfo is None:
        raise _naive(value)
    return str((value - _EPOCH) // _MS)


def _unstructure_seconds(value: datetime) -> str:
    if value.tzinfo is None:
        raise _naive(value)
    return str((value - _EPOCH) // _S)


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


#: What each generated hook does, for the fast path (:func:`_fast_model`): the hook → a
#: description (``("opt_str",)``, ``("model", cls, optional, json_string)``…).
_HOOK_INFO: dict[Callable[..., Any], tuple[Any, ...]] = {}


def _optional(
    structure: Callable[[Any, Any], Any], fast: type | None = None
) -> Callable[[Any, Any], Any]:
    """A ``T | None`` hook: ``null`` / ``""`` → None, a value of class ``fast`` kept as is."""
    if fast is not None:

        def structure_optional_fast(value: Any, tp: Any) -> Any:
            if value.__class__ is fast:
                return value or None if fast is str else value
            if value is None or value == "":
                return None
            return structure(value, tp)

        _HOOK_INFO[structure_optional_fast] = ("opt_fast", fast, structure)
        return structure_optional_fast

    def structure_optional(value: Any, tp: Any) -> Any:
        if value is None or value == "":
            return None
        return structure(value, tp)

    _HOOK_INFO[structure_optional] = ("opt_of", structure)
    return structure_optional


def _optional_china(value: Any, _: Any) -> datetime | None:
    if value.__class__ is str and len(value) == 19 and value[4] == "-":
        # The API's own format, the common case: one C call, no fallbacks.
        try:
            return datetime.fromisoformat(value).replace(tzinfo=CHINA_TZ)
        except ValueError:
            raise ValueError(f"not a 'YYYY-MM-DD HH:MM:SS' time: {value!r}") from None
    if value is None or value == "":
        return None
    return _structure_china(value, None)


def _wire(
    name: str,
    structure: Callable[[Any, Any], Any],
    unstructure: Callable[[Any], Any],
    fast: type | None = None,
    optional: Callable[[Any, Any], Any] | None = None,
) -> WireType:
    return WireType(name, structure, unstructure, optional or _optional(structure, fast))


#: ``"YYYY-MM-DD HH:MM:SS"`` in China time on the wire; an aware datetime in models.
ChinaDateTime = Annotated[
    datetime,
    _wire("ChinaDateTime", _structure_china, format_china_datetime, optional=_optional_china),
]
#: Unix milliseconds as a decimal string on the wire; an aware datetime (China time) in models.
UnixMs = Annotated[datetime, _wire("UnixMs", _structure_ms, _unstructure_ms)]
#: Unix seconds as a decimal string on the wire; an aware datetime (China time) in models.
UnixSeconds = Annotated[datetime, _wire("UnixSeconds", _structure_seconds, _unstructure_seconds)]
#: An identifier: a JSON string or number on the wire, always ``str`` in models.
Id = Annotated[str, _wire("Id", _structure_id, _identity, fast=str)]
#: An identifier the API wants as a JSON number (``offerId``, ``purchaseId``); ``str`` in models.
IntId = Annotated[str, _wire("IntId", _structure_id, _unstructure_int_id, fast=str)]
#: Integer fen (CNY cents). ``"5245"`` is accepted; a fractional value is an error.
Money = Annotated[int, _wire("Money", _structure_money, _identity, fast=int)]
#: An exact decimal whose unit the API does not document (1688 prices); written as a string.
DecimalValue = Annotated[Decimal, _wire("DecimalValue", _structure_decimal, str)]
#: A JSON scalar kept exactly as sent (``"34"`` stays a string, ``23`` an int).
Scalar = Annotated[int | float | str, _wire("Scalar", _structure_scalar, _identity)]


def fen_to_yuan(fen: int | None) -> Decimal | None:
    """Integer fen → exact ``Decimal`` yuan: ``5245`` → ``Decimal('52.45')``; None stays None."""
    if fen is None:
        return None
    return (Decimal(fen) / 100).quantize(_FEN)


# --------------------------------------------------------------------------- scalar hooks


def _structure_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _structure_int(value: Any, _: Any) -> int:
    if value.__class__ is int:
        return value
    if isinstance(value, bool):
        raise TypeError("expected an integer, got a boolean")
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise ValueError(f"expected an integer, got {value!r}")


_TRUE: Final = frozenset({"true", "True", "1", "Y", "y"})
_FALSE: Final = frozenset({"false", "False", "0", "N", "n"})


def _structure_bool(value: Any, _: Any) -> bool:
    if value is True or value is False:
        return value
    if value == 1 or value == 0:
        return bool(value)
    if isinstance(value, str):
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
    raise ValueError(f"expected a boolean, got {value!r}")


def _structure_any(value: Any, _: Any) -> Any:
    return value


# --------------------------------------------------------------------------- type predicates


def _is_union(tp: Any) -> bool:
    origin = get_origin(tp)
    return origin is Union or origin is types.UnionType


def _union_args(tp: Any) -> tuple[Any, ...]:
    return get_args(tp)


def _strip_none(tp: Any) -> Any:
    args = tuple(a for a in _union_args(tp) if a is not _NONE_TYPE)
    if len(args) == 1:
        return args[0]
    return Union[args]  # noqa: UP007 - a runtime union built from a tuple


def _is_optional(tp: Any) -> bool:
    return _is_union(tp) and _NONE_TYPE in _union_args(tp)


def _wire_type(tp: Any) -> WireType | None:
    if get_origin(tp) is not Annotated:
        return None
    for meta in tp.__metadata__:
        if isinstance(meta, WireType):
            return meta
    return None


def _is_wire_type(tp: Any) -> bool:
    return _wire_type(tp) is not None


def _is_json_string(tp: Any) -> bool:
    return get_origin(tp) is Annotated and any(isinstance(m, JsonString) for m in tp.__metadata__)


def _enum_union_parts(tp: Any) -> tuple[type[enum.Enum], tuple[type, ...]] | None:
    if not _is_union(tp):
        return None
    args = _union_args(tp)
    enums = [a for a in args if isinstance(a, type) and issubclass(a, enum.Enum)]
    raws = tuple(a for a in args if a in (int, str))
    if len(enums) == 1 and len(raws) + 1 == len(args) and raws:
        return enums[0], raws
    return None


def _is_enum_union(tp: Any) -> bool:
    return _enum_union_parts(tp) is not None


def _is_model(tp: Any) -> bool:
    cls = get_origin(tp) or tp
    return isinstance(cls, type) and attrs.has(cls)


# --------------------------------------------------------------------------- names


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def wire_name(cls: type, attribute: str) -> str:
    """The JSON key of ``cls.attribute``: metadata ``json``, else camelCase (or snake_case).

    >>> import attrs
    >>> @attrs.frozen
    ... class A:
    ...     order_no: str
    >>> wire_name(A, "order_no")
    'orderNo'
    """
    field = attrs.fields_dict(cls)[attribute]
    explicit = field.metadata.get("json")
    if explicit:
        return str(explicit)
    if getattr(cls, "_wire_case", "camel") == "snake":
        return attribute
    return _camel(attribute)


# --------------------------------------------------------------------------- the converter

#: The converter. Use :func:`structure` / :func:`unstructure` rather than calling it directly.
converter: Final = cattrs.Converter(detailed_validation=True)

for _tp, _hook in ((str, _structure_str), (int, _structure_int), (bool, _structure_bool)):
    converter.register_structure_hook(_tp, _hook)
# A predicate, not a class: functools.singledispatch refuses ``typing.Any`` on Python 3.10.
converter.register_structure_hook_func(lambda tp: tp is Any, _structure_any)
converter.register_unstructure_hook(Decimal, str)


def _optional_structure(tp: Any, *, keep_empty: bool = False) -> Callable[[Any, Any], Any]:
    # One function per optional field, not a wrapper around a wrapper: this is the
    # hottest path of structuring a page of orders.
    inner = _strip_none(tp)
    if inner is str:
        if keep_empty:

            def structure_optional_str_keep(value: Any, _: Any) -> Any:
                if value.__class__ is str or value is None:
                    return value
                return _structure_str(value, str)

            _HOOK_INFO[structure_optional_str_keep] = ("opt_str_keep",)
            return structure_optional_str_keep

        def structure_optional_str(value: Any, _: Any) -> Any:
            if value.__class__ is str:
                return value or None
            if value is None:
                return None
            return _structure_str(value, str)

        _HOOK_INFO[structure_optional_str] = ("opt_str",)
        return structure_optional_str

    wire = _wire_type(inner)
    if wire is not None and wire.structure_optional is not None:
        return wire.structure_optional
    if inner is int:
        return _optional(_structure_int, int)
    if inner is bool:
        return _optional(_structure_bool, bool)
    if _is_enum_union(inner):
        return _enum_union_structure(inner, optional=True)
    if _is_model(inner):
        return _model_hook(inner, optional=True)
    if _is_json_string(inner) and _is_model(inner.__origin__):
        return _model_hook(inner.__origin__, optional=True, json_string=True)

    hook = converter.get_structure_hook(inner)

    def structure_optional(value: Any, _: Any) -> Any:
        if value is None or value == "":
            return None
        return hook(value, inner)

    _HOOK_INFO[structure_optional] = ("opt", hook, inner)
    return structure_optional


def _optional_unstructure(tp: Any) -> Callable[[Any], Any]:
    inner = _strip_none(tp)
    hook = converter.get_unstructure_hook(inner)

    def unstructure_optional(value: Any) -> Any:
        return None if value is None else hook(value)

    return unstructure_optional


def _wire_structure(tp: Any) -> Callable[[Any, Any], Any]:
    wire = _wire_type(tp)
    assert wire is not None
    return wire.structure


def _wire_unstructure(tp: Any) -> Callable[[Any], Any]:
    wire = _wire_type(tp)
    assert wire is not None
    return wire.unstructure


def _json_string_structure(tp: Any) -> Callable[[Any, Any], Any]:
    inner = tp.__origin__
    if _is_model(inner):
        return _model_hook(inner, json_string=True)
    hook = converter.get_structure_hook(inner)
    loads = orjson.loads

    def structure_json_string(value: Any, _: Any) -> Any:
        if isinstance(value, (str, bytes)):
            value = loads(value)
        return hook(value, inner)

    _HOOK_INFO[structure_json_string] = ("json", hook, inner)
    return structure_json_string


def _json_string_unstructure(tp: Any) -> Callable[[Any], Any]:
    hook = converter.get_unstructure_hook(tp.__origin__)

    def unstructure_json_string(value: Any) -> str:
        return orjson.dumps(hook(value)).decode()

    return unstructure_json_string


def _enum_union_structure(tp: Any, *, optional: bool = False) -> Callable[[Any, Any], Any]:
    parts = _enum_union_parts(tp)
    assert parts is not None
    enum_cls, raws = parts
    members: Mapping[Any, Any] = enum_cls._value2member_map_
    to_int = int in raws
    to_str = str in raws

    def structure_enum_or_raw(value: Any, _: Any) -> Any:
        try:
            return members[value]
        except (KeyError, TypeError):
            pass
        if optional and (value is None or value == ""):
            return None
        if isinstance(value, bool):
            raise TypeError("expected an enum value, got a boolean")
        if to_int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
            number = int(value)
            return members.get(number, number)
        if isinstance(value, int) and to_int:
            return value
        if isinstance(value, str) and to_str:
            return value
        if isinstance(value, int) and to_str:
            text = str(value)
            return members.get(text, text)
        raise TypeError(f"expected a {enum_cls.__name__} value, got {type(value).__name__}")

    _HOOK_INFO[structure_enum_or_raw] = ("enum", members, optional)
    return structure_enum_or_raw


def _enum_union_unstructure(tp: Any) -> Callable[[Any], Any]:
    def unstructure_enum_or_raw(value: Any) -> Any:
        return value.value if isinstance(value, enum.Enum) else value

    return unstructure_enum_or_raw


def _is_list(tp: Any) -> bool:
    return tp is list or get_origin(tp) is list


def _list_structure(tp: Any) -> Callable[[Any, Any], Any]:
    base = list_structure_factory(tp, converter)

    def structure_list(value: Any, _: Any) -> Any:
        if value.__class__ is list:
            return base(value, tp)
        if value is None or value == "":
            return []  # the API sends null or "" for an empty list as often as []
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a JSON array, got {type(value).__name__}")
        return base(value, tp)

    _HOOK_INFO[structure_list] = ("list", base)
    return structure_list


@attrs.frozen
class _ModelParts:
    base: Callable[[Any, Any], Any]
    known: frozenset[str]
    has_extra: bool


# Generated per class once; the optional / JSON-string variants reuse the same function.
_MODEL_PARTS: dict[Any, _ModelParts] = {}


def _fields(cls: Any) -> tuple[attrs.Attribute[Any], ...]:
    origin = get_origin(cls) or cls
    attrs.resolve_types(origin)
    return tuple(attrs.fields(origin))


def _model_parts(cls: Any) -> _ModelParts:
    parts = _MODEL_PARTS.get(cls)
    if parts is not None:
        return parts
    origin = get_origin(cls) or cls
    is_request = bool(getattr(origin, "_request_model", False))
    overrides = {}
    known: set[str] = set()
    has_extra = False
    for field in _fields(cls):
        if field.name == "extra":
            overrides["extra"] = override(omit=True)
            has_extra = True
            continue
        name = wire_name(origin, field.name)
        known.add(name)
        hook = None
        if is_request and _is_optional(field.type):
            hook = _optional_structure(field.type, keep_empty=True)
        overrides[field.name] = override(rename=name, struct_hook=hook)
    base = make_dict_structure_fn(cls, converter, **overrides)  # type: ignore[arg-type]
    parts = _ModelParts(base=base, known=frozenset(known), has_extra=has_extra)
    _MODEL_PARTS[cls] = parts
    return parts


def _model_hook(
    cls: Any, *, optional: bool = False, json_string: bool = False
) -> Callable[[Any, Any], Any]:
    parts = _model_parts(cls)
    base, known, has_extra = parts.base, parts.known, parts.has_extra
    setter = object.__setattr__
    loads = orjson.loads

    def structure_model(data: Any, _: Any) -> Any:
        if data.__class__ is not dict:
            if data is None or data == "":
                if optional:
                    return None
                raise TypeError("expected a JSON object, got null")
            if json_string and isinstance(data, (str, bytes)):
                data = loads(data)
            if not isinstance(data, Mapping):
                raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        obj = base(data, cls)
        if has_extra and not known.issuperset(data):
            setter(obj, "extra", {key: data[key] for key in data.keys() - known})
        return obj

    _HOOK_INFO[structure_model] = ("model", cls, optional, json_string)
    return structure_model


def _model_structure(cls: Any) -> Callable[[Any, Any], Any]:
    return _model_hook(cls)


def _model_unstructure(cls: Any) -> Callable[[Any], Any]:
    origin = get_origin(cls) or cls
    is_request = bool(getattr(origin, "_request_model", False))
    overrides = {}
    has_extra = False
    for field in _fields(cls):
        if field.name == "extra":
            overrides["extra"] = override(omit=True)
            has_extra = True
            continue
        # Optional fields left at None are not written (the docs' examples leave unset
        # fields out); a request does not send an empty list it was not given either.
        omit = field.default is None or (
            is_request and isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
        )
        overrides[field.name] = override(rename=wire_name(origin, field.name), omit_if_default=omit)
    base = make_dict_unstructure_fn(cls, converter, **overrides)  # type: ignore[arg-type]
    if not has_extra:
        return base

    def unstructure_model(obj: Any) -> dict[str, Any]:
        data: dict[str, Any] = base(obj)
        if obj.extra:
            for key, value in obj.extra.items():
                data.setdefault(key, value)
        return data

    return unstructure_model


# Later registrations win in cattrs, so the most specific predicates come last.
converter.register_structure_hook_factory(_is_list, _list_structure)
converter.register_structure_hook_factory(_is_model, _model_structure)
converter.register_unstructure_hook_factory(_is_model, _model_unstructure)
converter.register_structure_hook_factory(_is_enum_union, _enum_union_structure)
converter.register_unstructure_hook_factory(_is_enum_union, _enum_union_unstructure)
converter.register_structure_hook_factory(_is_optional, _optional_structure)
converter.register_unstructure_hook_factory(_is_optional, _optional_unstructure)
converter.register_structure_hook_factory(_is_json_string, _json_string_structure)
converter.register_unstructure_hook_factory(_is_json_string, _json_string_unstructure)
converter.register_structure_hook_factory(_is_wire_type, _wire_structure)
converter.register_unstructure_hook_factory(_is_wire_type, _wire_unstructure)


# --------------------------------------------------------------------------- the fast path
#
# Structuring pages of orders is the hottest code of a bulk walk. For every response
# model a straight-line function is generated once: it reads each key with one
# ``dict.get``, keeps a value whose class already fits (a ``str`` for a string field,
# an ``int`` for fen, ``None`` for an optional field…) without any call, calls the
# nested models' fast functions directly, and hands every other value to the very
# hook the cattrs function calls for that field. It reports no error itself: when it
# raises, :func:`structure` runs the cattrs function (detailed validation, JSON
# paths), which raises the readable error — or, on an input it accepts after all,
# returns the same model. Request models keep the cattrs function only.

_MISSING: Final = object()
_FAST_MODELS: dict[Any, Callable[[dict[str, Any]], Any] | None] = {}
_FAST_TOP: dict[Any, Callable[[Any], Any] | None] = {}


def _str_dict(value: Any, hook: Callable[[Any, Any], Any], tp: Any) -> Any:
    # dict[str, str] decoded from JSON: the cattrs hook would copy it key for key.
    if value.__class__ is dict:
        for item in value.values():
            if item.__class__ is not str:
                return hook(value, tp)
        return value
    return hook(value, tp)


def _list_parts(list_hook_info: tuple[Any, ...]) -> tuple[Any, Any] | None:
    """(element hook, element type) of a ``_list_structure`` hook, when cattrs has them."""
    try:
        params = inspect.signature(list_hook_info[1]).parameters
        return params["_handler"].default, params["_elem_type"].default
    except (KeyError, TypeError, ValueError):
        return None


def _fast_elements(ns: dict[str, Any], name: str, list_info: tuple[Any, ...], var: str) -> str:
    """An expression structuring list ``var`` like the list hook (element models inlined)."""
    parts = _list_parts(list_info)
    if parts is None:
        return ""
    elem_hook, elem_type = parts
    info = _HOOK_INFO.get(elem_hook, ())
    if not info or info[0] != "model":
        return ""
    elem_fast = _fast_model(info[1])
    if elem_fast is None:
        return ""
    ns[f"{name}f"], ns[f"{name}h"], ns[f"{name}t"] = elem_fast, elem_hook, elem_type
    return f"[{name}f(e) if e.__class__ is dict else {name}h(e, {name}t) for e in {var}]"


def _fast_json_decoder(info: tuple[Any, ...]) -> Callable[[str], Any] | None:
    """For a JSON-string hook (``_json_string_structure``): decode a non-empty string like it."""
    if not info or info[0] != "json":
        return None
    _, hook, tp = info  # applied to the decoded document
    loads = orjson.loads
    list_info = _HOOK_INFO.get(hook, ())
    parts = _list_parts(list_info) if list_info and list_info[0] == "list" else None
    elem_info = _HOOK_INFO.get(parts[0], ()) if parts is not None else ()
    elem_fast = _fast_model(elem_info[1]) if elem_info and elem_info[0] == "model" else None
    if parts is not None and elem_fast is not None:
        elem_hook, elem_type = parts

        def decode_list(text: str) -> Any:
            doc = loads(text)
            if doc.__class__ is list:
                return [
                    elem_fast(e) if e.__class__ is dict else elem_hook(e, elem_type) for e in doc
                ]
            return hook(doc, tp)

        return decode_list
    if tp == dict[str, str] and converter.get_structure_hook(str) is _structure_str:

        def decode_str_dict(text: str) -> Any:
            return _str_dict(loads(text), hook, tp)

        return decode_str_dict

    def decode(text: str) -> Any:
        return hook(loads(text), tp)

    return decode


#: A branch of a generated field: (condition on ``v`` or None for ``else``, expression).
_Branch = tuple[str | None, str]


def _fast_branches(ns: dict[str, Any], i: int, hook: Callable[..., Any]) -> list[_Branch]:
    """Branches computing field ``i`` from ``v`` exactly as ``hook(v, t{i})`` would.

    Branches whose condition tests the class of ``v`` come first (``_MISSING`` never
    passes them); the last branch is always the plain hook call (or ``v`` itself).
    """
    call: _Branch = (None, f"h{i}(v, t{i})")
    none: _Branch = ("v is None", "None")
    branches: list[_Branch]
    if hook is _structure_any:
        return [(None, "v")]
    if hook is _structure_str or hook is _structure_id:
        return [("v.__class__ is str", "v"), call]
    digits: _Branch = ("v.__class__ is str and v.isdigit()", "int(v)")  # fen sent as "5245"
    if hook is _structure_int:
        return [("v.__class__ is int", "v"), call]
    if hook is _structure_money:
        return [("v.__class__ is int", "v"), digits, call]
    if hook is _structure_bool:
        return [("v is True or v is False", "v"), call]
    if hook is _optional_china:
        china = "v.__class__ is str and len(v) == 19 and v[4] == '-'"
        return [(china, "fromiso(v).replace(tzinfo=CN)"), none, call]
    info = _HOOK_INFO.get(hook, ())
    kind = info[0] if info else None
    if kind == "opt_str":
        return [("v.__class__ is str", "v or None"), none, call]
    if kind == "opt_str_keep":
        return [("v.__class__ is str", "v"), none, call]
    if kind == "opt_fast":
        _, fast, inner = info
        if fast is str:
            branches = [("v.__class__ is str", "v or None")]
            if inner is _structure_id:
                branches.append(("v.__class__ is int", "str(v)"))
            return [*branches, none, call]
        ns[f"c{i}"] = fast
        branches = [(f"v.__class__ is c{i}", "v")]
        if inner is _structure_money:
            branches.append(digits)
        return [*branches, none, call]
    if kind == "opt_of" and info[1] is _structure_ms:
        return [("v.__class__ is str and v.isdigit()", "from_ms(int(v))"), none, call]
    if kind == "enum":
        ns[f"m{i}"] = info[1].get
        branches = [none] if info[2] else []
        return [*branches, (f"(x := m{i}(v)) is not None", "x"), call]
    if kind == "model":
        _, sub, optional, json_string = info
        sub_fast = _fast_model(sub)
        if sub_fast is None:
            return [call]
        ns[f"f{i}"] = sub_fast
        branches = [("v.__class__ is dict", f"f{i}(v)")]
        if json_string:
            # loads() gives a dict, a list or a scalar; f{i} needs a dict (o.get), so
            # anything else raises, and the cattrs path takes over.
            branches.append(("v.__class__ is str and v", f"f{i}(loads(v))"))
        if optional:
            branches.append(none)
        return [*branches, call]
    if kind == "list":
        expr = _fast_elements(ns, f"l{i}", info, "v")
        return [("v.__class__ is list", expr), call] if expr else [call]
    if kind == "opt":
        decode = _fast_json_decoder(_HOOK_INFO.get(info[1], ()))
        if decode is None:
            return [none, call]
        ns[f"j{i}"] = decode
        return [("v.__class__ is str and v", f"j{i}(v)"), none, call]
    return [call]


def _can_skip_init(cls: Any, fields: tuple[attrs.Attribute[Any], ...]) -> bool:
    """Whether setting the slots directly is exactly what the attrs ``__init__`` does."""
    init = getattr(cls, "__init__", None)
    code = getattr(init, "__code__", None)
    slots: set[str] = set()
    for klass in cls.__mro__[:-1]:
        own = klass.__dict__.get("__slots__")
        if own is None:
            return False  # a class with a __dict__ somewhere: not the plain slotted case
        slots.update([own] if isinstance(own, str) else own)
    # Only field slots (and __weakref__): no hash cache or other slot that __init__ sets.
    return (
        code is not None
        and "attrs generated" in code.co_filename
        and slots - {"__weakref__"} == {f.name for f in fields}
        and not hasattr(cls, "__attrs_pre_init__")
        and not hasattr(cls, "__attrs_post_init__")
        and all(f.init and f.validator is None and f.converter is None for f in fields)
    )


def _slot_setter(cls: Any, name: str) -> Callable[[Any, Any], None] | None:
    for klass in cls.__mro__:
        descriptor = klass.__dict__.get(name)
        if descriptor is not None:
            setter: Callable[[Any, Any], None] | None = getattr(descriptor, "__set__", None)
            return setter
    return None


def _compile_fast_model(cls: Any) -> Callable[[dict[str, Any]], Any] | None:
    origin = get_origin(cls) or cls
    if getattr(origin, "_request_model", False):
        return None
    parts = _model_parts(cls)
    try:
        params = inspect.signature(parts.base).parameters
    except (TypeError, ValueError):
        return None
    fields = _fields(cls)
    direct = origin is cls and _can_skip_init(origin, fields)
    ns: dict[str, Any] = {
        "M": _MISSING,
        "cl": cls,
        "new": object.__new__,
        "setter": object.__setattr__,
        "known": parts.known,
        "loads": orjson.loads,
        "from_ms": _from_ms,
        "fromiso": datetime.fromisoformat,
        "CN": CHINA_TZ,
    }
    lines = ["def fast(o):", "  g = o.get"]
    if direct:
        lines.append("  obj = new(cl)")
    kwargs = []
    extra_default: Any = _MISSING
    for i, field in enumerate(fields):
        target = f"a{i} = {{}}"
        if direct:
            ns[f"s{i}"] = _slot_setter(origin, field.name)
            if ns[f"s{i}"] is None:
                return None
            target = f"s{i}(obj, {{}})"
        if field.name == "extra":
            extra_default = field.default
            ns["extra_default"] = extra_default
            if direct:
                ns["set_extra"] = ns.pop(f"s{i}")
            continue
        if not field.init:
            continue
        hook = params.get(f"__c_structure_{field.name}")
        tp = params.get(f"__c_type_{field.name}")
        if hook is None or tp is None:
            return None  # a field cattrs handles in a way not mirrored here
        ns[f"h{i}"], ns[f"t{i}"] = hook.default, tp.default
        default: Any = field.default
        if default is attrs.NOTHING:
            missing = f"missing({field.name!r})"
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                return None
            ns[f"d{i}"] = default.factory
            missing = f"d{i}()"
        else:
            ns[f"d{i}"] = default
            missing = f"d{i}"
        branches = _fast_branches(ns, i, hook.default)
        key = wire_name(origin, field.name)
        if default is None and (("v is None", "None") in branches or branches == [(None, "v")]):
            lines.append(f"  v = g({key!r})")  # absent reads as None: the default
        else:
            first = next((n for n, (cond, _) in enumerate(branches) if not _class_test(cond)), 0)
            branches.insert(first, ("v is M", missing))
            lines.append(f"  v = g({key!r}, M)")
        for n, (cond, expr) in enumerate(branches):
            if cond is None and n == 0:
                lines.append(f"  {target.format(expr)}")
                break
            head = "else" if cond is None else ("if " if n == 0 else "elif ") + cond
            lines.append(f"  {head}: {target.format(expr)}")
        kwargs.append(f"{field.alias or field.name}=a{i}")
    if not direct:
        lines.append(f"  obj = cl({', '.join(kwargs)})")
    if parts.has_extra:
        lines.append("  if not known.issuperset(o):")
        lines.append("    setter(obj, 'extra', {key: o[key] for key in o.keys() - known})")
        if direct:
            lines.append("  else: set_extra(obj, extra_default)")
    elif direct and extra_default is not _MISSING:
        lines.append("  set_extra(obj, extra_default)")
    lines.append("  return obj")
    ns["missing"] = _missing
    source = "\n".join(lines)
    filename = f"<xportcn_async fast structure {getattr(origin, '__qualname__', origin)}>"
    exec(compile(source, filename, "exec"), ns)  # noqa: S102 - code generated from the models
    fast: Callable[[dict[str, Any]], Any] = ns["fast"]
    return fast


def _class_test(cond: str | None) -> bool:
    return cond is not None and cond.startswith("v.__class__ is ")


def _missing(name: str) -> Any:
    raise KeyError(name)


def _fast_model(cls: Any) -> Callable[[dict[str, Any]], Any] | None:
    """The generated fast function of response model ``cls`` (None when it has none)."""
    if cls in _FAST_MODELS:
        return _FAST_MODELS[cls]
    _FAST_MODELS[cls] = None  # a model nested in itself calls the cattrs hook there
    fast = _compile_fast_model(cls)
    _FAST_MODELS[cls] = fast
    return fast


def _fast_structurer(cls: Any) -> Callable[[Any], Any] | None:
    """A fast function for ``structure(data, cls)``: a model or a list of models, else None."""
    try:
        return _FAST_TOP[cls]
    except KeyError:
        pass
    except TypeError:  # an unhashable type argument
        return None
    fast: Callable[[Any], Any] | None = None
    try:
        hook = converter.get_structure_hook(cls)
    except Exception:
        hook = None
    info = _HOOK_INFO.get(hook, ()) if hook is not None else ()
    if info and info[0] == "model":
        model = _fast_model(info[1])
        if model is not None:

            def fast_model(data: Any) -> Any:
                if data.__class__ is not dict:
                    raise TypeError("not a JSON object")
                return model(data)

            fast = fast_model
    elif info and info[0] == "list":
        ns: dict[str, Any] = {}
        expr = _fast_elements(ns, "top", info, "data")
        if expr:
            exec(  # noqa: S102 - code generated from the models
                compile(f"def fast(data):\n  return {expr}", "<xportcn_async fast list>", "exec"),
                ns,
            )
            fast_list: Callable[[Any], Any] = ns["fast"]

            def fast_checked_list(data: Any) -> Any:
                if data.__class__ is not list:
                    raise TypeError("not a JSON array")
                return fast_list(data)

            fast = fast_checked_list
    _FAST_TOP[cls] = fast
    return fast


# --------------------------------------------------------------------------- errors


def _format_exception(exc: BaseException, tp: Any) -> str:
    if isinstance(exc, orjson.JSONDecodeError):
        return f"malformed JSON in string ({exc})"
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, (ValueError, TypeError)) and exc.args and isinstance(exc.args[0], str):
        return f"invalid value ({exc.args[0]})"
    return cattrs.v.format_exception(exc, tp)


def transform_error(exc: BaseException, path: str = "$") -> list[str]:
    """Readable ``message @ path`` lines for a structuring failure, with wire field names.

    Like :func:`cattrs.transform_error`, but the path uses the JSON keys
    (``$.data[0].subOrderVOS[0].subOrderResult``) rather than attribute names.
    """
    errors: list[str] = []
    if isinstance(exc, IterableValidationError):
        item_notes, without = exc.group_exceptions()
        for sub, note in item_notes:
            sub_path = f"{path}[{note.index!r}]"
            if isinstance(sub, (ClassValidationError, IterableValidationError)):
                errors.extend(transform_error(sub, sub_path))
            else:
                errors.append(f"{_format_exception(sub, note.type)} @ {sub_path}")
        errors.extend(f"{_format_exception(sub, None)} @ {path}" for sub in without)
    elif isinstance(exc, ClassValidationError):
        attr_notes, without_notes = exc.group_exceptions()
        for sub, attr_note in attr_notes:
            try:
                key = wire_name(exc.cl, attr_note.name)
            except (KeyError, TypeError, attrs.exceptions.NotAnAttrsClassError):
                key = attr_note.name
            sub_path = f"{path}.{key}"
            if isinstance(sub, (ClassValidationError, IterableValidationError)):
                errors.extend(transform_error(sub, sub_path))
            else:
                errors.append(f"{_format_exception(sub, attr_note.type)} @ {sub_path}")
        errors.extend(f"{_format_exception(sub, None)} @ {path}" for sub in without_notes)
    else:
        errors.append(f"{_format_exception(exc, None)} @ {path}")
    return errors


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)


def structure(
    data: Any,
    cls: type[T],
    *,
    endpoint: str | None = None,
    request_id: str | None = None,
    path: str = "$",
) -> T:
    """Turn decoded JSON into ``cls`` (a model, or ``list[Model]`` …).

    Raises :class:`~xportcn_async.errors.ResponseDecodeError` when the data does
    not fit; its ``errors`` list names every failing field by its JSON path
    (rooted at ``path``) and its message names the endpoint and the request id.

    >>> from xportcn_async.models import AlibabaOrderPreview
    >>> structure({"sumPayment": "6400"}, AlibabaOrderPreview).sum_payment
    6400
    """
    fast = _fast_structurer(cls)
    if fast is not None:
        # Any failure: the cattrs path below finds and reports it (or agrees with it).
        with contextlib.suppress(Exception):
            result: T = fast(data)
            return result
    try:
        return converter.structure(data, cls)
    except Exception as exc:
        errors = transform_error(exc, path)
        where = f"[{endpoint}] " if endpoint else ""
        shown = "; ".join(errors[:5]) + (f"; … ({len(errors) - 5} more)" if len(errors) > 5 else "")
        raise ResponseDecodeError(
            f"{where}response data does not fit {_type_name(cls)}: {shown}",
            request_id=request_id,
            endpoint=endpoint,
            errors=errors,
            body_excerpt=_excerpt(data),
        ) from exc


def _excerpt(data: Any) -> str:
    try:
        return orjson.dumps(data, default=repr)[:200].decode("utf-8", "replace")
    except (TypeError, orjson.JSONEncodeError):
        return repr(data)[:200]


def unstructure(obj: Any, unstructure_as: Any = None) -> Any:
    """Turn a model (or a list of models) into JSON-ready data with the API's field names.

    Optional fields left at ``None`` are dropped; required fields are always sent;
    ``extra`` keys are merged in.
    """
    return converter.unstructure(obj, unstructure_as=unstructure_as)
