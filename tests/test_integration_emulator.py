"""The SDK against its emulator: every endpoint round-trips through the real client.

Unlike ``test_resources_wire`` (a recording server) and ``test_emulator`` (raw
aiohttp, never the SDK), these tests send every request through
``XportcnClient`` — signing middleware, transport, retries, cattrs models — to a
running :class:`~xportcn_async.testing.Emulator`, which writes raw JSON shaped
like the docs. A disagreement between the two (a field name, a path, a shape)
fails here.

Time is driven with fakes: retries wait through a recording ``sleep``, clocks are
plain functions. Nothing sleeps for real.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from xportcn_async import RetryPolicy, XportcnClient
from xportcn_async.endpoints import CATALOGUE
from xportcn_async.errors import (
    APIError,
    AuthenticationError,
    InvalidRequestError,
    ServerError,
    TransportError,
)
from xportcn_async.models import (
    AddressParam,
    AlibabaOrder,
    AlibabaOrderStatus,
    AlibabaProductSummary,
    CargoParam,
    DisputeRequest,
    DomesticLogistic,
    FreightInfo,
    GoodsStatus,
    LineItem,
    LogisticInfo,
    Page,
    QualityInspectionInfo,
    RawResult,
    ReceiverAddress,
    RefundStatus,
    RenderItem,
    TaobaoCreateOrderLine,
    TaobaoOrder,
    TaobaoOrderStatus,
    TaobaoReceiver,
    TaobaoRenderLine,
)
from xportcn_async.testing import Emulator, FaultPlan, FaultRule

from .conftest import FakeSleep, load_fixture, sdk_tasks

SH = ZoneInfo("Asia/Shanghai")
EIGHT_HOURS = timedelta(hours=8)
#: A tiny but well-formed JPEG (SOI, JFIF APP0 segment, EOI): starts with FF D8 FF.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"

# The docs' example ids, which the emulator serves (docs/emulator.md, "Data").
OFFER_ID = "889512351602"
SPEC_ID = "530ad00177264564503ec3b848650652"
BALL_MP_ID = "4096919806436206"  # Taobao item, one SKU at 52.45, no post fee
BALL_SKU_ID = "36209282830190"
DRESS_MP_ID = "2048057995392326"  # Taobao item with two SKUs at 0.01

PREVIEW_REQUEST = load_fixture("alibaba_order_preview.request.json")
_ADDR = PREVIEW_REQUEST["addressParam"]
ADDRESS = AddressParam(
    full_name=_ADDR["fullName"],
    mobile=_ADDR["mobile"],
    phone=_ADDR["phone"],
    post_code=_ADDR["postCode"],
    city_text=_ADDR["cityText"],
    province_text=_ADDR["provinceText"],
    area_text=_ADDR["areaText"],
    town_text=_ADDR["townText"],
    address=_ADDR["address"],
    district_code=_ADDR["districtCode"],
)
CARGO = [CargoParam(offer_id=OFFER_ID, spec_id=SPEC_ID, quantity=2)]
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


def make_emulator(**options: Any) -> Emulator:
    """A small emulator: 60 orders per platform is enough for every status to appear."""
    options.setdefault("orders", 60)
    options.setdefault("seed", 11)
    return Emulator(**options)


def make_client(emu: Emulator, **options: Any) -> XportcnClient:
    """The real SDK client, pointed at ``emu`` with its test account."""
    options.setdefault("retry", RetryPolicy(sleep=FakeSleep()))
    return XportcnClient(**emu.credentials, base_url=emu.base_url, **options)


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with make_emulator() as e:
        yield e


@pytest_asyncio.fixture
async def xp(emu: Emulator) -> AsyncIterator[XportcnClient]:
    async with make_client(emu) as client:
        yield client


def assert_china_time(value: datetime | None) -> None:
    assert isinstance(value, datetime)
    assert value.tzinfo is not None and value.utcoffset() == EIGHT_HOURS


def assert_newest_first(times: list[datetime | None]) -> None:
    assert all(t is not None for t in times)
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]


# --------------------------------------------------------------------------- helpers over the SDK


async def waiting_for_payment(xp: XportcnClient) -> AlibabaOrder:
    page = await xp.alibaba.orders.list(order_status=AlibabaOrderStatus.WAITBUYERPAY, page_size=5)
    assert page.items, "the emulator seeds orders in every status"
    return page.items[0]


async def refundable_order(xp: XportcnClient) -> AlibabaOrder:
    """A received 1688 order ('success') with no refund open on it or on its lines."""
    async with xp.alibaba.orders.iter(order_status=AlibabaOrderStatus.SUCCESS) as pager:
        async for order in pager:
            assert order.base_info is not None
            if order.base_info.refund_status is None and all(
                item.refund_status is None for item in order.product_items
            ):
                return order
    raise AssertionError("no refundable 1688 order in the emulator")


async def create_refund(
    xp: XportcnClient, dispute: DisputeRequest = DisputeRequest.RETURN_REFUND
) -> tuple[AlibabaOrder, str]:
    """refund_reasons → upload_voucher → create_refund, all through the SDK."""
    order = await refundable_order(xp)
    item = order.product_items[0]
    assert item.sub_item_id is not None and item.price is not None and item.quantity is not None
    goods = GoodsStatus.REFUND_BUYER_RECEIVED
    reasons = await xp.alibaba.after_sales.refund_reasons(
        order_id=order.id or "", order_entry_ids=[item.sub_item_id], goods_status=goods
    )
    reason = next(r for r in reasons if r.need_voucher)
    voucher = await xp.alibaba.after_sales.upload_voucher(image=JPEG)
    created = await xp.alibaba.after_sales.create_refund(
        order_id=order.id or "",
        order_entry_ids=[item.sub_item_id],
        dispute_request=dispute,
        apply_payment=int(item.price * item.quantity),
        apply_reason_id=reason.id,
        description="收到的商品破损",
        goods_status=goods,
        vouchers=[voucher.url],
        order_entry_counts={item.sub_item_id: int(item.quantity)},
    )
    assert created.refund_id is not None and created.refund_id.startswith("TQ")
    return order, created.refund_id


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


# --------------------------------------------------------------------------- one case per key

Case = Callable[[XportcnClient, Emulator], Awaitable[None]]
CASES: dict[str, Case] = {}


def case(key: str) -> Callable[[Case], Case]:
    """Register the round trip of one catalogue key (it must call that key at least once)."""
    assert key in CATALOGUE, key

    def register(fn: Case) -> Case:
        assert key not in CASES, key
        CASES[key] = fn
        return fn

    return register


@case("address.get")
async def _address_get(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.address.get()
    assert isinstance(result, RawResult)
    assert isinstance(result.data, list) and result.data
    assert {"id", "name", "province", "city", "address", "phone"} <= set(result.data[0])


@case("address.upsert")
async def _address_upsert(xp: XportcnClient, emu: Emulator) -> None:
    saved = await xp.address.upsert(
        name="李四",
        phone="13912345678",
        province="广东省",
        city="东莞市",
        district="虎门镇",
        address="连升中路88号",
    )
    assert saved == RawResult(None)  # the short envelope {"code": 200, "msg": "成功"}
    addresses = (await xp.address.get()).data
    mine = [a for a in addresses if a["address"] == "连升中路88号"]
    assert len(mine) == 1 and mine[0]["name"] == "李四" and mine[0]["id"] != 0
    updated = await xp.address.upsert(
        id=mine[0]["id"], name="李四", phone="13912345678", province="广东省", city="东莞市",
        address="连升中路99号",
    )  # fmt: skip
    assert updated.data is None
    addresses = (await xp.address.get()).data
    assert [a["address"] for a in addresses if a["id"] == mine[0]["id"]] == ["连升中路99号"]


@case("logistics.estimate_freight")
async def _logistics_estimate_freight(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.logistics.estimate_freight(
        item_id=LINE_2.item_id, sku_id=LINE_2.sku_id, quantity=2, receiver=RECEIVER
    )
    options = result.data
    assert isinstance(options, list) and len(options) >= 2
    assert all(isinstance(o["price"], int) and o["price"] > 0 for o in options)  # fen
    assert {o["serviceId"] for o in options} >= {"1", "2"}


@case("logistics.preview_freight")
async def _logistics_preview_freight(xp: XportcnClient, emu: Emulator) -> None:
    render = await xp.logistics.preview_freight(receiver=RECEIVER, items=RENDER_ITEMS)
    render_id = render.get("renderId")
    assert isinstance(render_id, str) and render_id.startswith("FF") and len(render_id) == 15
    lines = render.get("renderItems")
    assert [line["itemId"] for line in lines] == [LINE_1.item_id, LINE_2.item_id]
    # The freight service asked for in freightInfo is the one priced.
    assert [line["freight"]["serviceId"] for line in lines] == ["1", "2"]
    assert render.get("totalFreight") == sum(line["freight"]["price"] for line in lines)


@case("logistics.create_order")
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


@case("logistics.update_domestic")
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


@case("alibaba.products.search")
async def _alibaba_products_search(xp: XportcnClient, emu: Emulator) -> None:
    page = await xp.alibaba.products.search(keyword="cup", page_size=3, sort={"price": "asc"})
    assert isinstance(page, Page) and page.total is not None and page.total > 3
    assert page.has_next and len(page.items) == 3
    for hit in page.items:
        assert isinstance(hit, AlibabaProductSummary)
        assert isinstance(hit.offer_id, str) and hit.offer_id.isdigit()
        assert "cup" in (hit.subject_trans or "").lower()
        assert hit.price_info is not None and isinstance(hit.price_info.price, Decimal)
    prices = [hit.price_info.price for hit in page.items if hit.price_info]
    assert prices == sorted(prices)  # sort travels as a JSON string and is honoured
    second = await xp.alibaba.products.search(
        keyword="cup", begin_page=2, page_size=3, sort={"price": "asc"}
    )
    assert second.page_num == 2 and second.total == page.total
    assert not {h.offer_id for h in second.items} & {h.offer_id for h in page.items}


@case("alibaba.products.search_by_image")
async def _alibaba_products_search_by_image(xp: XportcnClient, emu: Emulator) -> None:
    first = await xp.alibaba.products.search_by_image(image_address="https://img/x.jpg")
    again = await xp.alibaba.products.search_by_image(image_address="https://img/x.jpg")
    assert first.items and [h.offer_id for h in first.items] == [h.offer_id for h in again.items]
    assert all(isinstance(h, AlibabaProductSummary) and h.offer_id for h in first.items)


@case("alibaba.products.category")
async def _alibaba_products_category(xp: XportcnClient, emu: Emulator) -> None:
    root = await xp.alibaba.products.category(category_id=0)
    assert (root.category_id, root.leaf, root.level) == ("0", False, 0)
    assert root.children
    child_id = root.children[0]["categoryId"]
    child = await xp.alibaba.products.category(category_id=child_id)
    assert child.category_id == str(child_id)
    assert child.parent_cate_id == "0" and child.level == 1
    assert child.translated_name == root.children[0]["translatedName"]


@case("alibaba.products.detail")
async def _alibaba_products_detail(xp: XportcnClient, emu: Emulator) -> None:
    product = await xp.alibaba.products.detail(offer_id=int(OFFER_ID))
    assert product.offer_id == OFFER_ID
    assert product.product_image is not None and product.product_image.images
    assert [(s.sku_id, s.spec_id) for s in product.product_sku_infos] == [
        ("5736673805656", SPEC_ID)
    ]
    # The SKUs' specIds are what an order takes: preview every SKU of a multi-SKU offer.
    hits = (await xp.alibaba.products.search(keyword="cup", page_size=20)).items
    for hit in hits:
        offer = await xp.alibaba.products.detail(offer_id=hit.offer_id or "")
        if len(offer.product_sku_infos) > 1:
            break
    else:
        raise AssertionError("no multi-SKU offer among the search hits")
    assert offer.offer_id == hit.offer_id and offer.subject == hit.subject
    skus = offer.product_sku_infos
    assert len({s.spec_id for s in skus}) == len(skus)
    previews = await xp.alibaba.orders.preview(
        flow="general",
        address=ADDRESS,
        cargo=[
            CargoParam(offer_id=offer.offer_id or "", spec_id=s.spec_id, quantity=i + 1)
            for i, s in enumerate(skus)
        ],
    )
    [preview] = previews  # one seller, one preview
    assert [(i.spec_id, i.sku_id, i.offer_id) for i in preview.items] == [
        (s.spec_id, s.sku_id, offer.offer_id) for s in skus
    ]
    for n, (line, sku) in enumerate(zip(preview.items, skus, strict=True), start=1):
        assert line.final_unit_price == sku.price and line.amount == n * (sku.price or 0)


@case("alibaba.products.detail_multi")
async def _alibaba_products_detail_multi(xp: XportcnClient, emu: Emulator) -> None:
    other = (await xp.alibaba.products.search(keyword="cup", page_size=1)).items[0].offer_id
    assert other is not None
    result = await xp.alibaba.products.detail_multi(offer_ids=[OFFER_ID, other, "1"])
    assert isinstance(result.data, list)
    assert [str(p["offerId"]) for p in result.data] == [OFFER_ID, other]  # unknown ids skipped


@case("alibaba.products.estimate_freight")
async def _alibaba_products_estimate_freight(xp: XportcnClient, emu: Emulator) -> None:
    estimate = await xp.alibaba.products.estimate_freight(
        offer_id=OFFER_ID,
        to_province_code="330000",
        to_city_code="330100",
        to_country_code="330106",
        total_num=2,
        sku_numbers={"5736673805656": 2},
    )
    assert estimate.freight == Decimal("6.50")  # a yuan string upstream, kept exact
    assert estimate.free_postage is False
    assert estimate.template_id is not None and estimate.template_id.isdigit()


@case("alibaba.products.pool")
async def _alibaba_products_pool(xp: XportcnClient, emu: Emulator) -> None:
    seen: list[str] = []
    page_no = 1
    while True:
        result = await xp.alibaba.products.pool(
            offer_pool_id="pool-1", task_id="walk-1", page_no=page_no, page_size=25
        )
        chunk = [str(row["offerId"]) for row in result.data]
        seen += chunk
        if len(chunk) < 25:  # a short page ends the walk
            break
        page_no += 1
    assert page_no > 1 and len(seen) == len(set(seen))
    assert set(seen) == {str(o.offer_id) for o in emu.state.catalogue.offers}


@case("alibaba.orders.list")
async def _alibaba_orders_list(xp: XportcnClient, emu: Emulator) -> None:
    page = await xp.alibaba.orders.list(page=1, page_size=10)
    assert page.total == len(emu.state.alibaba) and len(page.items) == 10 and page.has_next
    assert_newest_first([o.base_info.create_time for o in page.items if o.base_info])
    for order in page.items:
        assert isinstance(order.status, AlibabaOrderStatus)
        assert order.base_info is not None and order.id is not None and order.id.isdigit()
        assert_china_time(order.base_info.create_time)
        assert order.product_items and all(i.spec_id for i in order.product_items)
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


@case("alibaba.orders.preview")
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


@case("alibaba.orders.create")
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


@case("alibaba.orders.detail")
async def _alibaba_orders_detail(xp: XportcnClient, emu: Emulator) -> None:
    listed = (await xp.alibaba.orders.list(page_size=3)).items
    for order in listed:
        detail = await xp.alibaba.orders.detail(order_id=order.id or "")
        assert detail == order  # the same TradeInfo, field for field (extra included)


@case("alibaba.orders.pay")
async def _alibaba_orders_pay(xp: XportcnClient, emu: Emulator) -> None:
    order = await waiting_for_payment(xp)
    paid = await xp.alibaba.orders.pay(order_ids=order.id or "")
    assert paid.pay_url is not None and paid.pay_url.startswith("https://")
    assert str(order.id) in paid.pay_url
    after = await xp.alibaba.orders.detail(order_id=order.id or "")
    assert after.status is AlibabaOrderStatus.WAITSELLERSEND
    assert after.base_info is not None
    assert_china_time(after.base_info.pay_time)


@case("alibaba.orders.logistics")
async def _alibaba_orders_logistics(xp: XportcnClient, emu: Emulator) -> None:
    shipped = await xp.alibaba.orders.list(order_status=AlibabaOrderStatus.WAITBUYERRECEIVE)
    order = shipped.items[0]
    parcels = await xp.alibaba.orders.logistics(order_id=order.id or "")
    assert isinstance(parcels.data, list) and parcels.data
    assert order.native_logistics is not None
    bills = [p["logisticsBillNo"] for p in parcels.data]
    assert bills == [i["logisticsBillNo"] for i in order.native_logistics["logisticsItems"]]


@case("alibaba.after_sales.refund_reasons")
async def _refund_reasons(xp: XportcnClient, emu: Emulator) -> None:
    order = await refundable_order(xp)
    entry = order.product_items[0].sub_item_id
    assert entry is not None
    for goods in (GoodsStatus.REFUND_BUYER_RECEIVED, GoodsStatus.AFTERSALE_BUYER_RECEIVED):
        reasons = await xp.alibaba.after_sales.refund_reasons(
            order_id=order.id or "", order_entry_ids=[entry], goods_status=goods
        )
        assert reasons and len({r.id for r in reasons}) == len(reasons)
        assert all(r.id.isdigit() and r.name for r in reasons)
        assert all(isinstance(r.need_voucher, bool) for r in reasons)
        assert any(r.need_voucher for r in reasons)


@case("alibaba.after_sales.upload_voucher")
async def _upload_voucher(xp: XportcnClient, emu: Emulator) -> None:
    voucher = await xp.alibaba.after_sales.upload_voucher(image=JPEG)
    assert voucher.image_domain == "https://cbu01.alicdn.com/"
    assert voucher.url.startswith("https://cbu01.alicdn.com/img/") and voucher.url.endswith(".jpg")
    digest = hashlib.md5(JPEG, usedforsecurity=False).hexdigest()
    assert digest in voucher.url  # the emulator received exactly our bytes
    assert emu.state.vouchers[-1]["size"] == len(JPEG)


@case("alibaba.after_sales.create_refund")
async def _create_refund(xp: XportcnClient, emu: Emulator) -> None:
    order, refund_id = await create_refund(xp, DisputeRequest.REFUND)
    detail = await xp.alibaba.orders.detail(order_id=order.id or "")
    assert detail.base_info is not None
    assert detail.base_info.refund_status == "waitselleragree"
    assert emu.state.refunds[refund_id].dispute_request == "refund"


@case("alibaba.after_sales.submit_return")
async def _submit_return(xp: XportcnClient, emu: Emulator) -> None:
    order, refund_id = await create_refund(xp, DisputeRequest.RETURN_REFUND)
    result = await xp.alibaba.after_sales.submit_return(
        refund_id=refund_id, logistics_company_no="SF", freight_bill="SF1029384756",
        description="已寄回",
    )  # fmt: skip
    assert result.get("refundId") == refund_id and result.get("success") is True
    detail = await xp.alibaba.orders.detail(order_id=order.id or "")
    assert detail.base_info is not None
    assert detail.base_info.refund_status == "waitsellerreceive"


@case("alibaba.after_sales.logistics_companies")
async def _logistics_companies(xp: XportcnClient, emu: Emulator) -> None:
    companies = await xp.alibaba.after_sales.logistics_companies()
    assert len(companies) >= 3
    assert all(c.id and c.company_no and c.company_name for c in companies)
    sf = next(c for c in companies if c.company_no == "SF")
    assert sf.company_name == "顺丰速运" and sf.support_print is True


@case("taobao.products.detail")
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


@case("taobao.products.search")
async def _taobao_products_search(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.taobao.products.search(keyword="球", page_size=5)
    hits = result.get("data")
    assert result.get("totalRecords") >= 1 and hits
    assert BALL_MP_ID in {h["mpId"] for h in hits}
    assert all("球" in h["title"] for h in hits)


@case("taobao.products.search_by_image")
async def _taobao_products_search_by_image(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.taobao.products.search_by_image(image_id="img-1", page_size=5)
    assert len(result.get("data")) == 5 and result.get("totalRecords") > 5
    assert result.get("currentPage") == 1 and result.get("pageSize") == 5


@case("taobao.orders.render")
async def _taobao_orders_render(xp: XportcnClient, emu: Emulator) -> None:
    rendered = await render_ball(xp, quantity=2)
    assert rendered.get("purchaseAmount") == 2 * 5245  # fen, no post fee on this item
    line = rendered.get("orderLineList")[0]
    assert (line["itemId"], line["skuId"], line["quantity"]) == (BALL_MP_ID, BALL_SKU_ID, 2)


@case("taobao.orders.create")
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


@case("taobao.orders.list")
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


@case("wms.forecast")
async def _wms_forecast(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.wms.forecast(
        out_order_id="o-1", logistics_tracking_number="YT1", extra={"expected_at": "x"}
    )
    assert result == RawResult(None)
    assert emu.state.packages[-1] == {
        "kind": "forecast",
        "out_order_id": "o-1",
        "logistics_tracking_number": "YT1",
        "expected_at": "x",
    }


@case("wms.inbound")
async def _wms_inbound(xp: XportcnClient, emu: Emulator) -> None:
    fixture = load_fixture("wms_package_inbound.request.truncated.json")
    qc = fixture["quality_inspection_info"]
    result = await xp.wms.inbound(
        out_order_id=fixture["out_order_id"],
        alibaba_order_id=fixture["alibaba_order_id"],
        logistics_tracking_number=fixture["logistics_tracking_number"],
        quality_inspection=QualityInspectionInfo(
            status=qc["status"], weight=qc["weight"], length=qc["length"], width=qc["width"],
            height=qc["height"], failed_remark=qc["failed_remark"], images=qc["images"],
        ),
    )  # fmt: skip
    assert result == RawResult(None)
    assert emu.state.packages[-1] == {"kind": "inbound", **fixture}


@case("wms.update")
async def _wms_update(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.wms.update(
        alibaba_order_id="2887421737338134260",
        quality_inspection=QualityInspectionInfo(status="质检通过"),
    )
    assert result == RawResult(None)
    assert emu.state.packages[-1]["alibaba_order_id"] == "2887421737338134260"


def test_a_case_for_every_catalogue_key() -> None:
    assert set(CASES) == set(CATALOGUE)
    assert len(CASES) == 33


@pytest.mark.parametrize("key", list(CASES))
async def test_endpoint_round_trips(key: str, xp: XportcnClient, emu: Emulator) -> None:
    await CASES[key](xp, emu)
    assert emu.counters.requests[key] >= 1
    assert not emu.counters.business_errors, emu.counters.business_errors
    assert not emu.counters.auth_rejections


async def test_every_catalogue_key_is_served_through_the_sdk() -> None:
    """All 33 round trips against one emulator, one after another (state carries over)."""
    async with make_emulator(orders=80, seed=5) as emu, make_client(emu) as xp:
        for key, run in CASES.items():
            before = emu.counters.requests[key]
            await run(xp, emu)
            assert emu.counters.requests[key] > before, f"{key} was not called"
        assert set(emu.counters.requests) == set(CATALOGUE)
        assert all(emu.counters.requests[key] >= 1 for key in CATALOGUE)
        assert not emu.counters.business_errors, emu.counters.business_errors
        assert not emu.counters.auth_rejections
        assert not emu.counters.faults
        assert xp.transport.retries == 0


# --------------------------------------------------------------------------- stateful flows


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
    assert [(i.spec_id, i.quantity) for i in top.product_items] == [(SPEC_ID, 2)]

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


async def test_refund_flow(xp: XportcnClient, emu: Emulator) -> None:
    order, refund_id = await create_refund(xp, DisputeRequest.RETURN_REFUND)
    item = order.product_items[0]
    assert emu.state.vouchers and emu.state.refunds[refund_id].order_id == int(order.id or 0)
    detail = await xp.alibaba.orders.detail(order_id=order.id or "")
    assert detail.base_info is not None and detail.base_info.refund_status == "waitselleragree"
    assert detail.product_items[0].refund_status == "waitselleragree"

    # A second refund on the same line: the upstream code 5010, a plain APIError.
    with pytest.raises(APIError) as info:
        await xp.alibaba.after_sales.create_refund(
            order_id=order.id or "", order_entry_ids=[item.sub_item_id or ""],
            dispute_request=DisputeRequest.REFUND, apply_payment=1, apply_reason_id=1,
            description="再退一次", goods_status=GoodsStatus.REFUND_BUYER_RECEIVED,
        )  # fmt: skip
    assert type(info.value) is APIError and info.value.code == 5010

    companies = await xp.alibaba.after_sales.logistics_companies()
    submitted = await xp.alibaba.after_sales.submit_return(
        refund_id=refund_id, logistics_company_no=companies[0].company_no or "",
        freight_bill="SF1000001", description="已寄回,请查收",
    )  # fmt: skip
    assert submitted.get("success") is True
    assert emu.state.refunds[refund_id].returned is not None
    with pytest.raises(APIError) as info:
        await xp.alibaba.after_sales.submit_return(
            refund_id=refund_id, logistics_company_no="SF", freight_bill="SF1000001"
        )
    assert info.value.code == 4008  # already submitted
    assert emu.counters.business_errors == Counter({5010: 1, 4008: 1})


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


# --------------------------------------------------------------------------- path overrides

OVERRIDES = {
    "alibaba.orders.detail": "/alibaba/ka/order/get",
    "taobao.orders.list": "/open/purchase/list",
}


async def test_path_overrides_round_trip() -> None:
    async with make_emulator(orders=20, endpoint_paths=OVERRIDES) as emu:
        assert emu.url("taobao.orders.list").endswith("/api/open/purchase/list")
        async with make_client(emu, endpoint_paths=OVERRIDES) as xp:
            page = await xp.taobao.orders.list(page_size=5)
            assert page.total == 20 and len(page.items) == 5
            order = (await xp.alibaba.orders.list(page_size=1)).items[0]
            assert await xp.alibaba.orders.detail(order_id=order.id or "") == order
        async with XportcnClient(**emu.client_kwargs()) as same:  # carries endpoint_paths
            assert (await same.taobao.orders.list(page_size=1)).total == 20
        assert emu.counters.requests == Counter(
            {"taobao.orders.list": 2, "alibaba.orders.list": 1, "alibaba.orders.detail": 1}
        )


async def test_mismatched_path_override_is_a_clear_error() -> None:
    async with make_emulator(orders=20, endpoint_paths=OVERRIDES) as emu:
        async with make_client(emu) as plain:  # the client still uses the default paths
            with pytest.raises(InvalidRequestError) as info:
                await plain.taobao.orders.list(page_size=5)
            # The reverse: the client overrides a path the emulator serves elsewhere.
            async with make_client(
                emu, endpoint_paths={"alibaba.orders.list": "/alibaba/ka/order/page"}
            ) as other:
                with pytest.raises(InvalidRequestError) as other_info:
                    await other.alibaba.orders.list()
            assert plain.transport.retries == 0 and other.transport.retries == 0
        assert emu.counters.total_requests == 0  # no catalogue route was hit
    error = info.value
    assert (error.http_status, error.code, error.request_id) == (404, None, None)
    assert error.endpoint == "taobao.orders.list"
    assert "/api/open/purchase/page" in str(error) and "Not Found" in str(error)
    assert other_info.value.http_status == 404
    assert "/api/alibaba/ka/order/page" in str(other_info.value)


# --------------------------------------------------------------------------- signature


async def test_sdk_signature_passes_the_emulator_check(xp: XportcnClient, emu: Emulator) -> None:
    for _ in range(3):  # fresh nonce each call: none is refused as replayed
        await xp.taobao.orders.list(page_size=1)
    await xp.alibaba.after_sales.upload_voucher(image=JPEG)  # multipart is signed too
    await xp.alibaba.after_sales.logistics_companies()  # and GET without a body
    assert emu.counters.total_requests == 5 and not emu.counters.auth_rejections


async def test_millisecond_timestamps_are_accepted(emu: Emulator) -> None:
    async with make_client(emu, timestamp_unit="ms") as xp:
        assert (await xp.taobao.orders.list(page_size=1)).total == 60
    assert not emu.counters.auth_rejections


async def test_wrong_secret_is_an_authentication_error(emu: Emulator) -> None:
    creds = {**emu.credentials.as_dict(), "access_secret": "not-the-secret"}
    async with XportcnClient(**creds, base_url=emu.base_url) as xp:
        with pytest.raises(AuthenticationError) as info:
            await xp.taobao.orders.list()
    error = info.value
    assert (error.code, error.http_status) == (401, 200)  # the API answers HTTP 200 + code
    assert error.msg == "signature mismatch" and error.request_id
    assert "not-the-secret" not in str(error) and "not-the-secret" not in repr(error)
    assert emu.counters.auth_rejections == Counter(bad_signature=1)
    assert emu.counters.requests["taobao.orders.list"] == 1  # not retried


async def test_unknown_user_is_refused_with_403(emu: Emulator) -> None:
    creds = {**emu.credentials.as_dict(), "user_id": "999"}
    async with XportcnClient(**creds, base_url=emu.base_url) as xp:
        with pytest.raises(AuthenticationError) as info:
            await xp.address.get()
    assert info.value.code == 403 and "unknown user-id" in info.value.msg
    assert emu.counters.auth_rejections == Counter(unknown_user=1)


async def test_auth_failures_with_an_http_status_map_the_same() -> None:
    async with make_emulator(orders=5, auth_http_status=401) as emu:
        creds = {**emu.credentials.as_dict(), "access_secret": "x"}
        async with XportcnClient(**creds, base_url=emu.base_url) as xp:
            with pytest.raises(AuthenticationError) as info:
                await xp.taobao.orders.list()
    assert (info.value.code, info.value.http_status) == (401, 401)


@pytest.mark.parametrize("skew", [-7200.0, 7200.0])
async def test_skewed_client_clock_is_refused_once_then_corrected(
    skew: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    server_time = 1_790_000_000.0  # both clocks are fakes: nothing waits, offsets are exact
    async with (
        make_emulator(orders=10, time_func=lambda: server_time) as emu,
        make_client(emu) as xp,
    ):
        monkeypatch.setattr(xp.clock, "_time", lambda: server_time + skew)
        # The first call of a fresh client: refused once, the refusal's Date header teaches
        # the offset, and the call is re-signed and sent again by itself.
        page = await xp.taobao.orders.list(page_size=1)
        assert page.total == 10
        assert emu.counters.auth_rejections == Counter(stale_timestamp=1)
        assert xp.clock.offset == -skew
        assert abs(xp.clock.now() - server_time) < 1
        assert emu.counters.requests["taobao.orders.list"] == 2
        await xp.taobao.orders.list(page_size=1)
        assert emu.counters.auth_rejections == Counter(stale_timestamp=1)
        assert emu.counters.requests["taobao.orders.list"] == 3


async def test_a_wrong_signature_is_not_re_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a refusal that corrected the clock is re-sent: a bad secret fails at once."""
    async with make_emulator(orders=10) as emu:
        kwargs = {**emu.client_kwargs(), "access_secret": "not-the-secret"}
        async with XportcnClient(**kwargs) as xp:
            with pytest.raises(AuthenticationError, match="signature"):
                await xp.taobao.orders.list(page_size=1)
        assert emu.counters.requests["taobao.orders.list"] == 1


async def test_skew_with_the_real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, with the emulator on the real clock and the client 2 hours behind it."""
    async with make_emulator(orders=10) as emu, make_client(emu) as xp:
        monkeypatch.setattr(xp.clock, "_time", lambda: time.time() - 7200)
        assert (await xp.taobao.orders.list(page_size=1)).total == 10
        assert abs(xp.clock.offset - 7200) < 3


# --------------------------------------------------------------------------- the pytest plugin


def test_the_plugin_is_registered_by_its_entry_point(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.pluginmanager.has_plugin("xportcn")
    markers = pytestconfig.getini("markers")
    assert any(str(m).startswith("xportcn_emulator(") for m in markers)


async def test_plugin_fixtures(xportcn_client: XportcnClient, xportcn_emulator: Emulator) -> None:
    page = await xportcn_client.taobao.orders.list(page_num=1, page_size=10)
    assert page.total == 200  # the fixture's defaults: 200 orders, seed 0
    assert xportcn_emulator.seed == 0
    assert xportcn_emulator.counters.requests == Counter({"taobao.orders.list": 1})
    assert xportcn_client.config.base_url == xportcn_emulator.base_url


@pytest.mark.xportcn_emulator(
    orders=25,
    seed=7,
    faults=FaultPlan(endpoints={"taobao.orders.list": FaultRule(script=("rate_limit",))}),
)
async def test_plugin_marker(xportcn_client: XportcnClient, xportcn_emulator: Emulator) -> None:
    orders = [o async for o in xportcn_client.taobao.orders.iter(page_size=10)]
    assert len(orders) == 25 and len({o.id for o in orders}) == 25
    assert xportcn_emulator.seed == 7
    # The scripted 429 (Retry-After: 0) was retried by the fixture's client without waiting.
    assert xportcn_emulator.counters.faults == Counter(rate_limit=1)
    assert xportcn_client.transport.retries == 1
    async with (
        Emulator(orders=25, seed=7, now=xportcn_emulator.state.now_anchor) as twin,
        make_client(twin) as other,
    ):
        again = [o async for o in other.taobao.orders.iter(page_size=25)]
    assert again == orders  # same seed and now: the same orders, field for field


# --------------------------------------------------------------------------- faults through the SDK

#: Retryable faults on the Taobao order list; the script makes sure each kind shows up.
RETRYABLE = FaultRule(
    script=(
        "server_error",
        "rate_limit",
        "ok",
        "reset",
        "truncate",
        "ok",
        "html_error",
        "business_error",
    ),
    server_error=0.1,
    rate_limit=0.1,
    retry_after=0,
    reset=0.05,
    truncate=0.05,
    html_error=0.05,
    business_error=0.05,
)


def hour_ago() -> int:
    """An hour-aligned anchor older than the pager's 5-minute safety margin."""
    return (int(time.time()) // 3600 - 1) * 3600


async def test_iter_yields_every_order_once_through_retryable_faults() -> None:
    sleep = FakeSleep()
    plan = FaultPlan(endpoints={"taobao.orders.list": RETRYABLE})
    async with make_emulator(orders=150, seed=3, faults=plan) as emu:
        expected = [str(r.order_id) for r in reversed(emu.state.taobao.records)]
        async with make_client(emu, retry=RetryPolicy(attempts=6, sleep=sleep)) as xp:
            ids = [o.id async for o in xp.taobao.orders.iter(page_size=10)]
            retries = xp.transport.retries
    assert ids == expected  # every order exactly once, newest first
    faults = emu.counters.faults
    assert set(faults) == set(RETRYABLE.script) - {"ok"}
    assert retries == sum(faults.values())  # every fault cost one retry, none was fatal
    assert len(sleep.calls) == retries
    assert sleep.calls.count(0.0) >= faults["rate_limit"]  # Retry-After: 0 honoured
    assert emu.counters.requests["taobao.orders.list"] == 15 + retries


async def test_windowed_concurrent_iter_through_faults() -> None:
    plan = FaultPlan(
        endpoints={
            "taobao.orders.list": FaultRule(
                script=("reset", "server_error", "rate_limit"),
                server_error=0.05,
                rate_limit=0.05,
                reset=0.05,
            )
        }
    )
    async with (
        make_emulator(orders=150, seed=4, now=hour_ago(), days=10, faults=plan) as emu,
        make_client(emu, retry=RetryPolicy(attempts=6, sleep=FakeSleep())) as xp,
    ):
        pager = xp.taobao.orders.iter(
            begin=emu.data_begin, page_size=7, concurrency=3, window=timedelta(days=2)
        )
        ids = [o.id async for o in pager]
    assert sorted(ids) == sorted(str(r.order_id) for r in emu.state.taobao.records)
    assert len(ids) == len(set(ids)) == 150
    assert pager.done and pager.window_count >= 5 and pager.rewalks == 0
    assert emu.counters.faults["reset"] >= 1


async def test_iter_with_orders_arriving_during_the_walk() -> None:
    plan = FaultPlan(drift_per_request=3, drift_endpoints=frozenset({"taobao.orders.list"}))
    async with make_emulator(orders=100, seed=6, faults=plan) as emu:
        original = {str(r.order_id) for r in emu.state.taobao.records}
        async with make_client(emu) as xp:
            ids = [o.id async for o in xp.taobao.orders.iter(page_size=10)]
    assert len(ids) == len(set(ids))  # nothing repeated, although every page shifted
    assert original <= set(ids)  # nothing skipped
    assert emu.counters.drift_orders >= 30


async def test_truncated_json_on_a_read_is_retried_like_a_lost_answer() -> None:
    """A 200 whose JSON stops mid-document was cut short in transit, like a reset.

    The transport reports it as a :class:`TransportError` (not a
    :class:`ResponseDecodeError`, which is kept for answers that are complete but
    not an envelope or not the model): a read is retried, a write would report
    :class:`~xportcn_async.OutcomeUnknownError`.
    """
    plan = FaultPlan(endpoints={"taobao.orders.list": FaultRule(script=("truncate",))})
    async with make_emulator(orders=30, faults=plan) as emu, make_client(emu) as xp:
        page = await xp.taobao.orders.list(page_size=10)
        assert page.total == 30 and len(page.items) == 10
        assert xp.transport.retries == 1
        assert emu.counters.faults == Counter(truncate=1)
        assert emu.counters.requests["taobao.orders.list"] == 2
        assert not emu.counters.auth_rejections  # the retry was signed with a fresh nonce


async def test_truncated_json_without_retries_says_what_happened() -> None:
    plan = FaultPlan(endpoints={"taobao.orders.list": FaultRule(script=("truncate",))})
    async with (
        make_emulator(orders=30, faults=plan) as emu,
        make_client(emu, retry=RetryPolicy.disabled()) as xp,
    ):
        with pytest.raises(TransportError) as info:
            await xp.taobao.orders.list(page_size=10)
        assert type(info.value) is TransportError  # a read: not OutcomeUnknownError
        assert info.value.endpoint == "taobao.orders.list"
        assert "HTTP 200" in str(info.value) and "cut short" in str(info.value)
        assert '{"requestId":' in str(info.value)  # the start of the body, for the logs
        # The next call is answered whole: the connection and the client are still fine.
        assert (await xp.taobao.orders.list(page_size=10)).total == 30


async def test_failed_page_mid_walk_raises_and_the_checkpoint_resumes() -> None:
    script = ("ok", "ok", "server_error")  # the third page fails, and retries are off
    plan = FaultPlan(endpoints={"taobao.orders.list": FaultRule(script=script)})
    async with (
        make_emulator(orders=45, seed=8, faults=plan) as emu,
        make_client(emu, retry=RetryPolicy.disabled()) as xp,
    ):
        got: list[str] = []
        pager = xp.taobao.orders.iter(page_size=10)
        checkpoint = pager.checkpoint()
        with pytest.raises(ServerError):
            async for page in pager.pages():
                got += [o.id for o in page.items]
                checkpoint = pager.checkpoint()
        assert len(got) == 20 and checkpoint["current"] == {"page": 2, "seen": 20}
        resumed = xp.taobao.orders.iter(page_size=10, resume=checkpoint)
        rest = [o.id async for o in resumed]
    assert got + rest == [str(r.order_id) for r in reversed(emu.state.taobao.records)]


async def test_breaking_out_of_a_concurrent_walk_leaves_nothing_running() -> None:
    async with make_emulator(orders=100) as emu, make_client(emu) as xp:
        async with xp.taobao.orders.iter(page_size=5, concurrency=4) as pager:
            async for order in pager:
                if order.id == str(emu.state.taobao.records[-12].order_id):
                    break
        assert not sdk_tasks()  # the prefetched pages were cancelled
        assert emu.counters.requests["taobao.orders.list"] <= 3 + 4
