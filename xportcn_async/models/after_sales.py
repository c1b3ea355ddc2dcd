"""1688 after-sales: refund reasons, vouchers, refund requests, return shipping (spec §4.6).

Paths are GUESS and field names UPSTREAM/TWIN; the newest docs drop this group.
Amounts are integer fen.
"""

from __future__ import annotations

import enum

import attrs

from ..serde import Id, IntId, Money
from .common import RequestModel, WireModel, WriteResult

__all__ = [
    "CreateRefundRequest",
    "DisputeRequest",
    "GoodsStatus",
    "LogisticsCompany",
    "OrderEntryCount",
    "RefundCreated",
    "RefundReason",
    "RefundReasonsRequest",
    "SubmitReturnRequest",
    "VoucherUpload",
]


class GoodsStatus(str, enum.Enum):
    """Where the goods are when a refund is asked for (upstream ``goodsStatus``)."""

    REFUND_WAIT_SELLER_SEND = "refundWaitSellerSend"
    REFUND_WAIT_BUYER_RECEIVE = "refundWaitBuyerReceive"
    REFUND_BUYER_RECEIVED = "refundBuyerReceived"
    AFTERSALE_BUYER_NOT_RECEIVED = "aftersaleBuyerNotReceived"
    AFTERSALE_BUYER_RECEIVED = "aftersaleBuyerReceived"


class DisputeRequest(str, enum.Enum):
    """What the buyer asks for: money only, or return the goods and get the money back."""

    REFUND = "refund"
    RETURN_REFUND = "returnRefund"


@attrs.frozen(kw_only=True)
class RefundReasonsRequest(RequestModel):
    """Body of ``alibaba.after_sales.refund_reasons``; ids are sent as numbers."""

    order_id: IntId
    order_entry_ids: list[IntId]
    goods_status: GoodsStatus | str


@attrs.frozen(kw_only=True)
class RefundReason(WireModel):
    """A refund reason; pass its ``id`` as ``apply_reason_id``.

    ``need_voucher``: a photo is required.
    """

    id: Id
    name: str | None = None
    need_voucher: bool | None = None
    no_refund_carriage: bool | None = None
    tip: str | None = None


@attrs.frozen(kw_only=True)
class VoucherUpload(WriteResult):
    """An uploaded voucher image; :attr:`url` is ``image_domain + image_relative_url``."""

    image_domain: str | None = None
    image_relative_url: str | None = None

    @property
    def url(self) -> str:
        """The voucher URL to put in ``vouchers`` of a refund or a return."""
        return (self.image_domain or "") + (self.image_relative_url or "")


@attrs.frozen(kw_only=True)
class OrderEntryCount(RequestModel):
    """How many units of one order line (``orderEntryCountList`` item) a refund covers."""

    id: IntId
    count: int


@attrs.frozen(kw_only=True)
class CreateRefundRequest(RequestModel):
    """Body of ``alibaba.after_sales.create_refund``.

    ``apply_payment`` / ``apply_carriage`` are integer fen.
    """

    order_id: IntId
    order_entry_ids: list[IntId]
    dispute_request: DisputeRequest | str
    apply_payment: Money
    apply_carriage: Money = 0
    apply_reason_id: IntId
    description: str
    goods_status: GoodsStatus | str
    vouchers: list[str] | None = None
    order_entry_count_list: list[OrderEntryCount] | None = None


@attrs.frozen(kw_only=True)
class RefundCreated(WriteResult):
    """Result of ``create_refund``: the refund id (starts with ``TQ``)."""

    refund_id: str | None = None


@attrs.frozen(kw_only=True)
class SubmitReturnRequest(RequestModel):
    """Body of ``alibaba.after_sales.submit_return``: how the buyer shipped the goods back."""

    refund_id: str
    logistics_company_no: str
    freight_bill: str
    description: str | None = None
    vouchers: list[str] | None = None


@attrs.frozen(kw_only=True)
class LogisticsCompany(WireModel):
    """A carrier for ``submit_return`` (``company_no`` goes in ``logistics_company_no``)."""

    id: Id | None = None
    company_name: str | None = None
    company_no: str | None = None
    company_phone: str | None = None
    support_print: bool | None = None
    spelling: str | None = None
