"""Every example payload of the docs structures into its model, and loses no key on the way back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest

from tests.conftest import FIXTURES, load_fixture
from xportcn_async import serde
from xportcn_async.models import (
    Address,
    AlibabaOrderPreview,
    AlibabaOrderPreviewRequest,
    EstimateFreightRequest,
    LogisticsOrderRequest,
    MessagePlatform,
    MessageType,
    OrderMessageBody,
    PayStatus,
    PreviewFreightRequest,
    RefundStatus,
    TaobaoOrderListData,
    TaobaoOrderListRequest,
    TaobaoOrderStatus,
    TaobaoProduct,
    UpdateDomesticRequest,
    WireMessage,
    WmsPackageRequest,
)
from xportcn_async.webhooks import parse_message

SH = ZoneInfo("Asia/Shanghai")

#: request fixture → the request model it is the body of.
REQUESTS: dict[str, type[Any]] = {
    "address_upsert.request.json": Address,
    "alibaba_order_preview.request.json": AlibabaOrderPreviewRequest,
    "logistics_create_order.request.json": LogisticsOrderRequest,
    "logistics_estimate_freight.request.json": EstimateFreightRequest,
    "logistics_preview_freight.request.json": PreviewFreightRequest,
    "logistics_update_domestic.request.json": UpdateDomesticRequest,
    "taobao_order_list.request.json": TaobaoOrderListRequest,
    "wms_package_inbound.request.truncated.json": WmsPackageRequest,
}

#: response fixture (an envelope, or the push itself) → the model of its data.
RESPONSES: dict[str, Any] = {
    "taobao_order_list.response.json": TaobaoOrderListData,
    "alibaba_order_preview.response.json": list[AlibabaOrderPreview],
    "product_detail_envelope.trimmed.json": TaobaoProduct,
    "message_order_pay_success.json": WireMessage,
}


def normalize(value: Any) -> Any:
    """Compare JSON modulo what the SDK normalises on purpose.

    JSON documents inside strings are decoded (their formatting may differ);
    ``null``, ``""`` and absent are the same (the SDK reads them all as None and
    does not write None); ids and fen may travel as numbers or digit strings.
    Every key with a real value must survive, with an equal value.
    """
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in ("{", "["):
            try:
                return normalize(orjson.loads(stripped))
            except orjson.JSONDecodeError:
                return value
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items() if v is not None and v != ""}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def response_data(name: str) -> Any:
    doc = load_fixture(name)
    return doc if name.startswith("message_") else doc["data"]


def test_every_fixture_is_covered() -> None:
    names = {p.name for p in Path(FIXTURES).glob("*.json")}
    assert names == set(REQUESTS) | set(RESPONSES)


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_request_fixture_round_trips_exactly(name: str) -> None:
    raw = load_fixture(name)
    model = serde.structure(raw, REQUESTS[name])
    assert model.extra == {}, f"{name}: keys not modelled: {sorted(model.extra)}"
    assert serde.unstructure(model) == raw


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_fixture_loses_no_key(name: str) -> None:
    data = response_data(name)
    model = serde.structure(data, RESPONSES[name])
    assert normalize(serde.unstructure(model)) == normalize(data)


def test_normalize_would_notice_a_lost_key() -> None:
    data = response_data("taobao_order_list.response.json")
    order = serde.structure(data, TaobaoOrderListData)
    written = serde.unstructure(order)
    del written["data"][0]["subOrderVOS"][0]["itemImageUrl"]
    assert normalize(written) != normalize(data)


# --------------------------------------------------------------------------- Taobao order list


def test_taobao_order_contract() -> None:
    page = serde.structure(response_data("taobao_order_list.response.json"), TaobaoOrderListData)
    assert page.total == 1
    order = page.data[0]
    assert order.id == "234804"
    assert order.order_no == "1362127944570372157"
    assert order.purchase_id == "200108703155"
    assert isinstance(order.purchase_id, str)
    assert order.status is TaobaoOrderStatus.TAOBAO_ORDER_WAIT_BUYER_PAY
    assert order.purchase_amount == 5245
    assert order.purchase_amount_yuan == Decimal("52.45")
    assert order.create_time == datetime(2026, 4, 16, 18, 10, 12, tzinfo=SH)
    assert order.create_time is not None
    assert order.create_time.utcoffset() == timedelta(hours=8)
    assert str(order.create_time) == "2026-04-16 18:10:12+08:00"
    assert order.pay_time is None
    assert order.warehouse_address is not None
    assert order.warehouse_address.city == "杭州市"
    assert order.warehouse_address.mobile_phone is None
    assert order.user_id == "2100008388036"
    assert order.purchase_order_outer_id == "4502291943053017318"
    assert order.extra == {}

    sub = order.sub_orders[0]
    assert sub.id == "1362127951428059595"
    assert sub.sub_order_status == "WAIT_BUYER_P"
    assert sub.refund_status is RefundStatus.NONE
    assert sub.refund_id is None  # "" on the wire
    assert sub.taobao_purchase_id == "200108703155"
    assert sub.create_sub_order_result is not None
    assert sub.create_sub_order_result.order_line_no == "LINE002"
    assert sub.create_sub_order_result.sub_purchase_order_id == "200108703156"  # a number inside

    result = sub.sub_order_result
    assert result is not None
    assert result.title == "哆啦a梦儿童拍拍球幼儿园小皮球2婴儿3岁宝宝静音无声西瓜球玩具"
    assert result.product_amount == 5245  # "5245" inside
    assert result.purchase_amount == 5245
    assert result.domestic_post_fee == 0
    assert result.closed is False
    assert result.close_time_without_payment == datetime(2026, 4, 19, 18, 10, 12, tzinfo=SH)
    assert result.sku_info is not None
    assert result.sku_info.sku_img_url is not None
    assert result.option_fields is not None
    assert result.option_fields.shop_id == "457182444"
    assert result.option_fields.service_list is not None
    assert result.option_fields.service_list[0].name == "七天无理由退货"
    assert result.option_fields.en == {
        "Color classification": (
            "Little Lamb [Diameter 15] Soft and Elastic, Explosion-Proof Free: Air Pump"
        )
    }


# --------------------------------------------------------------------------- Alibaba preview


def test_alibaba_preview_contract() -> None:
    previews = serde.structure(
        response_data("alibaba_order_preview.response.json"), list[AlibabaOrderPreview]
    )
    assert len(previews) == 1
    preview = previews[0]
    assert preview.sum_payment == 6400
    assert preview.sum_carriage == 600
    assert preview.sum_total_payment == 6561
    assert preview.sum_payment_no_carriage == 5800
    assert preview.sum_payment == preview.sum_payment_no_carriage + preview.sum_carriage
    assert preview.sum_payment_yuan == Decimal("64.00")
    item = preview.items[0]
    assert item.amount == 5800
    assert item.final_unit_price == 2900
    assert item.amount == 2 * item.final_unit_price
    assert item.offer_id == "889512351602"
    assert item.sku_id == "5736673805656"
    assert item.spec_id == "530ad00177264564503ec3b848650652"
    assert item.open_offer_id == "+vIWvlcT2JMpWVABRdm+WQ=="
    assert item.message is None


def test_alibaba_preview_request_model() -> None:
    body = serde.structure(
        load_fixture("alibaba_order_preview.request.json"), AlibabaOrderPreviewRequest
    )
    assert body.flow == "fenxiaonew"
    assert body.address_param.district_code == "451481"
    assert body.address_param.phone == ""
    cargo = body.cargo_param_list[0]
    assert cargo.offer_id == "889512351602"
    assert cargo.quantity == 2


# --------------------------------------------------------------------------- Taobao product


def test_taobao_product_contract() -> None:
    product = serde.structure(response_data("product_detail_envelope.trimmed.json"), TaobaoProduct)
    assert product.item_id == "672991141190"
    assert product.mp_id == "2048057995392326"
    assert product.shop_id == "268763467"
    assert product.price == 1
    assert product.price_yuan == Decimal("0.01")
    sku = product.sku_list[0]
    assert sku.sku_id == "3452545926724"
    assert sku.promotion_price == 1  # "1" on the wire
    assert sku.mp_sku_id is None
    assert sku.properties[0].prop_name == "颜色分类"
    assert sku.properties[0].value_id == "28326"


# --------------------------------------------------------------------------- requests


def test_taobao_order_list_request_times_are_aware() -> None:
    body = serde.structure(load_fixture("taobao_order_list.request.json"), TaobaoOrderListRequest)
    assert body.begin_date_time == datetime(2026, 4, 1, tzinfo=SH)
    assert body.end_date_time == datetime(2026, 4, 16, 23, 59, 59, tzinfo=SH)
    assert body.status is TaobaoOrderStatus.WAIT_BUYER_CONFIRM_GOODS
    assert body.purchase_id == "500123"


def test_update_domestic_request_model() -> None:
    body = serde.structure(
        load_fixture("logistics_update_domestic.request.json"), UpdateDomesticRequest
    )
    info = body.logistic_infos[0]
    assert info.logistic_number == "FARJP2408000013YQ"
    assert info.line_item.title == "这是商品1"
    parcel = info.domestic_logistic_info[0]
    assert parcel.logistic_number == "SF1234521212678"
    assert parcel.rts_time == datetime.fromtimestamp(1754342534, timezone.utc)


def test_wms_inbound_keeps_dimensions_as_sent() -> None:
    body = serde.structure(
        load_fixture("wms_package_inbound.request.truncated.json"), WmsPackageRequest
    )
    assert body.quality_inspection_info is not None
    assert body.quality_inspection_info.width == "34"
    assert body.quality_inspection_info.length == 23
    assert body.quality_inspection_info.weight == 0.4


# --------------------------------------------------------------------------- message


def test_message_fixture_parses() -> None:
    message = parse_message(load_fixture("message_order_pay_success.json"))
    assert message.message_type is MessageType.ORDER_PAY_SUCCESS
    assert message.platform is MessagePlatform.ALIBABA
    assert message.timestamp == datetime(2026, 5, 20, 7, 47, 49, 913000, tzinfo=timezone.utc)
    body = message.body
    assert isinstance(body, OrderMessageBody)
    assert body.order_id == "3305075341149134260"
    assert body.order_no == "PO202605200001"
    assert body.order_status == "WAITING_FOR_SENT"
    assert body.pay_status is PayStatus.PAID
    assert body.total_amount == 10000
    assert body.total_amount_yuan == Decimal("100.00")
    assert body.shipping_fee == 500
    assert body.product_amount == 9500
    assert body.refund_amount == 0
    assert body.tb_create_time == datetime(2026, 5, 20, 15, 40, tzinfo=SH)
    assert body.pay_time == datetime(2026, 5, 20, 15, 41, tzinfo=SH)
    assert body.extra == {}
