"""Tests of ``xportcn_async/resources/logistics.py``: ``xp.logistics``.

On the wire (``tests/resources/_wire.py``, a recording server): the method, path, body and
query of each call and what its answer structures into. Through the emulator
(``tests/resources/_round_trip.py``): each call round-trips through the real client.

Also: a bad quantity is refused before anything is sent; a freight preview, then a
booking of it.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.conftest import load_fixture
from tests.resources._round_trip import RoundTrips, check_round_trip
from tests.resources._shared import SH
from tests.resources._wire import Call, Case, WireServer, case_ids, check_raw, check_wire
from xportcn_async import XportcnClient
from xportcn_async.errors import InvalidRequestError
from xportcn_async.models import (
    DomesticLogistic,
    FreightInfo,
    LineItem,
    LogisticInfo,
    RawResult,
    ReceiverAddress,
    RenderItem,
)
from xportcn_async.testing import Emulator

RECEIVER = ReceiverAddress(
    country="US",
    state="California",
    city="VALLEY VLG",
    zip="91607",
    address="5818 WHITSETT AVE 401",
    name="Ofir Birinbaum",
    phone="5083326888",
    mobile_phone="5083326888",
    email="1229220680@qq.com",
)


FREIGHT_1 = FreightInfo(service_id="1", company_name="", service_category="")
FREIGHT_2 = FreightInfo(service_id="2", company_name="", service_category="")


#: Line items as ``logistics_update_domestic.request.json`` has them (no freight info).
PLAIN_LINE_1 = LineItem(
    item_id="2048020617114736",
    sku_id="413185732720",
    quantity=1,
    title="这是商品1",
    image_url="url",
)
PLAIN_LINE_2 = LineItem(
    item_id="2048232789087639",
    sku_id="4970432383383",
    quantity=2,
    title="这是商品2",
    image_url="url",
)


RTS = datetime.fromtimestamp(1754342534, timezone.utc)


#: Line items of a booking: each names the freight service its preview priced.
LINE_1 = LineItem(
    item_id="2048020617114736",
    sku_id="413185732720",
    quantity=1,
    title="这是商品1",
    image_url="url",
    freight_info=FreightInfo(service_id="1", company_name="", service_category=""),
)
LINE_2 = LineItem(
    item_id="2048232789087639",
    sku_id="4970432383383",
    quantity=2,
    title="这是商品2",
    image_url="url",
    freight_info=FreightInfo(service_id="2", company_name="", service_category=""),
)
RENDER_ITEMS = [
    RenderItem(
        item_id=line.item_id,
        sku_id=line.sku_id,
        quantity=line.quantity,
        freight_info=line.freight_info,
    )
    for line in (LINE_1, LINE_2)
]


# --------------------------------------------------------------------------- on the wire


WIRE_CASES: list[Case] = [
    Case(
        "logistics.estimate_freight",
        lambda xp: xp.logistics.estimate_freight(
            item_id="2048232789087639", sku_id="4970432383383", quantity=1, receiver=RECEIVER
        ),
        load_fixture("logistics_estimate_freight.request.json"),
        reply={"price": 1200},
        check=check_raw({"price": 1200}),
    ),
    Case(
        "logistics.preview_freight",
        lambda xp: xp.logistics.preview_freight(
            receiver=RECEIVER,
            items=[
                RenderItem(
                    item_id="2048020617114736",
                    sku_id="413185732720",
                    quantity=1,
                    freight_info=FREIGHT_1,
                ),
                RenderItem(
                    item_id="2048232789087639",
                    sku_id="4970432383383",
                    quantity=2,
                    freight_info=FREIGHT_2,
                ),
            ],
        ),
        load_fixture("logistics_preview_freight.request.json"),
        reply={"renderId": "FF2024080200007"},
        got=lambda r: r.get("renderId"),
        want="FF2024080200007",
    ),
    Case(
        "logistics.create_order",
        lambda xp: xp.logistics.create_order(
            render_id="FF2024080200007",
            tmall_order_id="123123444",
            receiver=RECEIVER,
            line_items=[
                LineItem(
                    item_id=PLAIN_LINE_1.item_id,
                    sku_id=PLAIN_LINE_1.sku_id,
                    quantity=1,
                    title="这是商品1",
                    image_url="url",
                    freight_info=FREIGHT_1,
                ),
                LineItem(
                    item_id=PLAIN_LINE_2.item_id,
                    sku_id=PLAIN_LINE_2.sku_id,
                    quantity=2,
                    title="这是商品2",
                    image_url="url",
                    freight_info=FREIGHT_2,
                ),
            ],
        ),
        load_fixture("logistics_create_order.request.json"),
        check=check_raw(None),
    ),
    Case(
        "logistics.update_domestic",
        lambda xp: xp.logistics.update_domestic(
            order_id="21",
            tmall_order_id="12345667",
            logistic_infos=[
                LogisticInfo(
                    line_item=PLAIN_LINE_1,
                    logistic_number="FARJP2408000013YQ",
                    domestic_logistic_info=[
                        DomesticLogistic(
                            logistic_number="SF1234521212678",
                            logistic_company_name="顺丰",
                            rts_time=RTS,
                        ),
                        DomesticLogistic(
                            logistic_number="YT122323345678",
                            logistic_company_name="圆通",
                            rts_time=RTS,
                        ),
                    ],
                ),
                LogisticInfo(
                    line_item=PLAIN_LINE_2,
                    logistic_number="FARJP2408000014YQ",
                    domestic_logistic_info=[
                        DomesticLogistic(
                            logistic_number="SF12345444111678",
                            logistic_company_name="顺丰",
                            rts_time=RTS,
                        )
                    ],
                ),
            ],
        ),
        load_fixture("logistics_update_domestic.request.json"),
        reply={"success": True},
        check=check_raw({"success": True}),
    ),
]


@pytest.mark.parametrize("case", WIRE_CASES, ids=case_ids(WIRE_CASES))
async def test_wire(case: Case, wire: WireServer, wire_xp: XportcnClient) -> None:
    await check_wire(case, wire, wire_xp)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda xp: xp.logistics.estimate_freight(item_id="1", quantity=-1, receiver=RECEIVER),
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


@ROUND_TRIPS.case("logistics.estimate_freight")
async def _logistics_estimate_freight(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.logistics.estimate_freight(
        item_id=LINE_2.item_id, sku_id=LINE_2.sku_id, quantity=2, receiver=RECEIVER
    )
    options = result.data
    assert isinstance(options, list) and len(options) >= 2
    assert all(isinstance(o["price"], int) and o["price"] > 0 for o in options)  # fen
    assert {o["serviceId"] for o in options} >= {"1", "2"}


@ROUND_TRIPS.case("logistics.preview_freight")
async def _logistics_preview_freight(xp: XportcnClient, emu: Emulator) -> None:
    render = await xp.logistics.preview_freight(receiver=RECEIVER, items=RENDER_ITEMS)
    render_id = render.get("renderId")
    assert isinstance(render_id, str) and render_id.startswith("FF") and len(render_id) == 15
    lines = render.get("renderItems")
    assert [line["itemId"] for line in lines] == [LINE_1.item_id, LINE_2.item_id]
    # The freight service asked for in freightInfo is the one priced.
    assert [line["freight"]["serviceId"] for line in lines] == ["1", "2"]
    assert render.get("totalFreight") == sum(line["freight"]["price"] for line in lines)


@ROUND_TRIPS.case("logistics.create_order")
async def _logistics_create_order(xp: XportcnClient, emu: Emulator) -> None:
    render = await xp.logistics.preview_freight(receiver=RECEIVER, items=RENDER_ITEMS)
    booking = await xp.logistics.create_order(
        render_id=render.get("renderId"),
        tmall_order_id="123123444",
        receiver=RECEIVER,
        line_items=[LINE_1, LINE_2],
    )
    assert booking.get("renderId") == render.get("renderId")
    assert booking.get("totalFreight") == render.get("totalFreight")
    assert str(booking.get("logisticsOrderNo")).startswith("FARJP")


@ROUND_TRIPS.case("logistics.update_domestic")
async def _logistics_update_domestic(xp: XportcnClient, emu: Emulator) -> None:
    rts = datetime(2025, 8, 5, 5, 22, 14, tzinfo=SH)
    result = await xp.logistics.update_domestic(
        order_id="21",
        tmall_order_id="12345667",
        logistic_infos=[
            LogisticInfo(
                line_item=LINE_1,
                logistic_number="FARJP2408000013YQ",
                domestic_logistic_info=[
                    DomesticLogistic(
                        logistic_number="SF1234521212678",
                        logistic_company_name="顺丰",
                        rts_time=rts,
                    )
                ],
            )
        ],
    )
    assert result == RawResult(None)


@pytest.mark.parametrize("key", list(ROUND_TRIPS))
async def test_endpoint_round_trips(key: str, xp: XportcnClient, emu: Emulator) -> None:
    await check_round_trip(ROUND_TRIPS[key], key, xp, emu)


async def test_logistics_preview_then_book(xp: XportcnClient, emu: Emulator) -> None:
    render = await xp.logistics.preview_freight(receiver=RECEIVER, items=RENDER_ITEMS)
    render_id = render.get("renderId")
    booking = await xp.logistics.create_order(
        render_id=render_id, tmall_order_id="123123444", receiver=RECEIVER,
        line_items=[LINE_1, LINE_2],
    )  # fmt: skip
    assert booking.get("renderId") == render_id
    assert emu.state.logistics_orders[render_id] == booking.data
    with pytest.raises(InvalidRequestError) as info:
        await xp.logistics.create_order(
            render_id="FF2024080200007", receiver=RECEIVER, line_items=[LINE_1]
        )
    assert info.value.code == 404 and "renderId" in info.value.msg
