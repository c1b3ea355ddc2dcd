"""Lean pydantic v2 models of the SDK's Taobao order shape: no Python-level validation code.

``pydantic_models.py`` reproduces the SDK's semantics exactly, which takes Python
validators (``AfterValidator`` for the China time zone, ``BeforeValidator`` for
``""`` as None). The models here declare the **same fields** (every key of the docs'
order, sub-order, ``createSubOrderResult``, ``subOrderResult`` and ``option_fields``)
but use only what pydantic-core does in Rust: no ``field_validator`` /
``model_validator`` / ``BeforeValidator`` / ``AfterValidator``, no ``populate_by_name``.

What pydantic-core does natively here:

* camelCase aliases (``alias_generator=to_camel``, resolved when the class is built),
  the odd names spelled out (``subOrderVOS``, ``warehouseAddressInfoVO``,
  ``mobile_phone``); the documents inside ``subOrderResult`` are snake_case;
* ids are ``str`` whether the JSON had a number or a string (``coerce_numbers_to_str``);
  money is ``int`` fen, ``"5245"`` accepted (lax mode);
* statuses are the SDK's ``IntEnum`` s or the raw ``int`` (``union_mode="left_to_right"``:
  pydantic-core's enum validator, then ``int``);
* ``Json[...]`` makes pydantic-core parse the JSON documents inside strings, eagerly
  (``LeanTaobaoOrderListData``); ``LeanStrTaobaoOrderListData`` types the two sub-order
  documents as plain ``str`` instead (nothing nested is parsed: the like-for-like match
  of the SDK, which decodes them on first access). A nested ``""`` is accepted
  (``Literal[""]``) and stays ``""``.

What differs from the SDK's semantics (all in pydantic's favour, it does less work):

* ``"YYYY-MM-DD HH:MM:SS"`` (China time) becomes a **naive** ``datetime`` (the SDK: aware,
  +08:00); the Unix-ms string ``close_time_without_payment`` is parsed natively into an
  aware datetime in **UTC** (the SDK: the same instant in China time);
* ``""`` stays ``""`` in string fields (the SDK reads it as None);
* unknown keys are **ignored** (pydantic's default; the SDK keeps them in ``extra``) — the
  docs' order has none, so no work is skipped on this data;
* a nested document that arrives already decoded (a dict) is refused; no ``*_yuan`` views,
  no wire-name error paths; models are frozen like the SDK's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Json
from pydantic.alias_generators import to_camel

from xportcn_async.models import RefundStatus, TaobaoOrderStatus


class Wire(BaseModel):
    """camelCase on the wire."""

    model_config = ConfigDict(alias_generator=to_camel, frozen=True, coerce_numbers_to_str=True)


class Snake(BaseModel):
    """snake_case on the wire (the documents inside ``subOrderResult``)."""

    model_config = ConfigDict(frozen=True, coerce_numbers_to_str=True)


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
    service_list: Json[list[ServiceTag]] | Literal[""] | None = None
    en: Json[dict[str, str]] | Literal[""] | None = None
    zh: Json[dict[str, str]] | Literal[""] | None = None
    shop_name: str | None = None
    shop_id: str | None = None


class SubOrderResult(Snake):
    purchase_order_outer_id: str | None = None
    purchase_order_line_outer_id: str | None = None
    close_time_without_payment: datetime | None = None  # Unix ms → aware UTC (natively)
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


class _SubOrderBase(Wire):
    id: str
    order_no: str | None = None
    sub_order_status: str | None = None
    taobao_refund_order: Any = None
    taobao_purchase_id: str | None = None
    taobao_sub_purchase_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    refund_status: RefundStatus | int | None = Field(default=None, union_mode="left_to_right")
    refund_id: str | None = None
    item_image_url: str | None = None


class TaobaoSubOrder(_SubOrderBase):
    """The JSON documents inside strings parsed eagerly by pydantic-core (``Json``)."""

    create_sub_order_result: Json[CreateSubOrderResult] | Literal[""] | None = None
    sub_order_result: Json[SubOrderResult] | Literal[""] | None = None


class StrTaobaoSubOrder(_SubOrderBase):
    """The JSON documents inside strings kept as the strings sent (nothing nested parsed)."""

    create_sub_order_result: str | None = None
    sub_order_result: str | None = None


class _OrderBase(Wire):
    id: str
    order_no: str | None = None
    purchase_id: str | None = None
    status: TaobaoOrderStatus | int | None = Field(default=None, union_mode="left_to_right")
    order_status_desc: str | None = None
    purchase_amount: int | None = None
    create_time: datetime | None = None  # China time, naive
    pay_time: datetime | None = None  # China time, naive
    warehouse_address: WarehouseAddress | None = Field(default=None, alias="warehouseAddressInfoVO")
    remark: str | None = None
    order_line_list: Any = None
    user_name: str | None = None
    user_id: str | None = None
    supplier_nick: str | None = None
    purchase_order_outer_id: str | None = None


class TaobaoOrder(_OrderBase):
    sub_orders: list[TaobaoSubOrder] = Field(default_factory=list, alias="subOrderVOS")


class StrTaobaoOrder(_OrderBase):
    sub_orders: list[StrTaobaoSubOrder] = Field(default_factory=list, alias="subOrderVOS")


class LeanTaobaoOrderListData(Wire):
    """A page, every JSON document inside a string parsed (``Json[...]``)."""

    total: int | None = None
    data: list[TaobaoOrder] = Field(default_factory=list)


class LeanStrTaobaoOrderListData(Wire):
    """A page, the sub-orders' JSON documents left as ``str``."""

    total: int | None = None
    data: list[StrTaobaoOrder] = Field(default_factory=list)
