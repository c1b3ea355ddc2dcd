"""Tests of ``xportcn_async/endpoints.py``: the catalogue, and paths overridden per client.

Every catalogue operation has a wire case and an emulator round trip: the cases live in
the resource test files (``tests/resources/``), one file per resource module, and are
collected here. All round trips also run one after another against one emulator.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from types import ModuleType

import pytest
import pytest_asyncio

from tests.emulated import make_client, make_emulator
from tests.resources import test_address, test_logistics, test_taobao, test_wms
from tests.resources._round_trip import RoundTrip
from tests.resources._shared import ORDER_ID, TRADE
from tests.resources._wire import Case, WireServer, serve_wire
from tests.resources.alibaba import test_after_sales, test_orders, test_products
from xportcn_async import XportcnClient
from xportcn_async.endpoints import CATALOGUE
from xportcn_async.errors import ConfigurationError, InvalidRequestError

#: The resource test files, in the order their round trips run one after another.
RESOURCE_TESTS: list[ModuleType] = [
    test_address,
    test_logistics,
    test_products,
    test_orders,
    test_after_sales,
    test_taobao,
    test_wms,
]


def wire_cases() -> list[Case]:
    return [case for module in RESOURCE_TESTS for case in module.WIRE_CASES]


def round_trips() -> dict[str, RoundTrip]:
    keys = [key for module in RESOURCE_TESTS for key in module.ROUND_TRIPS]
    assert len(keys) == len(set(keys)), "a key has round trips in two files"
    return {key: run for module in RESOURCE_TESTS for key, run in module.ROUND_TRIPS.items()}


@pytest_asyncio.fixture
async def wire() -> AsyncIterator[WireServer]:
    async with serve_wire() as server:
        yield server


# --------------------------------------------------------------------------- the catalogue


def test_every_catalogue_operation_has_a_wire_case() -> None:
    keys = [case.key for case in wire_cases()]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(CATALOGUE)
    assert len(keys) == 33


def test_a_case_for_every_catalogue_key() -> None:
    cases = round_trips()
    assert set(cases) == set(CATALOGUE)
    assert len(cases) == 33


async def test_every_catalogue_key_is_served_through_the_sdk() -> None:
    """All 33 round trips against one emulator, one after another (state carries over)."""
    async with make_emulator(orders=80, seed=5) as emu, make_client(emu) as xp:
        for key, run in round_trips().items():
            before = emu.counters.requests[key]
            await run(xp, emu)
            assert emu.counters.requests[key] > before, f"{key} was not called"
        assert set(emu.counters.requests) == set(CATALOGUE)
        assert all(emu.counters.requests[key] >= 1 for key in CATALOGUE)
        assert not emu.counters.business_errors, emu.counters.business_errors
        assert not emu.counters.auth_rejections
        assert not emu.counters.faults
        assert xp.transport.retries == 0


# --------------------------------------------------------------------------- path overrides


def test_unknown_endpoint_override_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"alibaba\.orders\.nope"):
        XportcnClient(
            access_key="k",
            access_secret="s",
            user_id="u",
            endpoint_paths={"alibaba.orders.nope": "/x"},
        )


def test_endpoint_override_changes_the_path() -> None:
    xp = XportcnClient(
        access_key="k",
        access_secret="s",
        user_id="u",
        endpoint_paths={"alibaba.orders.detail": "/alibaba/ka/order/get"},
    )
    assert xp.endpoints["alibaba.orders.detail"].path == "/alibaba/ka/order/get"
    assert xp.endpoints["alibaba.orders.list"].path == "/alibaba/ka/order/list"


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
