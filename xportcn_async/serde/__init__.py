"""The cattrs converters of the SDK, its wire types and its hooks.

Every model is an attrs class; this package turns the API's JSON into models and
back without a hand-written ``from_dict`` anywhere. The rules, in one place:

* **Names.** An attribute ``order_no`` is ``orderNo`` on the wire (camelCase by
  default). A class whose wire form is snake_case sets the class attribute
  ``_wire_case = "snake"``; a field whose wire name is odd says so in its metadata:
  ``attrs.field(metadata={"json": "subOrderVOS"})``.
* **Unknown keys.** Every model derived from ``WireModel`` has an ``extra``
  mapping that receives the keys it does not know; unstructuring puts them back.
* **Wire types** (:mod:`.wire`). Annotated aliases say how a field is written on
  the wire: :data:`ChinaDateTime` (``"YYYY-MM-DD HH:MM:SS"`` in China time, a fixed
  UTC+08:00: :data:`CHINA_TZ`), :data:`UnixMs` / :data:`UnixSeconds` (decimal
  strings). **Integer Unix times** in any time field are read by magnitude: below
  :data:`EPOCH_MS_THRESHOLD` (10**11) seconds, from it up milliseconds; a time that
  lands outside 2000–2100 is a :class:`~xportcn_async.errors.ResponseDecodeError`
  naming its path. :data:`Id` (string or number on the wire, ``str`` in models),
  :data:`IntId` (a ``str`` id sent as a JSON number), :data:`Money` (integer fen,
  also accepted as ``"5245"``), :data:`DecimalValue` (an exact decimal of unknown
  unit), :data:`Scalar` (a JSON scalar kept as sent).
* **JSON in strings** (:mod:`.lazy`). ``Annotated[T, JSON_STRING]`` marks a field
  the API sends (or wants) as a JSON document inside a string. In a *response*
  model it is decoded into ``T`` lazily: structuring a page keeps the string, and
  the first read of the attribute decodes it and caches the result. So a
  malformed nested document (``createSubOrderResult``, ``subOrderResult``,
  ``option_fields.serviceList`` / ``en`` / ``zh``, a push's ``messageBody``)
  raises :class:`~xportcn_async.errors.ResponseDecodeError` **when you first read
  that attribute, not when the page arrives**; the error names the field's JSON
  path (``$.data[3].subOrderVOS[0].createSubOrderResult``), the request id and the
  endpoint of the response it came from. Comparing, ``repr``, ``attrs.evolve`` and
  pickling read the attribute, so they decode too; :func:`unstructure` does not:
  it writes back the string as it arrived. Request models encode such fields to
  a compact JSON string on the way out and decode them eagerly.
* **Empty values.** ``null`` and ``""`` both become ``None`` for optional fields
  of responses (request models keep ``""`` as given).
* **Enums.** A field typed ``SomeEnum | int`` (or ``| str``) becomes the enum
  member when the value is known and keeps the raw value otherwise.

The hooks are generated once per class (``cattrs.gen.make_dict_structure_fn`` with
renames) by :func:`make_converter`, which builds both converters
(:mod:`.converter`): :func:`structure` runs the one with
``detailed_validation=False`` and, only when it raises, structures the payload
again with the ``detailed_validation=True`` one to report every failing field.
"""

from __future__ import annotations

from .converter import (
    converter,
    detailed_converter,
    make_converter,
    register_hooks,
    structure,
    transform_error,
    unstructure,
    wire_name,
)
from .lazy import LazyJson, is_decoded, raw_value
from .wire import (
    CHINA_TZ,
    EPOCH_MS_THRESHOLD,
    JSON_STRING,
    ChinaDateTime,
    DecimalValue,
    Id,
    IntId,
    JsonString,
    Money,
    Scalar,
    UnixMs,
    UnixSeconds,
    WireType,
    fen_to_yuan,
    format_china_datetime,
)

__all__ = [
    "CHINA_TZ",
    "EPOCH_MS_THRESHOLD",
    "JSON_STRING",
    "ChinaDateTime",
    "DecimalValue",
    "Id",
    "IntId",
    "JsonString",
    "LazyJson",
    "Money",
    "Scalar",
    "UnixMs",
    "UnixSeconds",
    "WireType",
    "converter",
    "detailed_converter",
    "fen_to_yuan",
    "format_china_datetime",
    "is_decoded",
    "make_converter",
    "raw_value",
    "register_hooks",
    "structure",
    "transform_error",
    "unstructure",
    "wire_name",
]
