"""What every resource method puts on the wire, seen by a real local HTTP server.

For each of the catalogue's operations: method, path, JSON body (or multipart
parts) and query, plus what the answer structures into. Then path overrides and
the argument checks that refuse bad input before anything is sent.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.conftest import load_fixture
from xportcn_async import XportcnClient
from xportcn_async.endpoints import CATALOGUE
from xportcn_async.errors import ResponseDecodeError
from xportcn_async.models import (
    AddressParam,
    AlibabaOrderStatus,
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
    RenderItem,
    TaobaoCreateOrderLine,
    TaobaoOrder,
    TaobaoOrderStatus,
    TaobaoReceiver,
    TaobaoRenderLine,
)

SH = ZoneInfo("Asia/Shanghai")
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    parts: dict[str, tuple[str | None, str | None, bytes]] = field(default_factory=dict)
    raw: bytes = b""


class WireServer:
    """Records every request and answers an envelope whose ``data`` is ``replies[path]``."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.replies: dict[str, Any] = {}
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def base_url(self) -> str:
        return str(self.server.make_url("")).rstrip("/")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        seen = Seen(
            request.method,
            request.path,
            dict(request.query),
            {k.lower(): v for k, v in request.headers.items()},
        )
        if request.content_type == "multipart/form-data":
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    seen.parts[name] = (value.filename, value.content_type, value.file.read())
                else:
                    seen.parts[name] = (None, None, str(value).encode())
        else:
            seen.raw = await request.read()
            seen.json = orjson.loads(seen.raw) if seen.raw else None
        self.seen.append(seen)
        reply = self.replies.get(request.path)
        if callable(reply):
            reply = reply(seen.json)
        doc = {
            "requestId": f"rid-{len(self.seen)}",
            "code": 200,
            "developId": "1",
            "msg": "成功",
            "data": reply,
        }
        return web.Response(body=orjson.dumps(doc), content_type="application/json")

    def last(self) -> Seen:
        assert self.seen, "no request reached the server"
        return self.seen[-1]


@pytest_asyncio.fixture
async def wire() -> AsyncIterator[WireServer]:
    server = WireServer()
    await server.server.start_server()
    try:
        yield server
    finally:
        await server.server.close()


@pytest_asyncio.fixture
async def xp(wire: WireServer) -> AsyncIterator[XportcnClient]:
    async with XportcnClient(
        access_key="k", access_secret="s", user_id="u", base_url=wire.base_url
    ) as client:
        yield client


# --------------------------------------------------------------------------- shared arguments

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
ADDRESS = AddressParam(
    full_name="test",
    mobile="13567102355",
    phone="",
    post_code="532600",
    city_text="崇左市",
    province_text="凭祥市区",
    area_text="凭祥市区",
    town_text="广西壮族自治区省",
    address="测试",
    district_code="451481",
)
CARGO = [
    CargoParam(offer_id="889512351602", spec_id="530ad00177264564503ec3b848650652", quantity=2)
]
ADDRESS_WIRE = load_fixture("alibaba_order_preview.request.json")["addressParam"]
CARGO_WIRE = load_fixture("alibaba_order_preview.request.json")["cargoParamList"]
TB_RECEIVER = TaobaoReceiver(name="张三", mobile_phone="13800138000", country="CN", city="杭州市")
TB_RECEIVER_WIRE = {
    "name": "张三",
    "mobile_phone": "13800138000",
    "country": "CN",
    "city": "杭州市",
}
LINE_1 = LineItem(
    item_id="2048020617114736",
    sku_id="413185732720",
    quantity=1,
    title="这是商品1",
    image_url="url",
)
LINE_2 = LineItem(
    item_id="2048232789087639",
    sku_id="4970432383383",
    quantity=2,
    title="这是商品2",
    image_url="url",
)
RTS = datetime.fromtimestamp(1754342534, timezone.utc)
ORDER_ID = "3305075341149134260"
TRADE = {
    "baseInfo": {"id": int(ORDER_ID), "status": "waitsellersend", "totalAmount": 64.0},
    "productItems": [{"productID": 889512351602, "skuID": 5736673805656, "quantity": 2}],
    "nativeLogistics": {"province": "广西"},
}

Call = Callable[[XportcnClient], Awaitable[Any]]
Check = Callable[[Any], None]


@dataclass
class Case:
    key: str
    call: Call
    body: Any  # the JSON body expected on the wire (None: no body)
    reply: Any = None  # the envelope's data
    check: Check | None = None
    got: Callable[[Any], Any] | None = None  # what to read from the result …
    want: Any = None  # … and what it must equal
    query: dict[str, str] = field(default_factory=dict)
    parts: dict[str, tuple[str | None, str | None, bytes]] | None = None


def _check_taobao_page(page: Any) -> None:
    assert isinstance(page, Page)
    assert page.total == 1 and page.page_num == 1 and page.page_size == 10
    assert not page.has_next
    order = page.items[0]
    assert isinstance(order, TaobaoOrder)
    assert order.id == "234804"
    assert order.create_time == datetime(2026, 4, 16, 18, 10, 12, tzinfo=SH)
    assert order.sub_orders[0].sub_order_result is not None


def _check_search(page: Any) -> None:
    assert isinstance(page, Page)
    assert (page.total, page.page_num, page.page_size, page.has_next) == (25, 2, 10, True)
    assert page.items[0].offer_id == "1"
    assert page.items[0].price_info.price == Decimal("12.50")


def _check_alibaba_list(page: Any) -> None:
    assert isinstance(page, Page)
    assert page.total == 1 and page.page_num == 1 and page.page_size == 20
    assert page.items[0].id == ORDER_ID
    assert page.items[0].status is AlibabaOrderStatus.WAITSELLERSEND
    assert page.items[0].product_items[0].product_id == "889512351602"


def _check_raw(expected: Any) -> Check:
    def check(result: Any) -> None:
        assert isinstance(result, RawResult)
        assert result.data == expected

    return check


CASES: list[Case] = [
    Case(
        "address.get",
        lambda xp: xp.address.get(),
        None,
        reply={"name": "张三", "city": "杭州"},
        check=_check_raw({"name": "张三", "city": "杭州"}),
    ),
    Case(
        "address.upsert",
        lambda xp: xp.address.upsert(
            name="string",
            province="string",
            city="string",
            district="string",
            address="string",
            phone="string",
        ),
        load_fixture("address_upsert.request.json"),
        check=_check_raw(None),
    ),
    Case(
        "logistics.estimate_freight",
        lambda xp: xp.logistics.estimate_freight(
            item_id="2048232789087639", sku_id="4970432383383", quantity=1, receiver=RECEIVER
        ),
        load_fixture("logistics_estimate_freight.request.json"),
        reply={"price": 1200},
        check=_check_raw({"price": 1200}),
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
                    item_id=LINE_1.item_id,
                    sku_id=LINE_1.sku_id,
                    quantity=1,
                    title="这是商品1",
                    image_url="url",
                    freight_info=FREIGHT_1,
                ),
                LineItem(
                    item_id=LINE_2.item_id,
                    sku_id=LINE_2.sku_id,
                    quantity=2,
                    title="这是商品2",
                    image_url="url",
                    freight_info=FREIGHT_2,
                ),
            ],
        ),
        load_fixture("logistics_create_order.request.json"),
        check=_check_raw(None),
    ),
    Case(
        "logistics.update_domestic",
        lambda xp: xp.logistics.update_domestic(
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
                    line_item=LINE_2,
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
        check=_check_raw({"success": True}),
    ),
    Case(
        "alibaba.products.search",
        lambda xp: xp.alibaba.products.search(
            keyword="杯子", begin_page=2, page_size=10, filter="shipInToday", sort={"price": "desc"}
        ),
        {
            "keyword": "杯子",
            "beginPage": 2,
            "pageSize": 10,
            "country": "en",
            "filter": "shipInToday",
            "sort": '{"price":"desc"}',
        },
        reply={
            "totalRecords": 25,
            "totalPage": 3,
            "pageSize": 10,
            "currentPage": 2,
            "data": [{"offerId": 1, "subject": "杯子", "priceInfo": {"price": "12.50"}}],
        },
        check=_check_search,
    ),
    Case(
        "alibaba.products.search_by_image",
        lambda xp: xp.alibaba.products.search_by_image(image_address="https://img/x.jpg"),
        {"imageAddress": "https://img/x.jpg", "beginPage": 1, "pageSize": 20, "country": "en"},
        reply={"totalRecords": 0, "data": []},
        got=lambda page: (page.items, page.has_next),
        want=([], False),
    ),
    Case(
        "alibaba.products.category",
        lambda xp: xp.alibaba.products.category(category_id=0),
        {"categoryId": 0, "language": "en"},
        reply={
            "categoryId": 0,
            "chineseName": "根",
            "leaf": False,
            "children": [{"categoryId": 1}],
        },
        got=lambda c: (c.category_id, c.leaf, c.children),
        want=("0", False, [{"categoryId": 1}]),
    ),
    Case(
        "alibaba.products.detail",
        lambda xp: xp.alibaba.products.detail(offer_id=889512351602),
        {"offerId": 889512351602, "country": "en"},
        reply={
            "offerId": 889512351602,
            "subject": "杯子",
            "productSkuInfos": [{"skuId": 5736673805656, "specId": "530ad", "price": "29.00"}],
        },
        got=lambda p: (p.offer_id, p.product_sku_infos[0].spec_id, p.product_sku_infos[0].price),
        want=("889512351602", "530ad", Decimal("29.00")),
    ),
    Case(
        "alibaba.products.detail_multi",
        lambda xp: xp.alibaba.products.detail_multi(offer_ids=["1", 2]),
        {"offerIds": [1, 2], "country": "en"},
        reply=[{"offerId": 1}, {"offerId": 2}],
        check=_check_raw([{"offerId": 1}, {"offerId": 2}]),
    ),
    Case(
        "alibaba.products.estimate_freight",
        lambda xp: xp.alibaba.products.estimate_freight(
            offer_id=889512351602,
            to_province_code="330000",
            to_city_code="330100",
            to_country_code="330106",
            total_num=2,
            sku_numbers={"5736673805656": 2},
        ),
        {
            "offerId": 889512351602,
            "toProvinceCode": "330000",
            "toCityCode": "330100",
            "toCountryCode": "330106",
            "totalNum": 2,
            "logisticsSkuNumModels": [{"skuId": 5736673805656, "number": 2}],
        },
        reply={"freight": "6.00", "templateId": 9, "freePostage": False},
        got=lambda f: (f.freight, f.template_id, f.free_postage),
        want=(Decimal("6.00"), "9", False),
    ),
    Case(
        "alibaba.products.pool",
        lambda xp: xp.alibaba.products.pool(offer_pool_id="p1", task_id="t1", page_no=3),
        {"offerPoolId": "p1", "taskId": "t1", "pageNo": 3, "pageSize": 20},
        reply={"result": []},
        check=_check_raw({"result": []}),
    ),
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
        check=_check_raw({"logisticsBillNo": "SF1"}),
    ),
    Case(
        "alibaba.after_sales.refund_reasons",
        lambda xp: xp.alibaba.after_sales.refund_reasons(
            order_id=ORDER_ID,
            order_entry_ids=[11, "12"],
            goods_status=GoodsStatus.REFUND_WAIT_SELLER_SEND,
        ),
        {
            "orderId": int(ORDER_ID),
            "orderEntryIds": [11, 12],
            "goodsStatus": "refundWaitSellerSend",
        },
        reply={"reasons": [{"id": 20006, "name": "不想要了", "needVoucher": False}]},
        got=lambda rs: (rs[0].id, rs[0].need_voucher),
        want=("20006", False),
    ),
    Case(
        "alibaba.after_sales.upload_voucher",
        lambda xp: xp.alibaba.after_sales.upload_voucher(image=JPEG),
        None,
        parts={"imageData": ("voucher.jpg", "image/jpeg", JPEG)},
        reply={"imageDomain": "https://cbu01.alicdn.com/", "imageRelativeUrl": "img/v.jpg"},
        got=lambda v: v.url,
        want="https://cbu01.alicdn.com/img/v.jpg",
    ),
    Case(
        "alibaba.after_sales.create_refund",
        lambda xp: xp.alibaba.after_sales.create_refund(
            order_id=ORDER_ID,
            order_entry_ids=[11],
            dispute_request=DisputeRequest.REFUND,
            apply_payment=2900,
            apply_reason_id=20006,
            description="商品破损",
            goods_status=GoodsStatus.REFUND_WAIT_BUYER_RECEIVE,
            vouchers=["https://cbu01.alicdn.com/img/v.jpg"],
            order_entry_counts={11: 1},
        ),
        {
            "orderId": int(ORDER_ID),
            "orderEntryIds": [11],
            "disputeRequest": "refund",
            "applyPayment": 2900,
            "applyCarriage": 0,
            "applyReasonId": 20006,
            "description": "商品破损",
            "goodsStatus": "refundWaitBuyerReceive",
            "vouchers": ["https://cbu01.alicdn.com/img/v.jpg"],
            "orderEntryCountList": [{"id": 11, "count": 1}],
        },
        reply={"refundId": "TQ12345"},
        got=lambda r: r.refund_id,
        want="TQ12345",
    ),
    Case(
        "alibaba.after_sales.submit_return",
        lambda xp: xp.alibaba.after_sales.submit_return(
            refund_id="TQ12345", logistics_company_no="SF", freight_bill="SF100", description="寄回"
        ),
        {
            "refundId": "TQ12345",
            "logisticsCompanyNo": "SF",
            "freightBill": "SF100",
            "description": "寄回",
        },
        check=_check_raw(None),
    ),
    Case(
        "alibaba.after_sales.logistics_companies",
        lambda xp: xp.alibaba.after_sales.logistics_companies(),
        None,
        reply=[{"id": 1, "companyName": "顺丰", "companyNo": "SF", "supportPrint": True}],
        got=lambda cs: (cs[0].company_no, cs[0].id, cs[0].support_print),
        want=("SF", "1", True),
    ),
    Case(
        "taobao.products.detail",
        lambda xp: xp.taobao.products.detail(item_id=672991141190),
        {"itemId": "672991141190"},
        query={"itemId": "672991141190"},
        reply=load_fixture("product_detail_envelope.trimmed.json")["data"],
        got=lambda p: (p.mp_id, p.sku_list[0].sku_id),
        want=("2048057995392326", "3452545926724"),
    ),
    Case(
        "taobao.products.search",
        lambda xp: xp.taobao.products.search(keyword="球"),
        {"keyword": "球", "beginPage": 1, "pageSize": 20},
        reply={"data": []},
        check=_check_raw({"data": []}),
    ),
    Case(
        "taobao.products.search_by_image",
        lambda xp: xp.taobao.products.search_by_image(image_id="img-1", page_size=5),
        {"imageId": "img-1", "beginPage": 1, "pageSize": 5},
        check=_check_raw(None),
    ),
    Case(
        "taobao.orders.render",
        lambda xp: xp.taobao.orders.render(
            lines=[TaobaoRenderLine(item_id="2048020617114736", sku_id="41", quantity=1)],
            receiver=TB_RECEIVER,
        ),
        {
            "orderLineList": [{"itemId": "2048020617114736", "skuId": "41", "quantity": 1}],
            "receiver": TB_RECEIVER_WIRE,
        },
        reply={"totalAmount": 100},
        check=_check_raw({"totalAmount": 100}),
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
            receiver=TB_RECEIVER,
            purchase_amount=5245,
            order_source="api",
            seller_order_number="S-1",
        ),
        {
            "purchaseAmount": 5245,
            "receiver": TB_RECEIVER_WIRE,
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
    Case(
        "wms.forecast",
        lambda xp: xp.wms.forecast(
            out_order_id="o-1", logistics_tracking_number="YT1", extra={"expected_at": "x"}
        ),
        {"out_order_id": "o-1", "logistics_tracking_number": "YT1", "expected_at": "x"},
        check=_check_raw(None),
    ),
    Case(
        "wms.inbound",
        lambda xp: xp.wms.inbound(
            out_order_id="205569999****",
            alibaba_order_id="2887421737338134260",
            logistics_tracking_number="YT7565691026776",
            quality_inspection=QualityInspectionInfo(
                status="质检通过",
                weight=0.4,
                length=23,
                width="34",
                height=56,
                failed_remark="白色领口有污点",
                images=["https://cbu01.alicdn.com/img/ibank/O1CN01sdKLEv"],
            ),
        ),
        load_fixture("wms_package_inbound.request.truncated.json"),
        reply={"ok": True},
        check=_check_raw({"ok": True}),
    ),
    Case(
        "wms.update",
        lambda xp: xp.wms.update(
            alibaba_order_id="2887421737338134260",
            quality_inspection=QualityInspectionInfo(status="质检通过"),
        ),
        {
            "alibaba_order_id": "2887421737338134260",
            "quality_inspection_info": {"status": "质检通过"},
        },
        check=_check_raw(None),
    ),
]

JSON_STRING_KEYS = {"orderLineList", "receiver"}


def test_every_catalogue_operation_has_a_wire_case() -> None:
    keys = [case.key for case in CASES]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(CATALOGUE)
    assert len(keys) == 33


@pytest.mark.parametrize("case", CASES, ids=[case.key for case in CASES])
async def test_wire(case: Case, wire: WireServer, xp: XportcnClient) -> None:
    endpoint = CATALOGUE[case.key]
    wire.replies[endpoint.path] = case.reply
    result = await case.call(xp)
    assert len(wire.seen) == 1
    seen = wire.last()
    assert seen.method == endpoint.method
    assert seen.path == endpoint.path
    assert "signature" in seen.headers and seen.headers["user-id"] == "u"
    for name, value in case.query.items():
        assert seen.query.get(name) == value
    if case.parts is not None:
        assert seen.headers["content-type"].startswith("multipart/form-data")
        assert seen.parts == case.parts
    elif case.body is None:
        assert seen.raw == b""
    else:
        assert seen.headers["content-type"].startswith("application/json")
        body = dict(seen.json)
        for key in JSON_STRING_KEYS & body.keys() if case.key.startswith("taobao.orders") else ():
            assert isinstance(body[key], str), f"{key} must travel as a JSON string"
            body[key] = orjson.loads(body[key])
        assert body == case.body
    if case.check is not None:
        case.check(result)
    if case.got is not None:
        assert case.got(result) == case.want
    assert case.check is not None or case.got is not None, "every case checks its result"


async def test_path_override_is_honoured(wire: WireServer) -> None:
    wire.replies["/custom/order/detail"] = TRADE
    wire.replies["/alibaba/ka/order/pay"] = None  # a short envelope: no data
    async with XportcnClient(
        access_key="k",
        access_secret="s",
        user_id="u",
        base_url=wire.base_url,
        endpoint_paths={"alibaba.orders.detail": "/custom/order/detail"},
    ) as xp:
        order = await xp.alibaba.orders.detail(order_id=ORDER_ID)
        paid = await xp.alibaba.orders.pay(order_ids=[ORDER_ID])
    assert [s.path for s in wire.seen] == ["/custom/order/detail", "/alibaba/ka/order/pay"]
    assert order.id == ORDER_ID
    assert paid.pay_url is None


async def test_decode_error_names_endpoint_and_request_id(
    wire: WireServer, xp: XportcnClient
) -> None:
    data = load_fixture("taobao_order_list.response.json")["data"]
    data["data"][0]["subOrderVOS"][0]["subOrderResult"] = "{broken"
    wire.replies["/open/purchase/page"] = data
    # Nested JSON strings are decoded on first access: the page arrives, the field raises.
    page = await xp.taobao.orders.list(page_num=1, page_size=10)
    with pytest.raises(ResponseDecodeError) as info:
        _ = page.items[0].sub_orders[0].sub_order_result
    assert info.value.endpoint == "taobao.orders.list"
    assert info.value.request_id == "rid-1"
    assert info.value.errors[0].endswith("@ $.data[0].subOrderVOS[0].subOrderResult")


async def test_only_given_filters_are_sent(wire: WireServer, xp: XportcnClient) -> None:
    wire.replies["/open/purchase/page"] = {"total": 0, "data": []}
    page = await xp.taobao.orders.list(
        page_num=3, page_size=50, status=None, order_no=None, purchase_id=None, begin=None, end=None
    )
    assert wire.last().json == {"pageNum": 3, "pageSize": 50}
    assert page.items == [] and page.total == 0 and not page.has_next


async def test_preview_tolerates_a_single_object(wire: WireServer, xp: XportcnClient) -> None:
    wire.replies["/alibaba/ka/order/create/preview"] = {"sumPayment": 100}
    previews = await xp.alibaba.orders.preview(flow="general", address=ADDRESS, cargo=CARGO)
    assert [p.sum_payment for p in previews] == [100]


# --------------------------------------------------------------------------- walking every page


def _orders_reply(total: int) -> Callable[[Any], Any]:
    template = load_fixture("taobao_order_list.response.json")["data"]["data"][0]

    def reply(body: Any) -> Any:
        start = (body["pageNum"] - 1) * body["pageSize"]
        ids = range(start, min(start + body["pageSize"], total))
        return {"total": total, "data": [dict(template, id=str(i)) for i in ids]}

    return reply


async def test_taobao_iter_walks_every_page(wire: WireServer, xp: XportcnClient) -> None:
    wire.replies["/open/purchase/page"] = _orders_reply(7)
    ids = [order.id async for order in xp.taobao.orders.iter(page_size=3, status=10)]
    assert ids == [str(i) for i in range(7)]
    assert [s.json for s in wire.seen] == [
        {"pageNum": n, "pageSize": 3, "status": 10} for n in (1, 2, 3)
    ]


async def test_taobao_iter_with_a_time_window(wire: WireServer, xp: XportcnClient) -> None:
    wire.replies["/open/purchase/page"] = _orders_reply(2)
    begin = datetime(2026, 4, 1, tzinfo=SH)
    end = datetime(2026, 4, 1, 23, 59, 59, tzinfo=SH)
    orders = [order async for order in xp.taobao.orders.iter(page_size=10, begin=begin, end=end)]
    assert len(orders) == 2
    first = wire.seen[0].json
    assert first["beginDateTime"] == "2026-04-01 00:00:00"
    assert first["endDateTime"] == "2026-04-01 23:59:59"


async def test_alibaba_iter_uses_page_and_create_times(wire: WireServer, xp: XportcnClient) -> None:
    def reply(body: Any) -> Any:
        trade = {"baseInfo": {"id": body["page"], "status": "success"}}
        return {"totalRecord": 2, "result": [trade] if body["page"] <= 2 else []}

    wire.replies["/alibaba/ka/order/list"] = reply
    begin = datetime(2026, 4, 1, tzinfo=SH)
    pager = xp.alibaba.orders.iter(
        page_size=1, begin=begin, end=begin + timedelta(hours=1), order_status="success"
    )
    ids = [order.id async for order in pager]
    assert ids == ["1", "2"]
    first = wire.seen[0].json
    assert first["page"] == 1 and first["pageSize"] == 1 and first["orderStatus"] == "success"
    assert first["createStartTime"] == "2026-04-01 00:00:00"
    assert first["createEndTime"] == "2026-04-01 01:00:00"


# --------------------------------------------------------------------------- voucher inputs


async def test_upload_voucher_from_path_and_file(
    wire: WireServer, xp: XportcnClient, tmp_path: Path
) -> None:
    wire.replies["/alibaba/ka/refund/voucher/upload"] = {"imageRelativeUrl": "img/v.jpg"}
    path = tmp_path / "broken-cup.jpg"
    path.write_bytes(JPEG)
    await xp.alibaba.after_sales.upload_voucher(image=path)
    assert wire.last().parts["imageData"] == ("broken-cup.jpg", "image/jpeg", JPEG)
    await xp.alibaba.after_sales.upload_voucher(image=str(path))
    assert wire.last().parts["imageData"][2] == JPEG
    await xp.alibaba.after_sales.upload_voucher(image=io.BytesIO(JPEG))
    assert wire.last().parts["imageData"] == ("voucher.jpg", "image/jpeg", JPEG)
    with path.open("rb") as handle:
        await xp.alibaba.after_sales.upload_voucher(image=handle)
    assert wire.last().parts["imageData"] == ("broken-cup.jpg", "image/jpeg", JPEG)


# --------------------------------------------------------------------------- refused before sending

NAIVE = datetime(2026, 4, 1)


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
        (lambda xp: xp.alibaba.orders.list(page=0), "page"),
        (lambda xp: xp.alibaba.orders.list(create_end=NAIVE), "aware datetime"),
        (lambda xp: xp.alibaba.products.search(keyword="x", page_size=0), "page_size"),
        (lambda xp: xp.alibaba.products.pool(offer_pool_id="p", task_id="t", page_no=0), "page_no"),
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
        (
            lambda xp: xp.logistics.estimate_freight(item_id="1", quantity=-1, receiver=RECEIVER),
            "quantity",
        ),
        (
            lambda xp: xp.taobao.orders.render(
                lines=[TaobaoRenderLine(item_id="1", quantity=0)], receiver=TB_RECEIVER
            ),
            "quantity",
        ),
        (lambda xp: xp.alibaba.after_sales.upload_voucher(image=b"\x89PNG\r\n"), "JPEG"),
        (
            lambda xp: xp.alibaba.after_sales.upload_voucher(image=JPEG + b"\x00" * (1 << 20)),
            "1 MB",
        ),
        (
            lambda xp: xp.alibaba.after_sales.upload_voucher(image=io.StringIO("text")),
            "binary",
        ),
        (lambda xp: _refund(xp, description="x"), "2–150"),
        (lambda xp: _refund(xp, description="长" * 151), "2–150"),
        (lambda xp: _refund(xp, vouchers=["v"] * 6), "at most 5"),
        (lambda xp: _refund(xp, apply_payment=-1), "apply_payment"),
        (
            lambda xp: xp.alibaba.after_sales.submit_return(
                refund_id="TQ1", logistics_company_no="SF", freight_bill="SF1", vouchers=["v"] * 11
            ),
            "at most 10",
        ),
        (
            lambda xp: xp.alibaba.products.search_by_image(image_address="https://x", image_id="1"),
            "exactly one",
        ),
        (lambda xp: xp.wms.inbound(), "name the package"),
    ],
)
async def test_bad_arguments_are_refused_before_sending(
    call: Call, message: str, wire: WireServer, xp: XportcnClient
) -> None:
    with pytest.raises(ValueError, match=message):
        await call(xp)
    assert wire.seen == []


def _refund(xp: XportcnClient, **changes: Any) -> Awaitable[Any]:
    args: dict[str, Any] = {
        "order_id": "1",
        "order_entry_ids": [2],
        "dispute_request": "refund",
        "apply_payment": 100,
        "apply_reason_id": 3,
        "description": "坏了坏了",
        "goods_status": "refundWaitSellerSend",
    }
    args.update(changes)
    return xp.alibaba.after_sales.create_refund(**args)
