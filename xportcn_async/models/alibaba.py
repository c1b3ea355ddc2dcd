"""1688 purchasing: orders (``alibaba.orders.*``) and products (``alibaba.products.*``).

Order preview is KA-confirmed (spec §4.2, with a full example); create and pay
bodies are KA, the rest follow the upstream 1688 API (§4.3–4.5). Amounts the
Xportcn docs give in fen are :data:`~xportcn_async.serde.Money`; 1688 prices
whose unit the docs do not state (upstream sends yuan) are exact
:class:`~decimal.Decimal` values kept as sent.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Annotated, Any

import attrs

from ..serde import (
    JSON_STRING,
    ChinaDateTime,
    DecimalValue,
    Id,
    IntId,
    Money,
    fen_to_yuan,
)
from ._validators import aware, instance, optional_id, optional_ids, optional_str_map, window
from .address import AddressParam
from .common import RequestModel, WireModel, WriteResult

__all__ = [
    "AlibabaCategory",
    "AlibabaCategoryRequest",
    "AlibabaCreateOrderRequest",
    "AlibabaCreateOrderResult",
    "AlibabaFreightEstimate",
    "AlibabaFreightEstimateRequest",
    "AlibabaOrder",
    "AlibabaOrderBaseInfo",
    "AlibabaOrderDetailRequest",
    "AlibabaOrderItem",
    "AlibabaOrderListData",
    "AlibabaOrderListRequest",
    "AlibabaOrderPayRequest",
    "AlibabaOrderPreview",
    "AlibabaOrderPreviewItem",
    "AlibabaOrderPreviewRequest",
    "AlibabaOrderStatus",
    "AlibabaPayResult",
    "AlibabaPoolRequest",
    "AlibabaPriceInfo",
    "AlibabaProduct",
    "AlibabaProductDetailMultiRequest",
    "AlibabaProductDetailRequest",
    "AlibabaProductImage",
    "AlibabaProductSearchData",
    "AlibabaProductSearchRequest",
    "AlibabaProductSku",
    "AlibabaProductSummary",
    "CargoParam",
    "LogisticsSkuNum",
]


class AlibabaOrderStatus(str, enum.Enum):
    """1688 order status (upstream values)."""

    WAITBUYERPAY = "waitbuyerpay"
    WAITSELLERSEND = "waitsellersend"
    WAITLOGISTICSTAKEIN = "waitlogisticstakein"
    WAITBUYERRECEIVE = "waitbuyerreceive"
    WAITBUYERSIGN = "waitbuyersign"
    SIGNINSUCCESS = "signinsuccess"
    CONFIRM_GOODS = "confirm_goods"
    SUCCESS = "success"
    CANCEL = "cancel"
    TERMINATED = "terminated"


# --------------------------------------------------------------------------- orders


def _to_str(value: object) -> str:
    return value if isinstance(value, str) else str(value)


@attrs.frozen
class CargoParam(RequestModel):
    """One line to buy: ``offer_id`` (product), ``spec_id`` (SKU spec) and ``quantity``.

    ``offer_id`` is sent as a JSON number; ``spec_id`` is the ``specId`` of a
    product SKU (``alibaba.products.detail`` → ``product_sku_infos[].spec_id``).
    Positional or keyword: ``CargoParam("889512351602", "530ad…", 2)``.
    """

    offer_id: IntId = attrs.field(converter=_to_str)
    spec_id: str | None = None
    quantity: int = 1


@attrs.frozen(kw_only=True)
class AlibabaOrderPreviewRequest(RequestModel):
    """Body of ``alibaba.orders.preview`` (KA).

    ``flow`` is e.g. ``"fenxiaonew"`` or ``"general"``.
    """

    flow: str
    address_param: AddressParam
    cargo_param_list: list[CargoParam]
    out_order_id: str | None = None
    ali_id: str | None = None


@attrs.frozen(kw_only=True)
class AlibabaOrderPreviewItem(WireModel):
    """One line of a preview (``orderItemTOList`` item); amounts in fen."""

    offer_id: Id | None = None
    spec_id: str | None = None
    sku_id: Id | None = None
    open_offer_id: str | None = None
    amount: Money | None = None
    final_unit_price: Money | None = None
    message: str | None = None

    @property
    def amount_yuan(self) -> Decimal | None:
        """``amount`` in yuan."""
        return fen_to_yuan(self.amount)


@attrs.frozen(kw_only=True)
class AlibabaOrderPreview(WireModel):
    """What one seller order would cost (one entry per resulting seller order), all in fen.

    ``sum_payment = sum_payment_no_carriage + sum_carriage`` in the docs' example
    (5800 + 600 = 6400).
    """

    sum_payment: Money | None = None
    sum_carriage: Money | None = None
    sum_total_payment: Money | None = None
    sum_payment_no_carriage: Money | None = None
    items: list[AlibabaOrderPreviewItem] = attrs.field(
        factory=list, metadata={"json": "orderItemTOList"}
    )

    @property
    def sum_payment_yuan(self) -> Decimal | None:
        """``sum_payment`` in yuan."""
        return fen_to_yuan(self.sum_payment)

    @property
    def sum_carriage_yuan(self) -> Decimal | None:
        """``sum_carriage`` in yuan."""
        return fen_to_yuan(self.sum_carriage)

    @property
    def sum_total_payment_yuan(self) -> Decimal | None:
        """``sum_total_payment`` in yuan."""
        return fen_to_yuan(self.sum_total_payment)


@attrs.frozen(kw_only=True)
class AlibabaCreateOrderRequest(RequestModel):
    """Body of ``alibaba.orders.create`` (KA): at most 50 cargo lines, all from one seller.

    ``out_order_id`` is your own order id, the natural idempotency key.
    ``trade_type`` (upstream): assureTrade, alipay, period, assure, creditBuy, bank…
    """

    flow: str
    address_param: AddressParam
    cargo_param_list: list[CargoParam]
    message: str | None = None
    shop_promotion_id: str | None = None
    trade_type: str | None = None
    out_order_id: str | None = None
    ali_id: str | None = None


@attrs.frozen(kw_only=True)
class AlibabaCreateOrderResult(WriteResult):
    """Result of ``alibaba.orders.create`` (UPSTREAM shape; every field optional); fen."""

    success: bool | None = None
    order_id: Id | None = None
    total_success_amount: Money | None = None
    post_fee: Money | None = None
    code: str | None = None
    message: str | None = None
    account_period: Any = None
    failed_offer_list: list[Any] = attrs.field(factory=list)
    order_list: list[Any] = attrs.field(factory=list)
    #: True when the create's answer was lost and the order was found by ``out_order_id``
    #: instead (then only ``success``, ``order_id`` and ``order_list`` are set). Not on the wire.
    recovered: bool = attrs.field(default=False, init=False)

    @property
    def total_success_amount_yuan(self) -> Decimal | None:
        """``total_success_amount`` in yuan."""
        return fen_to_yuan(self.total_success_amount)


@attrs.frozen(kw_only=True)
class AlibabaOrderListRequest(RequestModel):
    """Body of ``alibaba.orders.list`` (GUESS, after upstream getBuyerOrderList).

    Times are sent as ``"YYYY-MM-DD HH:MM:SS"`` China time (the KA convention);
    ``order_ids`` are sent as numbers.
    """

    page: int = 1
    page_size: int = 20
    order_status: AlibabaOrderStatus | str | None = attrs.field(
        default=None, validator=instance(str)
    )
    create_start_time: ChinaDateTime | None = attrs.field(
        default=None, alias="create_start", validator=aware
    )
    create_end_time: ChinaDateTime | None = attrs.field(
        default=None, alias="create_end", validator=aware
    )
    modify_start_time: ChinaDateTime | None = attrs.field(
        default=None, alias="modify_start", validator=aware
    )
    modify_end_time: ChinaDateTime | None = attrs.field(
        default=None, alias="modify_end", validator=aware
    )
    refund_status: str | None = attrs.field(default=None, validator=instance(str))
    out_order_id: str | None = attrs.field(default=None, validator=instance(str))
    order_ids: list[IntId] | None = attrs.field(default=None, converter=optional_ids)

    def __attrs_post_init__(self) -> None:
        window(self, "create_start_time", "create_end_time")
        window(self, "modify_start_time", "modify_end_time")


@attrs.frozen(kw_only=True)
class AlibabaOrderBaseInfo(WireModel):
    """``baseInfo`` of a 1688 order (TradeInfo).

    Amounts are kept as sent. Their unit is undocumented; most likely yuan with decimals
    (upstream 1688 sends ``6.15``; INFERRED), and a value with a fractional part is yuan
    for certain. The order *preview* answers fen.
    """

    id: Id | None = None
    status: AlibabaOrderStatus | str | None = None
    create_time: ChinaDateTime | None = None
    pay_time: ChinaDateTime | None = None
    total_amount: DecimalValue | None = None
    shipping_fee: DecimalValue | None = None
    refund_status: str | None = None
    out_order_id: str | None = None
    receiver_info: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class AlibabaOrderItem(WireModel):
    """One product line of a 1688 order (``productItems`` item)."""

    product_id: Id | None = attrs.field(default=None, metadata={"json": "productID"})
    sku_id: Id | None = attrs.field(default=None, metadata={"json": "skuID"})
    spec_id: str | None = None
    sub_item_id: Id | None = attrs.field(default=None, metadata={"json": "subItemID"})
    name: str | None = None
    price: DecimalValue | None = None
    quantity: DecimalValue | None = None
    item_amount: DecimalValue | None = None
    status: str | None = None
    refund_status: str | None = None


@attrs.frozen(kw_only=True)
class AlibabaOrder(WireModel):
    """A 1688 order (upstream TradeInfo): ``base_info``, ``product_items``, ``native_logistics``."""

    base_info: AlibabaOrderBaseInfo | None = None
    product_items: list[AlibabaOrderItem] = attrs.field(factory=list)
    native_logistics: dict[str, Any] | None = None

    @property
    def id(self) -> str | None:
        """The 1688 order id (``base_info.id``)."""
        return self.base_info.id if self.base_info else None

    @property
    def status(self) -> AlibabaOrderStatus | str | None:
        """The order status (``base_info.status``)."""
        return self.base_info.status if self.base_info else None


@attrs.frozen(kw_only=True)
class AlibabaOrderListData(WireModel):
    """The ``data`` of ``alibaba.orders.list``: ``{totalRecord, result: [TradeInfo…]}`` (GUESS)."""

    total_record: int | None = None
    result: list[AlibabaOrder] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class AlibabaOrderDetailRequest(RequestModel):
    """Body of ``alibaba.orders.detail`` / ``logistics``: ``{orderId, webSite: "1688"}``."""

    order_id: IntId = attrs.field(converter=_to_str)
    web_site: str = "1688"


@attrs.frozen(kw_only=True)
class AlibabaOrderPayRequest(RequestModel):
    """Body of ``alibaba.orders.pay`` (GUESS): ``{orderIds: [...]}``, ids sent as numbers."""

    order_ids: list[IntId]


@attrs.frozen(kw_only=True)
class AlibabaPayResult(WriteResult):
    """Result of ``alibaba.orders.pay``.

    Test accounts get a ``pay_url`` to open in a browser (KA).
    """

    pay_url: str | None = None


# --------------------------------------------------------------------------- products


@attrs.frozen(kw_only=True)
class AlibabaProductSearchRequest(RequestModel):
    """Body of ``alibaba.products.search`` / ``search_by_image`` (TWIN).

    ``sort`` travels as a JSON string (``{"price": "desc"}``); ``filter`` is a
    comma list (``shipInToday,ksCiphertext``); ``country`` is the language (``en``).
    """

    keyword: str | None = attrs.field(default=None, validator=instance(str))
    begin_page: int = 1
    page_size: int = 20
    country: str | None = attrs.field(default=None, validator=instance(str))
    filter: str | None = attrs.field(default=None, validator=instance(str))
    sort: Annotated[dict[str, str], JSON_STRING] | None = attrs.field(
        default=None, converter=optional_str_map
    )
    out_member_id: str | None = attrs.field(default=None, validator=instance(str))
    price_start: str | None = attrs.field(default=None, validator=instance(str))
    price_end: str | None = attrs.field(default=None, validator=instance(str))
    category_id: IntId | None = attrs.field(default=None, converter=optional_id)
    image_base64: str | None = attrs.field(default=None, validator=instance(str))
    image_address: str | None = attrs.field(default=None, validator=instance(str))
    image_id: str | None = attrs.field(default=None, validator=instance(str))
    region: str | None = attrs.field(default=None, validator=instance(str))


@attrs.frozen(kw_only=True)
class AlibabaPriceInfo(WireModel):
    """Prices of a search hit (TWIN), kept as exact decimals as sent (upstream: yuan)."""

    price: DecimalValue | None = None
    jxhy_price: DecimalValue | None = None
    pf_jxhy_price: DecimalValue | None = None
    consign_price: DecimalValue | None = None
    promotion_price: DecimalValue | None = None


@attrs.frozen(kw_only=True)
class AlibabaProductSummary(WireModel):
    """One hit of a 1688 product search (TWIN)."""

    offer_id: Id | None = None
    subject: str | None = None
    subject_trans: str | None = None
    image_url: str | None = None
    price_info: AlibabaPriceInfo | None = None
    repurchase_rate: str | None = None
    month_sold: int | None = None
    is_one_psale: bool | None = None
    seller_identities: list[str] = attrs.field(factory=list)
    offer_identities: list[str] = attrs.field(factory=list)
    trade_score: str | None = None


@attrs.frozen(kw_only=True)
class AlibabaProductSearchData(WireModel):
    """The ``data`` of a 1688 product search.

    ``{totalRecords, totalPage, pageSize, currentPage, data}`` (TWIN).
    """

    total_records: int | None = None
    total_page: int | None = None
    page_size: int | None = None
    current_page: int | None = None
    data: list[AlibabaProductSummary] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class AlibabaCategoryRequest(RequestModel):
    """Body of ``alibaba.products.category``: ``{categoryId, language}`` (``0`` = root)."""

    category_id: IntId = attrs.field(converter=_to_str)
    language: str | None = None


@attrs.frozen(kw_only=True)
class AlibabaCategory(WireModel):
    """A 1688 category (UPSTREAM). ``children`` is kept as sent (objects or ids)."""

    category_id: Id | None = None
    chinese_name: str | None = None
    translated_name: str | None = None
    language: str | None = None
    leaf: bool | None = None
    level: int | None = None
    parent_cate_id: Id | None = None
    children: list[Any] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class AlibabaProductDetailRequest(RequestModel):
    """Body of ``alibaba.products.detail``: ``{offerId, country, outMemberId}`` (TWIN)."""

    offer_id: IntId = attrs.field(converter=_to_str)
    country: str | None = None
    out_member_id: str | None = None


@attrs.frozen(kw_only=True)
class AlibabaProductDetailMultiRequest(RequestModel):
    """Body of ``alibaba.products.detail_multi`` (GUESS): ``{offerIds, country, outMemberId}``."""

    offer_ids: list[IntId]
    country: str | None = None
    out_member_id: str | None = None


@attrs.frozen(kw_only=True)
class AlibabaProductImage(WireModel):
    """``productImage`` of a product: image URLs and the white-background image."""

    images: list[str] = attrs.field(factory=list)
    white_image: str | None = None


@attrs.frozen(kw_only=True)
class AlibabaProductSku(WireModel):
    """A SKU of a 1688 product; ``spec_id`` is what :class:`CargoParam` takes."""

    sku_id: Id | None = None
    spec_id: str | None = None
    price: DecimalValue | None = None
    amount_on_sale: int | None = None
    sku_attributes: list[Any] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class AlibabaProduct(WireModel):
    """A 1688 product (``alibaba.products.detail``, TWIN shape)."""

    offer_id: Id | None = None
    category_id: Id | None = None
    subject: str | None = None
    subject_trans: str | None = None
    description: str | None = None
    product_image: AlibabaProductImage | None = None
    product_attribute: list[Any] = attrs.field(factory=list)
    product_sku_infos: list[AlibabaProductSku] = attrs.field(factory=list)
    product_sale_info: dict[str, Any] | None = None
    product_shipping_info: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class LogisticsSkuNum(RequestModel):
    """``logisticsSkuNumModels`` item of a freight estimate: a SKU and how many."""

    sku_id: IntId = attrs.field(converter=_to_str)
    number: int


@attrs.frozen(kw_only=True)
class AlibabaFreightEstimateRequest(RequestModel):
    """Body of ``alibaba.products.estimate_freight`` (UPSTREAM).

    The codes are Chinese administrative (district) codes.
    """

    offer_id: IntId = attrs.field(converter=_to_str)
    to_province_code: str
    to_city_code: str
    to_country_code: str
    total_num: int
    logistics_sku_num_models: list[LogisticsSkuNum] | None = None


@attrs.frozen(kw_only=True)
class AlibabaFreightEstimate(WireModel):
    """Domestic freight estimate; ``freight`` is in **yuan** (upstream sends a yuan string)."""

    freight: DecimalValue | None = None
    template_id: Id | None = None
    charge_type: str | None = None
    free_postage: bool | None = None


@attrs.frozen(kw_only=True)
class AlibabaPoolRequest(RequestModel):
    """Body of ``alibaba.products.pool`` (UPSTREAM).

    Reuse one ``task_id`` for every page of a walk.
    """

    offer_pool_id: str = attrs.field(validator=instance(str, optional=False))
    task_id: str = attrs.field(validator=instance(str, optional=False))
    page_no: int = 1
    page_size: int = 20
    cate_id: str | None = attrs.field(default=None, validator=instance(str))
    language: str | None = attrs.field(default=None, validator=instance(str))
    sort_field: str | None = attrs.field(default=None, validator=instance(str))
    sort_type: str | None = attrs.field(default=None, validator=instance(str))
