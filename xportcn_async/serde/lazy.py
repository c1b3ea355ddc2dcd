"""JSON documents inside string fields of responses, decoded on first access.

A response field typed ``Annotated[T, JSON_STRING]`` (``createSubOrderResult``,
``subOrderResult``, their ``option_fields.serviceList`` / ``en`` / ``zh``, a push's
``messageBody``) arrives as a string holding a JSON document. Structuring a page
does not decode it: the model's slot holds a :class:`LazyJson` (the string as
sent, plus where it came from), and the class attribute of that field is a
:class:`LazyAttribute` descriptor that decodes the string into ``T`` the first
time the attribute is read and caches the result in the :class:`LazyJson`.

What a user sees: ``sub.sub_order_result.title`` works as before, but a
malformed nested document raises
:class:`~xportcn_async.errors.ResponseDecodeError` when that attribute is first
read — naming its JSON path (``$.data[3].subOrderVOS[0].subOrderResult``), the
request id and the endpoint of the response — not when the page arrives.
Equality, ``repr``, ``attrs.evolve`` / ``attrs.asdict`` and pickling read the
attribute, so they decode too. Unstructuring does not: it writes the original
string back.

Nothing here knows about cattrs: the converter (``converter.py``) creates the
:class:`LazyJson` values, installs the descriptors and supplies the decoding
function of each field (:class:`LazySpec`).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, Final

__all__ = ["LazyAttribute", "LazyJson", "LazySpec", "install", "is_decoded", "raw_value"]

#: The value of a :class:`LazyJson` that has not been decoded yet.
_PENDING: Final[Any] = object()

#: Where a model sits in a response: the root path (``"$"``) or ``(parent, key_or_index)``.
Node = Any
#: ``(endpoint, request_id)`` of the response a value came from.
Origin = tuple[str | None, str | None]


class LazySpec:
    """What one lazy field is: its JSON key, its decoded type and how to decode it."""

    __slots__ = ("decode", "hook", "key", "stamp", "tp")

    def __init__(self, key: str, tp: Any, decode: Callable[[LazyJson], Any]) -> None:
        self.key = key
        self.tp = tp
        self.decode = decode
        #: Caches for ``decode`` (the structure hook of ``tp``, its stamp function).
        self.hook: Any = None
        self.stamp: Any = _PENDING


class LazyJson:
    """A JSON document in a string, as sent, decoded into the field's type on first use.

    ``raw`` is the string as it arrived; ``node`` / ``origin`` (filled in by
    ``serde.structure``) say where it sits in which response, for error messages.
    """

    __slots__ = ("node", "origin", "raw", "spec", "value")

    def __init__(self, raw: str, spec: LazySpec) -> None:
        self.raw = raw
        self.spec = spec
        self.value: Any = _PENDING
        self.node: Node = None
        self.origin: Origin | None = None

    def get(self) -> Any:
        """The decoded value (decoded now if it was not yet, then cached)."""
        value = self.value
        if value is _PENDING:
            value = self.spec.decode(self)
            self.value = value
        return value

    @property
    def decoded(self) -> bool:
        """True once the document has been decoded."""
        return self.value is not _PENDING

    @property
    def path(self) -> str:
        """The JSON path of this string in its response (``$.data[0].subOrderVOS[1].x``)."""
        return render_path((self.node, self.spec.key))

    def __repr__(self) -> str:
        state = "decoded" if self.decoded else "pending"
        return f"LazyJson({self.raw[:40]!r}, {state})"


def render_path(node: Node) -> str:
    """``(("$", "data"), 3)`` → ``"$.data[3]"``."""
    parts: list[str] = []
    while node.__class__ is tuple:
        node, segment = node
        parts.append(f"[{segment}]" if segment.__class__ is int else f".{segment}")
    root = node if isinstance(node, str) else "$"
    return root + "".join(reversed(parts))


class LazyAttribute:
    """The class attribute of a lazy field: decodes a :class:`LazyJson` slot value on read.

    It wraps the slot's own descriptor (or the instance ``__dict__`` of a class
    without slots): writes go there unchanged, so the attrs ``__init__`` (and
    ``attrs.evolve``) work as before; reads unwrap a :class:`LazyJson`.
    """

    __slots__ = ("member", "name")

    def __init__(self, member: Any, name: str) -> None:
        self.member = member
        self.name = name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        member = self.member
        value = member.__get__(obj, owner) if member is not None else self.raw(obj)
        if value.__class__ is LazyJson:
            decoded = value.value
            return value.get() if decoded is _PENDING else decoded
        return value

    def raw(self, obj: Any) -> Any:
        """The stored value: a :class:`LazyJson`, None, or a value given by the caller."""
        if self.member is None:
            try:
                return obj.__dict__[self.name]
            except KeyError:
                raise AttributeError(self.name) from None
        return self.member.__get__(obj, type(obj))

    def __set__(self, obj: Any, value: Any) -> None:
        if self.member is None:
            obj.__dict__[self.name] = value
        else:
            self.member.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        if self.member is None:
            obj.__dict__.pop(self.name, None)
        else:
            self.member.__delete__(obj)


def install(cls: type, name: str) -> LazyAttribute:
    """Make attribute ``name`` of attrs class ``cls`` lazy (idempotent); return its descriptor."""
    for klass in cls.__mro__:
        current = klass.__dict__.get(name)
        if isinstance(current, LazyAttribute):
            return current
        if isinstance(current, types.MemberDescriptorType):
            descriptor = LazyAttribute(current, name)
            setattr(klass, name, descriptor)
            return descriptor
    descriptor = LazyAttribute(None, name)  # a class without slots: the value is in __dict__
    setattr(cls, name, descriptor)
    return descriptor


def raw_value(obj: Any, name: str) -> Any:
    """What attribute ``name`` of ``obj`` holds, without decoding (a :class:`LazyJson`…)."""
    descriptor = getattr(type(obj), name, None)
    if isinstance(descriptor, LazyAttribute):
        return descriptor.raw(obj)
    return getattr(obj, name)


def is_decoded(obj: Any, name: str) -> bool:
    """False while attribute ``name`` of ``obj`` is a JSON string not decoded yet."""
    value = raw_value(obj, name)
    return not (value.__class__ is LazyJson and not value.decoded)
