"""msgspec ``Struct`` models of the SDK's Taobao order shape: the reference for the limit.

The same fields as the SDK's models (every key of the docs' order, sub-order,
``createSubOrderResult``, ``subOrderResult`` and ``option_fields``), decoded with
``msgspec.json.Decoder(Page, strict=False)`` straight from the bytes (``strict=False``:
numbers in strings accepted, ``"5245"`` → 5245, as pydantic's lax mode and the SDK do).
camelCase names via ``rename="camel"``, the odd ones given explicitly; the documents
inside ``subOrderResult`` are snake_case (no rename), ``sku_info`` / ``option_fields``
inside it camelCase.

The JSON documents inside strings are kept as ``str`` by the page decoder (lazy, like the
SDK's default). :func:`decode_nested` decodes **every** one of them with typed decoders
(``createSubOrderResult``, ``subOrderResult`` and its ``option_fields.serviceList`` /
``en`` / ``zh``): the "nested decoded" row calls it on each page right after the page
is decoded (eagerly, nothing cached — what reading every nested field costs once).

What differs from the SDK's semantics (msgspec can do no more natively):

* ids are ``str | int`` as sent (msgspec does not turn a number into ``str``);
* statuses are plain ``int`` (msgspec refuses an ``IntEnum | int`` union);
* ``"YYYY-MM-DD HH:MM:SS"`` becomes a **naive** ``datetime`` (China time implied); the
  Unix-ms string ``close_time_without_payment`` becomes an ``int`` of milliseconds;
* ``""`` stays ``""``; unknown keys are **ignored** (the SDK keeps them in ``extra``; the
  docs' order has none); Structs are frozen, garbage-collected as usual (no ``gc=False``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class WarehouseAddress(msgspec.Struct, rename="camel", frozen=True):
    name: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None  # "mobilePhone"
    mobile_phone_snake: str | None = msgspec.field(default=None, name="mobile_phone")
    country: str | None = None
    state: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    zip: str | None = None
    tax_id: str | None = None


class SkuInfo(msgspec.Struct, rename="camel", frozen=True):
    sku_img_url: str | None = None


class ServiceTag(msgspec.Struct, rename="camel", frozen=True):
    code: str | None = None
    desc: str | None = None
    image_url: str | None = None
    name: str | None = None


class SubOrderOptionFields(msgspec.Struct, rename="camel", frozen=True):
    supplier_nick: str | None = None
    service_list: str | None = None  # JSON in a string: list[ServiceTag]
    en: str | None = None  # JSON in a string: dict[str, str]
    zh: str | None = None  # JSON in a string: dict[str, str]
    shop_name: str | None = None
    shop_id: str | int | None = None


class SubOrderResult(msgspec.Struct, frozen=True):
    purchase_order_outer_id: str | int | None = None
    purchase_order_line_outer_id: str | int | None = None
    close_time_without_payment: int | None = None  # Unix ms (a string on the wire)
    product_amount: int | None = None
    quantity: int | None = None
    title: str | None = None
    purchase_currency: str | None = None
    purchase_amount: int | None = None
    item_id: str | int | None = None
    domestic_post_fee: int | None = None
    pay_currency: str | None = None
    sub_purchase_order_id: str | int | None = None
    sku_id: str | int | None = None
    sku_info: SkuInfo | None = None
    status: str | None = None
    alipay_pay_order_no: str | None = None
    option_fields: SubOrderOptionFields | None = None
    closed: bool | None = None


class CreateSubOrderResult(msgspec.Struct, frozen=True):
    quantity: int | None = None
    order_line_no: str | None = None
    item_id: str | int | None = None
    estimate_amount: int | None = None
    sku_id: str | int | None = None
    estimate_currency: str | None = None
    sub_purchase_order_id: str | int | None = None


class TaobaoSubOrder(msgspec.Struct, rename="camel", frozen=True):
    id: str | int
    order_no: str | None = None
    sub_order_status: str | None = None
    taobao_refund_order: Any = None
    create_sub_order_result: str | None = None  # JSON in a string: CreateSubOrderResult
    sub_order_result: str | None = None  # JSON in a string: SubOrderResult
    taobao_purchase_id: str | int | None = None
    taobao_sub_purchase_id: str | int | None = None
    error_code: str | None = None
    error_message: str | None = None
    refund_status: int | None = None
    refund_id: str | None = None
    item_image_url: str | None = None


class TaobaoOrder(msgspec.Struct, rename="camel", frozen=True):
    id: str | int
    order_no: str | None = None
    purchase_id: str | int | None = None
    status: int | None = None
    order_status_desc: str | None = None
    purchase_amount: int | None = None
    create_time: datetime | None = None  # China time, naive
    pay_time: datetime | None = None  # China time, naive
    warehouse_address: WarehouseAddress | None = msgspec.field(
        default=None, name="warehouseAddressInfoVO"
    )
    remark: str | None = None
    sub_orders: list[TaobaoSubOrder] = msgspec.field(default_factory=list, name="subOrderVOS")
    order_line_list: Any = None
    user_name: str | None = None
    user_id: str | int | None = None
    supplier_nick: str | None = None
    purchase_order_outer_id: str | int | None = None


class TaobaoOrderListData(msgspec.Struct, frozen=True):
    total: int | None = None
    data: list[TaobaoOrder] = msgspec.field(default_factory=list)


class NestedDocs(msgspec.Struct, frozen=True):
    """Every JSON document inside the strings of one sub-order, decoded."""

    create: CreateSubOrderResult | None
    result: SubOrderResult | None
    service_list: list[ServiceTag] | None
    en: dict[str, str] | None
    zh: dict[str, str] | None


PAGE = msgspec.json.Decoder(TaobaoOrderListData, strict=False)
_CREATE = msgspec.json.Decoder(CreateSubOrderResult, strict=False)
_RESULT = msgspec.json.Decoder(SubOrderResult, strict=False)
_SERVICES = msgspec.json.Decoder(list[ServiceTag], strict=False)
_TEXTS = msgspec.json.Decoder(dict[str, str], strict=False)


def decode_page(raw: bytes) -> TaobaoOrderListData:
    """A page; the JSON documents inside strings left as ``str``."""
    return PAGE.decode(raw)


def decode_nested(sub: TaobaoSubOrder) -> NestedDocs:
    """Decode every JSON document inside the strings of ``sub`` (``""``/None → None)."""
    create = _CREATE.decode(sub.create_sub_order_result) if sub.create_sub_order_result else None
    result = _RESULT.decode(sub.sub_order_result) if sub.sub_order_result else None
    options = result.option_fields if result is not None else None
    services = en = zh = None
    if options is not None:
        services = _SERVICES.decode(options.service_list) if options.service_list else None
        en = _TEXTS.decode(options.en) if options.en else None
        zh = _TEXTS.decode(options.zh) if options.zh else None
    return NestedDocs(create, result, services, en, zh)


def decode_page_nested(raw: bytes) -> list[tuple[TaobaoOrder, list[NestedDocs]]]:
    """A page, and every JSON document inside its strings decoded too (eagerly)."""
    return [
        (order, [decode_nested(sub) for sub in order.sub_orders]) for order in PAGE.decode(raw).data
    ]
