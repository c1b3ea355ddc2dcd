"""A small local order-list server for sync tests, independent of the emulator.

It serves ``POST /api/open/purchase/page`` with orders shaped like the docs'
example (cloned from the fixture with new ids and creation times), newest
first, honours the time window, and can insert new orders between page
requests (``drift``) and fail some requests (``fail_every``).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import orjson
from aiohttp import web
from aiohttp.test_utils import TestServer

from xportcn_async.serde import CHINA_TZ

from .conftest import load_fixture

FMT = "%Y-%m-%d %H:%M:%S"


def make_order(template: dict[str, Any], n: int, created: datetime) -> dict[str, Any]:
    order = copy.deepcopy(template)
    order["id"] = str(1_000_000 + n)
    order["orderNo"] = f"13621279445{n:08d}"
    order["purchaseId"] = 200_000_000_000 + n
    order["createTime"] = created.astimezone(CHINA_TZ).strftime(FMT)
    order["status"] = [0, 1, 2, 3, 4, 5, 9, 10, 11, 12][n % 10]
    order["purchaseAmount"] = 1000 + n
    for sub in order["subOrderVOS"]:
        sub["id"] = f"{order['id']}01"
        sub["orderNo"] = order["orderNo"]
    return order


class OrderServer:
    def __init__(
        self, n: int, *, span: timedelta = timedelta(days=20), now: datetime | None = None
    ) -> None:
        self.template = load_fixture("taobao_order_list.response.json")["data"]["data"][0]
        self.now = now or datetime.now(CHINA_TZ)
        self.orders: list[dict[str, Any]] = []
        step = span / max(n, 1)
        for i in range(n):
            self.orders.append(
                make_order(self.template, i, self.now - span + step * i + timedelta(seconds=1))
            )
        self._sort()
        self.drift = 0
        #: ``tamper(page_num, page_size, data) -> data``: a hostile server's edit of a page.
        self.tamper: Callable[[int, int, dict[str, Any]], dict[str, Any]] | None = None
        self.fail_every = 0
        self.delay = 0.0
        self.requests = 0
        self.added = 0
        self.app = web.Application()
        self.app.router.add_post("/api/open/purchase/page", self.page)
        self.server = TestServer(self.app, host="127.0.0.1")

    def _sort(self) -> None:
        self.orders.sort(key=lambda o: (o["createTime"], o["id"]), reverse=True)

    @property
    def base_url(self) -> str:
        return str(self.server.make_url("/api"))

    def ids(self) -> set[str]:
        return {o["id"] for o in self.orders}

    async def page(self, request: web.Request) -> web.Response:
        self.requests += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_every and self.requests % self.fail_every == 0:
            return web.json_response(
                {"requestId": f"r{self.requests}", "code": 500, "msg": "busy"}, status=503
            )
        body = await request.json()
        num, size = int(body["pageNum"]), int(body["pageSize"])
        begin, end = body.get("beginDateTime"), body.get("endDateTime")
        rows = [
            o
            for o in self.orders
            if (begin is None or o["createTime"] >= begin)
            and (end is None or o["createTime"] <= end)
        ]
        if "orderNo" in body:
            rows = [o for o in rows if o["orderNo"] == body["orderNo"]]
        if "status" in body:
            rows = [o for o in rows if o["status"] == body["status"]]
        data: dict[str, Any] = {"total": len(rows), "data": rows[(num - 1) * size : num * size]}
        if self.tamper is not None:
            data = self.tamper(num, size, copy.deepcopy(data))
        doc = {
            "requestId": f"r{self.requests}",
            "code": 200,
            "developId": "1",
            "msg": "成功",
            "data": data,
        }
        raw = orjson.dumps(doc)
        for _ in range(self.drift):  # orders arriving while the walk goes on
            self.added += 1
            self.orders.append(
                make_order(self.template, 900_000 + self.added, datetime.now(CHINA_TZ))
            )
        if self.drift:
            self._sort()
        return web.Response(body=raw, content_type="application/json")
