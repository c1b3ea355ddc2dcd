"""The converter factory, its hooks, and ``structure`` / ``unstructure`` with readable errors.

:func:`make_converter` builds a :class:`cattrs.Converter` and registers every hook
of the SDK on it; it is the only place hooks are registered, so the two
converters below cannot diverge:

* :data:`converter` (``detailed_validation=False``): the hot path. Structuring a
  page of orders runs the functions ``cattrs.gen.make_dict_structure_fn``
  generated once per class, with renames to the wire names;
* :data:`detailed_converter` (``detailed_validation=True``): used only when the
  hot path raised, to structure the same payload again and name every failing
  field by its JSON path.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Annotated, Any, Final, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
import orjson
from cattrs.cols import list_structure_factory
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import (
    make_dict_structure_fn,
    make_dict_unstructure_fn,
    make_mapping_structure_fn,
    override,
)

from ..errors import ResponseDecodeError
from .lazy import _PENDING as _NOT_YET
from .lazy import LazyAttribute, LazyJson, LazySpec, Node, Origin, install, render_path
from .wire import JsonString, WireType

__all__ = [
    "converter",
    "detailed_converter",
    "make_converter",
    "register_hooks",
    "structure",
    "transform_error",
    "unstructure",
    "wire_name",
]

T = TypeVar("T")

_NONE_TYPE: Final = type(None)
_loads: Final = orjson.loads


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


def _optional_str(value: Any, _: Any) -> str | None:
    if value.__class__ is str:
        return value or None
    if value is None:
        return None
    return _structure_str(value, str)


def _optional_str_keep(value: Any, _: Any) -> str | None:
    if value.__class__ is str or value is None:
        return value
    return _structure_str(value, str)


def _optional_int(value: Any, _: Any) -> int | None:
    if value.__class__ is int:
        return value
    if value is None or value == "":
        return None
    return _structure_int(value, int)


def _optional_bool(value: Any, _: Any) -> bool | None:
    if value is True or value is False:
        return value
    if value is None or value == "":
        return None
    return _structure_bool(value, bool)


# --------------------------------------------------------------------------- type predicates


def _is_union(tp: Any) -> bool:
    origin = get_origin(tp)
    return origin is Union or origin is types.UnionType


def _strip_none(tp: Any) -> Any:
    args = tuple(a for a in get_args(tp) if a is not _NONE_TYPE)
    if len(args) == 1:
        return args[0]
    return Union[args]  # noqa: UP007 - a runtime union built from a tuple


def _is_optional(tp: Any) -> bool:
    return _is_union(tp) and _NONE_TYPE in get_args(tp)


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


def _lazy_inner(tp: Any) -> tuple[Any, bool] | None:
    """``(T, optional)`` for ``Annotated[T, JSON_STRING]`` (``| None``), else None."""
    optional = _is_optional(tp)
    inner = _strip_none(tp) if optional else tp
    if _is_json_string(inner):
        return inner.__origin__, optional
    return None


def _enum_union_parts(tp: Any) -> tuple[type[enum.Enum], tuple[type, ...]] | None:
    if not _is_union(tp):
        return None
    args = get_args(tp)
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


def _is_str_dict(tp: Any) -> bool:
    return get_origin(tp) is dict and get_args(tp) == (str, str)


def _is_list(tp: Any) -> bool:
    return tp is list or get_origin(tp) is list


def _is_request(cls: Any) -> bool:
    return bool(getattr(get_origin(cls) or cls, "_request_model", False))


def _fields(cls: Any) -> tuple[attrs.Attribute[Any], ...]:
    origin = get_origin(cls) or cls
    attrs.resolve_types(origin)
    return tuple(attrs.fields(origin))


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


# --------------------------------------------------------------------------- the hooks


@attrs.frozen
class _ModelParts:
    base: Callable[[Any, Any], Any]
    known: frozenset[str]
    has_extra: bool


class _Hooks:
    """Every hook factory of one converter (closures over ``conv``)."""

    def __init__(self, conv: cattrs.Converter) -> None:
        self.conv = conv
        self.parts: dict[Any, _ModelParts] = {}

    def register(self) -> None:
        conv = self.conv
        for tp, hook in ((str, _structure_str), (int, _structure_int), (bool, _structure_bool)):
            conv.register_structure_hook(tp, hook)
        # A predicate, not a class: functools.singledispatch refuses ``typing.Any`` on 3.10.
        conv.register_structure_hook_func(lambda tp: tp is Any, _structure_any)
        conv.register_unstructure_hook(Decimal, str)
        # Later registrations win in cattrs, so the most specific predicates come last.
        conv.register_structure_hook_factory(_is_list, self.list_structure)
        conv.register_structure_hook_factory(_is_str_dict, self.str_dict_structure)
        conv.register_structure_hook_factory(_is_model, self.model_structure)
        conv.register_unstructure_hook_factory(_is_model, self.model_unstructure)
        conv.register_structure_hook_factory(_is_enum_union, self.enum_union_structure)
        conv.register_unstructure_hook_factory(_is_enum_union, _enum_union_unstructure)
        conv.register_structure_hook_factory(_is_optional, self.optional_structure)
        conv.register_unstructure_hook_factory(_is_optional, self.optional_unstructure)
        conv.register_structure_hook_factory(_is_json_string, self.json_string_structure)
        conv.register_unstructure_hook_factory(_is_json_string, self.json_string_unstructure)
        conv.register_structure_hook_factory(_is_wire_type, _wire_structure)
        conv.register_unstructure_hook_factory(_is_wire_type, _wire_unstructure)
        for tp, structure_hook, unstructure_hook in _CUSTOM_HOOKS:
            conv.register_structure_hook(tp, structure_hook)
            conv.register_unstructure_hook(tp, unstructure_hook)

    # ----------------------------------------------------------------- optionals

    def optional_structure(self, tp: Any, *, keep_empty: bool = False) -> Callable[[Any, Any], Any]:
        # One function per optional field, not a wrapper around a wrapper: this is the
        # hottest path of structuring a page of orders.
        inner = _strip_none(tp)
        if inner is str:
            return _optional_str_keep if keep_empty else _optional_str
        wire = _wire_type(inner)
        if wire is not None and wire.structure_optional is not None:
            return wire.structure_optional
        if inner is int:
            return _optional_int
        if inner is bool:
            return _optional_bool
        if _is_enum_union(inner):
            return self.enum_union_structure(inner, optional=True)
        if _is_model(inner):
            return self.model_hook(inner, optional=True)
        hook = self.conv.get_structure_hook(inner)

        def structure_optional(value: Any, _: Any) -> Any:
            if value is None or value == "":
                return None
            return hook(value, inner)

        return structure_optional

    def optional_unstructure(self, tp: Any) -> Callable[[Any], Any]:
        inner = _strip_none(tp)
        hook = self.conv.get_unstructure_hook(inner)

        def unstructure_optional(value: Any) -> Any:
            return None if value is None else hook(value)

        return unstructure_optional

    # ----------------------------------------------------------------- JSON in strings

    def json_string_structure(self, tp: Any) -> Callable[[Any, Any], Any]:
        """Eager: decode the string now (request models, and already decoded objects)."""
        inner = tp.__origin__
        hook = self.conv.get_structure_hook(inner)

        def structure_json_string(value: Any, _: Any) -> Any:
            if isinstance(value, (str, bytes)):
                value = _loads(value)
            return hook(value, inner)

        return structure_json_string

    def json_string_unstructure(self, tp: Any) -> Callable[[Any], str]:
        return self.json_encoder(tp.__origin__)

    def json_encoder(self, inner: Any) -> Callable[[Any], str]:
        hook = self.conv.get_unstructure_hook(inner)

        def unstructure_json_string(value: Any) -> str:
            if value.__class__ is LazyJson:
                return value.raw
            return orjson.dumps(hook(value)).decode()

        return unstructure_json_string

    def lazy_structure(
        self, inner: Any, spec: LazySpec, *, optional: bool
    ) -> Callable[[Any, Any], Any]:
        """Lazy (response models): keep a non-empty string as a :class:`LazyJson`."""
        eager = self.json_string_structure(Annotated[inner, JsonString()])

        def structure_lazy(value: Any, _: Any) -> Any:
            if value.__class__ is str:
                if value:
                    return LazyJson(value, spec)
                if optional:
                    return None
            elif value is None and optional:
                return None
            return eager(value, None)  # an already decoded object, or an error

        return structure_lazy

    # ----------------------------------------------------------------- enums, lists

    def enum_union_structure(self, tp: Any, *, optional: bool = False) -> Callable[[Any, Any], Any]:
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

        return structure_enum_or_raw

    def list_structure(self, tp: Any) -> Callable[[Any, Any], Any]:
        base = list_structure_factory(tp, self.conv)

        def structure_list(value: Any, _: Any) -> Any:
            if value.__class__ is list:
                return base(value, tp)
            if value is None or value == "":
                return []  # the API sends null or "" for an empty list as often as []
            if not isinstance(value, (list, tuple)):
                raise TypeError(f"expected a JSON array, got {type(value).__name__}")
            return base(value, tp)

        return structure_list

    def str_dict_structure(self, tp: Any) -> Callable[[Any, Any], Any]:
        """``dict[str, str]`` decoded from JSON is kept as is when every value is a string."""
        # detailed_validation given explicitly: its default is True in cattrs 24.1.
        base = make_mapping_structure_fn(
            tp, self.conv, detailed_validation=self.conv.detailed_validation
        )

        def structure_str_dict(value: Any, _: Any) -> Any:
            if value.__class__ is dict:
                for item in value.values():
                    if item.__class__ is not str:
                        return base(value, tp)
                return value
            return base(value, tp)

        return structure_str_dict

    # ----------------------------------------------------------------- models

    def model_parts(self, cls: Any) -> _ModelParts:
        parts = self.parts.get(cls)
        if parts is not None:
            return parts
        origin = get_origin(cls) or cls
        is_request = _is_request(cls)
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
            lazy = None if is_request else _lazy_inner(field.type)
            if lazy is not None:
                inner, optional = lazy
                install(origin, field.name)
                spec = LazySpec(name, inner, _decode_lazy)
                hook = self.lazy_structure(inner, spec, optional=optional)
            elif is_request and _is_optional(field.type):
                hook = self.optional_structure(field.type, keep_empty=True)
            overrides[field.name] = override(rename=name, struct_hook=hook)
        base = make_dict_structure_fn(cls, self.conv, **overrides)  # type: ignore[arg-type]
        parts = _ModelParts(base=base, known=frozenset(known), has_extra=has_extra)
        self.parts[cls] = parts
        return parts

    def model_hook(self, cls: Any, *, optional: bool = False) -> Callable[[Any, Any], Any]:
        parts = self.model_parts(cls)
        base, known, has_extra = parts.base, parts.known, parts.has_extra
        setter = object.__setattr__

        def structure_model(data: Any, _: Any) -> Any:
            if data.__class__ is not dict:
                if data is None or data == "":
                    if optional:
                        return None
                    raise TypeError("expected a JSON object, got null")
                if not isinstance(data, Mapping):
                    raise TypeError(f"expected a JSON object, got {type(data).__name__}")
            obj = base(data, cls)
            if has_extra and not known.issuperset(data):
                # Unknown keys are kept: the generated function ignores them
                # (forbid_extra_keys=False), ``extra`` receives them.
                setter(obj, "extra", {key: data[key] for key in data.keys() - known})
            return obj

        return structure_model

    def model_structure(self, cls: Any) -> Callable[[Any, Any], Any]:
        return self.model_hook(cls)

    def model_unstructure(self, cls: Any) -> Callable[[Any], Any]:
        origin = get_origin(cls) or cls
        is_request = _is_request(cls)
        overrides = {}
        has_extra = False
        lazies: list[tuple[str, LazyAttribute, Callable[[Any], str], bool]] = []
        for field in _fields(cls):
            if field.name == "extra":
                overrides["extra"] = override(omit=True)
                has_extra = True
                continue
            key = wire_name(origin, field.name)
            lazy = None if is_request else _lazy_inner(field.type)
            if lazy is not None:
                # Read from the slot, not the attribute: the string as sent goes back
                # out, and writing a response out never decodes it.
                overrides[field.name] = override(omit=True)
                descriptor = install(origin, field.name)
                lazies.append((key, descriptor, self.json_encoder(lazy[0]), field.default is None))
                continue
            # Optional fields left at None are not written (the docs' examples leave unset
            # fields out); a request does not send an empty list it was not given either.
            omit = field.default is None or (
                is_request and isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
            )
            overrides[field.name] = override(rename=key, omit_if_default=omit)
        base = make_dict_unstructure_fn(cls, self.conv, **overrides)  # type: ignore[arg-type]
        if not has_extra and not lazies:
            return base

        def unstructure_model(obj: Any) -> dict[str, Any]:
            data: dict[str, Any] = base(obj)
            for key, descriptor, encode, omit_none in lazies:
                value = descriptor.raw(obj)
                if value.__class__ is LazyJson:
                    data[key] = value.raw
                elif value is not None:
                    data[key] = encode(value)
                elif not omit_none:
                    data[key] = None
            if has_extra and obj.extra:
                for key, value in obj.extra.items():
                    data.setdefault(key, value)
            return data

        return unstructure_model


def _wire_structure(tp: Any) -> Callable[[Any, Any], Any]:
    wire = _wire_type(tp)
    assert wire is not None
    return wire.structure


def _wire_unstructure(tp: Any) -> Callable[[Any], Any]:
    wire = _wire_type(tp)
    assert wire is not None
    return wire.unstructure


def _enum_union_unstructure(tp: Any) -> Callable[[Any], Any]:
    def unstructure_enum_or_raw(value: Any) -> Any:
        return value.value if isinstance(value, enum.Enum) else value

    return unstructure_enum_or_raw


# --------------------------------------------------------------------------- the converters

#: Hooks for single classes (``register_hooks``), applied to every converter.
_CUSTOM_HOOKS: list[tuple[Any, Callable[[Any, Any], Any], Callable[[Any], Any]]] = []
_CONVERTERS: list[cattrs.Converter] = []


def make_converter(*, detailed_validation: bool) -> cattrs.Converter:
    """A converter with every hook of the SDK; the only place hooks are registered."""
    conv = cattrs.Converter(detailed_validation=detailed_validation, forbid_extra_keys=False)
    _Hooks(conv).register()
    _CONVERTERS.append(conv)
    return conv


def register_hooks(
    tp: Any, *, structure: Callable[[Any, Any], Any], unstructure: Callable[[Any], Any]
) -> None:
    """Register hooks for one class on every converter (those built and those to come)."""
    _CUSTOM_HOOKS.append((tp, structure, unstructure))
    for conv in _CONVERTERS:
        conv.register_structure_hook(tp, structure)
        conv.register_unstructure_hook(tp, unstructure)


#: The hot-path converter (``detailed_validation=False``). Use :func:`structure` /
#: :func:`unstructure` rather than calling it directly: they add the error paths.
converter: Final = make_converter(detailed_validation=False)
#: The same hooks with ``detailed_validation=True``: run only to explain a failure.
detailed_converter: Final = make_converter(detailed_validation=True)


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


def _excerpt(data: Any) -> str:
    if isinstance(data, str):
        return data[:200]
    try:
        return orjson.dumps(data, default=repr)[:200].decode("utf-8", "replace")
    except (TypeError, orjson.JSONEncodeError):
        return repr(data)[:200]


def _decode_error(errors: list[str], cls: Any, origin: Origin, data: Any) -> ResponseDecodeError:
    endpoint, request_id = origin
    where = f"[{endpoint}] " if endpoint else ""
    shown = "; ".join(errors[:5]) + (f"; … ({len(errors) - 5} more)" if len(errors) > 5 else "")
    return ResponseDecodeError(
        f"{where}response data does not fit {_type_name(cls)}: {shown}",
        request_id=request_id,
        endpoint=endpoint,
        errors=errors,
        body_excerpt=_excerpt(data),
    )


# --------------------------------------------------------------------------- where lazy values sit

#: ``stamp(obj, node, origin)``: tell every pending :class:`LazyJson` in ``obj`` its place.
Stamp = Callable[[Any, Node, Origin], None]
_STAMPS: dict[Any, Stamp | None] = {}
_BUILDING: Final[Any] = object()


def _stamper(tp: Any) -> Stamp | None:
    """The function giving the lazy values inside a ``tp`` their path (None: ``tp`` has none)."""
    try:
        found = _STAMPS[tp]
    except KeyError:
        pass
    except TypeError:  # an unhashable type argument
        return None
    else:
        if found is not _BUILDING:
            return found

        def deferred(obj: Any, node: Node, origin: Origin) -> None:  # a model nested in itself
            stamp = _STAMPS.get(tp)
            if stamp is not None and stamp is not _BUILDING:
                stamp(obj, node, origin)

        return deferred
    _STAMPS[tp] = _BUILDING
    stamp = _build_stamper(tp)
    _STAMPS[tp] = stamp
    return stamp


def _build_stamper(tp: Any) -> Stamp | None:
    if _is_optional(tp):
        return _stamper(_strip_none(tp))
    if _is_list(tp):
        args = get_args(tp)
        element = _stamper(args[0]) if args else None
        if element is None:
            return None

        def stamp_list(value: Any, node: Node, origin: Origin) -> None:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if item is not None:
                        element(item, (node, index), origin)

        return stamp_list
    if not _is_model(tp) or _is_request(tp):
        return None
    cls = get_origin(tp) or tp
    steps: list[tuple[LazyAttribute | None, str, str, Stamp | None]] = []
    for field in _fields(tp):
        if field.name == "extra":
            continue
        key = wire_name(cls, field.name)
        lazy = _lazy_inner(field.type)
        if lazy is not None:
            steps.append((install(cls, field.name), field.name, key, _stamper(lazy[0])))
            continue
        sub = _stamper(field.type)
        if sub is not None:
            steps.append((None, field.name, key, sub))
    if not steps:
        return None

    def stamp_model(obj: Any, node: Node, origin: Origin) -> None:
        for descriptor, name, key, sub in steps:
            if descriptor is not None:
                value = descriptor.raw(obj)
                if value.__class__ is LazyJson:
                    value.node = node
                    value.origin = origin
                    continue
            else:
                value = getattr(obj, name)
            if value is not None and sub is not None:
                sub(value, (node, key), origin)

    return stamp_model


# --------------------------------------------------------------------------- structure


def _structure(data: Any, cls: Any, origin: Origin, node: Node) -> Any:
    try:
        result = converter.structure(data, cls)
    except Exception:  # the hot path says only that it failed: ask the detailed one
        failed = True
    else:
        failed = False
    if failed:
        try:
            result = detailed_converter.structure(data, cls)
        except Exception as exc:
            errors = transform_error(exc, render_path(node))
            raise _decode_error(errors, cls, origin, data) from exc
    stamp = _stamper(cls)
    if stamp is not None:
        stamp(result, node, origin)
    return result


def _decode_lazy(value: LazyJson) -> Any:
    """Decode a :class:`LazyJson` into its type, or raise a ``ResponseDecodeError`` for it."""
    spec = value.spec
    origin = value.origin or (None, None)
    node = (value.node, spec.key)
    try:
        doc = _loads(value.raw)
    except orjson.JSONDecodeError as exc:
        errors = [f"malformed JSON in string ({exc}) @ {render_path(node)}"]
        raise _decode_error(errors, spec.tp, origin, value.raw) from exc
    hook = spec.hook
    if hook is None:
        hook = spec.hook = converter.get_structure_hook(spec.tp)
    try:
        result = hook(doc, spec.tp)
    except Exception:  # the detailed converter explains (or, after all, accepts) it
        return _structure(doc, spec.tp, origin, node)
    stamp = spec.stamp
    if stamp is _NOT_YET:
        stamp = spec.stamp = _stamper(spec.tp)
    if stamp is not None:
        stamp(result, node, origin)
    return result


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
    JSON documents inside strings are decoded later, on first access (see
    :mod:`xportcn_async.serde`), with the same kind of error.

    >>> from xportcn_async.models import AlibabaOrderPreview
    >>> structure({"sumPayment": "6400"}, AlibabaOrderPreview).sum_payment
    6400
    """
    result: T = _structure(data, cls, (endpoint, request_id), path)
    return result


def unstructure(obj: Any, unstructure_as: Any = None) -> Any:
    """Turn a model (or a list of models) into JSON-ready data with the API's field names.

    Optional fields left at ``None`` are dropped; required fields are always sent;
    ``extra`` keys are merged in; JSON documents inside strings go out as the
    string they arrived as (decoded or not).
    """
    return converter.unstructure(obj, unstructure_as=unstructure_as)
