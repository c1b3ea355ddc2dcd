"""No double orders: a create whose answer is lost after the server committed the order.

The emulator's ``reset_after`` (handle, then drop the connection), ``delay``
(handle, then answer after the client gave up) and ``truncate`` (handle, then
send a body cut short) faults commit the order and lose the answer. With the
caller's key (1688 ``out_order_id``, Taobao ``seller_order_number``) the SDK
looks the order up and returns it; when the lookup finds nothing, or there is no
key, it raises ``OutcomeUnknownError`` and never sends the create again (a lookup
that finds nothing does not prove that no order was made). The emulator's counters prove how many orders exist:
``orders_created`` counts real creations, ``duplicates_avoided`` the creates it
answered from its own idempotency record (the server-side safety net, which the
SDK should not even need).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from xportcn_async import OutcomeUnknownError, RetryPolicy, XportcnClient
from xportcn_async.models import (
    AddressParam,
    AlibabaCreateOrderResult,
    CargoParam,
    TaobaoCreateOrderLine,
    TaobaoCreateOrderResult,
    TaobaoReceiver,
)
from xportcn_async.testing import Emulator, FaultPlan, FaultRule

from ..conftest import FakeSleep

OFFER_ID, SPEC_ID = "889512351602", "530ad00177264564503ec3b848650652"
BALL_MP_ID, BALL_SKU_ID = "4096919806436206", "36209282830190"  # one SKU at 52.45
ADDRESS = AddressParam(
    full_name="张三", mobile="13800138000", province_text="浙江省", city_text="杭州市",
    area_text="西湖区", address="文三路90号", district_code="330106",
)  # fmt: skip
RECEIVER = TaobaoReceiver(name="张三", mobile_phone="13800138000", country="中国", address="x")
TIMEOUT = 0.3  # the client's timeout; a "delay" answer comes after 2 x TIMEOUT

#: Faults after which the order exists but its answer is lost.
COMMITTED_THEN_LOST = ["reset_after", "delay", "truncate"]
#: Faults before the order is handled: nothing was created, the answer is lost all the same.
NOTHING_DONE = ["reset", "server_error", "html_error"]

PLATFORMS = {"alibaba": "alibaba.orders.create", "taobao": "taobao.orders.create"}


def emulator(key: str, *script: str) -> Emulator:
    rule = FaultRule(script=script, delay_seconds=TIMEOUT * 2)
    return Emulator(orders=60, seed=5, faults=FaultPlan(endpoints={key: rule}))


def client(emu: Emulator, sleep: FakeSleep | None = None) -> XportcnClient:
    return XportcnClient(
        **emu.client_kwargs(),
        total_timeout=TIMEOUT,
        retry=RetryPolicy(sleep=sleep or FakeSleep()),
    )


async def create(
    xp: XportcnClient, platform: str, key: str | None
) -> AlibabaCreateOrderResult | TaobaoCreateOrderResult:
    if platform == "alibaba":
        return await xp.alibaba.orders.create(
            flow="general",
            address=ADDRESS,
            cargo=[CargoParam(OFFER_ID, SPEC_ID, 2)],
            out_order_id=key,
        )
    return await xp.taobao.orders.create(
        lines=[TaobaoCreateOrderLine(item_id=BALL_MP_ID, sku_id=BALL_SKU_ID, quantity=1)],
        receiver=RECEIVER,
        purchase_amount=5245,
        seller_order_number=key,
    )


def orders_with_key(emu: Emulator, platform: str, key: str) -> list[str]:
    """Ids of the emulator's orders carrying the caller's key."""
    if platform == "alibaba":
        return [str(r.order_id) for r in emu.state.alibaba.records if r.out_order_id == key]
    return [str(r.purchase_id) for r in emu.state.taobao.records if r.outer_id == key]


def result_ids(result: Any, platform: str) -> list[str]:
    if platform == "alibaba":
        return [result.order_id]
    return [o.purchase_id for o in result.order_list]


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("fault", COMMITTED_THEN_LOST)
async def test_lost_answer_with_a_key_returns_the_order_instead_of_a_second_one(
    platform: str, fault: str
) -> None:
    endpoint = PLATFORMS[platform]
    async with emulator(endpoint, fault) as emu, client(emu) as xp:
        result = await create(xp, platform, key="K-1")
        counters = emu.counters
        assert result.recovered and result.success
        assert result_ids(result, platform) == orders_with_key(emu, platform, "K-1")
    assert counters.faults == Counter({fault: 1})
    assert counters.orders_created == Counter({platform: 1})  # exactly one order
    assert counters.requests[endpoint] == 1  # the create was never sent again
    assert not counters.duplicates_avoided  # not even the server's own safety net was needed


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("fault", NOTHING_DONE)
async def test_lost_answer_and_no_order_found_is_outcome_unknown_and_never_sent_again(
    platform: str, fault: str
) -> None:
    endpoint = PLATFORMS[platform]
    sleep = FakeSleep()
    async with emulator(endpoint, fault) as emu, client(emu, sleep) as xp:
        with pytest.raises(OutcomeUnknownError, match="no order with") as info:
            await create(xp, platform, key="K-2")
        assert "not sent again" in str(info.value)
        assert emu.counters.requests[endpoint] == 1  # looked up, not found: not re-sent
        assert not emu.counters.orders_created
        assert xp.transport.retries == 0 and not sleep.calls
        # The caller, having checked, creates it again with the same key: one order.
        result = await create(xp, platform, key="K-2")
        assert result_ids(result, platform) == orders_with_key(emu, platform, "K-2")
        counters = emu.counters
    assert counters.orders_created == Counter({platform: 1})


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("fault", [*COMMITTED_THEN_LOST, "reset"])
async def test_without_a_key_the_outcome_is_unknown_and_nothing_is_retried(
    platform: str, fault: str
) -> None:
    endpoint = PLATFORMS[platform]
    async with emulator(endpoint, fault) as emu, client(emu) as xp:
        with pytest.raises(OutcomeUnknownError) as info:
            await create(xp, platform, key=None)
        counters = emu.counters
    message = str(info.value)
    assert "outcome unknown" in message and endpoint in message
    assert "not retried" in message
    assert counters.requests[endpoint] == 1
    assert sum(counters.requests.values()) == 1  # no lookup either: there is no key
    created = 0 if fault == "reset" else 1  # the server may or may not have acted
    assert sum(counters.orders_created.values()) == created


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_when_the_lookup_fails_too_nothing_is_sent_again(platform: str) -> None:
    endpoint = PLATFORMS[platform]
    lists = {"alibaba": "alibaba.orders.list", "taobao": "taobao.orders.list"}[platform]
    plan = FaultPlan(
        endpoints={endpoint: FaultRule(script=("reset_after",)), lists: FaultRule(server_error=1)}
    )
    async with Emulator(orders=60, seed=5, faults=plan) as emu, client(emu) as xp:
        with pytest.raises(OutcomeUnknownError, match="looking the order up") as info:
            await create(xp, platform, key="K-3")
        assert "outcome unknown" in str(info.value)
        assert emu.counters.requests[endpoint] == 1
        assert emu.counters.requests[lists] == 3  # the lookup is a read: retried 3 times
        # Later the caller tries again with the same key: the server's idempotency
        # record answers it, still one order.
        emu.set_faults()
        again = await create(xp, platform, key="K-3")
        assert not again.recovered
        counters = emu.counters
    assert counters.orders_created == Counter({platform: 1})
    assert counters.duplicates_avoided == Counter({endpoint: 1})


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_fifty_creates_under_random_faults_make_fifty_orders(platform: str) -> None:
    endpoint = PLATFORMS[platform]
    rule = FaultRule(reset_after=0.15, reset=0.1, truncate=0.1, server_error=0.1)
    plan = FaultPlan(endpoints={endpoint: rule}, seed=11)
    async with Emulator(orders=60, seed=5, faults=plan) as emu:
        results: dict[int, Any] = {}
        unknown: list[int] = []
        async with client(emu) as xp:
            for n in range(50):
                try:
                    results[n] = await create(xp, platform, key=f"K-{n}")
                except OutcomeUnknownError:
                    unknown.append(n)
            # The SDK never re-sent those; none of them made an order.
            assert all(not orders_with_key(emu, platform, f"K-{n}") for n in unknown)
            emu.set_faults()
            for n in unknown:  # what a caller does after checking: create again, same key
                results[n] = await create(xp, platform, key=f"K-{n}")
        counters = emu.counters
        for n, result in results.items():
            assert result_ids(result, platform) == orders_with_key(emu, platform, f"K-{n}")
    recovered = sum(r.recovered for r in results.values())
    assert counters.orders_created == Counter({platform: 50})  # never two orders for one key
    assert recovered == counters.faults["reset_after"] + counters.faults["truncate"] > 0
    assert len(unknown) == counters.faults["reset"] + counters.faults["server_error"] > 0
    print(
        f"\n{platform}: 50 creates, faults {dict(counters.faults)}, {recovered} recovered, "
        f"{len(unknown)} outcome unknown (none created, created on the caller's second call)"
    )
