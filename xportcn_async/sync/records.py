"""Turning typed orders into stored records, per platform."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal, TypeVar

import orjson

from ..errors import ResponseDecodeError
from ..models.alibaba import AlibabaOrder
from ..models.taobao import TaobaoOrder, TaobaoSubOrder
from ..pagination import integrity_logger
from ..serde import LazyJson, raw_value, unstructure
from .store import OrderRecord, SubOrderRecord

__all__ = ["FINAL_STATUSES", "PLATFORMS", "alibaba_record", "taobao_record"]

#: Statuses after which an order no longer changes (used by ``refresh_open``).
FINAL_STATUSES: dict[str, tuple[Any, ...]] = {
    "taobao": (3, 4),  # finance refused, closed / cancelled
    "alibaba": ("success", "cancel", "terminated"),
}


OrderT = TypeVar("OrderT")

#: SQLite integers (and JSON tools) are signed 64-bit.
_INT64 = 2**63
#: Amounts beyond 10^16 yuan are not money, and would not fit SQLite once in fen.
_MAX_YUAN_DIGITS = 16


def _storable(build: Callable[..., OrderRecord]) -> Callable[..., OrderRecord]:
    """An order the store cannot hold raises :class:`ResponseDecodeError`, not a crash.

    The models accept what the API may send (a 30-digit number, a float amount);
    SQLite and JSON do not, so the record checks it here, naming the order.
    """

    @functools.wraps(build)
    def checked_build(order: OrderT, **options: Any) -> OrderRecord:
        try:
            record = build(order, **options)
            numbers = [record.amount_fen, record.status]
            numbers += [v for s in record.sub_orders for v in (s.status, s.refund_status)]
            for number in numbers:
                if isinstance(number, int) and not -_INT64 <= number < _INT64:
                    raise ValueError(f"{number} does not fit a 64-bit integer")
        except (ArithmeticError, TypeError, ValueError) as exc:
            order_id = getattr(order, "id", None)
            raise ResponseDecodeError(f"order {order_id!r} cannot be stored: {exc}") from exc
        return record

    return checked_build


def _raw(value: Any) -> Any:
    """The API's own value of an enum (a plain int or str); other values as they are."""
    return value.value if isinstance(value, enum.Enum) else value


def _dumps(obj: Any) -> str:
    return orjson.dumps(unstructure(obj), option=orjson.OPT_SORT_KEYS).decode()


def _json_texts(order: Any, wire: Any, subs_key: str, subs: list[Any]) -> tuple[str, list[str]]:
    """``raw_json`` of an order and of each of its sub-orders (sorted keys).

    From the wire dict when there is one (what the server sent; each sub-order is
    serialised once and embedded in the order's text as is), else by un-structuring
    the models.
    """
    wire_subs = wire.get(subs_key) if isinstance(wire, dict) else None
    if isinstance(wire, dict) and (
        (isinstance(wire_subs, list) and len(wire_subs) == len(subs))
        or (wire_subs is None and not subs)
    ):
        try:
            parts = [orjson.dumps(sub, option=orjson.OPT_SORT_KEYS) for sub in wire_subs or ()]
            doc = wire
            if wire_subs:
                doc = {**wire, subs_key: [orjson.Fragment(part) for part in parts]}
            text = orjson.dumps(doc, option=orjson.OPT_SORT_KEYS).decode()
            return text, [part.decode() for part in parts]
        except orjson.JSONEncodeError:
            pass  # not JSON orjson can write (e.g. an integer past 64 bits): the models can
    return _dumps(order), [_dumps(sub) for sub in subs]


def _sub_title(sub: TaobaoSubOrder) -> str | None:
    """``sub.sub_order_result.title`` without structuring the whole nested document.

    ``subOrderResult`` is a JSON document in a string, decoded lazily; structuring it
    only for its title was most of a record's cost. Read the title from the parsed JSON
    when it is a plain string (or absent); anything else — a malformed document, a title
    that is not a string — goes through the model, which decodes (or raises) as always.
    """
    value = raw_value(sub, "sub_order_result")
    if value.__class__ is LazyJson and not value.decoded:
        try:
            doc = orjson.loads(value.raw)
        except orjson.JSONDecodeError:
            doc = None
        if isinstance(doc, dict):
            title = doc.get("title")
            if title is None or title.__class__ is str:
                return title or None
    result = sub.sub_order_result
    return result.title if result is not None else None


@_storable
def taobao_record(order: TaobaoOrder, *, wire: Any = None) -> OrderRecord:
    """A Taobao purchase order as a stored record (amount in fen, the full JSON kept).

    ``wire``: the order as the server sent it (``Page.raw``), stored as ``raw_json``.
    """
    text, sub_texts = _json_texts(order, wire, "subOrderVOS", order.sub_orders)
    subs = [
        SubOrderRecord(
            id=sub.id,
            status=sub.sub_order_status,
            refund_status=_raw(sub.refund_status),
            title=_sub_title(sub),
            raw_json=sub_text,
        )
        for sub, sub_text in zip(order.sub_orders, sub_texts, strict=True)
    ]
    return OrderRecord(
        platform="taobao",
        id=order.id,
        order_no=order.order_no,
        status=_raw(order.status),
        amount_fen=order.purchase_amount,
        create_time=order.create_time,
        pay_time=order.pay_time,
        raw_json=text,
        sub_orders=subs,
    )


#: The unit of 1688 order amounts (``totalAmount``). INFERRED: upstream 1688 trade records send
#: yuan with decimals (``6.15``) and the KA service is seen to pass them through, so the
#: default is ``"yuan"``; the KA *preview* answers fen, which is why ``"fen"`` stays available
#: (``--alibaba-amount-unit fen``). A value with a fractional part is yuan whatever the
#: setting (no amount in fen has one); it is stored as yuan and logged once on
#: ``xportcn_async.integrity``.
AmountUnit = Literal["fen", "yuan"]


def _fen(amount: Decimal | None, unit: AmountUnit = "yuan") -> int | None:
    if amount is None:
        return None
    if unit not in ("fen", "yuan"):
        raise ValueError(f"amount_unit must be 'fen' or 'yuan', got {unit!r}")
    if not amount.is_finite() or amount.adjusted() >= _MAX_YUAN_DIGITS:
        raise ValueError(f"amount {amount} is out of range")
    if unit == "fen" and amount != amount.to_integral_value():
        _warn_fractional_fen()
        unit = "yuan"
    fen = amount * 100 if unit == "yuan" else amount
    return int(fen.to_integral_value())


@functools.cache  # once per process: one line, not one per order
def _warn_fractional_fen() -> None:
    integrity_logger.warning(
        "a 1688 amount has a fractional part although amounts are read as fen "
        "(--alibaba-amount-unit fen): such amounts are yuan and are stored as yuan; "
        "the default unit (yuan) is probably the right one for this account"
    )


@_storable
def alibaba_record(
    order: AlibabaOrder, *, wire: Any = None, amount_unit: AmountUnit = "yuan"
) -> OrderRecord:
    """A 1688 order (TradeInfo) as a stored record, its amount in fen (see :data:`AmountUnit`).

    ``wire``: the order as the server sent it (``Page.raw``), stored as ``raw_json``.
    """
    base = order.base_info
    if base is None or base.id is None:
        raise ValueError("a 1688 order without baseInfo.id cannot be stored")
    text, item_texts = _json_texts(order, wire, "productItems", order.product_items)
    subs = [
        SubOrderRecord(
            id=str(item.sub_item_id or item.sku_id or index),
            status=item.status,
            refund_status=item.refund_status,
            title=item.name,
            raw_json=item_text,
        )
        for index, (item, item_text) in enumerate(zip(order.product_items, item_texts, strict=True))
    ]
    return OrderRecord(
        platform="alibaba",
        id=base.id,
        order_no=base.out_order_id,
        status=_raw(base.status),
        amount_fen=_fen(base.total_amount, amount_unit),
        create_time=base.create_time,
        pay_time=base.pay_time,
        raw_json=text,
        sub_orders=subs,
    )


#: platform → the function turning one of its orders into a stored record
PLATFORMS: dict[str, Callable[..., OrderRecord]] = {
    "taobao": taobao_record,
    "alibaba": alibaba_record,
}
