"""Tests of ``xportcn_async/models/taobao.py``: the Taobao order list, product and order-list request, from the docs' examples
(``tests/fixtures/``), field by field.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tests.conftest import load_fixture, response_data
from xportcn_async import serde
from xportcn_async.models import (
    RefundStatus,
    TaobaoOrderListData,
    TaobaoOrderListRequest,
    TaobaoOrderStatus,
    TaobaoProduct,
)

SH = ZoneInfo("Asia/Shanghai")


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


def test_taobao_order_list_request_times_are_aware() -> None:
    body = serde.structure(load_fixture("taobao_order_list.request.json"), TaobaoOrderListRequest)
    assert body.begin_date_time == datetime(2026, 4, 1, tzinfo=SH)
    assert body.end_date_time == datetime(2026, 4, 16, 23, 59, 59, tzinfo=SH)
    assert body.status is TaobaoOrderStatus.WAIT_BUYER_CONFIRM_GOODS
    assert body.purchase_id == "500123"
