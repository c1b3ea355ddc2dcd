"""The emulator, tested on its own: plain aiohttp + sign(), never the SDK client."""

from __future__ import annotations

import asyncio
import email.utils
import re
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import orjson
import pytest
import pytest_asyncio
from aiohttp import web

from xportcn_async.endpoints import CATALOGUE
from xportcn_async.signing import make_nonce, sign
from xportcn_async.testing import Emulator, FaultPlan, FaultRule
from xportcn_async.testing.emulator import _NonceStore
from xportcn_async.testing.pytest_plugin import xportcn_emulator  # noqa: F401 - fixture

from .conftest import load_fixture

NOW = "2026-05-20 12:00:00"
NOW_TS = 1779249600  # NOW in Unix seconds (China time = UTC+8)


class FakeClock:
    def __init__(self, start: float = NOW_TS + 30) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


def headers_for(
    emu: Emulator,
    *,
    timestamp: str | None = None,
    nonce: str | None = None,
    secret: str | None = None,
    user_id: str | None = None,
    drop: str | None = None,
) -> dict[str, str]:
    creds = emu.credentials
    ts = timestamp or str(int(emu.now()))
    nonce = nonce or make_nonce()
    out = {
        "access-key": creds.access_key,
        "timestamp": ts,
        "nonce-str": nonce,
        "user-id": user_id or creds.user_id,
        "signature": sign(creds.access_key, ts, nonce, secret or creds.access_secret),
    }
    if drop:
        del out[drop]
    return out


class Api:
    """A tiny signed caller on top of one ClientSession."""

    def __init__(self, session: aiohttp.ClientSession, emu: Emulator) -> None:
        self.session = session
        self.emu = emu

    async def raw(
        self, key: str, body: Any = None, *, headers: dict[str, str] | None = None, **kw: Any
    ) -> tuple[int, dict[str, str], bytes]:
        ep = self.emu.endpoints[key]
        hdrs = headers if headers is not None else headers_for(self.emu)
        data = orjson.dumps(body) if body is not None else None
        if data is not None:
            hdrs = {**hdrs, "Content-Type": "application/json"}
        async with self.session.request(
            ep.method, self.emu.url(key), data=data, headers=hdrs, **kw
        ) as resp:
            return resp.status, dict(resp.headers), await resp.read()

    async def __call__(self, key: str, body: Any = None, **kw: Any) -> dict[str, Any]:
        status, _, raw = await self.raw(key, body, **kw)
        assert status == 200, raw[:300]
        doc = orjson.loads(raw)
        assert isinstance(doc, dict)
        return doc

    async def data(self, key: str, body: Any = None) -> Any:
        doc = await self(key, body)
        assert doc["code"] == 200, doc
        return doc["data"]


@pytest_asyncio.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


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


# ------------------------------------------------------------------ faults


async def _outcomes(session: aiohttp.ClientSession, plan: FaultPlan, n: int) -> list[str]:
    async with Emulator(orders=30, seed=5, now=NOW, faults=plan) as emu:
        api = Api(session, emu)
        out = []
        for _ in range(n):
            try:
                status, _, raw = await api.raw("taobao.orders.list", {"pageSize": 5})
            except aiohttp.ClientError as exc:
                out.append(type(exc).__name__)
                continue
            try:
                out.append(f"{status}:{orjson.loads(raw)['code']}")
            except orjson.JSONDecodeError:
                out.append(f"{status}:not-json")
        assert sum(emu.counters.faults.values()) == sum(not o.startswith("200:200") for o in out)
        return out


async def test_faults_are_reproducible(session: aiohttp.ClientSession) -> None:
    rule = FaultRule(server_error=0.15, html_error=0.1, rate_limit=0.1, business_error=0.1,
                     truncate=0.1, reset=0.05)  # fmt: skip
    plan = FaultPlan(default=rule)
    first = await _outcomes(session, plan, 40)
    assert first == await _outcomes(session, plan, 40)
    assert len(set(first)) >= 5
    assert first != await _outcomes(session, FaultPlan(default=rule, seed=99), 40)


def test_fault_plan_parse_describe_and_validation() -> None:
    spec = "server_error=0.1,retry_after=None,drift=2,alibaba.orders.create:reset_after=0.3"
    plan = FaultPlan.parse(spec)
    assert plan.default.server_error == 0.1
    assert plan.default.retry_after is None
    assert plan.rule_for("alibaba.orders.create").reset_after == 0.3
    assert plan.rule_for("alibaba.orders.create").server_error == 0.1
    assert plan.drift_per_request == 2
    assert FaultPlan.parse(plan.describe()) == plan
    assert FaultPlan().describe() == "none"
    with pytest.raises(ValueError, match="add up"):
        FaultRule(server_error=0.6, reset=0.6)
    with pytest.raises(ValueError, match="probability"):
        FaultRule(delay=2)
    with pytest.raises(ValueError, match="script"):
        FaultRule(script=("explode",))
    with pytest.raises(ValueError, match="unknown fault setting"):
        FaultPlan.parse("explode=1")
    with pytest.raises(ValueError, match="unknown endpoint"):
        Emulator(orders=1, faults=FaultPlan(endpoints={"nope": FaultRule()}))


async def test_scripted_faults_show_each_kind(session: aiohttp.ClientSession) -> None:
    script = ("rate_limit", "html_error", "truncate", "server_error", "business_error", "reset",
              "delay", "ok")  # fmt: skip
    plan = FaultPlan(
        endpoints={
            "alibaba.orders.list": FaultRule(script=script, retry_after=2, delay_seconds=0.05)
        }
    )
    async with Emulator(orders=10, now=NOW, faults=plan) as emu:
        api = Api(session, emu)
        body = {"page": 1, "pageSize": 2}
        status, headers, raw = await api.raw("alibaba.orders.list", body)
        assert (status, headers["Retry-After"], orjson.loads(raw)["code"]) == (429, "2", 429)
        status, headers, raw = await api.raw("alibaba.orders.list", body)
        assert status in (502, 503, 504)
        assert headers["Content-Type"].startswith("text/html")
        assert raw.startswith(b"<html>")
        status, headers, raw = await api.raw("alibaba.orders.list", body)
        assert status == 200
        assert int(headers["Content-Length"]) == len(raw)
        with pytest.raises(orjson.JSONDecodeError):
            orjson.loads(raw)
        status, _, raw = await api.raw("alibaba.orders.list", body)
        assert status in (500, 502, 503)
        assert orjson.loads(raw)["code"] == status
        status, _, raw = await api.raw("alibaba.orders.list", body)
        assert (status, orjson.loads(raw)["code"]) == (200, 500)
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await api.raw("alibaba.orders.list", body)
        started = time.perf_counter()
        assert (await api("alibaba.orders.list", body))["code"] == 200
        assert time.perf_counter() - started >= 0.05
        assert (await api("alibaba.orders.list", body))["code"] == 200
        assert emu.counters.faults == {k: 1 for k in script if k != "ok"}
        # Other endpoints are untouched; faults can be switched off at runtime.
        assert (await api("taobao.orders.list", {}))["code"] == 200
        emu.set_faults(rate_limit=1.0, rate_limit_burst=2, retry_after=None)
        assert (await api.raw("address.get"))[0] == 429
        emu.faults = FaultPlan()
        assert (await api("address.get"))["code"] == 200


async def test_reset_after_handling_still_creates_the_order(session: aiohttp.ClientSession) -> None:
    plan = FaultPlan(endpoints={"alibaba.orders.create": FaultRule(script=("reset_after",))})
    async with Emulator(orders=3, now=NOW, faults=plan) as emu:
        api = Api(session, emu)
        body = {**load_fixture("alibaba_order_preview.request.json"), "outOrderId": "OUT-1"}
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await api.raw("alibaba.orders.create", body)
        again = await api.data("alibaba.orders.create", body)  # the retry finds the order
        assert emu.counters.orders_created["alibaba"] == 1
        assert emu.counters.duplicates_avoided["alibaba.orders.create"] == 1
        assert emu.state.alibaba_by_out_id("OUT-1") is not None
        assert again["orderId"] == str(emu.state.alibaba_by_out_id("OUT-1").order_id)  # type: ignore[union-attr]


async def test_drift_inserts_new_orders_at_the_top(session: aiohttp.ClientSession) -> None:
    clock = FakeClock()
    plan = FaultPlan(drift_per_request=2)
    async with Emulator(orders=50, seed=2, now=NOW, time_func=clock, faults=plan) as emu:
        api = Api(session, emu)
        first = await api.data("taobao.orders.list", {"pageNum": 1, "pageSize": 10})
        assert first["total"] == 52
        clock.t += 5
        second = await api.data("taobao.orders.list", {"pageNum": 2, "pageSize": 10})
        assert second["total"] == 54
        top = (await api.data("taobao.orders.list", {"pageNum": 1, "pageSize": 6}))["data"]
        # The newest ones: created "now" on the emulator clock, awaiting payment.
        assert [o["status"] for o in top] == [0] * 6
        assert top[0]["createTime"] == "2026-05-20 12:00:05"  # now + 5 s on its clock
        assert top[0]["createTime"] > first["data"][2]["createTime"]
        # Page 2 repeats orders of page 1: a naive walk sees duplicates.
        assert {o["id"] for o in first["data"]} & {o["id"] for o in second["data"]}
        ali = await api.data("alibaba.orders.list", {"page": 1, "pageSize": 2})
        assert ali["totalRecord"] == 52
        assert ali["result"][0]["baseInfo"]["status"] == "waitbuyerpay"
        assert emu.counters.drift_orders == 8


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
        "taobao.products.search": {"keyword": "", "beginPage": 1, "pageSize": 5},
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


# ------------------------------------------------------------------ pushes


async def _receiver(
    replies: list[Callable[[], web.StreamResponse]],
) -> tuple[web.AppRunner, str, list[dict[str, Any]]]:
    received: list[dict[str, Any]] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        received.append(await request.json())
        reply = replies.pop(0) if replies else (lambda: web.Response(text="ok"))
        return reply()

    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(0.3)
        return web.Response(text="late")

    app = web.Application()
    app.router.add_post("/hook", handle)
    app.router.add_post("/slow", slow)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}", received


async def test_push_message_retries_until_delivered() -> None:
    replies: list[Callable[[], web.StreamResponse]] = [
        lambda: web.Response(status=500), lambda: web.Response(status=404)
    ]  # fmt: skip
    runner, url, received = await _receiver(replies)
    try:
        async with Emulator(orders=5, alibaba_orders=5, now=NOW, push_retry_interval=0,
                            push_timeout=0.1) as emu:  # fmt: skip
            order = emu.state.alibaba.by_index[0]
            delivery = await emu.push_message(
                url + "/hook", message_type="ORDER_PAY_SUCCESS", order=order.order_id
            )
            assert delivery.delivered
            assert [a.status for a in delivery.attempts] == [500, 404, 200]
            msg = received[-1]
            fixture = load_fixture("message_order_pay_success.json")
            assert list(msg) == list(fixture)
            assert msg["messagePlatform"] == 1
            assert re.fullmatch(r"\d{13}", msg["timestamp"])
            body = orjson.loads(msg["messageBody"])
            assert list(body) == list(orjson.loads(fixture["messageBody"]))
            assert body["orderId"] == str(order.order_id)
            failed = await emu.push_message(url + "/slow", order=order.order_id)
            assert not failed.delivered
            assert len(failed.attempts) == 6  # the first push and 5 re-pushes
            assert all(a.status is None for a in failed.attempts)
            assert emu.counters.pushes == {"attempts": 9, "delivered": 1, "failed": 1}
    finally:
        await runner.cleanup()


async def test_callback_url_gets_order_events(session: aiohttp.ClientSession) -> None:
    runner, url, received = await _receiver([])
    try:
        async with Emulator(orders=3, now=NOW, callback_url=url + "/hook",
                            push_retry_interval=0) as emu:  # fmt: skip
            api = Api(session, emu)
            body = {**load_fixture("alibaba_order_preview.request.json"), "outOrderId": "CB-1"}
            created = await api.data("alibaba.orders.create", body)
            await api.data("alibaba.orders.pay", {"orderIds": [created["orderId"]]})
            await emu.wait_for_pushes()
        types = sorted(m["messageType"] for m in received)
        assert types == ["ORDER_CREATE", "ORDER_PAY_SUCCESS"]
        paid = next(m for m in received if m["messageType"] == "ORDER_PAY_SUCCESS")
        assert orjson.loads(paid["messageBody"])["payStatus"] == 2
    finally:
        await runner.cleanup()


# ------------------------------------------------------------------ plugin


async def test_pytest_plugin_fixture(
    xportcn_emulator: Emulator,  # noqa: F811 - the plugin's fixture, imported above
    session: aiohttp.ClientSession,
) -> None:
    api = Api(session, xportcn_emulator)
    assert (await api.data("taobao.orders.list", {}))["total"] == 200
    assert xportcn_emulator.client_kwargs()["base_url"] == xportcn_emulator.base_url
    assert dict(**xportcn_emulator.credentials) == xportcn_emulator.credentials.as_dict()
