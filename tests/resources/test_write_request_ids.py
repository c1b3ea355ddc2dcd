"""Every write's result carries the request id of the call that made the change.

A real local server answers each write with a request id of its own numbering,
so the test sees exactly which envelope an id came from.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer

from xportcn_async import XportcnClient
from xportcn_async.endpoints import CATALOGUE
from xportcn_async.models import (
    AddressParam,
    CargoParam,
    LineItem,
    LogisticInfo,
    RawResult,
    ReceiverAddress,
    TaobaoCreateOrderLine,
    TaobaoReceiver,
    WriteResult,
)

Write = Callable[[XportcnClient], Awaitable[Any]]

#: One call per write endpoint that answers a typed or raw result.
WRITES: dict[str, Write] = {
    "taobao.orders.create": lambda xp: xp.taobao.orders.create(
        lines=[TaobaoCreateOrderLine(item_id="1", quantity=1)], receiver=TaobaoReceiver()
    ),
    "alibaba.orders.create": lambda xp: xp.alibaba.orders.create(
        flow="general", address=AddressParam(full_name="张三"), cargo=[CargoParam(offer_id="1")]
    ),
    "alibaba.orders.pay": lambda xp: xp.alibaba.orders.pay(order_ids="1"),
    "alibaba.after_sales.upload_voucher": lambda xp: xp.alibaba.after_sales.upload_voucher(
        image=b"\xff\xd8\xff\xe0 a jpeg"
    ),
    "alibaba.after_sales.create_refund": lambda xp: xp.alibaba.after_sales.create_refund(
        order_id="1",
        order_entry_ids=["2"],
        dispute_request="refund",
        apply_payment=100,
        apply_reason_id="3",
        description="破损",
        goods_status="refundWaitSellerSend",
    ),
    "alibaba.after_sales.submit_return": lambda xp: xp.alibaba.after_sales.submit_return(
        refund_id="TQ1", logistics_company_no="SF", freight_bill="SF1"
    ),
    "logistics.create_order": lambda xp: xp.logistics.create_order(
        render_id="FF1", receiver=ReceiverAddress(), line_items=[LineItem(item_id="1", quantity=1)]
    ),
    "logistics.update_domestic": lambda xp: xp.logistics.update_domestic(
        order_id="21", logistic_infos=[LogisticInfo(line_item=LineItem(item_id="1", quantity=1))]
    ),
    "wms.forecast": lambda xp: xp.wms.forecast(out_order_id="o-1"),
    "address.upsert": lambda xp: xp.address.upsert(
        name="张三", phone="13800000000", province="浙江省", city="杭州市", address="文一西路"
    ),
}


class NumberedServer:
    """Answers every POST with ``{"code": 200, "requestId": "req-<n>", "data": {}}``."""

    def __init__(self) -> None:
        self.count = 0
        self.app = web.Application()
        self.app.router.add_route("*", "/{tail:.*}", self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        await request.read()
        self.count += 1
        body = {"code": 200, "msg": "成功", "requestId": f"req-{self.count}", "data": {}}
        return web.Response(body=orjson.dumps(body), content_type="application/json")


@pytest_asyncio.fixture
async def client() -> AsyncIterator[tuple[XportcnClient, NumberedServer]]:
    numbered = NumberedServer()
    async with TestServer(numbered.app, host="127.0.0.1") as server:
        base_url = str(server.make_url("/"))
        async with XportcnClient(
            access_key="k", access_secret="s", user_id="1", base_url=base_url
        ) as xp:
            yield xp, numbered


def test_every_write_of_the_catalogue_is_covered() -> None:
    writes = {key for key, ep in CATALOGUE.items() if not ep.idempotent}
    # The wms inbound/update writes answer the same RawResult as wms.forecast.
    assert writes - set(WRITES) <= {"wms.inbound", "wms.update"}
    assert set(WRITES) <= writes


@pytest.mark.parametrize("key", sorted(WRITES))
async def test_a_write_result_carries_its_request_id(
    key: str, client: tuple[XportcnClient, NumberedServer]
) -> None:
    xp, numbered = client
    result = await WRITES[key](xp)
    assert isinstance(result, (WriteResult, RawResult))
    assert result.request_id == f"req-{numbered.count}"

    # The raw-response view has the client's groups, not its type.
    raw = await WRITES[key](xp.with_raw_response)  # type: ignore[arg-type]
    assert raw.request_id == f"req-{numbered.count}"
    parsed = raw.parse()
    assert parsed.request_id == raw.request_id
    # The id is metadata, not data: two answers with different ids compare equal.
    assert parsed == result and parsed.request_id != result.request_id
