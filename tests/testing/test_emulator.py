"""Tests of ``xportcn_async/testing/emulator.py``, its handlers, data and state, on their own:
plain aiohttp + ``sign()``, never the SDK client (``tests/testing/_api.py``).

The protocol (signature checks, nonces, clock skew, paths), the generated data (shapes,
paging, filters, determinism, cost) and the stateful flows of every endpoint. Faults are
in ``test_faults.py``, pushes in ``test_push.py``, the pytest plugin in
``test_pytest_plugin.py``.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import orjson
import pytest
import pytest_asyncio

from tests.conftest import load_fixture
from tests.testing._api import NOW, Api, FakeClock, headers_for
from xportcn_async.endpoints import CATALOGUE
from xportcn_async.testing import Emulator
from xportcn_async.testing.emulator import _NonceStore


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(orders=137, seed=3, now=NOW) as e:
        yield e


@pytest.fixture
def api(session: aiohttp.ClientSession, emu: Emulator) -> Api:
    return Api(session, emu)


# ------------------------------------------------------------------ protocol


async def test_valid_call_answers_the_envelope(api: Api, emu: Emulator) -> None:
    status, headers, raw = await api.raw("taobao.orders.list", {"pageNum": 1, "pageSize": 5})
    assert status == 200
    doc = orjson.loads(raw)
    assert list(doc) == ["requestId", "code", "developId", "msg", "data"]
    assert re.fullmatch(r"[0-9a-f]{32}", doc["requestId"])
    assert re.fullmatch(r"\d{19}", doc["developId"])
    assert (doc["code"], doc["msg"]) == (200, "成功")
    assert doc["data"]["total"] == 137
    assert len(doc["data"]["data"]) == 5
    assert email.utils.parsedate_to_datetime(headers["Date"]).timestamp() == pytest.approx(
        time.time(), abs=5
    )
    assert emu.counters.requests["taobao.orders.list"] == 1


@pytest.mark.parametrize(
    ("case", "code", "reason"),
    [
        ("wrong_secret", 401, "bad_signature"),
        ("unknown_key", 401, "unknown_access_key"),
        ("stale_timestamp", 401, "stale_timestamp"),
        ("future_timestamp", 401, "stale_timestamp"),
        ("bad_timestamp", 401, "bad_timestamp"),
        ("unknown_user", 403, "unknown_user"),
        *[(f"missing:{h}", 401, "missing_header") for h in
          ("access-key", "timestamp", "nonce-str", "user-id", "signature")],
    ],
)  # fmt: skip
async def test_auth_rejections(api: Api, emu: Emulator, case: str, code: int, reason: str) -> None:
    now = int(emu.now())
    if case == "wrong_secret":
        hdrs = headers_for(emu, secret="not-the-secret")
    elif case == "unknown_key":
        hdrs = headers_for(emu)
        hdrs["access-key"] = "someone-else"
    elif case == "stale_timestamp":
        hdrs = headers_for(emu, timestamp=str(now - 601))
    elif case == "future_timestamp":
        hdrs = headers_for(emu, timestamp=str(now + 601))
    elif case == "bad_timestamp":
        hdrs = headers_for(emu, timestamp="2026-05-20T12:00:00")
    elif case == "unknown_user":
        hdrs = headers_for(emu, user_id="999")
    else:
        hdrs = headers_for(emu, drop=case.split(":", 1)[1])
    doc = await api("taobao.orders.list", {"pageNum": 1}, headers=hdrs)
    assert doc["code"] == code
    assert doc["data"] is None
    assert re.fullmatch(r"[0-9a-f]{32}", doc["requestId"])
    assert emu.counters.auth_rejections == {reason: 1}
    if case.startswith("missing:"):
        assert case.split(":", 1)[1] in doc["msg"]


async def test_replayed_nonce_is_rejected_and_ms_timestamps_accepted(
    api: Api, emu: Emulator
) -> None:
    hdrs = headers_for(emu, nonce="n" * 32)
    assert (await api("address.get", headers=hdrs))["code"] == 200
    replay = await api("address.get", headers=hdrs)
    assert replay["code"] == 401
    assert "nonce" in replay["msg"]
    # A fresh nonce with a 13-digit millisecond timestamp is fine.
    hdrs = headers_for(emu, timestamp=str(int(emu.now() * 1000)))
    assert (await api("address.get", headers=hdrs))["code"] == 200
    assert emu.counters.auth_rejections == {"replayed_nonce": 1}


async def test_auth_http_status_and_clock_skew_date_header(
    session: aiohttp.ClientSession,
) -> None:
    # The emulator's clock is one hour ahead: a client on real time is stale, and the
    # Date header tells it the server time so it can correct itself.
    ahead = Emulator(orders=1, time_func=lambda: time.time() + 3600, auth_http_status=401)
    async with ahead:
        api = Api(session, ahead)
        stale = headers_for(ahead, timestamp=str(int(time.time())))
        status, headers, raw = await api.raw("address.get", headers=stale)
        assert status == 401
        assert orjson.loads(raw)["code"] == 401
        server = email.utils.parsedate_to_datetime(headers["Date"]).timestamp()
        assert server - time.time() == pytest.approx(3600, abs=5)
        assert (await api("address.get"))["code"] == 200  # signed with the server's clock


def test_nonce_store_expires_and_is_bounded() -> None:
    store = _NonceStore(ttl=600, max_size=3)
    assert store.add("a", 0)
    assert not store.add("a", 599)
    assert store.add("a", 601)  # expired, usable again
    for i, nonce in enumerate("bcdef"):
        assert store.add(nonce, 602 + i)
    assert len(store) <= 4


async def test_unknown_path_is_a_gateway_404(session: aiohttp.ClientSession, emu: Emulator) -> None:
    async with session.post(emu.base_url + "/nope", headers=headers_for(emu)) as resp:
        assert resp.status == 404
        doc = await resp.json()
    assert "code" not in doc
    assert doc["status"] == 404


async def test_endpoint_path_overrides(session: aiohttp.ClientSession) -> None:
    paths = {"alibaba.orders.detail": "/alibaba/ka/order/get"}
    async with Emulator(orders=5, alibaba_orders=5, endpoint_paths=paths, now=NOW) as emu:
        api = Api(session, emu)
        order = (await api.data("alibaba.orders.list", {"page": 1, "pageSize": 1}))["result"][0]
        assert emu.url("alibaba.orders.detail").endswith("/api/alibaba/ka/order/get")
        detail = await api.data("alibaba.orders.detail", {"orderId": order["baseInfo"]["id"]})
        assert detail == order
        async with session.post(
            emu.base_url + "/alibaba/ka/order/detail", headers=headers_for(emu)
        ) as resp:
            assert resp.status == 404
        assert emu.client_kwargs()["endpoint_paths"] == paths


# ------------------------------------------------------------------ data


async def test_same_seed_and_now_give_byte_identical_pages(
    session: aiohttp.ClientSession,
) -> None:
    async def pages(seed: int) -> list[bytes]:
        clock = FakeClock()
        async with Emulator(orders=300, seed=seed, now=NOW, time_func=clock) as emu:
            api = Api(session, emu)
            out = []
            for page in range(1, 5):
                out.append(
                    (await api.raw("taobao.orders.list", {"pageNum": page, "pageSize": 40}))[2]
                )
                out.append(
                    (await api.raw("alibaba.orders.list", {"page": page, "pageSize": 40}))[2]
                )
            return out

    first, second, other = await pages(11), await pages(11), await pages(12)
    assert first == second
    assert first[0] != other[0]


async def test_taobao_order_shape_matches_the_fixture(api: Api) -> None:
    fixture = load_fixture("taobao_order_list.response.json")
    expected = fixture["data"]["data"][0]
    sub_expected = expected["subOrderVOS"][0]
    result_expected = orjson.loads(sub_expected["subOrderResult"])
    create_expected = orjson.loads(sub_expected["createSubOrderResult"])
    orders = (await api.data("taobao.orders.list", {"pageNum": 1, "pageSize": 137}))["data"]
    assert len(orders) == 137
    statuses, refunds = set(), set()
    for order in orders:
        assert list(order) == list(expected)
        assert list(order["warehouseAddressInfoVO"]) == list(expected["warehouseAddressInfoVO"])
        assert isinstance(order["id"], str)
        assert isinstance(order["purchaseId"], int)
        assert isinstance(order["purchaseAmount"], int)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", order["createTime"])
        statuses.add(order["status"])
        total = 0
        for sub in order["subOrderVOS"]:
            assert list(sub) == list(sub_expected)
            assert isinstance(sub["taobaoPurchaseId"], str)
            result = orjson.loads(sub["subOrderResult"])
            assert list(result) == list(result_expected)
            assert list(result["option_fields"]) == list(result_expected["option_fields"])
            for nested in ("serviceList", "en", "zh"):
                assert isinstance(orjson.loads(result["option_fields"][nested]), (list, dict))
            assert list(orjson.loads(sub["createSubOrderResult"])) == list(create_expected)
            total += result["purchase_amount"]
            refunds.add(sub["refundStatus"])
        assert order["purchaseAmount"] == total
        if order["payTime"] is not None:
            assert order["createTime"] <= order["payTime"] <= NOW
    assert statuses == {0, 1, 2, 3, 4, 5, 9, 10, 11, 12}
    assert refunds == {0, 10, 20, 30, 100, -10, -20}


async def test_list_paging_is_newest_first_and_complete(api: Api) -> None:
    seen: list[dict[str, Any]] = []
    page = 1
    while True:
        data = await api.data("taobao.orders.list", {"pageNum": page, "pageSize": 20})
        assert data["total"] == 137
        if not data["data"]:
            break
        seen.extend(data["data"])
        page += 1
    assert page == 8
    assert len({o["id"] for o in seen}) == 137
    keys = [(o["createTime"], int(o["id"])) for o in seen]
    assert keys == sorted(keys, reverse=True)


async def test_list_filters(api: Api) -> None:
    everything = (await api.data("taobao.orders.list", {"pageNum": 1, "pageSize": 200}))["data"]
    for status in (0, 11):
        data = await api.data(
            "taobao.orders.list", {"pageNum": 1, "pageSize": 200, "status": status}
        )
        assert data["total"] == sum(o["status"] == status for o in everything)
        assert {o["status"] for o in data["data"]} == {status}
    # The window is inclusive at both ends.
    inside = everything[10:20]
    body = {"pageNum": 1, "pageSize": 50, "beginDateTime": inside[-1]["createTime"],
            "endDateTime": inside[0]["createTime"]}  # fmt: skip
    window = (await api.data("taobao.orders.list", body))["data"]
    assert {o["id"] for o in inside} <= {o["id"] for o in window}
    assert all(body["beginDateTime"] <= o["createTime"] <= body["endDateTime"] for o in window)
    target = everything[42]
    by_no = await api.data("taobao.orders.list", {"pageNum": 1, "orderNo": target["orderNo"]})
    assert by_no == {"total": 1, "data": [target]}
    by_pid = await api.data("taobao.orders.list", {"purchaseId": target["purchaseId"]})
    assert by_pid["data"] == [target]
    wrong_status = {"orderNo": target["orderNo"], "status": (target["status"] + 1) % 3 + 20}
    assert (await api.data("taobao.orders.list", wrong_status))["total"] == 0
    for bad in ({"pageSize": 0}, {"pageNum": 0}, {"pageSize": 201}, {"status": "x"},
                {"beginDateTime": "yesterday"}):  # fmt: skip
        doc = await api("taobao.orders.list", bad)
        assert doc["code"] == 400, bad
    ali = await api.data(
        "alibaba.orders.list", {"page": 1, "pageSize": 200, "orderStatus": "success"}
    )
    assert ali["totalRecord"] == len(ali["result"]) > 0
    assert {o["baseInfo"]["status"] for o in ali["result"]} == {"success"}
    out_id = next(o["baseInfo"]["outOrderId"] for o in ali["result"] if o["baseInfo"]["outOrderId"])
    found = await api.data("alibaba.orders.list", {"outOrderId": out_id})
    assert [o["baseInfo"]["outOrderId"] for o in found["result"]] == [out_id]


async def test_generation_is_cheap() -> None:
    started = time.perf_counter()
    emu = Emulator(orders=20000, seed=1, now=NOW)
    assert time.perf_counter() - started < 1.5
    assert len(emu.state.taobao) == len(emu.state.alibaba) == 20000
    started = time.perf_counter()
    total, recs = emu.state.taobao.page(status=None, begin=None, end=None, offset=19900, limit=100)
    docs = [emu.state.taobao_doc(r) for r in recs]
    assert total == 20000
    assert len(docs) == 100
    assert time.perf_counter() - started < 0.2


# ------------------------------------------------------------------ flows


async def test_alibaba_preview_create_pay_flow(api: Api, emu: Emulator) -> None:
    request = load_fixture("alibaba_order_preview.request.json")
    preview = await api.data("alibaba.orders.preview", request)
    assert preview == load_fixture("alibaba_order_preview.response.json")["data"]
    body = {**request, "outOrderId": "SHOP-0001", "tradeType": "assureTrade", "message": "hi"}
    created = await api.data("alibaba.orders.create", body)
    again = await api.data("alibaba.orders.create", body)
    assert again == created
    assert created["totalSuccessAmount"] == preview[0]["sumPayment"]
    assert emu.counters.orders_created["alibaba"] == 1
    assert emu.counters.duplicates_avoided["alibaba.orders.create"] == 1
    listed = await api.data("alibaba.orders.list", {"page": 1, "pageSize": 1})
    assert listed["totalRecord"] == 138
    base = listed["result"][0]["baseInfo"]
    assert (base["idOfStr"], base["status"], base["outOrderId"]) == (
        created["orderId"], "waitbuyerpay", "SHOP-0001"
    )  # fmt: skip
    assert (
        listed["result"][0]["productItems"][0]["specId"] == request["cargoParamList"][0]["specId"]
    )
    paid = await api.data("alibaba.orders.pay", {"orderIds": [created["orderId"]]})
    assert paid["payUrl"].startswith("https://")
    detail = await api.data("alibaba.orders.detail", {"orderId": created["orderId"]})
    assert detail["baseInfo"]["status"] == "waitsellersend"
    assert detail["baseInfo"]["payTime"] is not None
    assert (await api("alibaba.orders.pay", {"orderIds": [created["orderId"]]}))["code"] == 400
    assert (await api("alibaba.orders.detail", {"orderId": "1"}))["code"] == 404
    bad = {**request, "cargoParamList": [{"offerId": 889512351602, "specId": "x", "quantity": 1}]}
    assert (await api("alibaba.orders.preview", bad))["code"] == 400
    emu.state.set_alibaba_status(created["orderId"], "waitbuyerreceive")
    parcels = await api.data("alibaba.orders.logistics", {"orderId": created["orderId"]})
    assert len(parcels) == 1


async def test_taobao_render_create_is_idempotent(api: Api, emu: Emulator) -> None:
    lines = [{"itemId": "4096919806436206", "skuId": "36209282830190", "quantity": 2}]
    receiver = {"name": "张三", "phone": "13800138000", "country": "中国", "state": "浙江省",
                "city": "杭州市", "district": "西湖区", "address": "文三路90号", "zip": "310012",
                "mobile_phone": None}  # fmt: skip
    rendered = await api.data(
        "taobao.orders.render",
        {
            "orderLineList": orjson.dumps(lines).decode(),
            "receiver": orjson.dumps(receiver).decode(),
        },
    )
    assert rendered["purchaseAmount"] == 2 * 5245
    body = {"purchaseAmount": rendered["purchaseAmount"], "orderLineList": orjson.dumps(lines).decode(),
            "receiver": orjson.dumps(receiver).decode(), "orderSource": "API",
            "sellerOrderNumber": "S-1"}  # fmt: skip
    created = await api.data("taobao.orders.create", body)
    assert await api.data("taobao.orders.create", body) == created
    assert emu.counters.orders_created["taobao"] == 1
    top = (await api.data("taobao.orders.list", {"pageNum": 1, "pageSize": 1}))["data"][0]
    assert top["purchaseId"] == created["order_list"][0]["purchase_id"]
    assert top["status"] == 0
    assert top["purchaseAmount"] == 2 * 5245
    assert top["warehouseAddressInfoVO"]["city"] == "杭州市"
    wrong = {**body, "sellerOrderNumber": "S-2", "purchaseAmount": 1}
    assert (await api("taobao.orders.create", wrong))["code"] == 400
    detail = await api.data("taobao.products.detail", {"itemId": "2048057995392326"})
    fixture = load_fixture("product_detail_envelope.trimmed.json")["data"]
    assert list(detail) == list(fixture)
    assert list(detail["skuList"][0]) == list(fixture["skuList"][0])
    assert detail["skuList"][0] == fixture["skuList"][0]


async def test_refund_flow(api: Api, emu: Emulator, session: aiohttp.ClientSession) -> None:
    rec = emu.state.alibaba.by_status["success"][0]
    order = emu.state.alibaba_doc(rec)
    item = order["productItems"][0]
    reasons = await api.data(
        "alibaba.after_sales.refund_reasons",
        {"orderId": rec.order_id, "orderEntryIds": [item["subItemID"]],
         "goodsStatus": "refundBuyerReceived"},
    )  # fmt: skip
    reason = next(r for r in reasons["reasons"] if r["needVoucher"])
    form = aiohttp.FormData()
    form.add_field("imageData", b"\xff\xd8\xff" + b"0" * 100, filename="v.jpg",
                   content_type="image/jpeg")  # fmt: skip
    async with session.post(
        emu.url("alibaba.after_sales.upload_voucher"), data=form, headers=headers_for(emu)
    ) as resp:
        voucher = (await resp.json())["data"]
    assert voucher["imageDomain"].startswith("https://")
    url = voucher["imageDomain"] + voucher["imageRelativeUrl"]
    refund = {"orderId": rec.order_id, "orderEntryIds": [item["subItemID"]],
              "disputeRequest": "returnRefund", "applyPayment": item["itemAmount"],
              "applyCarriage": 0, "applyReasonId": reason["id"], "description": "破损了",
              "goodsStatus": "refundBuyerReceived", "vouchers": [url]}  # fmt: skip
    for change, code in (
        ({"orderId": 1}, 5001),
        ({"goodsStatus": "refundWaitSellerSend"}, 5003),
        ({"applyReasonId": 1}, 5004),
        ({"vouchers": []}, 5005),
        ({"applyPayment": item["itemAmount"] + 1}, 5011),
        ({"description": "x"}, 5012),
    ):
        assert (await api("alibaba.after_sales.create_refund", {**refund, **change}))[
            "code"
        ] == code
    created = await api.data("alibaba.after_sales.create_refund", refund)
    assert created["refundId"].startswith("TQ")
    assert (await api("alibaba.after_sales.create_refund", refund))["code"] == 5010
    detail = await api.data("alibaba.orders.detail", {"orderId": rec.order_id})
    assert detail["baseInfo"]["refundStatus"] == "waitselleragree"
    companies = await api.data("alibaba.after_sales.logistics_companies")
    ret = {"refundId": created["refundId"], "logisticsCompanyNo": companies[0]["companyNo"],
           "freightBill": "SF123", "description": "寄回", "vouchers": []}  # fmt: skip
    assert (await api.data("alibaba.after_sales.submit_return", ret))["success"] is True
    assert (await api("alibaba.after_sales.submit_return", ret))["code"] == 4008
    assert (await api("alibaba.after_sales.submit_return", {**ret, "refundId": "TQ0"}))[
        "code"
    ] == 4002


async def test_every_endpoint_answers(api: Api) -> None:
    fixtures = {
        "address.upsert": load_fixture("address_upsert.request.json"),
        "logistics.estimate_freight": load_fixture("logistics_estimate_freight.request.json"),
        "logistics.preview_freight": load_fixture("logistics_preview_freight.request.json"),
        "logistics.update_domestic": load_fixture("logistics_update_domestic.request.json"),
        "wms.inbound": load_fixture("wms_package_inbound.request.truncated.json"),
        "wms.forecast": {"logistics_tracking_number": "YT1"},
        "wms.update": {"logistics_tracking_number": "YT1"},
        "alibaba.products.search": {"keyword": "cup", "beginPage": 1, "pageSize": 5},
        "alibaba.products.search_by_image": {"imageAddress": "https://x/y.jpg"},
        "alibaba.products.category": {"categoryId": 0},
        "alibaba.products.detail": {"offerId": 889512351602},
        "alibaba.products.detail_multi": {"offerIds": [889512351602]},
        "alibaba.products.estimate_freight": {"offerId": 889512351602, "toProvinceCode": "330000",
                                              "totalNum": 2},
        "alibaba.products.pool": {"taskId": "t-1", "pageNo": 1, "pageSize": 10},
        "alibaba.after_sales.logistics_companies": None,
        "taobao.products.search": {"keyword": "", "pageNo": 1, "pageSize": 5},
        "taobao.products.search_by_image": {"imageAddress": "https://x/y.jpg"},
        "address.get": None,
    }  # fmt: skip
    for key, body in fixtures.items():
        doc = await api(key, body)
        assert doc["code"] == 200, (key, doc)
    render = await api.data("logistics.preview_freight", fixtures["logistics.preview_freight"])
    booking = {
        **load_fixture("logistics_create_order.request.json"),
        "renderId": render["renderId"],
    }
    assert (await api.data("logistics.create_order", booking))["renderId"] == render["renderId"]
    short = await api("address.upsert", fixtures["address.upsert"])
    assert short == {"code": 200, "msg": "成功"}
    search = await api.data("alibaba.products.search", {"keyword": "cup", "pageSize": 5})
    assert set(search) == {"totalRecords", "totalPage", "pageSize", "currentPage", "data"}
    covered = set(fixtures) | {
        "logistics.create_order", "alibaba.orders.list", "alibaba.orders.preview",
        "alibaba.orders.create", "alibaba.orders.detail", "alibaba.orders.pay",
        "alibaba.orders.logistics", "alibaba.after_sales.refund_reasons",
        "alibaba.after_sales.upload_voucher", "alibaba.after_sales.create_refund",
        "alibaba.after_sales.submit_return", "taobao.products.detail", "taobao.orders.render",
        "taobao.orders.create", "taobao.orders.list",
    }  # fmt: skip
    assert covered == set(CATALOGUE)  # the other tests of this file cover the rest
    assert (await api("alibaba.products.pool", {"taskId": "t-2", "pageNo": 2}))["code"] == 400
