"""Handlers of ``alibaba.orders.*``: 1688 order list, preview, create, pay, logistics."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from ..data import AlibabaLine, AlibabaOrderRecord
from ._base import (
    BAD_REQUEST,
    BusinessError,
    Call,
    DuplicateRequest,
    HandlerBase,
    _dict,
    _list,
    _missing,
    _present,
    _req_int,
    _str,
    _time,
)

__all__ = ["AlibabaOrderHandlers"]


ALIBABA_FLOWS = frozenset(
    {
        "general",
        "fenxiao",
        "fenxiaonew",
        "saleproxy",
        "paired",
        "repurchase",
        "boutiquefenxiao",
        "boutiquepifa",
    }
)
TRADE_TYPES = frozenset(
    {"assureTrade", "alipay", "period", "assure", "creditBuy", "bank", "631staged", "37staged"}
)
SERVICE_FEE_PER_10000 = 251  # sumTotalPayment = sumPayment + ceil(2.51 %)


class AlibabaOrderHandlers(HandlerBase):
    """1688 orders, over the state's order book."""

    def alibaba_orders_list(self, call: Call) -> Any:
        """``alibaba.orders.list``: newest first; filters orderStatus, time window, outOrderId."""
        b = call.body
        unsupported = [
            k for k in ("refundStatus", "modifyStartTime", "modifyEndTime") if _present(b.get(k))
        ]
        if unsupported:
            # Better a clear refusal than a silently unfiltered answer that a test would trust.
            raise BusinessError(
                BAD_REQUEST,
                f"the emulator does not implement the filter(s) {', '.join(unsupported)}",
            )
        page, size = self._page_params(b, "page", 20)
        status = _str(b, "orderStatus")
        begin = _time(b, "createStartTime")
        end = _time(b, "createEndTime", end=True)
        out_id = _str(b, "outOrderId")
        ids = _list(b, "orderIds")
        state = self.state
        if out_id is not None or ids:
            candidates: list[AlibabaOrderRecord] = []
            if out_id is not None:
                rec = state.alibaba_by_out_id(out_id)
                candidates = [rec] if rec is not None else []
            if ids:
                found = [state.find_alibaba(i) for i in ids]
                by_id = [r for r in found if r is not None]
                candidates = [r for r in candidates if r in by_id] if out_id is not None else by_id
            matches = [
                r
                for r in sorted(set(candidates), key=lambda r: r.key, reverse=True)
                if (status is None or r.status == status)
                and (begin is None or r.ts >= begin)
                and (end is None or r.ts <= end)
            ]
            total = len(matches)
            recs = matches[(page - 1) * size : page * size]
        else:
            total, recs = state.alibaba.page(
                status=status, begin=begin, end=end, offset=(page - 1) * size, limit=size
            )
        return {"totalRecord": total, "result": [state.alibaba_fragment(r) for r in recs]}

    def alibaba_orders_detail(self, call: Call) -> Any:
        """``alibaba.orders.detail``: the TradeInfo of one order."""
        return self.state.alibaba_fragment(self._order_or_404(call.body.get("orderId")))

    def _cargo(self, b: Mapping[str, Any]) -> tuple[dict[str, Any], list[AlibabaLine]]:
        address = _dict(b, "addressParam", required=True)
        for name in ("fullName", "address"):
            if not _present(address.get(name)):
                raise _missing(f"addressParam.{name}")
        if not (_present(address.get("mobile")) or _present(address.get("phone"))):
            raise _missing("addressParam.mobile")
        cargo = _list(b, "cargoParamList", required=True)
        if len(cargo) > 50:
            raise BusinessError(BAD_REQUEST, "cargoParamList takes at most 50 lines")
        lines: list[AlibabaLine] = []
        for i, item in enumerate(cargo):
            if not isinstance(item, dict):
                raise BusinessError(BAD_REQUEST, f"cargoParamList[{i}] must be an object")
            offer = self._offer_or_404(item.get("offerId"), f"cargoParamList[{i}].offerId")
            spec = item.get("specId")
            sku = (
                offer.sku(str(spec))
                if _present(spec)
                else (offer.skus[0] if len(offer.skus) == 1 else None)
            )
            if sku is None:
                raise BusinessError(
                    BAD_REQUEST,
                    f"cargoParamList[{i}].specId {spec!r} is not a SKU of {offer.offer_id}",
                )
            qty = _req_int(item, "quantity", minimum=1)
            lines.append((offer, sku, qty))
        flow = _str(b, "flow")
        if flow is not None and flow not in ALIBABA_FLOWS:
            raise BusinessError(BAD_REQUEST, f"unknown flow {flow!r}")
        return address, lines

    @staticmethod
    def _preview_entry(lines: list[AlibabaLine]) -> dict[str, Any]:
        no_carriage = sum(sku.price * qty for _, sku, qty in lines)
        carriage = max(offer.carriage for offer, _, _ in lines)
        payment = no_carriage + carriage
        fee = -(-payment * SERVICE_FEE_PER_10000 // 10000)
        return {
            "sumCarriage": carriage,
            "sumPayment": payment,
            "sumTotalPayment": payment + fee,
            "sumPaymentNoCarriage": no_carriage,
            "orderItemTOList": [
                {
                    "amount": sku.price * qty,
                    "message": None,
                    "finalUnitPrice": sku.price,
                    "specId": sku.spec_id,
                    "skuId": sku.sku_id,
                    "offerId": offer.offer_id,
                    "openOfferId": offer.open_offer_id,
                }
                for offer, sku, qty in lines
            ],
        }

    def alibaba_orders_preview(self, call: Call) -> Any:
        """``alibaba.orders.preview``: one entry per seller, amounts in fen."""
        _, lines = self._cargo(call.body)
        groups: OrderedDict[str, list[AlibabaLine]] = OrderedDict()
        for line in lines:
            groups.setdefault(line[0].seller.member_id, []).append(line)
        return [self._preview_entry(group) for group in groups.values()]

    def alibaba_orders_create(self, call: Call) -> Any:
        """``alibaba.orders.create``: idempotent on ``outOrderId``; new order awaits payment."""
        b = call.body
        out_id = _str(b, "outOrderId")
        state = self.state
        if out_id is not None and out_id in state.alibaba_created:
            raise DuplicateRequest(state.alibaba_created[out_id])
        address, lines = self._cargo(b)
        if len({offer.seller.member_id for offer, _, _ in lines}) > 1:
            raise BusinessError(BAD_REQUEST, "cargoParamList must come from one seller")
        trade_type = _str(b, "tradeType")
        if trade_type is not None and trade_type not in TRADE_TYPES:
            raise BusinessError(BAD_REQUEST, f"unknown tradeType {trade_type!r}")
        entry = self._preview_entry(lines)
        rec = state.add_alibaba_order(
            lines=tuple(lines),
            receiver=address,
            out_order_id=out_id,
            flow=_str(b, "flow") or "general",
            message=_str(b, "message"),
        )
        order_id = str(rec.order_id)
        response = {
            "totalSuccessAmount": entry["sumPayment"],
            "orderId": order_id,
            "success": True,
            "code": None,
            "message": None,
            "accountPeriod": None,
            "failedOfferList": [],
            "postFee": entry["sumCarriage"],
            "orderList": [
                {
                    "orderId": order_id,
                    "postFee": entry["sumCarriage"],
                    "orderAmount": entry["sumPayment"],
                }
            ],
        }
        if out_id is not None:
            state.alibaba_created[out_id] = response
        self.emit("ORDER_CREATE", 1, rec.order_id, None)
        return response

    def alibaba_orders_pay(self, call: Call) -> Any:
        """``alibaba.orders.pay``: returns a ``payUrl``; the orders move to ``waitsellersend``."""
        b = call.body
        ids = _list(b, "orderIds") or ([b["orderId"]] if _present(b.get("orderId")) else [])
        if not ids:
            raise _missing("orderIds")
        recs = [self._order_or_404(i) for i in ids]
        for rec in recs:
            if rec.status != "waitbuyerpay":
                raise BusinessError(
                    BAD_REQUEST, f"order {rec.order_id} cannot be paid in status {rec.status}"
                )
        for rec in recs:
            self.state.set_alibaba_status(rec.order_id, "waitsellersend")
            self.emit("ORDER_PAY_SUCCESS", 1, rec.order_id, None)
        joined = ",".join(str(r.order_id) for r in recs)
        return {"payUrl": f"https://trade.1688.com/order/cashier.htm?orderIds={joined}&emulator=1"}

    def alibaba_orders_logistics(self, call: Call) -> Any:
        """``alibaba.orders.logistics``: parcels of a shipped order (empty before shipping)."""
        rec = self._order_or_404(call.body.get("orderId"))
        doc = self.state.alibaba_doc(rec)
        out = []
        for item in doc["nativeLogistics"]["logisticsItems"]:
            out.append(
                {
                    "logisticsId": item["logisticsCode"],
                    "logisticsBillNo": item["logisticsBillNo"],
                    "logisticsCompanyName": item["logisticsCompanyName"],
                    "logisticsCompanyNo": item["logisticsCompanyNo"],
                    "status": item["status"],
                    "sendGoods": [
                        {"goodName": p["name"], "quantity": p["quantity"], "unit": p["unit"]}
                        for p in doc["productItems"]
                    ],
                    "traces": [
                        {"acceptTime": item["deliveredTime"], "remark": "卖家已发货"},
                    ],
                }
            )
        return out
