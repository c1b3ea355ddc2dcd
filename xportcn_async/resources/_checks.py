"""Argument types checked against the signature, before anything is sent.

Every public method of a :class:`~xportcn_async.resources.Resource` (and
:meth:`XportcnClient.request <xportcn_async.XportcnClient.request>`) is wrapped
by :func:`checked`: each argument must fit its annotation, and the fields of a
model argument (``AddressParam``, ``CargoParam``…) must fit theirs, or the call
raises ``ValueError`` naming the argument, before a request is built. Without
it a wrong type surfaced as an ``AttributeError`` deep in serialisation, or was
sent as is (an ``int`` where the API wants a string).

Rules: ``int`` refuses ``bool``; ``float`` takes ``int``; ``Sequence[T]`` takes
any sequence but a string, and checks its items; ``Mapping[K, V]`` checks keys
and values; ``Annotated[T, …]`` is checked as ``T``; ``Any`` takes anything.
"""

from __future__ import annotations

import collections.abc
import enum
import functools
import inspect
import os
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import attrs

__all__ = ["check_value", "checked"]

F = TypeVar("F", bound=Callable[..., Any])

_SEQUENCES = (collections.abc.Sequence, list, tuple, collections.abc.Iterable)
_MAPPINGS = (collections.abc.Mapping, dict, collections.abc.MutableMapping)
_MODEL_HINTS: dict[type, dict[str, Any]] = {}


def _describe(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is Annotated:
        return _describe(tp.__origin__)
    if origin is Union or origin is types.UnionType:
        return " | ".join(_describe(a) for a in get_args(tp))
    if tp is type(None):
        return "None"
    if origin is not None:
        name = getattr(origin, "__name__", str(origin))
        return f"{name}[{', '.join(_describe(a) for a in get_args(tp))}]"
    return getattr(tp, "__name__", str(tp))


def _shown(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the real problem
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def _model_hints(cls: type) -> dict[str, Any]:
    hints = _MODEL_HINTS.get(cls)
    if hints is None:
        resolved = typing.get_type_hints(cls, include_extras=True)
        hints = {f.name: resolved.get(f.name, Any) for f in attrs.fields(cls)}
        _MODEL_HINTS[cls] = hints
    return hints


def check_value(value: Any, tp: Any, path: str) -> None:
    """Raise ``ValueError`` unless ``value`` fits the annotation ``tp`` (``path`` names it)."""
    if tp is Any or tp is object:
        return
    origin = get_origin(tp)
    if origin is Annotated:
        check_value(value, tp.__origin__, path)
        return
    if origin is Union or origin is types.UnionType:
        for arg in get_args(tp):
            try:
                check_value(value, arg, path)
            except ValueError:
                continue
            return
        raise ValueError(f"{path} must be {_describe(tp)}, got {_shown(value)}")
    if origin is Literal:
        if value not in get_args(tp):
            raise ValueError(f"{path} must be one of {get_args(tp)!r}, got {_shown(value)}")
        return
    if origin in _SEQUENCES:
        if isinstance(value, (str, bytes, bytearray)) or not isinstance(
            value, collections.abc.Sequence
        ):
            item = _describe(get_args(tp)[0]) if get_args(tp) else "items"
            raise ValueError(f"{path} must be a list of {item}, got {_shown(value)}")
        (item_type,) = get_args(tp)[:1] or (Any,)
        for index, item in enumerate(value):
            check_value(item, item_type, f"{path}[{index}]")
        return
    if origin in _MAPPINGS:
        if not isinstance(value, collections.abc.Mapping):
            raise ValueError(f"{path} must be a mapping, got {_shown(value)}")
        key_type, value_type = get_args(tp) or (Any, Any)
        for key, item in value.items():
            check_value(key, key_type, f"{path} key")
            check_value(item, value_type, f"{path}[{key!r}]")
        return
    if origin is typing.IO or tp is typing.IO:
        if not callable(getattr(value, "read", None)):
            raise ValueError(f"{path} must be a binary file object, got {_shown(value)}")
        return
    if origin is os.PathLike:
        tp = os.PathLike
    if not isinstance(tp, type):
        return  # a construct this checker does not know: let the call decide
    if tp is int and isinstance(value, bool):
        raise ValueError(f"{path} must be int, got a bool ({value!r})")
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return
    if not isinstance(value, tp):
        raise ValueError(f"{path} must be {_describe(tp)}, got {_shown(value)}")
    if attrs.has(tp) and not issubclass(tp, enum.Enum):
        for name, hint in _model_hints(type(value)).items():
            check_value(getattr(value, name), hint, f"{path}.{name}")


def _plain_types(tp: Any) -> tuple[type, ...] | None:
    """The classes of a hint made only of plain classes and None (a one-``isinstance`` check)."""
    args = get_args(tp) if get_origin(tp) in (Union, types.UnionType) else (tp,)
    if not all(isinstance(a, type) and get_origin(a) is None for a in args):
        return None
    if any(attrs.has(a) and not issubclass(a, enum.Enum) for a in args):
        return None  # models: their fields are checked too
    if (int in args or float in args) and bool not in args:
        return None  # bool is an int: let the full check refuse it
    return tuple(args)


def _compile(tp: Any, path: str) -> Callable[[Any], None] | None:
    """A checker for one parameter: a set lookup or one ``isinstance`` in the usual case."""
    if tp is Any or tp is object:
        return None
    args = get_args(tp) if get_origin(tp) in (Union, types.UnionType) else (tp,)
    # A value whose class is exactly one of the hint's plain classes always fits
    # (``bool`` is not exactly ``int``); anything else gets the full check.
    exact = frozenset(
        a for a in args if isinstance(a, type) and get_origin(a) is None and not attrs.has(a)
    )
    plain = _plain_types(tp)

    def check(value: Any) -> None:
        if value.__class__ in exact or (plain is not None and isinstance(value, plain)):
            return
        check_value(value, tp, path)

    return check


def checked(fn: F, *, owner: str | None = None) -> F:
    """Wrap ``fn`` (a function or coroutine function) so its arguments are type-checked.

    The annotations are resolved on the first call (when every module is loaded);
    a keyword argument costs a dictionary lookup and usually one ``isinstance``.
    """
    signature = inspect.signature(fn)
    where = owner or fn.__qualname__
    params = signature.parameters
    by_name: dict[str, Callable[[Any], None] | None] = {}
    ready: list[bool] = []

    def prepare() -> None:
        try:
            hints = typing.get_type_hints(fn, include_extras=True)
        except Exception:  # unresolvable annotations: nothing to check against
            hints = {}
        for name, param in params.items():
            hint = hints.get(name)
            if hint is None or param.kind is inspect.Parameter.VAR_POSITIONAL:
                continue
            by_name[name] = _compile(hint, f"{where}: {name}")
        ready.append(True)

    var_keyword = next(
        (p.name for p in params.values() if p.kind is inspect.Parameter.VAR_KEYWORD), None
    )

    def check(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if not ready:
            prepare()
        if len(args) > 1:  # positional arguments besides self: map them by name
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                return  # a wrong call: the call itself raises Python's usual TypeError
            items = dict(bound.arguments)
            if var_keyword is not None:
                items.update(items.pop(var_keyword, None) or {})
        else:
            items = kwargs
        for name, value in items.items():
            checker = by_name.get(name, by_name.get(var_keyword) if var_keyword else None)
            if checker is not None:
                checker(value)

    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            check(args, kwargs)
            return await fn(*args, **kwargs)

        return typing.cast("F", async_wrapper)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check(args, kwargs)
        return fn(*args, **kwargs)

    return typing.cast("F", wrapper)
