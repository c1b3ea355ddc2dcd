"""The emulator's data store: order books, idempotency records, refunds and small registries.

Orders live in :class:`OrderBook`, a list sorted by ``(createTime, id)`` ascending,
plus one such list per status. A page "newest first" is a reversed slice taken
from the end, and a creation-time window is two :func:`bisect` calls, so a page
request costs O(log n + page size) however many orders there are. New orders
(creations, drift) are appended at the end: they are the newest.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

import attrs
import orjson

from .data import (
    ALIBABA_SHIPPED,
    ALIBABA_UNPAID,
    TB_ID_BASE,
    AlibabaLine,
    AlibabaOrderRecord,
    Catalogue,
    TaobaoLine,
    TaobaoOrderRecord,
    alibaba_index_of,
    alibaba_index_of_out_id,
    alibaba_order_doc,
    alibaba_skeletons,
    build_catalogue,
    taobao_index_of_order_no,
    taobao_index_of_purchase_id,
    taobao_order_doc,
    taobao_skeletons,
)

__all__ = ["EmulatorState", "OrderBook", "RefundRecord"]

R = TypeVar("R", TaobaoOrderRecord, AlibabaOrderRecord)


def _key(rec: TaobaoOrderRecord | AlibabaOrderRecord) -> tuple[int, int]:
    return (rec.ts, rec.index)


_YUAN_BASE_KEYS = ("totalAmount", "sumProductPayment", "shippingFee")
_YUAN_ITEM_KEYS = ("price", "itemAmount")


def _yuan(fen: Any) -> Any:
    # orjson writes the shortest float that reads back exactly: 615 -> 6.15, 6400 -> 64.0.
    return fen / 100 if isinstance(fen, int) and not isinstance(fen, bool) else fen


def alibaba_doc_in_yuan(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of a 1688 TradeInfo with its amounts in yuan, as upstream 1688 sends them
    (``discount`` stays in fen, as upstream's does)."""
    base = dict(doc["baseInfo"])
    for key in _YUAN_BASE_KEYS:
        base[key] = _yuan(base.get(key))
    items = []
    for item in doc.get("productItems") or ():
        item = dict(item)
        for key in _YUAN_ITEM_KEYS:
            item[key] = _yuan(item.get(key))
        items.append(item)
    return {**doc, "baseInfo": base, "productItems": items}


def _ts(rec: TaobaoOrderRecord | AlibabaOrderRecord) -> int:
    return rec.ts


class OrderBook(Generic[R]):
    """Orders of one platform, sorted oldest first, indexed by status and by index."""

    def __init__(self, records: list[R]) -> None:
        self.records: list[R] = records  # ascending (ts, index)
        self.by_index: list[R] = list(records)  # position == record.index
        self.by_status: dict[Hashable, list[R]] = {}
        for rec in records:
            self.by_status.setdefault(rec.status, []).append(rec)

    def __len__(self) -> int:
        return len(self.records)

    @property
    def next_index(self) -> int:
        """The index the next new order gets."""
        return len(self.by_index)

    def get(self, index: int | None) -> R | None:
        """The order with this index, or None."""
        if index is None or not 0 <= index < len(self.by_index):
            return None
        return self.by_index[index]

    def add(self, rec: R) -> None:
        """Insert a new order (normally at the end: it is the newest)."""
        assert rec.index == len(self.by_index), "indexes are dense"
        self.by_index.append(rec)
        bisect.insort(self.records, rec, key=_key)
        bisect.insort(self.by_status.setdefault(rec.status, []), rec, key=_key)

    def set_status(self, rec: R, status: Any) -> None:
        """Move an order to another status (keeps the per-status lists sorted)."""
        if rec.status == status:
            return
        old = self.by_status[rec.status]
        i = bisect.bisect_left(old, rec.key, key=_key)
        assert old[i] is rec
        del old[i]
        rec.status = status
        bisect.insort(self.by_status.setdefault(status, []), rec, key=_key)
        rec.touch()

    def page(
        self,
        *,
        status: Hashable | None,
        begin: int | None,
        end: int | None,
        offset: int,
        limit: int,
    ) -> tuple[int, list[R]]:
        """``(total, orders)``: one page, newest first, of the orders matching the filters."""
        seq = self.records if status is None else self.by_status.get(status, [])
        lo = 0 if begin is None else bisect.bisect_left(seq, begin, key=_ts)
        hi = len(seq) if end is None else bisect.bisect_right(seq, end, key=_ts)
        total = max(0, hi - lo)
        if offset >= total or limit <= 0:
            return total, []
        stop = hi - offset
        start = max(lo, stop - limit)
        return total, seq[start:stop][::-1]


@attrs.define(kw_only=True)
class RefundRecord:
    """A 1688 refund created through ``alibaba.after_sales.create_refund``."""

    refund_id: str
    order_id: int
    entry_ids: list[int]
    dispute_request: str
    apply_payment: int
    status: str = "waitselleragree"
    returned: dict[str, Any] | None = None


class EmulatorState:
    """Everything the emulator knows. Reachable as ``emu.state`` for assertions and setup.

    ``clock()`` returns the data clock in Unix seconds: new orders get it as
    ``createTime``. All orders belong to the emulator's single test user.
    """

    def __init__(
        self,
        *,
        seed: int,
        taobao_orders: int,
        alibaba_orders: int,
        now: int,
        days: float,
        clock: Callable[[], int],
        user_id: str,
        user_name: str = "sifu:ap1",
    ) -> None:
        self.seed = seed
        self.now_anchor = now
        self.clock = clock
        self.user_id = user_id
        self.user_name = user_name
        #: When set, a created Taobao order's listed document carries the caller's seller
        #: order number under this key (no such echo is known of the real service).
        self.taobao_echo_key: str | None = None
        #: Unit of the amounts in 1688 order list/detail answers (``"yuan"`` or ``"fen"``);
        #: the documents themselves keep integer fen.
        self.alibaba_amount_unit: str = "yuan"
        self.catalogue: Catalogue = build_catalogue(seed)
        start = now - int(days * 86400)
        #: The generated orders' creation times lie in ``[data_begin, now_anchor)``.
        self.data_begin = start
        self.taobao: OrderBook[TaobaoOrderRecord] = OrderBook(
            taobao_skeletons(seed, taobao_orders, start, now)
        )
        self.alibaba: OrderBook[AlibabaOrderRecord] = OrderBook(
            alibaba_skeletons(seed, alibaba_orders, start, now)
        )
        #: Bumped on every change; page caches key on it.
        self.version = 0
        self.taobao_created: dict[str, dict[str, Any]] = {}  # sellerOrderNumber -> response
        self.alibaba_created: dict[str, dict[str, Any]] = {}  # outOrderId -> response
        self.alibaba_out_ids: dict[str, AlibabaOrderRecord] = {}
        self.refunds: dict[str, RefundRecord] = {}
        self.vouchers: list[dict[str, Any]] = []
        self.addresses: dict[int, dict[str, Any]] = {}
        self.freight_renders: dict[str, dict[str, Any]] = {}
        self.logistics_orders: dict[str, dict[str, Any]] = {}
        self.packages: list[dict[str, Any]] = []
        self.pool_tasks: dict[str, tuple[int, ...]] = {}
        self._ids = random.Random(f"{seed}/ids")
        self._seq = 0

    # ----------------------------------------------------------------- helpers

    def next_seq(self) -> int:
        """A growing counter for ids the emulator hands out (refund ids, render ids…)."""
        self._seq += 1
        return self._seq

    def random_digits(self, n: int) -> str:
        """Deterministic digits for new ids."""
        return str(self._ids.randrange(10 ** (n - 1), 10**n))

    def changed(self) -> None:
        """Record a change (invalidates cached pages)."""
        self.version += 1

    # ----------------------------------------------------------------- Taobao orders

    def taobao_doc(self, rec: TaobaoOrderRecord) -> dict[str, Any]:
        """The JSON document of a Taobao order (built once, then cached)."""
        if rec.doc is None:
            rec.doc = taobao_order_doc(
                self.seed,
                rec,
                self.catalogue,
                user_id=self.user_id,
                user_name=self.user_name,
                now=self.now_anchor,
            )
            if self.taobao_echo_key and rec.outer_id is not None:
                rec.doc[self.taobao_echo_key] = rec.outer_id
        return rec.doc

    def taobao_fragment(self, rec: TaobaoOrderRecord) -> orjson.Fragment:
        """The serialized order, cached so pages are cheap to serve again."""
        if rec.frag is None:
            rec.frag = orjson.Fragment(orjson.dumps(self.taobao_doc(rec)))
        return rec.frag

    def find_taobao(self, order: object) -> TaobaoOrderRecord | None:
        """Find a Taobao order by ``id``, ``orderNo`` or ``purchaseId``."""
        text = str(order).strip()
        if text.isdigit():
            value = int(text)
            if 0 <= value - TB_ID_BASE < len(self.taobao.by_index):
                return self.taobao.by_index[value - TB_ID_BASE]
        rec = self.taobao_by_order_no(text)
        return rec if rec is not None else self.taobao_by_purchase_id(text)

    def taobao_by_order_no(self, order_no: object) -> TaobaoOrderRecord | None:
        """The Taobao order with this ``orderNo``."""
        rec = self.taobao.get(taobao_index_of_order_no(order_no))
        return rec if rec is not None and rec.order_no == str(order_no).strip() else None

    def taobao_by_purchase_id(self, purchase_id: object) -> TaobaoOrderRecord | None:
        """The Taobao order with this ``purchaseId``."""
        return self.taobao.get(taobao_index_of_purchase_id(purchase_id))

    def add_taobao_order(
        self,
        *,
        status: int = 0,
        lines: tuple[TaobaoLine, ...] | None = None,
        receiver: dict[str, Any] | None = None,
        remark: str | None = None,
        ts: int | None = None,
        outer_id: str | None = None,
    ) -> TaobaoOrderRecord:
        """Insert a new Taobao order at the top of the list (``createTime`` = now).

        ``outer_id`` is the caller's seller order number: remembered, not published
        (unless :attr:`taobao_echo_key` names a key to echo it under).
        """
        rec = TaobaoOrderRecord(self.taobao.next_index, self.clock() if ts is None else ts, status)
        rec.lines = lines
        rec.receiver = receiver
        rec.remark = remark
        rec.outer_id = outer_id
        self.taobao.add(rec)
        self.changed()
        return rec

    def set_taobao_status(self, order: object, status: int) -> TaobaoOrderRecord:
        """Change a Taobao order's status (by id, orderNo or purchaseId)."""
        rec = self.find_taobao(order)
        if rec is None:
            raise KeyError(order)
        if rec.status in (0, 12) and status in (1, 2, 3, 5, 9, 10, 11):
            rec.pay_ts = self.clock()
        self.taobao.set_status(rec, status)
        rec.touch()
        self.changed()
        return rec

    # ----------------------------------------------------------------- 1688 orders

    def alibaba_doc(self, rec: AlibabaOrderRecord) -> dict[str, Any]:
        """The TradeInfo document of a 1688 order (built once, then cached)."""
        if rec.doc is None:
            rec.doc = alibaba_order_doc(self.seed, rec, self.catalogue, now=self.now_anchor)
        return rec.doc

    def alibaba_fragment(self, rec: AlibabaOrderRecord) -> orjson.Fragment:
        """The serialized TradeInfo, cached."""
        if rec.frag is None:
            doc = self.alibaba_doc(rec)
            if self.alibaba_amount_unit == "yuan":
                doc = alibaba_doc_in_yuan(doc)
            rec.frag = orjson.Fragment(orjson.dumps(doc))
        return rec.frag

    def find_alibaba(self, order_id: object) -> AlibabaOrderRecord | None:
        """The 1688 order with this ``baseInfo.id`` (number or string)."""
        return self.alibaba.get(alibaba_index_of(order_id))

    def alibaba_by_out_id(self, out_order_id: str) -> AlibabaOrderRecord | None:
        """The 1688 order with this ``outOrderId``."""
        rec = self.alibaba_out_ids.get(out_order_id)
        if rec is not None:
            return rec
        rec = self.alibaba.get(alibaba_index_of_out_id(out_order_id))
        return rec if rec is not None and rec.out_order_id == out_order_id else None

    def add_alibaba_order(
        self,
        *,
        status: str = "waitbuyerpay",
        lines: tuple[AlibabaLine, ...] | None = None,
        receiver: dict[str, Any] | None = None,
        out_order_id: str | None = None,
        flow: str = "general",
        message: str | None = None,
        ts: int | None = None,
    ) -> AlibabaOrderRecord:
        """Insert a new 1688 order at the top of the list (``createTime`` = now)."""
        rec = AlibabaOrderRecord(
            self.alibaba.next_index, self.clock() if ts is None else ts, status
        )
        rec.lines = lines
        rec.receiver = receiver
        rec.out_order_id = out_order_id
        rec.flow = flow
        rec.message = message
        if status == "waitbuyerpay":
            rec.pay_ts = None
        self.alibaba.add(rec)
        if out_order_id:
            self.alibaba_out_ids[out_order_id] = rec
        self.changed()
        return rec

    def set_alibaba_status(self, order_id: object, status: str) -> AlibabaOrderRecord:
        """Move a 1688 order to another status (``waitsellersend``, ``success``…)."""
        rec = self.find_alibaba(order_id)
        if rec is None:
            raise KeyError(order_id)
        now = self.clock()
        # Only transitions get new times: a generated paid order keeps its generated ones.
        if rec.status in ALIBABA_UNPAID and status not in ALIBABA_UNPAID:
            rec.pay_ts = now
        if status in ALIBABA_SHIPPED and rec.status not in ALIBABA_SHIPPED:
            rec.ship_ts = now
        rec.modify_ts = now
        self.alibaba.set_status(rec, status)
        rec.touch()
        self.changed()
        return rec

    # ----------------------------------------------------------------- messages

    def message_body(self, platform: int, order: object) -> dict[str, Any]:
        """The ``messageBody`` document for an order (spec §5), before JSON encoding."""
        if platform == 1:
            ali = self.find_alibaba(order)
            if ali is None:
                raise KeyError(order)
            base = self.alibaba_doc(ali)["baseInfo"]
            return {
                "orderId": str(ali.order_id),
                "orderNo": ali.order_no,
                "orderStatus": _ALI_MESSAGE_STATUS.get(ali.status, ali.status.upper()),
                "payStatus": 1 if base["payTime"] is None else 2,
                "totalAmount": base["totalAmount"],
                "shippingFee": base["shippingFee"],
                "productAmount": base["sumProductPayment"],
                "refundAmount": 0,
                "refundStatus": ali.refund_status,
                "closeReason": "buyerCancel" if ali.status == "cancel" else None,
                "tbCreateTime": base["createTime"],
                "payTime": base["payTime"],
            }
        tb = self.find_taobao(order)
        if tb is None:
            raise KeyError(order)
        doc = self.taobao_doc(tb)
        refunds = [s["refundStatus"] for s in doc["subOrderVOS"] if s["refundStatus"]]
        post_fee = sum(
            orjson.loads(s["subOrderResult"])["domestic_post_fee"] for s in doc["subOrderVOS"]
        )
        return {
            "orderId": str(tb.purchase_id),
            "orderNo": tb.order_no,
            "orderStatus": _TB_MESSAGE_STATUS.get(tb.status, "OTHER"),
            "payStatus": 1 if doc["payTime"] is None else 2,
            "totalAmount": doc["purchaseAmount"],
            "shippingFee": post_fee,
            "productAmount": doc["purchaseAmount"] - post_fee,
            "refundAmount": 0,
            "refundStatus": refunds[0] if refunds else None,
            "closeReason": "TRADE_CLOSED" if tb.status == 4 else None,
            "tbCreateTime": doc["createTime"],
            "payTime": doc["payTime"],
        }


_ALI_MESSAGE_STATUS = {
    "waitbuyerpay": "WAITING_FOR_PAYMENT",
    "waitsellersend": "WAITING_FOR_SENT",
    "waitlogisticstakein": "WAITING_FOR_SENT",
    "waitbuyerreceive": "WAITING_FOR_RECEIVE",
    "waitbuyersign": "WAITING_FOR_RECEIVE",
    "signinsuccess": "FINISHED",
    "confirm_goods": "FINISHED",
    "success": "FINISHED",
    "cancel": "CANCEL",
    "terminated": "CANCEL",
}
_TB_MESSAGE_STATUS = {
    12: "WAITING_FOR_PAYMENT",
    0: "WAITING_FOR_PAYMENT",
    1: "WAITING_FOR_SENT",
    2: "WAITING_FOR_SENT",
    5: "WAITING_FOR_SENT",
    10: "WAITING_FOR_SENT",
    11: "WAITING_FOR_RECEIVE",
    9: "FINISHED",
    3: "CANCEL",
    4: "CANCEL",
}
