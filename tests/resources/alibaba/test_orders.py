"""Tests of ``xportcn_async/resources/alibaba/orders.py``: ``xp.alibaba.orders``.

On the wire (``tests/resources/_wire.py``, a recording server): the method, path, body and
query of each call and what its answer structures into. Through the emulator
(``tests/resources/_round_trip.py``): each call round-trips through the real client.

Also: a preview answered as one object, ``iter`` over pages and creation times, bad
arguments refused before anything is sent; a preview, create (twice: idempotent), pay
flow.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import load_fixture
from tests.resources._round_trip import RoundTrips, check_round_trip
from tests.resources._shared import (
    ADDRESS,
    CARGO,
    NAIVE,
    OFFER_ID,
    ORDER_ID,
    SH,
    SPEC_ID,
    TRADE,
    assert_china_time,
    assert_newest_first,
)
from tests.resources._wire import Call, Case, WireServer, case_ids, check_raw, check_wire
from xportcn_async import XportcnClient
from xportcn_async.errors import InvalidRequestError
from xportcn_async.models import AlibabaOrder, AlibabaOrderStatus, CargoParam, Page
from xportcn_async.testing import Emulator

ADDRESS_WIRE = load_fixture("alibaba_order_preview.request.json")["addressParam"]
CARGO_WIRE = load_fixture("alibaba_order_preview.request.json")["cargoParamList"]


async def waiting_for_payment(xp: XportcnClient) -> AlibabaOrder:
    page = await xp.alibaba.orders.list(order_status=AlibabaOrderStatus.WAITBUYERPAY, page_size=5)
    assert page.items, "the emulator seeds orders in every status"
    return page.items[0]


# --------------------------------------------------------------------------- on the wire


def _check_alibaba_list(page: Any) -> None:
    assert isinstance(page, Page)
    assert page.total == 1 and page.page_num == 1 and page.page_size == 20
    assert page.items[0].id == ORDER_ID
    assert page.items[0].status is AlibabaOrderStatus.WAITSELLERSEND
    assert page.items[0].product_items[0].product_id == "889512351602"


WIRE_CASES: list[Case] = [
    Case(
        "alibaba.orders.list",
        lambda xp: xp.alibaba.orders.list(
            page=1,
            page_size=20,
            order_status=AlibabaOrderStatus.WAITSELLERSEND,
            create_start=datetime(2026, 3, 31, 16, 0, tzinfo=timezone.utc),
            order_ids=[ORDER_ID],
        ),
        {
            "page": 1,
            "pageSize": 20,
            "orderStatus": "waitsellersend",
            "createStartTime": "2026-04-01 00:00:00",
            "orderIds": [int(ORDER_ID)],
        },
        reply={"totalRecord": 1, "result": [TRADE]},
        check=_check_alibaba_list,
    ),
    Case(
        "alibaba.orders.preview",
        lambda xp: xp.alibaba.orders.preview(flow="fenxiaonew", address=ADDRESS, cargo=CARGO),
        load_fixture("alibaba_order_preview.request.json"),
        reply=load_fixture("alibaba_order_preview.response.json")["data"],
        got=lambda previews: (previews[0].sum_payment, previews[0].items[0].amount),
        want=(6400, 5800),
    ),
    Case(
        "alibaba.orders.create",
        lambda xp: xp.alibaba.orders.create(
            flow="general",
            address=ADDRESS,
            cargo=CARGO,
            out_order_id="my-order-1",
            message="请尽快发货",
            trade_type="assureTrade",
        ),
        {
            "flow": "general",
            "addressParam": ADDRESS_WIRE,
            "cargoParamList": CARGO_WIRE,
            "outOrderId": "my-order-1",
            "message": "请尽快发货",
            "tradeType": "assureTrade",
        },
        reply={"orderId": int(ORDER_ID), "totalSuccessAmount": 6400, "success": True},
        got=lambda r: (r.order_id, r.total_success_amount, r.success),
        want=(ORDER_ID, 6400, True),
    ),
    Case(
        "alibaba.orders.detail",
        lambda xp: xp.alibaba.orders.detail(order_id=ORDER_ID),
        {"orderId": int(ORDER_ID), "webSite": "1688"},
        reply=TRADE,
        got=lambda o: (o.id, o.base_info.total_amount, o.native_logistics),
        want=(ORDER_ID, Decimal("64.0"), {"province": "广西"}),
    ),
    Case(
        "alibaba.orders.pay",
        lambda xp: xp.alibaba.orders.pay(order_ids=ORDER_ID),
        {"orderIds": [int(ORDER_ID)]},
        reply={"payUrl": "https://pay.example/1"},
        got=lambda r: r.pay_url,
        want="https://pay.example/1",
    ),
    Case(
        "alibaba.orders.logistics",
        lambda xp: xp.alibaba.orders.logistics(order_id=ORDER_ID),
        {"orderId": int(ORDER_ID), "webSite": "1688"},
        reply={"logisticsBillNo": "SF1"},
        check=check_raw({"logisticsBillNo": "SF1"}),
    ),
]


@pytest.mark.parametrize("case", WIRE_CASES, ids=case_ids(WIRE_CASES))
async def test_wire(case: Case, wire: WireServer, wire_xp: XportcnClient) -> None:
    await check_wire(case, wire, wire_xp)


async def test_preview_tolerates_a_single_object(wire: WireServer, wire_xp: XportcnClient) -> None:
    wire.replies["/alibaba/ka/order/create/preview"] = {"sumPayment": 100}
    previews = await wire_xp.alibaba.orders.preview(flow="general", address=ADDRESS, cargo=CARGO)
    assert [p.sum_payment for p in previews] == [100]


async def test_alibaba_iter_uses_page_and_create_times(
    wire: WireServer, wire_xp: XportcnClient
) -> None:
    def reply(body: Any) -> Any:
        trade = {"baseInfo": {"id": body["page"], "status": "success"}}
        return {"totalRecord": 2, "result": [trade] if body["page"] <= 2 else []}

    wire.replies["/alibaba/ka/order/list"] = reply
    begin = datetime(2026, 4, 1, tzinfo=SH)
    pager = wire_xp.alibaba.orders.iter(
        page_size=1, begin=begin, end=begin + timedelta(hours=1), order_status="success"
    )
    ids = [order.id async for order in pager]
    assert ids == ["1", "2"]
    first = wire.seen[0].json
    assert first["page"] == 1 and first["pageSize"] == 1 and first["orderStatus"] == "success"
    assert first["createStartTime"] == "2026-04-01 00:00:00"
    assert first["createEndTime"] == "2026-04-01 01:00:00"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda xp: xp.alibaba.orders.list(page=0), "page"),
        (lambda xp: xp.alibaba.orders.list(create_end=NAIVE), "aware datetime"),
        (
            lambda xp: xp.alibaba.orders.preview(
                flow="general", address=ADDRESS, cargo=[CargoParam("1", "s", 0)]
            ),
            "quantity",
        ),
        (lambda xp: xp.alibaba.orders.preview(flow="general", address=ADDRESS, cargo=[]), "cargo"),
        (
            lambda xp: xp.alibaba.orders.create(
                flow="general", address=ADDRESS, cargo=[CargoParam("1", "s", 1)] * 51
            ),
            "at most 50",
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


@ROUND_TRIPS.case("alibaba.orders.list")
async def _alibaba_orders_list(xp: XportcnClient, emu: Emulator) -> None:
    page = await xp.alibaba.orders.list(page=1, page_size=10)
    assert page.total == len(emu.state.alibaba) and len(page.items) == 10 and page.has_next
    assert_newest_first([o.base_info.create_time for o in page.items if o.base_info])
    for order in page.items:
        assert isinstance(order.status, AlibabaOrderStatus)
        assert order.base_info is not None and order.id is not None and order.id.isdigit()
        assert_china_time(order.base_info.create_time)
        assert order.product_items and all(i.spec_id for i in order.product_items)
        assert order.base_info.shipping_fee is not None
        assert order.base_info.total_amount == order.base_info.shipping_fee + sum(
            i.item_amount or 0 for i in order.product_items
        )
    paid = await xp.alibaba.orders.list(order_status=AlibabaOrderStatus.WAITSELLERSEND)
    assert paid.total == len(emu.state.alibaba.by_status["waitsellersend"])
    assert paid.items and {o.status for o in paid.items} == {AlibabaOrderStatus.WAITSELLERSEND}
    newest, older = page.items[1], page.items[8]
    assert newest.base_info is not None and older.base_info is not None
    window = await xp.alibaba.orders.list(
        create_start=older.base_info.create_time, create_end=newest.base_info.create_time
    )
    assert [o.id for o in window.items] == [o.id for o in page.items[1:9]]
    by_id = await xp.alibaba.orders.list(order_ids=[newest.id or ""])
    assert by_id.items == [newest]
    everything = [o async for o in xp.alibaba.orders.iter(page_size=50)]
    assert len({o.id for o in everything}) == len(everything) == page.total
    assert {o.status for o in everything} == set(AlibabaOrderStatus)


@ROUND_TRIPS.case("alibaba.orders.preview")
async def _alibaba_orders_preview(xp: XportcnClient, emu: Emulator) -> None:
    previews = await xp.alibaba.orders.preview(flow="fenxiaonew", address=ADDRESS, cargo=CARGO)
    expected = load_fixture("alibaba_order_preview.response.json")["data"][0]
    assert len(previews) == 1
    preview = previews[0]
    assert preview.sum_payment == expected["sumPayment"] == 6400
    assert preview.sum_payment_no_carriage == sum(i.amount or 0 for i in preview.items) == 5800
    assert preview.sum_payment == preview.sum_payment_no_carriage + (preview.sum_carriage or 0)
    assert preview.sum_total_payment == 6561 and preview.sum_payment_yuan == Decimal("64.00")
    item = preview.items[0]
    assert (item.offer_id, item.sku_id, item.spec_id) == (OFFER_ID, "5736673805656", SPEC_ID)
    assert item.open_offer_id == expected["orderItemTOList"][0]["openOfferId"]


@ROUND_TRIPS.case("alibaba.orders.create")
async def _alibaba_orders_create(xp: XportcnClient, emu: Emulator) -> None:
    created = await xp.alibaba.orders.create(
        flow="general", address=ADDRESS, cargo=CARGO, out_order_id="case-create-1",
        message="请尽快发货", trade_type="assureTrade",
    )  # fmt: skip
    assert created.success is True and created.order_id is not None
    assert created.total_success_amount == 6400 and created.post_fee == 600
    listed = await xp.alibaba.orders.list(out_order_id="case-create-1")
    assert [o.id for o in listed.items] == [created.order_id]
    assert listed.items[0].status is AlibabaOrderStatus.WAITBUYERPAY


@ROUND_TRIPS.case("alibaba.orders.detail")
async def _alibaba_orders_detail(xp: XportcnClient, emu: Emulator) -> None:
    listed = (await xp.alibaba.orders.list(page_size=3)).items
    for order in listed:
        detail = await xp.alibaba.orders.detail(order_id=order.id or "")
        assert detail == order  # the same TradeInfo, field for field (extra included)


@ROUND_TRIPS.case("alibaba.orders.pay")
async def _alibaba_orders_pay(xp: XportcnClient, emu: Emulator) -> None:
    order = await waiting_for_payment(xp)
    paid = await xp.alibaba.orders.pay(order_ids=order.id or "")
    assert paid.pay_url is not None and paid.pay_url.startswith("https://")
    assert str(order.id) in paid.pay_url
    after = await xp.alibaba.orders.detail(order_id=order.id or "")
    assert after.status is AlibabaOrderStatus.WAITSELLERSEND
    assert after.base_info is not None
    assert_china_time(after.base_info.pay_time)


@ROUND_TRIPS.case("alibaba.orders.logistics")
async def _alibaba_orders_logistics(xp: XportcnClient, emu: Emulator) -> None:
    shipped = await xp.alibaba.orders.list(order_status=AlibabaOrderStatus.WAITBUYERRECEIVE)
    order = shipped.items[0]
    parcels = await xp.alibaba.orders.logistics(order_id=order.id or "")
    assert isinstance(parcels.data, list) and parcels.data
    assert order.native_logistics is not None
    bills = [p["logisticsBillNo"] for p in parcels.data]
    assert bills == [i["logisticsBillNo"] for i in order.native_logistics["logisticsItems"]]


@pytest.mark.parametrize("key", list(ROUND_TRIPS))
async def test_endpoint_round_trips(key: str, xp: XportcnClient, emu: Emulator) -> None:
    await check_round_trip(ROUND_TRIPS[key], key, xp, emu)


async def test_alibaba_preview_create_idempotent_pay(xp: XportcnClient, emu: Emulator) -> None:
    before = len(emu.state.alibaba)
    previews = await xp.alibaba.orders.preview(
        flow="general", address=ADDRESS, cargo=CARGO, out_order_id="SHOP-1001"
    )
    created = await xp.alibaba.orders.create(
        flow="general", address=ADDRESS, cargo=CARGO, out_order_id="SHOP-1001",
        trade_type="assureTrade",
    )  # fmt: skip
    again = await xp.alibaba.orders.create(
        flow="general", address=ADDRESS, cargo=CARGO, out_order_id="SHOP-1001",
        trade_type="assureTrade",
    )  # fmt: skip
    assert created.order_id is not None and again.order_id == created.order_id
    assert again == created
    assert created.total_success_amount == previews[0].sum_payment
    assert emu.counters.orders_created == Counter(alibaba=1)
    assert emu.counters.duplicates_avoided == Counter({"alibaba.orders.create": 1})
    assert len(emu.state.alibaba) == before + 1

    top = (await xp.alibaba.orders.list(page=1, page_size=1)).items[0]
    assert top.id == created.order_id and top.status is AlibabaOrderStatus.WAITBUYERPAY
    assert top.base_info is not None and top.base_info.out_order_id == "SHOP-1001"
    assert top.base_info.pay_time is None
    assert [(i.spec_id, i.quantity) for i in top.product_items] == [(SPEC_ID, Decimal(2))]

    paid = await xp.alibaba.orders.pay(order_ids=[created.order_id])
    assert paid.pay_url and created.order_id in paid.pay_url
    detail = await xp.alibaba.orders.detail(order_id=created.order_id)
    assert detail.status is AlibabaOrderStatus.WAITSELLERSEND
    assert detail.base_info is not None and detail.base_info.pay_time is not None
    listed = await xp.alibaba.orders.list(out_order_id="SHOP-1001")
    assert [o.status for o in listed.items] == [AlibabaOrderStatus.WAITSELLERSEND]

    # Paying twice is refused by the emulator's business rule: a 400, never retried.
    with pytest.raises(InvalidRequestError) as info:
        await xp.alibaba.orders.pay(order_ids=[created.order_id])
    assert info.value.code == 400 and info.value.http_status == 200
    assert info.value.endpoint == "alibaba.orders.pay" and info.value.request_id
    assert emu.counters.requests["alibaba.orders.pay"] == 2

    emu.state.set_alibaba_status(created.order_id, "waitbuyerreceive")
    parcels = await xp.alibaba.orders.logistics(order_id=created.order_id)
    assert len(parcels.data) == 1
