"""Handlers of ``alibaba.after_sales.*``: 1688 refunds, vouchers, returns."""

from __future__ import annotations

import hashlib
from typing import Any

from ..data import ALIBABA_SHIPPED
from ..state import RefundRecord
from ._base import (
    BAD_REQUEST,
    BusinessError,
    Call,
    HandlerBase,
    _int,
    _list,
    _missing,
    _present,
    _req_int,
    _req_str,
    _str,
)

__all__ = ["AlibabaAfterSalesHandlers"]


GOODS_STATUSES = frozenset(
    {
        "refundWaitSellerSend",
        "refundWaitBuyerReceive",
        "refundBuyerReceived",
        "aftersaleBuyerNotReceived",
        "aftersaleBuyerReceived",
    }
)
MAX_VOUCHER_BYTES = 1024 * 1024


class AlibabaAfterSalesHandlers(HandlerBase):
    """1688 after sales: refunds validated like upstream (codes 4002-4008, 5001-5013)."""

    def refund_reasons(self, call: Call) -> Any:
        """``alibaba.after_sales.refund_reasons``: reasons for a goods status."""
        b = call.body
        self._order_or_404(b.get("orderId"))
        goods = _req_str(b, "goodsStatus")
        if goods not in GOODS_STATUSES:
            raise BusinessError(BAD_REQUEST, f"unknown goodsStatus {goods!r}")
        return {"reasons": list(self.state.catalogue.refund_reasons[goods])}

    def upload_voucher(self, call: Call) -> Any:
        """``alibaba.after_sales.upload_voucher``: multipart ``imageData`` (< 1 MB)."""
        data = call.files.get("imageData")
        if data is None:
            raise BusinessError(BAD_REQUEST, "multipart field imageData is required")
        if not data:
            raise BusinessError(BAD_REQUEST, "imageData is empty")
        if len(data) >= MAX_VOUCHER_BYTES:
            raise BusinessError(BAD_REQUEST, "imageData must be smaller than 1 MB")
        digest = hashlib.md5(data, usedforsecurity=False).hexdigest()
        result = {
            "imageDomain": "https://cbu01.alicdn.com/",
            "imageRelativeUrl": f"img/ibank/refund/{digest}.jpg",
        }
        self.state.vouchers.append({**result, "size": len(data)})
        return result

    def create_refund(self, call: Call) -> Any:
        """``alibaba.after_sales.create_refund``: validated like upstream (codes 5001–5013)."""
        b = call.body
        state = self.state
        order_id = b.get("orderId")
        if not _present(order_id):
            raise _missing("orderId")
        rec = state.find_alibaba(order_id)
        if rec is None:
            raise BusinessError(5001, f"order {order_id} does not exist")
        doc = state.alibaba_doc(rec)
        items = {i["subItemID"]: i for i in doc["productItems"]}
        entry_ids: list[int] = []
        for raw in _list(b, "orderEntryIds", required=True):
            try:
                entry = int(str(raw))
            except ValueError:
                raise BusinessError(BAD_REQUEST, f"bad orderEntryId {raw!r}") from None
            if entry not in items:
                raise BusinessError(5001, f"order entry {raw} does not exist in order {order_id}")
            entry_ids.append(entry)
        dispute = _req_str(b, "disputeRequest")
        if dispute not in ("refund", "returnRefund"):
            raise BusinessError(BAD_REQUEST, "disputeRequest must be refund or returnRefund")
        if rec.status in ("waitbuyerpay", "cancel", "terminated"):
            raise BusinessError(5010, f"order status {rec.status} does not allow a refund")
        if any(rec.refunds.get(e) for e in entry_ids):
            raise BusinessError(5010, "a refund is already in progress for this order entry")
        goods = _req_str(b, "goodsStatus")
        shipped = rec.status in ALIBABA_SHIPPED
        if goods not in GOODS_STATUSES or (goods == "refundWaitSellerSend") == shipped:
            raise BusinessError(
                5003, f"goodsStatus {goods} does not match order status {rec.status}"
            )
        reason_id = _req_int(b, "applyReasonId")
        reason = next(
            (r for r in state.catalogue.refund_reasons[goods] if r["id"] == reason_id), None
        )
        if reason is None:
            raise BusinessError(5004, f"applyReasonId {reason_id} is not valid for {goods}")
        vouchers = _list(b, "vouchers")
        if len(vouchers) > 5:
            raise BusinessError(BAD_REQUEST, "at most 5 vouchers")
        if reason["needVoucher"] and not vouchers:
            raise BusinessError(5005, "this reason requires a voucher image")
        payment = _req_int(b, "applyPayment", minimum=0)
        carriage = _int(b, "applyCarriage", default=0, minimum=0) or 0
        if reason["noRefundCarriage"] and carriage:
            raise BusinessError(5006, "applyCarriage must be 0 for this reason")
        counts: dict[int, int] = {}
        for row in _list(b, "orderEntryCountList"):
            if isinstance(row, dict) and _present(row.get("id")):
                counts[int(str(row["id"]))] = _req_int(row, "count", minimum=1)
        for entry in entry_ids:
            if counts.get(entry, items[entry]["quantity"]) > items[entry]["quantity"]:
                raise BusinessError(5013, f"return quantity exceeds bought quantity of {entry}")
        max_payment = sum(
            items[e]["price"] * counts.get(e, items[e]["quantity"]) for e in entry_ids
        )
        if payment > max_payment or carriage > doc["baseInfo"]["shippingFee"]:
            raise BusinessError(5011, f"applyPayment exceeds the refundable {max_payment} fen")
        description = _str(b, "description") or ""
        if not 2 <= len(description) <= 150:
            raise BusinessError(5012, "description must be 2 to 150 characters")
        refund_id = "TQ" + state.random_digits(17)
        state.refunds[refund_id] = RefundRecord(
            refund_id=refund_id,
            order_id=rec.order_id,
            entry_ids=entry_ids,
            dispute_request=dispute,
            apply_payment=payment,
        )
        for entry in entry_ids:
            rec.refunds[entry] = "waitselleragree"
        rec.refund_status = "waitselleragree"
        rec.modify_ts = state.clock()
        rec.touch()
        state.changed()
        self.emit("ORDER_BUYER_VIEW_ORDER_BUYER_REFUND", 1, rec.order_id, {"refundId": refund_id})
        return {"refundId": refund_id}

    def submit_return(self, call: Call) -> Any:
        """``alibaba.after_sales.submit_return``: return parcel details (codes 4002–4008)."""
        b = call.body
        refund_id = _req_str(b, "refundId")
        refund = self.state.refunds.get(refund_id)
        if refund is None:
            raise BusinessError(4002, f"refund {refund_id} does not exist")
        if refund.dispute_request != "returnRefund":
            raise BusinessError(4003, "this refund does not take goods back (refund only)")
        if refund.returned is not None:
            raise BusinessError(4008, "return information was already submitted")
        company = _req_str(b, "logisticsCompanyNo")
        if company not in {c["companyNo"] for c in self.state.catalogue.logistics_companies}:
            raise BusinessError(4004, f"unknown logisticsCompanyNo {company!r}")
        bill = _str(b, "freightBill")
        if not bill:
            raise BusinessError(4005, "freightBill is required")
        description = _str(b, "description") or ""
        if len(description) > 200:
            raise BusinessError(4006, "description must be at most 200 characters")
        vouchers = _list(b, "vouchers")
        if len(vouchers) > 10:
            raise BusinessError(4007, "at most 10 vouchers")
        refund.returned = {
            "logisticsCompanyNo": company,
            "freightBill": bill,
            "description": description,
            "vouchers": vouchers,
        }
        refund.status = "waitsellerreceive"
        rec = self.state.find_alibaba(refund.order_id)
        if rec is not None:
            for entry in refund.entry_ids:
                rec.refunds[entry] = "waitsellerreceive"
            rec.refund_status = "waitsellerreceive"
            rec.touch()
        self.state.changed()
        return {"refundId": refund_id, "success": True}

    def logistics_companies(self, call: Call) -> Any:
        """``alibaba.after_sales.logistics_companies``: carriers for return parcels."""
        return list(self.state.catalogue.logistics_companies)
