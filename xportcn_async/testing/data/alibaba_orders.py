"""Seeded 1688 orders: statuses, id schemes, skeletons and the TradeInfo document.

An :class:`AlibabaOrderRecord` is the skeleton generated for every order at start-up
(:func:`alibaba_skeletons`); :func:`alibaba_order_doc` builds the TradeInfo that
``alibaba.orders.list`` / ``detail`` return, from the order's private RNG.
"""

from __future__ import annotations

import random
from typing import Any

import orjson

from ._base import (
    _capped,
    _choice,
    _digits,
    _randint,
    _sample,
    china_time,
    order_seed,
    spread_times,
)
from .address import Address
from .alibaba_products import Offer, OfferSku
from .catalogue import Catalogue

__all__ = [
    "ALIBABA_SHIPPED",
    "ALIBABA_STATUSES",
    "ALIBABA_UNPAID",
    "ALI_ID_BASE",
    "ALI_ID_SUFFIX",
    "ALI_OUT_BASE",
    "AlibabaLine",
    "AlibabaOrderRecord",
    "alibaba_index_of",
    "alibaba_index_of_out_id",
    "alibaba_order_doc",
    "alibaba_skeletons",
    "pick_alibaba_lines",
]


#: 1688 order statuses (spec §4.4) with their share of generated orders.
ALIBABA_STATUSES: dict[str, int] = {
    "waitbuyerpay": 8,
    "waitsellersend": 15,
    "waitlogisticstakein": 3,
    "waitbuyerreceive": 15,
    "waitbuyersign": 3,
    "signinsuccess": 5,
    "confirm_goods": 3,
    "success": 35,
    "cancel": 10,
    "terminated": 3,
}
ALIBABA_UNPAID = frozenset({"waitbuyerpay", "cancel"})
ALIBABA_SHIPPED = frozenset(
    {"waitbuyerreceive", "waitbuyersign", "signinsuccess", "confirm_goods", "success"}
)


# Id schemes that can be inverted without an index (see OrderBook lookups in state.py).
ALI_ID_BASE = 2887400000000000000
ALI_ID_SUFFIX = 134260  # 1688 order ids end with the buyer's member digits
ALI_OUT_BASE = 205500000000


AlibabaLine = tuple[Offer, OfferSku, int]


class AlibabaOrderRecord:
    """One 1688 order (TradeInfo): skeleton fields plus the cached document."""

    __slots__ = (
        "doc",
        "flow",
        "frag",
        "index",
        "lines",
        "logistics",
        "message",
        "modify_ts",
        "out_order_id",
        "pay_ts",
        "receiver",
        "refund_status",
        "refunds",
        "ship_ts",
        "status",
        "ts",
    )

    def __init__(self, index: int, ts: int, status: str) -> None:
        self.index = index
        self.ts = ts
        self.status = status
        self.pay_ts: int | None = None
        self.ship_ts: int | None = None
        self.modify_ts: int | None = None
        self.lines: tuple[AlibabaLine, ...] | None = None
        self.receiver: Address | dict[str, Any] | None = None
        self.out_order_id: str | None = None if index % 5 == 4 else str(ALI_OUT_BASE + index * 7)
        self.flow = "general"
        self.message: str | None = None
        self.refund_status: str | None = None
        self.refunds: dict[int, str] = {}  # subItemID -> item refund status
        self.logistics: list[dict[str, Any]] | None = None
        self.doc: dict[str, Any] | None = None
        self.frag: orjson.Fragment | None = None

    @property
    def key(self) -> tuple[int, int]:
        """Sort key: creation time, then id."""
        return (self.ts, self.index)

    @property
    def order_id(self) -> int:
        """``baseInfo.id``: a 19-digit number ending in the buyer's member digits."""
        return ALI_ID_BASE + self.index * 1_000_000 + ALI_ID_SUFFIX

    @property
    def order_no(self) -> str:
        """Xportcn's own order number for this 1688 order (used in messages)."""
        return "PO" + china_time(self.ts)[:10].replace("-", "") + f"{self.index:06d}"

    def touch(self) -> None:
        """Drop the cached document after a change."""
        self.doc = None
        self.frag = None


def alibaba_index_of(order_id: object) -> int | None:
    """Invert :attr:`AlibabaOrderRecord.order_id` (None when it cannot be ours)."""
    try:
        rest = int(str(order_id).strip()) - ALI_ID_BASE - ALI_ID_SUFFIX
    except ValueError:
        return None
    if rest < 0 or rest % 1_000_000:
        return None
    return rest // 1_000_000


def alibaba_index_of_out_id(out_order_id: str) -> int | None:
    """Invert the generated ``outOrderId`` scheme (None when it is not a generated one)."""
    if not out_order_id.isdigit():
        return None
    rest = int(out_order_id) - ALI_OUT_BASE
    if rest < 0 or rest % 7:
        return None
    return rest // 7


def alibaba_skeletons(seed: int, n: int, start: int, end: int) -> list[AlibabaOrderRecord]:
    """``n`` 1688 order skeletons, oldest first, covering every status."""
    rng = random.Random(f"{seed}/alibaba-orders")
    times = spread_times(rng, n, start, end)
    names = list(ALIBABA_STATUSES)
    statuses = rng.choices(names, weights=list(ALIBABA_STATUSES.values()), k=n)
    records = [
        AlibabaOrderRecord(i, ts, st)
        for i, (ts, st) in enumerate(zip(times, statuses, strict=True))
    ]
    for pos, status in zip(rng.sample(range(n), k=min(n, len(names))), names, strict=False):
        records[pos].status = status
    return records


def pick_alibaba_lines(rng: random.Random, cat: Catalogue) -> tuple[AlibabaLine, ...]:
    """One to three lines from one seller."""
    seller = _choice(rng, cat.sellers)
    offers = cat.offers_by_seller.get(seller.member_id) or cat.offers[:1]
    lines = []
    for offer in _sample(rng, offers, k=min(len(offers), _choice(rng, (1, 1, 2, 3)))):
        qty = offer.min_order_quantity * _choice(rng, (1, 2, 2, 5, 10))
        lines.append((offer, _choice(rng, offer.skus), qty))
    return tuple(lines)


def alibaba_order_doc(
    seed: int, rec: AlibabaOrderRecord, cat: Catalogue, *, now: int | None = None
) -> dict[str, Any]:
    """The TradeInfo of one 1688 order as list/detail return it (times never pass ``now``)."""
    cap = max(rec.ts, now) if now is not None else None
    rng = random.Random(order_seed(seed, 2, rec.index))
    lines = rec.lines if rec.lines is not None else pick_alibaba_lines(rng, cat)
    status = rec.status
    receiver = rec.receiver if rec.receiver is not None else _choice(rng, cat.addresses)
    pay_ts = rec.pay_ts
    if pay_ts is None and status not in ALIBABA_UNPAID:
        pay_ts = _capped(rec.ts + _randint(rng, 30, 7200), cap)
    ship_ts = rec.ship_ts
    if ship_ts is None and status in ALIBABA_SHIPPED and pay_ts is not None:
        ship_ts = _capped(pay_ts + _randint(rng, 3600, 3 * 86400), cap)
    order_id = rec.order_id
    items = []
    product_total = 0
    shipping = max((offer.carriage for offer, _, _ in lines), default=0)
    for k, (offer, sku, qty) in enumerate(lines):
        amount = sku.price * qty
        product_total += amount
        sub_id = order_id + 1 + k  # numerically close, like the real ones
        items.append(
            {
                "productID": offer.offer_id,
                "skuID": sku.sku_id,
                "specId": sku.spec_id,
                "name": offer.subject,
                "price": sku.price,
                "quantity": qty,
                "itemAmount": amount,
                "subItemID": sub_id,
                "subItemIDString": str(sub_id),
                "status": status,
                "refundStatus": rec.refunds.get(sub_id),
                "productImgUrl": [offer.images[0]],
                "skuInfos": [{"name": p.prop_name, "value": p.value_name} for p in sku.attributes],
                "unit": offer.unit,
            }
        )
    receiver_info: dict[str, Any]
    native: dict[str, Any]
    if isinstance(receiver, Address):
        receiver_info = {
            "toFullName": receiver.name,
            "toMobile": receiver.mobile,
            "toPhone": "",
            "toPost": receiver.post_code,
            "toArea": f"{receiver.province} {receiver.city} {receiver.district} {receiver.address}",
            "toDivisionCode": receiver.division_code,
            "toTownCode": "",
        }
        native = {
            "address": receiver.address,
            "area": receiver.district,
            "areaCode": receiver.division_code,
            "city": receiver.city,
            "contactPerson": receiver.name,
            "mobile": receiver.mobile,
            "province": receiver.province,
            "telephone": "",
            "zip": receiver.post_code,
            "town": receiver.town,
            "townCode": "",
        }
    else:
        receiver_info = {
            "toFullName": receiver.get("fullName"),
            "toMobile": receiver.get("mobile"),
            "toPhone": receiver.get("phone") or "",
            "toPost": receiver.get("postCode"),
            "toArea": " ".join(
                str(receiver.get(f) or "")
                for f in ("provinceText", "cityText", "areaText", "townText", "address")
            ).strip(),
            "toDivisionCode": receiver.get("districtCode"),
            "toTownCode": "",
        }
        native = {
            "address": receiver.get("address"),
            "area": receiver.get("areaText"),
            "areaCode": receiver.get("districtCode"),
            "city": receiver.get("cityText"),
            "contactPerson": receiver.get("fullName"),
            "mobile": receiver.get("mobile"),
            "province": receiver.get("provinceText"),
            "telephone": receiver.get("phone") or "",
            "zip": receiver.get("postCode"),
            "town": receiver.get("townText"),
            "townCode": "",
        }
    logistics = rec.logistics
    if logistics is None:
        logistics = []
        if ship_ts is not None:
            company = _choice(rng, cat.logistics_companies)
            logistics.append(
                {
                    "logisticsCode": "BX" + _digits(rng, 12),
                    "logisticsCompanyName": company["companyName"],
                    "logisticsCompanyNo": company["companyNo"],
                    "logisticsBillNo": company["companyNo"] + _digits(rng, 13),
                    "deliveredTime": china_time(ship_ts),
                    "status": "alreadysend",
                    "subItemIds": ",".join(str(i["subItemID"]) for i in items),
                }
            )
    native["logisticsItems"] = logistics
    seller = lines[0][0].seller if lines else cat.sellers[0]
    modify_ts = rec.modify_ts or ship_ts or pay_ts or rec.ts
    complete = status in ("success", "cancel", "terminated")
    return {
        "baseInfo": {
            "id": order_id,
            "idOfStr": str(order_id),
            "businessType": "cn",
            "buyerID": "b2b-22142732634870c5e1",
            "sellerID": seller.member_id,
            "sellerLoginId": seller.login_id,
            "sellerOpenId": seller.open_uid,
            "status": status,
            "tradeType": "50060",
            "flow": rec.flow,
            "createTime": china_time(rec.ts),
            "modifyTime": china_time(modify_ts),
            "payTime": china_time(pay_ts) if pay_ts is not None else None,
            "allDeliveredTime": china_time(ship_ts) if ship_ts is not None else None,
            "completeTime": china_time(modify_ts) if complete else None,
            "totalAmount": product_total + shipping,
            "sumProductPayment": product_total,
            "shippingFee": shipping,
            "discount": 0,
            "refund": 0,
            "refundStatus": rec.refund_status,
            "outOrderId": rec.out_order_id or "",
            "buyerMemo": rec.message,
            "receiverInfo": receiver_info,
        },
        "productItems": items,
        "nativeLogistics": native,
    }
