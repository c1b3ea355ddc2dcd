"""Tests of ``xportcn_async/resources/taobao.py``: ``xp.taobao.products``, ``xp.taobao.orders``.

On the wire (``tests/resources/_wire.py``, a recording server): the method, path, body and
query of each call and what its answer structures into. Through the emulator
(``tests/resources/_round_trip.py``): each call round-trips through the real client.

Also: only the filters given are sent, ``iter`` walks every page, a decode error names
its endpoint, bad arguments are refused before anything is sent; a render, create, list
flow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import load_fixture
from tests.resources._round_trip import RoundTrips, check_round_trip
from tests.resources._shared import NAIVE, SH, assert_china_time, assert_newest_first
from tests.resources._wire import Call, Case, WireServer, case_ids, check_raw, check_wire
from xportcn_async import XportcnClient
from xportcn_async.errors import InvalidRequestError, ResponseDecodeError
from xportcn_async.models import (
    Page,
    RawResult,
    RefundStatus,
    TaobaoCreateOrderLine,
    TaobaoOrder,
    TaobaoOrderStatus,
    TaobaoReceiver,
    TaobaoRenderLine,
)
from xportcn_async.testing import Emulator

#: A receiver with few fields, and how it travels (a JSON string inside the body).
TB_RECEIVER_MIN = TaobaoReceiver(
    name="张三", mobile_phone="13800138000", country="CN", city="杭州市"
)
TB_RECEIVER_MIN_WIRE = {
    "name": "张三",
    "mobile_phone": "13800138000",
    "country": "CN",
    "city": "杭州市",
}


BALL_MP_ID = "4096919806436206"  # Taobao item, one SKU at 52.45, no post fee
BALL_SKU_ID = "36209282830190"
DRESS_MP_ID = "2048057995392326"  # Taobao item with two SKUs at 0.01


#: A full receiver, as an order is shipped to.
TB_RECEIVER = TaobaoReceiver(
    name="张三",
    phone="13800138000",
    mobile_phone="13800138000",
    country="中国",
    state="浙江省",
    city="杭州市",
    district="西湖区",
    address="文三路90号",
    zip="310012",
)


async def render_ball(xp: XportcnClient, quantity: int = 2) -> RawResult:
    return await xp.taobao.orders.render(
        lines=[TaobaoRenderLine(item_id=BALL_MP_ID, sku_id=BALL_SKU_ID, quantity=quantity)],
        receiver=TB_RECEIVER,
    )


def ball_lines(quantity: int = 2) -> list[TaobaoCreateOrderLine]:
    return [
        TaobaoCreateOrderLine(
            item_id=BALL_MP_ID,
            sku_id=BALL_SKU_ID,
            quantity=quantity,
            order_line_no="LINE001",
            price=5245,
            currency="CNY",
        )
    ]


# --------------------------------------------------------------------------- on the wire


def _check_taobao_page(page: Any) -> None:
    assert isinstance(page, Page)
    assert page.total == 1 and page.page_num == 1 and page.page_size == 10
    assert not page.has_next
    order = page.items[0]
    assert isinstance(order, TaobaoOrder)
    assert order.id == "234804"
    assert order.create_time == datetime(2026, 4, 16, 18, 10, 12, tzinfo=SH)
    assert order.sub_orders[0].sub_order_result is not None


WIRE_CASES: list[Case] = [
    Case(
        "taobao.products.detail",
        lambda xp: xp.taobao.products.detail(item_id=672991141190),
        None,  # GET ?itemId= with no body (CODE)
        query={"itemId": "672991141190"},
        reply=load_fixture("product_detail_envelope.trimmed.json")["data"],
        got=lambda p: (p.mp_id, p.sku_list[0].sku_id),
        want=("2048057995392326", "3452545926724"),
    ),
    Case(
        "taobao.products.search",
        lambda xp: xp.taobao.products.search(keyword="球"),
        {"keyword": "球", "pageNo": 1, "pageSize": 20},
        reply={"data": []},
        check=check_raw({"data": []}),
    ),
    Case(
        "taobao.products.search_by_image",
        lambda xp: xp.taobao.products.search_by_image(image_id="img-1", page_size=5),
        {"imageId": "img-1", "beginPage": 1, "pageSize": 5},
        check=check_raw(None),
    ),
    Case(
        "taobao.orders.render",
        lambda xp: xp.taobao.orders.render(
            lines=[TaobaoRenderLine(item_id="2048020617114736", sku_id="41", quantity=1)],
            receiver=TB_RECEIVER_MIN,
        ),
        {
            "orderLineList": [{"itemId": "2048020617114736", "skuId": "41", "quantity": 1}],
            "receiver": TB_RECEIVER_MIN_WIRE,
        },
        reply={"totalAmount": 100},
        check=check_raw({"totalAmount": 100}),
    ),
    Case(
        "taobao.orders.create",
        lambda xp: xp.taobao.orders.create(
            lines=[
                TaobaoCreateOrderLine(
                    item_id="2048020617114736",
                    sku_id="41",
                    quantity=1,
                    order_line_no="LINE001",
                    price=5245,
                    currency="CNY",
                )
            ],
            receiver=TB_RECEIVER_MIN,
            purchase_amount=5245,
            order_source="api",
            seller_order_number="S-1",
        ),
        {
            "purchaseAmount": 5245,
            "receiver": TB_RECEIVER_MIN_WIRE,
            "orderLineList": [
                {
                    "itemId": "2048020617114736",
                    "skuId": "41",
                    "quantity": 1,
                    "orderLineNo": "LINE001",
                    "price": 5245,
                    "currency": "CNY",
                }
            ],
            "orderSource": "api",
            "sellerOrderNumber": "S-1",
        },
        reply={
            "success": True,
            "payment_url": "https://pay/1",
            "order_list": [{"purchase_id": 200108703155, "estimate_amount": 5965}],
        },
        got=lambda r: (r.success, r.payment_url, r.order_list[0].purchase_id),
        want=(True, "https://pay/1", "200108703155"),
    ),
    Case(
        "taobao.orders.list",
        lambda xp: xp.taobao.orders.list(
            page_num=1,
            page_size=10,
            order_no="1362127944570372157",
            purchase_id=500123,
            status=TaobaoOrderStatus.WAIT_BUYER_CONFIRM_GOODS,
            begin=datetime(2026, 4, 1, tzinfo=SH),
            end=datetime(2026, 4, 16, 15, 59, 59, tzinfo=timezone.utc),
        ),
        load_fixture("taobao_order_list.request.json"),
        reply=load_fixture("taobao_order_list.response.json")["data"],
        check=_check_taobao_page,
    ),
]


@pytest.mark.parametrize("case", WIRE_CASES, ids=case_ids(WIRE_CASES))
async def test_wire(case: Case, wire: WireServer, wire_xp: XportcnClient) -> None:
    await check_wire(case, wire, wire_xp)


async def test_decode_error_names_endpoint_and_request_id(
    wire: WireServer, wire_xp: XportcnClient
) -> None:
    data = load_fixture("taobao_order_list.response.json")["data"]
    data["data"][0]["subOrderVOS"][0]["subOrderResult"] = "{broken"
    wire.replies["/open/purchase/page"] = data
    # Nested JSON strings are decoded on first access: the page arrives, the field raises.
    page = await wire_xp.taobao.orders.list(page_num=1, page_size=10)
    with pytest.raises(ResponseDecodeError) as info:
        _ = page.items[0].sub_orders[0].sub_order_result
    assert info.value.endpoint == "taobao.orders.list"
    assert info.value.request_id == "rid-1"
    assert info.value.errors[0].endswith("@ $.data[0].subOrderVOS[0].subOrderResult")


async def test_only_given_filters_are_sent(wire: WireServer, wire_xp: XportcnClient) -> None:
    wire.replies["/open/purchase/page"] = {"total": 0, "data": []}
    page = await wire_xp.taobao.orders.list(
        page_num=3, page_size=50, status=None, order_no=None, purchase_id=None, begin=None, end=None
    )
    assert wire.last().json == {"pageNum": 3, "pageSize": 50}
    assert page.items == [] and page.total == 0 and not page.has_next


def _orders_reply(total: int) -> Callable[[Any], Any]:
    template = load_fixture("taobao_order_list.response.json")["data"]["data"][0]

    def reply(body: Any) -> Any:
        start = (body["pageNum"] - 1) * body["pageSize"]
        ids = range(start, min(start + body["pageSize"], total))
        return {"total": total, "data": [dict(template, id=str(i)) for i in ids]}

    return reply


async def test_taobao_iter_walks_every_page(wire: WireServer, wire_xp: XportcnClient) -> None:
    wire.replies["/open/purchase/page"] = _orders_reply(7)
    ids = [order.id async for order in wire_xp.taobao.orders.iter(page_size=3, status=10)]
    assert ids == [str(i) for i in range(7)]
    assert [s.json for s in wire.seen] == [
        {"pageNum": n, "pageSize": 3, "status": 10} for n in (1, 2, 3)
    ]


async def test_taobao_iter_with_a_time_window(wire: WireServer, wire_xp: XportcnClient) -> None:
    wire.replies["/open/purchase/page"] = _orders_reply(2)
    begin = datetime(2026, 4, 1, tzinfo=SH)
    end = datetime(2026, 4, 1, 23, 59, 59, tzinfo=SH)
    orders = [
        order async for order in wire_xp.taobao.orders.iter(page_size=10, begin=begin, end=end)
    ]
    assert len(orders) == 2
    first = wire.seen[0].json
    assert first["beginDateTime"] == "2026-04-01 00:00:00"
    assert first["endDateTime"] == "2026-04-01 23:59:59"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda xp: xp.taobao.orders.list(page_num=0, page_size=10), "page_num"),
        (lambda xp: xp.taobao.orders.list(page_num=1, page_size=0), "page_size"),
        (lambda xp: xp.taobao.orders.list(begin=NAIVE), "aware datetime"),
        (
            lambda xp: xp.taobao.orders.list(
                begin=datetime(2026, 4, 2, tzinfo=SH), end=datetime(2026, 4, 1, tzinfo=SH)
            ),
            "after",
        ),
        (
            lambda xp: xp.taobao.orders.render(
                lines=[TaobaoRenderLine(item_id="1", quantity=0)], receiver=TB_RECEIVER_MIN
            ),
            "quantity",
        ),
    ],
)
async def test_bad_arguments_are_refused_before_sending(
    call: Call, message: str, wire: WireServer, wire_xp: XportcnClient
) -> None:
    with pytest.raises(ValueError, match=message):
        await call(wire_xp)
    assert wire.seen == []


# --------------------------------------------------------------------------- through the emulator


ROUND_TRIPS = RoundTrips()


@ROUND_TRIPS.case("taobao.products.detail")
async def _taobao_products_detail(xp: XportcnClient, emu: Emulator) -> None:
    product = await xp.taobao.products.detail(item_id=DRESS_MP_ID)
    fixture = load_fixture("product_detail_envelope.trimmed.json")["data"]
    assert product.mp_id == DRESS_MP_ID and product.item_id == str(fixture["itemId"])
    assert product.title == fixture["title"] and product.shop_id == str(fixture["shopId"])
    assert [s.sku_id for s in product.sku_list] == ["3452545926724", "3452545926725"]
    sku = product.sku_list[0]
    assert sku.price == 1 and isinstance(sku.price, int)  # fen
    assert sku.properties[0].prop_name == "颜色分类" and sku.properties[0].value_name == "红色"
    by_item_id = await xp.taobao.products.detail(item_id=int(fixture["itemId"]))
    assert by_item_id == product


@ROUND_TRIPS.case("taobao.products.search")
async def _taobao_products_search(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.taobao.products.search(keyword="球", page_size=5)
    hits = result.get("data")
    assert result.get("totalRecords") >= 1 and hits
    assert BALL_MP_ID in {h["mpId"] for h in hits}
    assert all("球" in h["title"] for h in hits)


@ROUND_TRIPS.case("taobao.products.search_by_image")
async def _taobao_products_search_by_image(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.taobao.products.search_by_image(image_id="img-1", page_size=5)
    assert len(result.get("data")) == 5 and result.get("totalRecords") > 5
    assert result.get("currentPage") == 1 and result.get("pageSize") == 5


@ROUND_TRIPS.case("taobao.orders.render")
async def _taobao_orders_render(xp: XportcnClient, emu: Emulator) -> None:
    rendered = await render_ball(xp, quantity=2)
    assert rendered.get("purchaseAmount") == 2 * 5245  # fen, no post fee on this item
    line = rendered.get("orderLineList")[0]
    assert (line["itemId"], line["skuId"], line["quantity"]) == (BALL_MP_ID, BALL_SKU_ID, 2)


@ROUND_TRIPS.case("taobao.orders.create")
async def _taobao_orders_create(xp: XportcnClient, emu: Emulator) -> None:
    created = await xp.taobao.orders.create(
        lines=ball_lines(1), receiver=TB_RECEIVER, purchase_amount=5245,
        order_source="api", seller_order_number="case-tb-create-1",
    )  # fmt: skip
    assert created.success is True and created.payment_url
    assert created.outer_purchase_id == "case-tb-create-1"
    [purchase] = created.order_list
    assert purchase.purchase_id is not None and purchase.estimate_amount == 5245
    top = (await xp.taobao.orders.list(page_num=1, page_size=1)).items[0]
    assert top.purchase_id == purchase.purchase_id


@ROUND_TRIPS.case("taobao.orders.list")
async def _taobao_orders_list(xp: XportcnClient, emu: Emulator) -> None:
    page = await xp.taobao.orders.list(page_num=1, page_size=20)
    assert page.total == len(emu.state.taobao) and len(page.items) == 20 and page.has_next
    assert_newest_first([o.create_time for o in page.items])
    for order in page.items:
        assert isinstance(order, TaobaoOrder) and order.id.isdigit()
        assert isinstance(order.status, TaobaoOrderStatus)
        assert isinstance(order.purchase_amount, int)
        assert order.purchase_amount_yuan == Decimal(order.purchase_amount) / 100
        assert_china_time(order.create_time)
        assert order.warehouse_address is not None and order.warehouse_address.city
        sub = order.sub_orders[0]
        assert sub.sub_order_result is not None and sub.sub_order_result.title
        assert sub.create_sub_order_result is not None
        assert order.purchase_amount == sum(
            s.sub_order_result.purchase_amount or 0
            for s in order.sub_orders
            if s.sub_order_result is not None
        )
    # Filters travel as the spec names them and are honoured.
    waiting = await xp.taobao.orders.list(status=TaobaoOrderStatus.WAIT_SELLER_SEND_GOODS)
    assert waiting.total == len(emu.state.taobao.by_status[10])
    assert {o.status for o in waiting.items} == {TaobaoOrderStatus.WAIT_SELLER_SEND_GOODS}
    picked = page.items[3]
    by_no = await xp.taobao.orders.list(order_no=picked.order_no)
    assert by_no.total == 1 and by_no.items == [picked]
    by_purchase = await xp.taobao.orders.list(purchase_id=picked.purchase_id)
    assert by_purchase.items == [picked]
    newest, older = page.items[2], page.items[7]
    window = await xp.taobao.orders.list(begin=older.create_time, end=newest.create_time)
    assert [o.id for o in window.items] == [o.id for o in page.items[2:8]]
    # Every status the emulator sends is one the SDK knows (no raw ints left over).
    everything = [o async for o in xp.taobao.orders.iter(page_size=50)]
    assert len({o.id for o in everything}) == len(everything) == page.total
    assert {o.status for o in everything} == set(TaobaoOrderStatus)
    assert {s.refund_status for o in everything for s in o.sub_orders} == set(RefundStatus)


@pytest.mark.parametrize("key", list(ROUND_TRIPS))
async def test_endpoint_round_trips(key: str, xp: XportcnClient, emu: Emulator) -> None:
    await check_round_trip(ROUND_TRIPS[key], key, xp, emu)


async def test_taobao_render_create_list(xp: XportcnClient, emu: Emulator) -> None:
    rendered = await render_ball(xp, quantity=2)
    amount = rendered.get("purchaseAmount")
    assert amount == 10490
    created = await xp.taobao.orders.create(
        lines=ball_lines(2), receiver=TB_RECEIVER, purchase_amount=amount,
        order_source="api", seller_order_number="TB-2001",
    )  # fmt: skip
    again = await xp.taobao.orders.create(
        lines=ball_lines(2), receiver=TB_RECEIVER, purchase_amount=amount,
        out_order_id="TB-2001",  # the other name of the same key
    )  # fmt: skip
    assert again == created
    assert emu.counters.orders_created == Counter(taobao=1)
    assert emu.counters.duplicates_avoided == Counter({"taobao.orders.create": 1})
    [purchase] = created.order_list
    assert purchase.estimate_amount == amount

    page = await xp.taobao.orders.list(page_num=1, page_size=5)
    assert page.total == len(emu.state.taobao)
    top = page.items[0]
    assert top.purchase_id == purchase.purchase_id
    assert top.status is TaobaoOrderStatus.TAOBAO_ORDER_WAIT_BUYER_PAY
    assert top.purchase_amount == amount and top.pay_time is None
    assert_china_time(top.create_time)
    assert top.warehouse_address is not None
    assert (top.warehouse_address.city, top.warehouse_address.any_mobile_phone) == (
        "杭州市", "13800138000"
    )  # fmt: skip
    result = top.sub_orders[0].sub_order_result
    assert result is not None and result.quantity == 2 and result.purchase_amount == amount
    assert result.title and "拍拍球" in result.title
    assert top.sub_orders[0].refund_status is RefundStatus.NONE

    unpaid = await xp.taobao.orders.list(status=TaobaoOrderStatus.TAOBAO_ORDER_WAIT_BUYER_PAY)
    assert unpaid.items[0].id == top.id

    emu.state.set_taobao_status(top.id, int(TaobaoOrderStatus.WAIT_SELLER_SEND_GOODS))
    moved = (await xp.taobao.orders.list(order_no=top.order_no)).items[0]
    assert moved.status is TaobaoOrderStatus.WAIT_SELLER_SEND_GOODS
    assert_china_time(moved.pay_time)

    # A stale price is refused before any order is made.
    with pytest.raises(InvalidRequestError, match="purchaseAmount"):
        await xp.taobao.orders.create(
            lines=ball_lines(2), receiver=TB_RECEIVER, purchase_amount=amount - 1,
            seller_order_number="TB-2002",
        )  # fmt: skip
    assert emu.counters.orders_created == Counter(taobao=1)
