"""Tests of ``xportcn_async/resources/address.py``: ``xp.address``.

On the wire (``tests/resources/_wire.py``, a recording server): the method, path, body and
query of each call and what its answer structures into. Through the emulator
(``tests/resources/_round_trip.py``): each call round-trips through the real client.
"""

from __future__ import annotations

import pytest

from tests.conftest import load_fixture
from tests.resources._round_trip import RoundTrips, check_round_trip
from tests.resources._wire import Case, WireServer, case_ids, check_raw, check_wire
from xportcn_async import XportcnClient
from xportcn_async.models import RawResult
from xportcn_async.testing import Emulator

# --------------------------------------------------------------------------- on the wire


WIRE_CASES: list[Case] = [
    Case(
        "address.get",
        lambda xp: xp.address.get(),
        None,
        reply={"name": "张三", "city": "杭州"},
        check=check_raw({"name": "张三", "city": "杭州"}),
    ),
    Case(
        "address.upsert",
        lambda xp: xp.address.upsert(
            name="string",
            province="string",
            city="string",
            district="string",
            address="string",
            phone="string",
        ),
        load_fixture("address_upsert.request.json"),
        check=check_raw(None),
    ),
]


@pytest.mark.parametrize("case", WIRE_CASES, ids=case_ids(WIRE_CASES))
async def test_wire(case: Case, wire: WireServer, wire_xp: XportcnClient) -> None:
    await check_wire(case, wire, wire_xp)


# --------------------------------------------------------------------------- through the emulator


ROUND_TRIPS = RoundTrips()


@ROUND_TRIPS.case("address.get")
async def _address_get(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.address.get()
    assert isinstance(result, RawResult)
    assert isinstance(result.data, list) and result.data
    assert {"id", "name", "province", "city", "address", "phone"} <= set(result.data[0])


@ROUND_TRIPS.case("address.upsert")
async def _address_upsert(xp: XportcnClient, emu: Emulator) -> None:
    saved = await xp.address.upsert(
        name="李四",
        phone="13912345678",
        province="广东省",
        city="东莞市",
        district="虎门镇",
        address="连升中路88号",
    )
    assert saved == RawResult(None)  # the short envelope {"code": 200, "msg": "成功"}
    addresses = (await xp.address.get()).data
    mine = [a for a in addresses if a["address"] == "连升中路88号"]
    assert len(mine) == 1 and mine[0]["name"] == "李四" and mine[0]["id"] != 0
    updated = await xp.address.upsert(
        id=mine[0]["id"], name="李四", phone="13912345678", province="广东省", city="东莞市",
        address="连升中路99号",
    )  # fmt: skip
    assert updated.data is None
    addresses = (await xp.address.get()).data
    assert [a["address"] for a in addresses if a["id"] == mine[0]["id"]] == ["连升中路99号"]


@pytest.mark.parametrize("key", list(ROUND_TRIPS))
async def test_endpoint_round_trips(key: str, xp: XportcnClient, emu: Emulator) -> None:
    await check_round_trip(ROUND_TRIPS[key], key, xp, emu)
