"""Lean baselines for the structuring benchmark: pydantic v2 without Python validators, msgspec.

``pydantic_models.py`` reproduces the SDK's semantics exactly, which takes Python-level
validators (China-time zone, ``""`` as None); those cost pydantic time. The models here
use **only** what pydantic-core and msgspec do natively, so they are the fastest a user of
either library would get, at the price of weaker semantics:

* times are naive ``datetime`` (China time implied, not attached); the Unix-ms string
  ``close_time_without_payment`` is parsed by pydantic natively (to UTC) and kept as a
  string by msgspec;
* ``""`` stays ``""``; statuses are plain ``int`` (no enums); unknown keys are ignored;
* the JSON documents in strings are either decoded eagerly (``Json[...]`` in pydantic,
  a second ``msgspec.json.decode`` in msgspec) or left as ``str``, the like-for-like
  match for the SDK, which decodes them only when read.

``LeanEager*`` / ``LeanStr*`` are pydantic; ``Ms*`` are msgspec ``Struct`` s, decoded with
``strict=False`` (numbers in strings accepted, as pydantic's lax mode and the SDK do).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from pydantic import BaseModel, ConfigDict, Field, Json
from pydantic.alias_generators import to_camel

Id = Annotated[str, Field()]


class _Camel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, frozen=True, coerce_numbers_to_str=True
    )


class _Snake(BaseModel):
    model_config = ConfigDict(frozen=True, coerce_numbers_to_str=True)


class LeanAddress(_Camel):
    name: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None
    country: str | None = None
    state: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    zip: str | None = None


class LeanService(_Camel):
    code: str | None = None
    desc: str | None = None
    image_url: str | None = None
    name: str | None = None


class LeanOptions(_Camel):
    supplier_nick: str | None = None
    service_list: Json[list[LeanService]] | str | None = Field(None, union_mode="left_to_right")
    en: Json[dict[str, str]] | str | None = Field(None, union_mode="left_to_right")
    zh: Json[dict[str, str]] | str | None = Field(None, union_mode="left_to_right")
    shop_name: str | None = None
    shop_id: str | None = None


class LeanSkuInfo(_Camel):
    sku_img_url: str | None = None


class LeanSubOrderResult(_Snake):
    purchase_order_outer_id: str | None = None
    close_time_without_payment: datetime | None = None
    product_amount: int | None = None
    quantity: int | None = None
    title: str | None = None
    purchase_amount: int | None = None
    item_id: str | None = None
    sub_purchase_order_id: str | None = None
    sku_id: str | None = None
    sku_info: LeanSkuInfo | None = None
    status: str | None = None
    option_fields: LeanOptions | None = None
    closed: bool | None = None


class LeanCreateResult(_Snake):
    quantity: int | None = None
    order_line_no: str | None = None
    item_id: str | None = None
    estimate_amount: int | None = None
    sku_id: str | None = None
    sub_purchase_order_id: str | None = None


class LeanEagerSubOrder(_Camel):
    id: str
    order_no: str | None = None
    sub_order_status: str | None = None
    create_sub_order_result: Json[LeanCreateResult] | str | None = Field(
        None, union_mode="left_to_right"
    )
    sub_order_result: Json[LeanSubOrderResult] | str | None = Field(
        None, union_mode="left_to_right"
    )
    taobao_purchase_id: str | None = None
    taobao_sub_purchase_id: str | None = None
    refund_status: int | None = None
    refund_id: str | None = None
    item_image_url: str | None = None


class LeanStrSubOrder(_Camel):
    id: str
    order_no: str | None = None
    sub_order_status: str | None = None
    create_sub_order_result: str | None = None
    sub_order_result: str | None = None
    taobao_purchase_id: str | None = None
    taobao_sub_purchase_id: str | None = None
    refund_status: int | None = None
    refund_id: str | None = None
    item_image_url: str | None = None


class _LeanOrderBase(_Camel):
    id: str
    order_no: str | None = None
    purchase_id: str | None = None
    status: int | None = None
    purchase_amount: int | None = None
    create_time: datetime | None = None
    pay_time: datetime | None = None
    warehouse_address: LeanAddress | None = Field(None, alias="warehouseAddressInfoVO")
    user_id: str | None = None
    purchase_order_outer_id: str | None = None


class LeanEagerOrder(_LeanOrderBase):
    sub_orders: list[LeanEagerSubOrder] = Field(default_factory=list, alias="subOrderVOS")


class LeanStrOrder(_LeanOrderBase):
    sub_orders: list[LeanStrSubOrder] = Field(default_factory=list, alias="subOrderVOS")


class LeanEagerPage(_Camel):
    total: int | None = None
    data: list[LeanEagerOrder] = Field(default_factory=list)


class LeanStrPage(_Camel):
    total: int | None = None
    data: list[LeanStrOrder] = Field(default_factory=list)


# --------------------------------------------------------------------------- msgspec


class MsAddress(msgspec.Struct, rename="camel", frozen=True):
    name: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None
    country: str | None = None
    state: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    zip: str | None = None


class MsService(msgspec.Struct, rename="camel", frozen=True):
    code: str | None = None
    desc: str | None = None
    image_url: str | None = None
    name: str | None = None


class MsOptions(msgspec.Struct, rename="camel", frozen=True):
    supplier_nick: str | None = None
    service_list: str | None = None  # JSON in a string
    en: str | None = None
    zh: str | None = None
    shop_name: str | None = None
    shop_id: str | int | None = None


class MsSkuInfo(msgspec.Struct, rename="camel", frozen=True):
    sku_img_url: str | None = None


class MsSubOrderResult(msgspec.Struct, frozen=True):
    purchase_order_outer_id: str | int | None = None
    close_time_without_payment: str | int | None = None
    product_amount: int | None = None
    quantity: int | None = None
    title: str | None = None
    purchase_amount: int | None = None
    item_id: str | int | None = None
    sub_purchase_order_id: str | int | None = None
    sku_id: str | int | None = None
    sku_info: MsSkuInfo | None = None
    status: str | None = None
    option_fields: MsOptions | None = None
    closed: bool | None = None


class MsCreateResult(msgspec.Struct, frozen=True):
    quantity: int | None = None
    order_line_no: str | None = None
    item_id: str | int | None = None
    estimate_amount: int | None = None
    sku_id: str | int | None = None
    sub_purchase_order_id: str | int | None = None


class MsSubOrder(msgspec.Struct, rename="camel", frozen=True):
    id: str | int
    order_no: str | None = None
    sub_order_status: str | None = None
    create_sub_order_result: str | None = None  # JSON in a string
    sub_order_result: str | None = None  # JSON in a string
    taobao_purchase_id: str | int | None = None
    taobao_sub_purchase_id: str | int | None = None
    refund_status: int | None = None
    refund_id: str | None = None
    item_image_url: str | None = None


class MsOrder(msgspec.Struct, rename="camel", frozen=True):
    id: str | int
    order_no: str | None = None
    purchase_id: str | int | None = None
    status: int | None = None
    purchase_amount: int | None = None
    create_time: str | None = None  # "YYYY-MM-DD HH:MM:SS" is not RFC 3339: kept as text
    pay_time: str | None = None
    warehouse_address: MsAddress | None = msgspec.field(default=None, name="warehouseAddressInfoVO")
    user_id: str | int | None = None
    purchase_order_outer_id: str | int | None = None
    sub_orders: list[MsSubOrder] = msgspec.field(default_factory=list, name="subOrderVOS")


class MsPage(msgspec.Struct, frozen=True):
    total: int | None = None
    data: list[MsOrder] = msgspec.field(default_factory=list)


_MS_PAGE = msgspec.json.Decoder(MsPage, strict=False)
_MS_RESULT = msgspec.json.Decoder(MsSubOrderResult, strict=False)
_MS_CREATE = msgspec.json.Decoder(MsCreateResult, strict=False)
_MS_SERVICES = msgspec.json.Decoder(list[MsService], strict=False)
_MS_TEXTS = msgspec.json.Decoder(dict[str, str], strict=False)


def msgspec_page(raw: bytes) -> MsPage:
    """A page decoded by msgspec, the JSON documents in strings left as strings."""
    return _MS_PAGE.decode(raw)


def msgspec_page_nested(raw: bytes) -> list[Any]:
    """A page decoded by msgspec, and every JSON document in its strings decoded too."""
    page = _MS_PAGE.decode(raw)
    out: list[Any] = []
    for order in page.data:
        for sub in order.sub_orders:
            if sub.create_sub_order_result:
                out.append(_MS_CREATE.decode(sub.create_sub_order_result))
            if sub.sub_order_result:
                result = _MS_RESULT.decode(sub.sub_order_result)
                options = result.option_fields
                if options is not None:
                    if options.service_list:
                        out.append(_MS_SERVICES.decode(options.service_list))
                    for text in (options.en, options.zh):
                        if text:
                            out.append(_MS_TEXTS.decode(text))
                out.append(result)
    return out
