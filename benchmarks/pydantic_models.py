"""Pydantic v2 models equivalent to the SDK's Taobao order models, for the structuring benchmark.

Written the way a careful pydantic user would, to give the same result as
``serde.structure(data, TaobaoOrderListData)`` on the docs' order shape:

* camelCase wire names (``alias_generator=to_camel``), the odd ones spelled out
  (``subOrderVOS``, ``warehouseAddressInfoVO``, ``mobile_phone``); the JSON
  documents inside ``subOrderResult`` use snake_case keys, as on the wire;
* the JSON documents nested in strings are decoded (``Json[...]``):
  ``createSubOrderResult``, ``subOrderResult`` and, inside it,
  ``option_fields.serviceList`` / ``en`` / ``zh``; ``""`` there is None;
* ``"YYYY-MM-DD HH:MM:SS"`` becomes an aware datetime in Asia/Shanghai, Unix-ms
  strings (``close_time_without_payment``) an aware datetime in China time;
* ids are ``str`` whether the JSON had a number or a string
  (``coerce_numbers_to_str``); money is ``int`` fen (``"5245"`` accepted);
* statuses are the SDK's ``IntEnum`` s, or the raw ``int`` when unknown
  (``union_mode="left_to_right"``);
* unknown keys are kept (``extra="allow"``), models are frozen.

Differences, all in pydantic's favour (it does a little less work): ``""`` stays
``""`` in plain string fields (the SDK reads it as None), a nested document that
arrives already decoded (a dict instead of a string) is refused, and there are no
``*_yuan`` views or wire-name error paths.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Json
from pydantic.alias_generators import to_camel

from xportcn_async.models import RefundStatus, TaobaoOrderStatus

CHINA = ZoneInfo("Asia/Shanghai")


def _china(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=CHINA)
    return value.astimezone(CHINA)


def _empty_to_none(value: Any) -> Any:
    return None if value == "" else value


ChinaDateTime = Annotated[datetime, AfterValidator(_china)]
EmptyIsNone = BeforeValidator(_empty_to_none)


class Wire(BaseModel):
    """camelCase on the wire."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        frozen=True,
        coerce_numbers_to_str=True,
    )


class Snake(BaseModel):
    """snake_case on the wire (the documents inside ``subOrderResult``)."""

    model_config = ConfigDict(extra="allow", frozen=True, coerce_numbers_to_str=True)


class WarehouseAddress(Wire):
    name: str | None = None
    phone: str | None = None
    mobile_phone: str | None = Field(default=None, alias="mobilePhone")
    mobile_phone_snake: str | None = Field(default=None, alias="mobile_phone")
    country: str | None = None
    state: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    zip: str | None = None
    tax_id: str | None = None


class SkuInfo(Wire):
    sku_img_url: str | None = None


class ServiceTag(Wire):
    code: str | None = None
    desc: str | None = None
    image_url: str | None = None
    name: str | None = None


class SubOrderOptionFields(Wire):
    supplier_nick: str | None = None
    service_list: Annotated[Json[list[ServiceTag]] | None, EmptyIsNone] = None
    en: Annotated[Json[dict[str, str]] | None, EmptyIsNone] = None
    zh: Annotated[Json[dict[str, str]] | None, EmptyIsNone] = None
    shop_name: str | None = None
    shop_id: str | None = None


class SubOrderResult(Snake):
    purchase_order_outer_id: str | None = None
    purchase_order_line_outer_id: str | None = None
    close_time_without_payment: ChinaDateTime | None = None
    product_amount: int | None = None
    quantity: int | None = None
    title: str | None = None
    purchase_currency: str | None = None
    purchase_amount: int | None = None
    item_id: str | None = None
    domestic_post_fee: int | None = None
    pay_currency: str | None = None
    sub_purchase_order_id: str | None = None
    sku_id: str | None = None
    sku_info: SkuInfo | None = None
    status: str | None = None
    alipay_pay_order_no: str | None = None
    option_fields: SubOrderOptionFields | None = None
    closed: bool | None = None


class CreateSubOrderResult(Snake):
    quantity: int | None = None
    order_line_no: str | None = None
    item_id: str | None = None
    estimate_amount: int | None = None
    sku_id: str | None = None
    estimate_currency: str | None = None
    sub_purchase_order_id: str | None = None


class TaobaoSubOrder(Wire):
    id: str
    order_no: str | None = None
    sub_order_status: str | None = None
    taobao_refund_order: Any = None
    create_sub_order_result: Annotated[Json[CreateSubOrderResult] | None, EmptyIsNone] = None
    sub_order_result: Annotated[Json[SubOrderResult] | None, EmptyIsNone] = None
    taobao_purchase_id: str | None = None
    taobao_sub_purchase_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    refund_status: RefundStatus | int | None = Field(default=None, union_mode="left_to_right")
    refund_id: str | None = None
    item_image_url: str | None = None


class TaobaoOrder(Wire):
    id: str
    order_no: str | None = None
    purchase_id: str | None = None
    status: TaobaoOrderStatus | int | None = Field(default=None, union_mode="left_to_right")
    order_status_desc: str | None = None
    purchase_amount: int | None = None
    create_time: ChinaDateTime | None = None
    pay_time: ChinaDateTime | None = None
    warehouse_address: WarehouseAddress | None = Field(default=None, alias="warehouseAddressInfoVO")
    remark: str | None = None
    sub_orders: list[TaobaoSubOrder] = Field(default_factory=list, alias="subOrderVOS")
    order_line_list: Any = None
    user_name: str | None = None
    user_id: str | None = None
    supplier_nick: str | None = None
    purchase_order_outer_id: str | None = None


class TaobaoOrderListData(Wire):
    total: int | None = None
    data: list[TaobaoOrder] = Field(default_factory=list)


class OrderListEnvelope(BaseModel):
    """The whole answer of ``taobao.orders.list``: the envelope around the page."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    request_id: str | None = None
    code: int
    msg: str | None = None
    data: TaobaoOrderListData | None = None
