"""No double orders: a create whose answer is lost after the server committed the order.

The emulator's ``reset_after`` (handle, then drop the connection), ``delay``
(handle, then answer after the client gave up) and ``truncate`` (handle, then
send a body cut short) faults commit the order and lose the answer.

By default (``create_recovery="report"``) the SDK never sends the create again
and raises ``OutcomeUnknownError`` carrying the orders created around that time
(``candidates``): no list field is confirmed to echo the caller's key, so it
cannot know which is the caller's. With ``create_recovery="lookup_and_resend"``
(opt-in, for a confirmed echo) it returns the order found by the key or sends
the create once more with the same key. The emulator's counters prove how many
orders exist: ``orders_created`` counts real creations, ``duplicates_avoided``
the creates it answered from its own idempotency record.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson
import pytest

from xportcn_async import OutcomeUnknownError, RetryPolicy, XportcnClient
from xportcn_async.config import CreateRecovery
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

pytestmark = pytest.mark.slow

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


def client(
    emu: Emulator, sleep: FakeSleep | None = None, recovery: CreateRecovery = "report"
) -> XportcnClient:
    return XportcnClient(
        **emu.client_kwargs(),
        total_timeout=TIMEOUT,
        retry=RetryPolicy(sleep=sleep or FakeSleep()),
        create_recovery=recovery,
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


def candidate_ids(error: OutcomeUnknownError, platform: str) -> list[str]:
    if platform == "alibaba":
        return [str(o.id) for o in error.candidates]
    return [str(o.purchase_id) for o in error.candidates]


# --------------------------------------------------------------------------- the default: report


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("fault", COMMITTED_THEN_LOST)
async def test_lost_answer_after_commit_is_one_order_and_outcome_unknown_with_the_candidate(
    platform: str, fault: str
) -> None:
    endpoint = PLATFORMS[platform]
    async with emulator(endpoint, fault) as emu, client(emu) as xp:
        with pytest.raises(OutcomeUnknownError) as info:
            await create(xp, platform, key="K-1")
        counters = emu.counters
        created = orders_with_key(emu, platform, "K-1")
    error = info.value
    assert len(created) == 1 and created[0] in candidate_ids(error, platform)
    assert "not sent again" in str(error) and "error.candidates" in str(error)
    assert error.candidates_error is None
    assert counters.faults == Counter({fault: 1})
    assert counters.orders_created == Counter({platform: 1})  # exactly one order
    assert counters.requests[endpoint] == 1  # the create was never sent again
    assert not counters.duplicates_avoided


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("fault", NOTHING_DONE)
async def test_lost_answer_before_anything_was_done_is_outcome_unknown_and_never_sent_again(
    platform: str, fault: str
) -> None:
    endpoint = PLATFORMS[platform]
    sleep = FakeSleep()
    async with emulator(endpoint, fault) as emu, client(emu, sleep) as xp:
        with pytest.raises(OutcomeUnknownError, match="not sent again"):
            await create(xp, platform, key="K-2")
        assert emu.counters.requests[endpoint] == 1
        assert not emu.counters.orders_created
        assert xp.transport.retries == 0 and not sleep.calls
        # The caller, having checked the candidates, creates it again: one order.
        result = await create(xp, platform, key="K-2")
        assert result_ids(result, platform) == orders_with_key(emu, platform, "K-2")
        counters = emu.counters
    assert counters.orders_created == Counter({platform: 1})


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("fault", [*COMMITTED_THEN_LOST, "reset"])
async def test_without_a_key_the_outcome_is_unknown_and_the_create_is_not_resent(
    platform: str, fault: str
) -> None:
    endpoint = PLATFORMS[platform]
    async with emulator(endpoint, fault) as emu, client(emu) as xp:
        with pytest.raises(OutcomeUnknownError) as info:
            await create(xp, platform, key=None)
        counters = emu.counters
    message = str(info.value)
    assert "outcome unknown" in message and endpoint in message
    assert "not sent again" in message and "Pass " in message
    assert counters.requests[endpoint] == 1
    created = 0 if fault == "reset" else 1  # the server may or may not have acted
    assert sum(counters.orders_created.values()) == created
    assert len(info.value.candidates) >= created  # the order made is among them


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_when_listing_candidates_fails_too_nothing_is_sent_again(platform: str) -> None:
    endpoint = PLATFORMS[platform]
    lists = {"alibaba": "alibaba.orders.list", "taobao": "taobao.orders.list"}[platform]
    plan = FaultPlan(
        endpoints={endpoint: FaultRule(script=("reset_after",)), lists: FaultRule(server_error=1)}
    )
    async with Emulator(orders=60, seed=5, faults=plan) as emu, client(emu) as xp:
        with pytest.raises(OutcomeUnknownError, match="failed too") as info:
            await create(xp, platform, key="K-3")
        assert info.value.candidates == [] and info.value.candidates_error
        assert emu.counters.requests[endpoint] == 1
        assert emu.counters.requests[lists] == 3  # a read: retried 3 times
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
        unknown: dict[int, OutcomeUnknownError] = {}
        async with client(emu) as xp:
            for n in range(50):
                try:
                    result = await create(xp, platform, key=f"K-{n}")
                    assert result_ids(result, platform) == orders_with_key(emu, platform, f"K-{n}")
                except OutcomeUnknownError as exc:
                    unknown[n] = exc
            emu.set_faults()
            # What a caller does: an order made is among the candidates; create the rest.
            again = 0
            for n, error in unknown.items():
                made = orders_with_key(emu, platform, f"K-{n}")
                assert set(made) <= set(candidate_ids(error, platform))
                if not made:
                    await create(xp, platform, key=f"K-{n}")
                    again += 1
        counters = emu.counters
    assert counters.orders_created == Counter({platform: 50})  # never two orders for one key
    committed = counters.faults["reset_after"] + counters.faults["truncate"]
    assert len(unknown) == committed + again and committed > 0 and again > 0
    assert counters.requests[endpoint] == 50 + again
    print(
        f"\n{platform}: 50 creates, faults {dict(counters.faults)}, {len(unknown)} outcome "
        f"unknown ({committed} with the order among the candidates, {again} created again)"
    )


# --------------------------------------------------------------------------- opt-in: lookup_and_resend


def echoing_emulator(key: str, *script: str) -> Emulator:
    """An emulator whose Taobao list echoes the seller order number (1688 echoes outOrderId)."""
    rule = FaultRule(script=script, delay_seconds=TIMEOUT * 2)
    return Emulator(
        orders=60,
        seed=5,
        faults=FaultPlan(endpoints={key: rule}),
        taobao_echo_key="sellerOrderNumber",
    )


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("fault", COMMITTED_THEN_LOST)
async def test_opt_in_lookup_returns_the_order_found_by_a_confirmed_echo(
    platform: str, fault: str
) -> None:
    endpoint = PLATFORMS[platform]
    async with (
        echoing_emulator(endpoint, fault) as emu,
        client(emu, recovery="lookup_and_resend") as xp,
    ):
        result = await create(xp, platform, key="K-4")
        assert result.recovered and result.success
        assert result_ids(result, platform) == orders_with_key(emu, platform, "K-4")
        counters = emu.counters
    assert counters.orders_created == Counter({platform: 1})
    assert counters.requests[endpoint] == 1


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("fault", NOTHING_DONE)
async def test_opt_in_resends_once_when_the_order_is_not_found(platform: str, fault: str) -> None:
    endpoint = PLATFORMS[platform]
    async with (
        echoing_emulator(endpoint, fault) as emu,
        client(emu, recovery="lookup_and_resend") as xp,
    ):
        result = await create(xp, platform, key="K-5")
        assert not result.recovered
        assert result_ids(result, platform) == orders_with_key(emu, platform, "K-5")
        counters = emu.counters
    assert counters.orders_created == Counter({platform: 1})
    assert counters.requests[endpoint] == 2  # sent, lost before handling, sent once more


async def test_opt_in_without_a_real_echo_relies_on_the_server_refusing_the_duplicate() -> None:
    """The risk README names: the echo is not real, the order is not found, the create is
    sent again. Only the server's own duplicate-key record keeps it to one order."""
    endpoint = PLATFORMS["taobao"]
    async with (
        emulator(endpoint, "reset_after") as emu,  # no echo of sellerOrderNumber
        client(emu, recovery="lookup_and_resend") as xp,
    ):
        result = await create(xp, "taobao", key="K-6")
        counters = emu.counters
    assert not result.recovered
    assert counters.requests[endpoint] == 2
    assert counters.duplicates_avoided == Counter({endpoint: 1})
    assert counters.orders_created == Counter({"taobao": 1})


def test_the_emulator_does_not_echo_the_seller_order_number_by_default() -> None:
    emu = Emulator(orders=5, seed=5)
    rec = emu.state.add_taobao_order(outer_id="K-7")
    doc = emu.state.taobao_doc(rec)
    assert "K-7" not in orjson.dumps(doc).decode()
    assert isinstance(doc["purchaseOrderOuterId"], str) and doc["purchaseOrderOuterId"].isdigit()
