"""Tests of ``xportcn_async/testing/push.py``: the emulator's message pushes, re-pushed until
delivered, and order events sent to a callback URL.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import aiohttp
import orjson
from aiohttp import web

from tests.conftest import load_fixture
from tests.testing._api import NOW, Api
from xportcn_async.testing import Emulator


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
