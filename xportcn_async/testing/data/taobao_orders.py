"""Seeded Taobao purchase orders: statuses, id schemes, skeletons and the JSON document.

A :class:`TaobaoOrderRecord` is the cheap skeleton generated for every order at
start-up (:func:`taobao_skeletons`); :func:`taobao_order_doc` builds the order as
``/open/purchase/page`` returns it, from the order's private RNG.
"""

from __future__ import annotations

import random
from typing import Any

import orjson

from ._base import (
    SNOWFLAKE_MASK,
    _capped,
    _choice,
    _digits,
    _json,
    _randint,
    _sample,
    china_time,
    order_seed,
    snowflake,
    spread_times,
)
from .catalogue import Catalogue
from .taobao_products import TaobaoProduct, TaobaoSku

__all__ = [
    "REFUND_STATUSES",
    "TAOBAO_STATUSES",
    "TB_ID_BASE",
    "TB_PURCHASE_BASE",
    "TaobaoLine",
    "TaobaoOrderRecord",
    "pick_taobao_lines",
    "taobao_index_of_order_no",
    "taobao_index_of_purchase_id",
    "taobao_order_doc",
    "taobao_skeletons",
]


#: Taobao order ``status`` codes (spec §4.1) and the raw Taobao status string each shows.
TAOBAO_STATUSES: dict[int, str] = {
    12: "BULIDING",
    0: "WAIT_BUYER_P",
    1: "WAIT_BUYER_P",
    2: "WAIT_BUYER_P",
    3: "WAIT_BUYER_P",
    5: "WAIT_BUYER_P",
    10: "WAIT_SELLER_SEND_GOODS",
    11: "WAIT_BUYER_CONFIRM_GOODS",
    4: "TRADE_CLOSED",
    9: "TRADE_FINISHED",
}
_TAOBAO_WEIGHTS: dict[int, int] = {
    12: 2,
    0: 10,
    1: 4,
    2: 3,
    3: 1,
    5: 2,
    10: 18,
    11: 30,
    4: 12,
    9: 18,
}
_TAOBAO_PAID = frozenset({1, 2, 3, 5, 9, 10, 11})
#: Sub-order ``refundStatus`` codes (spec §4.1).
REFUND_STATUSES: tuple[int, ...] = (0, 10, 20, 30, 100, -10, -20)


# Id schemes that can be inverted without an index (see OrderBook lookups in state.py).
TB_ID_BASE = 230000
TB_PURCHASE_BASE = 200100000005


TaobaoLine = tuple[TaobaoProduct, TaobaoSku, int]


class TaobaoOrderRecord:
    """One Taobao purchase order: the skeleton plus its cached JSON document.

    The document is a pure function of the fields below; mutating a field must
    go through :meth:`touch` so the cache is rebuilt.
    """

    __slots__ = (
        "doc",
        "frag",
        "index",
        "lines",
        "outer_id",
        "pay_ts",
        "receiver",
        "refund_hint",
        "remark",
        "status",
        "ts",
    )

    def __init__(self, index: int, ts: int, status: int) -> None:
        self.index = index
        self.ts = ts
        self.status = status
        self.pay_ts: int | None = None
        self.lines: tuple[TaobaoLine, ...] | None = None  # None: drawn from the order's seed
        self.receiver: dict[str, Any] | None = None
        self.refund_hint: int | None = None
        self.remark: str | None = None
        #: The caller's ``sellerOrderNumber`` of a created order. Kept for the emulator's
        #: idempotency and for tests; not published (``purchaseOrderOuterId`` is Taobao's
        #: own main order number, spec §4.1) unless the emulator echoes it on purpose.
        self.outer_id: str | None = None
        self.doc: dict[str, Any] | None = None
        self.frag: orjson.Fragment | None = None

    @property
    def key(self) -> tuple[int, int]:
        """Sort key: creation time, then id."""
        return (self.ts, self.index)

    @property
    def order_id(self) -> str:
        """The ``id`` field."""
        return str(TB_ID_BASE + self.index)

    @property
    def purchase_id(self) -> int:
        """The ``purchaseId`` field (Taobao main purchase order id)."""
        return TB_PURCHASE_BASE + self.index * 10

    @property
    def order_no(self) -> str:
        """The ``orderNo`` field: a snowflake of the creation time and the index."""
        return str(snowflake(self.ts * 1000 + (self.index * 7919) % 1000, self.index))

    def touch(self) -> None:
        """Drop the cached document after a change."""
        self.doc = None
        self.frag = None


def taobao_index_of_order_no(order_no: object) -> int | None:
    """The index hidden in an ``orderNo`` (the caller checks that the order matches)."""
    try:
        value = int(str(order_no).strip())
    except ValueError:
        return None
    return value & SNOWFLAKE_MASK if value > 0 else None


def taobao_index_of_purchase_id(purchase_id: object) -> int | None:
    """Invert :attr:`TaobaoOrderRecord.purchase_id`."""
    try:
        rest = int(str(purchase_id).strip()) - TB_PURCHASE_BASE
    except ValueError:
        return None
    if rest < 0 or rest % 10:
        return None
    return rest // 10


def taobao_skeletons(seed: int, n: int, start: int, end: int) -> list[TaobaoOrderRecord]:
    """``n`` Taobao order skeletons, oldest first, covering every status and refund status."""
    rng = random.Random(f"{seed}/taobao-orders")
    times = spread_times(rng, n, start, end)
    codes = list(_TAOBAO_WEIGHTS)
    statuses = rng.choices(codes, weights=list(_TAOBAO_WEIGHTS.values()), k=n)
    records = [
        TaobaoOrderRecord(i, ts, st) for i, (ts, st) in enumerate(zip(times, statuses, strict=True))
    ]
    # Every status and every refund status appears at least once (when n allows).
    forced = rng.sample(range(n), k=min(n, len(codes) + len(REFUND_STATUSES) - 1))
    for pos, status in zip(forced, codes, strict=False):
        records[pos].status = status
    for pos, refund in zip(forced[len(codes) :], REFUND_STATUSES[1:], strict=False):
        records[pos].status = 11
        records[pos].refund_hint = refund
    return records


def pick_taobao_lines(rng: random.Random, cat: Catalogue) -> tuple[TaobaoLine, ...]:
    """One to three lines from a single shop (one purchase order = one supplier)."""
    shop = _choice(rng, cat.shops)
    products = cat.products_by_shop[shop.shop_id]
    lines = []
    for product in _sample(rng, products, k=min(len(products), _choice(rng, (1, 1, 1, 2, 2, 3)))):
        lines.append((product, _choice(rng, product.skus), _choice(rng, (1, 1, 1, 2, 2, 3))))
    return tuple(lines)


def _warehouse(rng: random.Random, cat: Catalogue) -> dict[str, Any]:
    a = _choice(rng, cat.addresses)
    return {
        "state": a.province,
        "zip": a.post_code if rng.random() < 0.5 else None,
        "country": "中国",
        "address": f"{a.province}{a.city}{a.district}{a.address}",
        "phone": a.mobile,
        "city": a.city,
        "district": a.district if rng.random() < 0.5 else None,
        "name": a.name,
        "mobilePhone": None,
        "mobile_phone": None,
        "taxId": None,
    }


def taobao_order_doc(
    seed: int,
    rec: TaobaoOrderRecord,
    cat: Catalogue,
    *,
    user_id: str,
    user_name: str,
    now: int | None = None,
) -> dict[str, Any]:
    """The order exactly as ``/open/purchase/page`` returns it (fixture key order).

    Generated times (payment) never pass ``now``, the end of the data's time range.
    """
    cap = max(rec.ts, now) if now is not None else None
    rng = random.Random(order_seed(seed, 1, rec.index))
    lines = rec.lines if rec.lines is not None else pick_taobao_lines(rng, cat)
    status = rec.status
    raw = TAOBAO_STATUSES.get(status, "OTHER")
    paid = status in _TAOBAO_PAID or (status == 4 and rng.random() < 0.3)
    pay_ts = rec.pay_ts
    if pay_ts is None and paid:
        pay_ts = _capped(rec.ts + _randint(rng, 20, 3600), cap)
    order_no = rec.order_no
    purchase_id = rec.purchase_id
    outer_id = _digits(rng, 19)  # Taobao's main order number (purchaseOrderOuterId)
    alipay_no = china_time(rec.ts)[:10].replace("-", "") + "2300" + _digits(rng, 14)
    ms = rec.ts * 1000 + (rec.index * 7919) % 1000
    subs = []
    total = 0
    for k, (product, sku, qty) in enumerate(lines):
        sub_pid = purchase_id + 1 + k
        product_amount = sku.price * qty
        amount = product_amount + sku.post_fee
        total += amount
        refund = 0
        if k == 0 and rec.refund_hint is not None:
            refund = rec.refund_hint
        elif status in (9, 10, 11) and rng.random() < 0.06:
            refund = _choice(rng, REFUND_STATUSES[1:])
        image = sku.pic_url or product.pic_url
        line_no = f"LINE{k + 1:03d}"
        create_result = {
            "quantity": qty,
            "order_line_no": line_no,
            "item_id": product.mp_id,
            "estimate_amount": amount + _choice(rng, (0, 120, 360, 720)),
            "sku_id": sku.sku_id,
            "estimate_currency": "CNY",
            "sub_purchase_order_id": sub_pid,
        }
        result = {
            "purchase_order_outer_id": outer_id,
            "purchase_order_line_outer_id": outer_id if k == 0 else _digits(rng, 19),
            "close_time_without_payment": str((rec.ts + 3 * 86400) * 1000),
            "product_amount": str(product_amount),
            "quantity": qty,
            "title": product.title,
            "purchase_currency": "CNY",
            "purchase_amount": amount,
            "item_id": product.mp_id,
            "domestic_post_fee": sku.post_fee,
            "pay_currency": "CNY",
            "sub_purchase_order_id": str(sub_pid),
            "sku_id": sku.sku_id,
            "sku_info": {"skuImgUrl": image},
            "status": raw,
            "alipay_pay_order_no": alipay_no,
            "option_fields": {
                "supplierNick": product.shop.nick,
                "serviceList": product.services,
                "en": sku.en_json,
                "shopName": product.shop.name,
                "shopId": product.shop.shop_id,
                "zh": sku.zh_json,
            },
            "closed": status == 4,
        }
        refund_id = "" if refund == 0 else _digits(rng, 18)
        refund_order = (
            None
            if refund == 0
            else _json({"refund_id": refund_id, "refund_status": refund, "refund_fee": amount})
        )
        subs.append(
            {
                "id": str(snowflake(ms + 6858 + k, rec.index * 4 + k)),
                "orderNo": order_no,
                "subOrderStatus": raw,
                "taobaoRefundOrder": refund_order,
                "createSubOrderResult": _json(create_result),
                "subOrderResult": _json(result),
                "taobaoPurchaseId": str(purchase_id),
                "taobaoSubPurchaseId": str(sub_pid),
                "errorCode": None,
                "errorMessage": None,
                "refundStatus": refund,
                "refundId": refund_id,
                "itemImageUrl": image,
            }
        )
    remark = rec.remark
    if remark is None and rec.lines is None and rng.random() < 0.1:
        remark = _choice(rng, ("请尽快发货", "不要放发票", "加固包装"))
    return {
        "id": rec.order_id,
        "purchaseId": purchase_id,
        "orderNo": order_no,
        "createTime": china_time(rec.ts),
        "payTime": china_time(pay_ts) if pay_ts is not None else None,
        "purchaseAmount": total,
        "warehouseAddressInfoVO": rec.receiver or _warehouse(rng, cat),
        "remark": remark,
        "subOrderVOS": subs,
        "orderLineList": None,
        "userName": user_name,
        "userId": user_id,
        "status": status,
        "orderStatusDesc": raw,
        "supplierNick": lines[0][0].shop.nick if lines else None,
        "purchaseOrderOuterId": outer_id,
    }
