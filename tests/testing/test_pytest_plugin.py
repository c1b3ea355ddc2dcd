"""Tests of ``xportcn_async/testing/pytest_plugin.py``: the ``xportcn_emulator`` and
``xportcn_client`` fixtures, registered through the ``pytest11`` entry point, and the
``xportcn_emulator`` marker.
"""

from __future__ import annotations

from collections import Counter

import aiohttp
import pytest

from tests.emulated import make_client
from tests.testing._api import Api
from xportcn_async import XportcnClient
from xportcn_async.testing import Emulator, FaultPlan, FaultRule


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


async def test_pytest_plugin_fixture(
    xportcn_emulator: Emulator,
    session: aiohttp.ClientSession,
) -> None:
    api = Api(session, xportcn_emulator)
    assert (await api.data("taobao.orders.list", {}))["total"] == 200
    assert xportcn_emulator.client_kwargs()["base_url"] == xportcn_emulator.base_url
    assert dict(**xportcn_emulator.credentials) == xportcn_emulator.credentials.as_dict()
