"""Taobao purchasing: orders (``taobao.orders.*``) and products (``taobao.products.*``).

Shapes from spec §4.1 (KA, full example) and §4.7 (TWIN / UPSTREAM). The order
list is the one KA-confirmed Taobao endpoint; the render / create bodies come
from the twin docs and their responses from the upstream Taobao API.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import attrs

from ..serde import (
    JSON_STRING,
    ChinaDateTime,
    Id,
    IntId,
    Money,
    UnixMs,
    fen_to_yuan,
)
from ._validators import blank_to_none, instance, optional_id
from .address import TaobaoReceiver, WarehouseAddress
from .common import RequestModel, WireModel, WriteResult

__all__ = [
    "CreateSubOrderResult",
    "RefundStatus",
    "ServiceTag",
    "SkuInfo",
    "SkuProperty",
    "SubOrderOptionFields",
    "SubOrderResult",
    "TaobaoCreateOrderLine",
    "TaobaoCreateOrderRequest",
    "TaobaoCreateOrderResult",
    "TaobaoCreatedPurchaseOrder",
    "TaobaoKeywordSearchRequest",
    "TaobaoOrder",
    "TaobaoOrderListData",
    "TaobaoOrderListRequest",
    "TaobaoOrderStatus",
    "TaobaoProduct",
    "TaobaoProductSearchRequest",
    "TaobaoRenderLine",
    "TaobaoRenderRequest",
    "TaobaoSku",
    "TaobaoSubOrder",
]


class TaobaoOrderStatus(enum.IntEnum):
    """Xportcn status of a Taobao purchase order (KA OrderStatusFlow doc, May 2026).

    ``ORDER_BULIDING`` keeps the docs' spelling: it is the real name.
    """

    ORDER_BULIDING = 12
    TAOBAO_ORDER_WAIT_BUYER_PAY = 0
    ORDER_PAY_STATUS = 1
    ORDER_FINANCE_PASS_STATUS = 2
    ORDER_FINANCE_REFUSE_STATUS = 3
    WAIT_FINANCE_PAY = 5
    WAIT_SELLER_SEND_GOODS = 10
    WAIT_BUYER_CONFIRM_GOODS = 11
    CANCEL = 4
    OTHER_STATUS = 9


class RefundStatus(enum.IntEnum):
    """Refund state of a Taobao sub-order (``refundStatus``, KA)."""

    NONE = 0
    APPLIED = 10
    SELLER_AGREED = 20
    WAIT_SELLER_RECEIVE = 30
    REFUNDED = 100
    SELLER_REFUSED = -10
    CLOSED = -20


# --------------------------------------------------------------------------- order list


@attrs.frozen(kw_only=True)
class TaobaoOrderListRequest(RequestModel):
    """Body of ``taobao.orders.list`` (``/open/purchase/page``).

    ``purchase_id`` is sent as a JSON number.

    ``begin_date_time`` / ``end_date_time`` bound the creation time and are sent
    as ``"YYYY-MM-DD HH:MM:SS"`` in China time.
    """

    page_num: int = 1
    page_size: int = 10
    order_no: str | None = attrs.field(
        default=None, converter=blank_to_none, validator=instance(str)
    )
    purchase_id: IntId | None = attrs.field(default=None, converter=optional_id)
    status: TaobaoOrderStatus | int | None = attrs.field(default=None, validator=instance(int))
    begin_date_time: ChinaDateTime | None = attrs.field(default=None, validator=instance(datetime))
    end_date_time: ChinaDateTime | None = attrs.field(default=None, validator=instance(datetime))


@attrs.frozen(kw_only=True)
class SkuInfo(WireModel):
    """``sku_info`` inside a sub-order result: the SKU picture."""

    sku_img_url: str | None = None


@attrs.frozen(kw_only=True)
class ServiceTag(WireModel):
    """One shop service promise (``serviceList`` item), e.g. ``7d`` = seven-day no-reason return."""

    code: str | None = None
    desc: str | None = None
    image_url: str | None = None
    name: str | None = None


@attrs.frozen(kw_only=True)
class SubOrderOptionFields(WireModel):
    """``option_fields`` of a sub-order result.

    ``serviceList``, ``en`` and ``zh`` arrive as JSON strings and are decoded.

    ``en`` / ``zh`` map SKU property names to values in English and Chinese.
    """

    supplier_nick: str | None = None
    service_list: Annotated[list[ServiceTag], JSON_STRING] | None = None
    en: Annotated[dict[str, str], JSON_STRING] | None = None
    zh: Annotated[dict[str, str], JSON_STRING] | None = None
    shop_name: str | None = None
    shop_id: Id | None = None


@attrs.frozen(kw_only=True)
class SubOrderResult(WireModel):
    """The decoded ``subOrderResult`` JSON string of a sub-order (snake_case inside).

    Amounts are integer fen; ``close_time_without_payment`` is when an unpaid
    order closes. ``status`` is Taobao's raw status string (``WAIT_BUYER_P``).
    """

    _wire_case = "snake"

    purchase_order_outer_id: Id | None = None
    purchase_order_line_outer_id: Id | None = None
    close_time_without_payment: UnixMs | None = None
    product_amount: Money | None = None
    quantity: int | None = None
    title: str | None = None
    purchase_currency: str | None = None
    purchase_amount: Money | None = None
    item_id: Id | None = None
    domestic_post_fee: Money | None = None
    pay_currency: str | None = None
    sub_purchase_order_id: Id | None = None
    sku_id: Id | None = None
    sku_info: SkuInfo | None = None
    status: str | None = None
    alipay_pay_order_no: str | None = None
    option_fields: SubOrderOptionFields | None = None
    closed: bool | None = None

    @property
    def purchase_amount_yuan(self) -> Decimal | None:
        """``purchase_amount`` in yuan."""
        return fen_to_yuan(self.purchase_amount)

    @property
    def product_amount_yuan(self) -> Decimal | None:
        """``product_amount`` in yuan."""
        return fen_to_yuan(self.product_amount)


@attrs.frozen(kw_only=True)
class CreateSubOrderResult(WireModel):
    """The decoded ``createSubOrderResult`` JSON string (snake_case inside); amounts in fen."""

    _wire_case = "snake"

    quantity: int | None = None
    order_line_no: str | None = None
    item_id: Id | None = None
    estimate_amount: Money | None = None
    sku_id: Id | None = None
    estimate_currency: str | None = None
    sub_purchase_order_id: Id | None = None

    @property
    def estimate_amount_yuan(self) -> Decimal | None:
        """``estimate_amount`` in yuan."""
        return fen_to_yuan(self.estimate_amount)


@attrs.frozen(kw_only=True)
class TaobaoSubOrder(WireModel):
    """One line of a Taobao purchase order (``subOrderVOS`` item).

    ``sub_order_status`` is Taobao's raw status string; ``refund_status`` is a
    :class:`RefundStatus` or the raw int for a value this SDK does not know.
    """

    id: Id
    order_no: str | None = None
    sub_order_status: str | None = None
    taobao_refund_order: Any = None
    create_sub_order_result: Annotated[CreateSubOrderResult, JSON_STRING] | None = None
    sub_order_result: Annotated[SubOrderResult, JSON_STRING] | None = None
    taobao_purchase_id: Id | None = None
    taobao_sub_purchase_id: Id | None = None
    error_code: str | None = None
    error_message: str | None = None
    refund_status: RefundStatus | int | None = None
    refund_id: str | None = None
    item_image_url: str | None = None


@attrs.frozen(kw_only=True)
class TaobaoOrder(WireModel):
    """A Taobao purchase order as ``taobao.orders.list`` returns it.

    ``purchase_amount`` is integer fen (``5245`` = ¥52.45, see
    :attr:`purchase_amount_yuan`); times are aware datetimes in China time;
    ``status`` is a :class:`TaobaoOrderStatus` or the raw int when unknown.
    """

    id: Id
    order_no: str | None = None
    purchase_id: Id | None = None
    status: TaobaoOrderStatus | int | None = None
    order_status_desc: str | None = None
    purchase_amount: Money | None = None
    create_time: ChinaDateTime | None = None
    pay_time: ChinaDateTime | None = None
    warehouse_address: WarehouseAddress | None = attrs.field(
        default=None, metadata={"json": "warehouseAddressInfoVO"}
    )
    remark: str | None = None
    sub_orders: list[TaobaoSubOrder] = attrs.field(factory=list, metadata={"json": "subOrderVOS"})
    order_line_list: Any = None
    user_name: str | None = None
    user_id: Id | None = None
    supplier_nick: str | None = None
    purchase_order_outer_id: Id | None = None

    @property
    def purchase_amount_yuan(self) -> Decimal | None:
        """``purchase_amount`` in yuan (exact ``Decimal``)."""
        return fen_to_yuan(self.purchase_amount)


@attrs.frozen(kw_only=True)
class TaobaoOrderListData(WireModel):
    """The ``data`` of ``taobao.orders.list``: ``{"total": int, "data": [order…]}``."""

    total: int | None = None
    data: list[TaobaoOrder] = attrs.field(factory=list)


# --------------------------------------------------------------------------- render / create


@attrs.frozen(kw_only=True)
class TaobaoRenderLine(RequestModel):
    """One line of a render request.

    Use the distributor ids (``mpId`` / ``mpSkuId``), not plain Taobao ids.
    """

    item_id: str
    sku_id: str | None = None
    quantity: int


@attrs.frozen(kw_only=True)
class TaobaoRenderRequest(RequestModel):
    """Body of ``taobao.orders.render``; both fields travel as JSON strings (TWIN)."""

    order_line_list: Annotated[list[TaobaoRenderLine], JSON_STRING]
    receiver: Annotated[TaobaoReceiver, JSON_STRING]


@attrs.frozen(kw_only=True)
class TaobaoCreateOrderLine(RequestModel):
    """One line of a create request; ``price`` is integer fen."""

    item_id: str
    sku_id: str | None = None
    quantity: int
    order_line_no: str | None = None
    price: Money | None = None
    currency: str | None = None


@attrs.frozen(kw_only=True)
class TaobaoCreateOrderRequest(RequestModel):
    """Body of ``taobao.orders.create`` (TWIN); ``purchase_amount`` is integer fen.

    ``seller_order_number`` is the caller's own order number (idempotency key).
    """

    purchase_amount: Money | None = None
    receiver: Annotated[TaobaoReceiver, JSON_STRING]
    order_line_list: Annotated[list[TaobaoCreateOrderLine], JSON_STRING]
    order_source: str | None = None
    seller_order_number: str | None = None


@attrs.frozen(kw_only=True)
class TaobaoCreatedPurchaseOrder(WireModel):
    """One purchase order made by a create call (upstream ``order_list`` item, snake_case)."""

    _wire_case = "snake"

    purchase_id: Id | None = None
    supplier_nick: str | None = None
    estimate_amount: Money | None = None
    order_line_list: list[Any] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class TaobaoCreateOrderResult(WriteResult):
    """Result of ``taobao.orders.create`` (UPSTREAM shape, snake_case; every field optional).

    One create can split into several purchase orders (``order_list``).
    """

    _wire_case = "snake"

    success: bool | None = None
    payment_url: str | None = None
    outer_purchase_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    order_list: list[TaobaoCreatedPurchaseOrder] = attrs.field(factory=list)
    #: True when the create's answer was lost and the orders were found by the seller order
    #: number instead (then ``payment_url`` is not known). Not on the wire.
    recovered: bool = attrs.field(default=False, init=False)


# --------------------------------------------------------------------------- products


@attrs.frozen(kw_only=True)
class SkuProperty(WireModel):
    """One property of a SKU (``颜色分类`` = ``红色``)."""

    prop_id: Id | None = None
    prop_name: str | None = None
    value_id: Id | None = None
    value_name: str | None = None


@attrs.frozen(kw_only=True)
class TaobaoSku(WireModel):
    """A SKU of a Taobao product; prices in fen.

    ``mp_sku_id`` is the distributor SKU id, spelled ``mpSkuld`` on the wire
    (a docs typo that is the real key).
    """

    sku_id: Id | None = None
    mp_sku_id: Id | None = attrs.field(default=None, metadata={"json": "mpSkuld"})
    pic_url: str | None = None
    quantity: int | None = None
    price: Money | None = None
    promotion_price: Money | None = None
    post_fee: Money | None = None
    status: str | None = None
    properties: list[SkuProperty] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class TaobaoProduct(WireModel):
    """A Taobao product (``taobao.products.detail``, KA manual example); prices in fen.

    Order lines use ``mp_id`` (and the SKUs' ``mp_sku_id``), not ``item_id``.
    """

    item_id: Id | None = None
    mp_id: Id | None = None
    title: str | None = None
    status: str | None = None
    quantity: int | None = None
    price: Money | None = None
    promotion_price: Money | None = None
    category_id: Id | None = None
    category_path: str | None = None
    item_type: str | None = None
    shop_id: Id | None = None
    shop_name: str | None = None
    sku_list: list[TaobaoSku] = attrs.field(factory=list)

    @property
    def price_yuan(self) -> Decimal | None:
        """``price`` in yuan."""
        return fen_to_yuan(self.price)


@attrs.frozen(kw_only=True)
class TaobaoKeywordSearchRequest(RequestModel):
    """Body of ``taobao.products.search`` (GUESS path; pages with ``pageNo``/``pageSize`` as
    the twin's v2 docs and a public Go client do, not ``beginPage``)."""

    keyword: str | None = attrs.field(default=None, validator=instance(str))
    page_no: int = 1
    page_size: int = 20
    country: str | None = attrs.field(default=None, validator=instance(str))


@attrs.frozen(kw_only=True)
class TaobaoProductSearchRequest(RequestModel):
    """Body of ``taobao.products.search_by_image`` (GUESS: mirrors the 1688 search)."""

    keyword: str | None = attrs.field(default=None, validator=instance(str))
    begin_page: int = 1
    page_size: int = 20
    country: str | None = attrs.field(default=None, validator=instance(str))
    image_base64: str | None = attrs.field(default=None, validator=instance(str))
    image_address: str | None = attrs.field(default=None, validator=instance(str))
    image_id: str | None = attrs.field(default=None, validator=instance(str))
