"""Turning typed orders into stored records, per platform."""

from __future__ import annotations

import enum
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import orjson

from ..models.alibaba import AlibabaOrder
from ..models.taobao import TaobaoOrder
from ..serde import unstructure
from .store import OrderRecord, SubOrderRecord

__all__ = ["FINAL_STATUSES", "PLATFORMS", "alibaba_record", "taobao_record"]

#: Statuses after which an order no longer changes (used by ``refresh_open``).
FINAL_STATUSES: dict[str, tuple[Any, ...]] = {
    "taobao": (3, 4),  # finance refused, closed / cancelled
    "alibaba": ("success", "cancel", "terminated"),
}


def _raw(value: Any) -> Any:
    """The API's own value of an enum (a plain int or str); other values as they are."""
    return value.value if isinstance(value, enum.Enum) else value


def _dumps(obj: Any) -> str:
    return orjson.dumps(unstructure(obj), option=orjson.OPT_SORT_KEYS).decode()


def taobao_record(order: TaobaoOrder) -> OrderRecord:
    """A Taobao purchase order as a stored record (amount in fen, the full JSON kept)."""
    subs = [
        SubOrderRecord(
            id=sub.id,
            status=sub.sub_order_status,
            refund_status=_raw(sub.refund_status),
            title=sub.sub_order_result.title if sub.sub_order_result is not None else None,
            raw_json=_dumps(sub),
        )
        for sub in order.sub_orders
    ]
    return OrderRecord(
        platform="taobao",
        id=order.id,
        order_no=order.order_no,
        status=_raw(order.status),
        amount_fen=order.purchase_amount,
        create_time=order.create_time,
        pay_time=order.pay_time,
        raw_json=_dumps(order),
        sub_orders=subs,
    )


def _fen(yuan: Decimal | None) -> int | None:
    return None if yuan is None else int((yuan * 100).to_integral_value())


def alibaba_record(order: AlibabaOrder) -> OrderRecord:
    """A 1688 order (TradeInfo) as a stored record; 1688 amounts (yuan) become fen."""
    base = order.base_info
    if base is None or base.id is None:
        raise ValueError("a 1688 order without baseInfo.id cannot be stored")
    subs = [
        SubOrderRecord(
            id=str(item.sub_item_id or item.sku_id or index),
            status=item.status,
            refund_status=item.refund_status,
            title=item.name,
            raw_json=_dumps(item),
        )
        for index, item in enumerate(order.product_items)
    ]
    return OrderRecord(
        platform="alibaba",
        id=base.id,
        order_no=base.out_order_id,
        status=_raw(base.status),
        amount_fen=_fen(base.total_amount),
        create_time=base.create_time,
        pay_time=base.pay_time,
        raw_json=_dumps(order),
        sub_orders=subs,
    )


#: platform → (resource path on the client, record builder)
PLATFORMS: dict[str, Callable[[Any], OrderRecord]] = {
    "taobao": taobao_record,
    "alibaba": alibaba_record,
}
