"""Tests of ``xportcn_async/testing/faults.py``: the emulator's fault injection, reproducible
per seed and endpoint, scripted, and changeable at runtime (plain aiohttp, never the SDK).
"""

from __future__ import annotations

import time

import aiohttp
import orjson
import pytest

from tests.conftest import load_fixture
from tests.testing._api import NOW, Api, FakeClock
from xportcn_async.testing import Emulator, FaultPlan, FaultRule


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
