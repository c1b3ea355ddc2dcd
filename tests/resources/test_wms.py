"""Tests of ``xportcn_async/resources/wms.py``: ``xp.wms``.

On the wire (``tests/resources/_wire.py``, a recording server): the method, path, body and
query of each call and what its answer structures into. Through the emulator
(``tests/resources/_round_trip.py``): each call round-trips through the real client.

Also: a call that names no package is refused before anything is sent.
"""

from __future__ import annotations

import pytest

from tests.conftest import load_fixture
from tests.resources._round_trip import RoundTrips, check_round_trip
from tests.resources._wire import Call, Case, WireServer, case_ids, check_raw, check_wire
from xportcn_async import XportcnClient
from xportcn_async.models import QualityInspectionInfo, RawResult
from xportcn_async.testing import Emulator

# --------------------------------------------------------------------------- on the wire


WIRE_CASES: list[Case] = [
    Case(
        "wms.forecast",
        lambda xp: xp.wms.forecast(
            out_order_id="o-1", logistics_tracking_number="YT1", extra={"expected_at": "x"}
        ),
        {"out_order_id": "o-1", "logistics_tracking_number": "YT1", "expected_at": "x"},
        check=check_raw(None),
    ),
    Case(
        "wms.inbound",
        lambda xp: xp.wms.inbound(
            out_order_id="205569999****",
            alibaba_order_id="2887421737338134260",
            logistics_tracking_number="YT7565691026776",
            quality_inspection=QualityInspectionInfo(
                status="质检通过",
                weight=0.4,
                length=23,
                width="34",
                height=56,
                failed_remark="白色领口有污点",
                images=["https://cbu01.alicdn.com/img/ibank/O1CN01sdKLEv"],
            ),
        ),
        load_fixture("wms_package_inbound.request.truncated.json"),
        reply={"ok": True},
        check=check_raw({"ok": True}),
    ),
    Case(
        "wms.update",
        lambda xp: xp.wms.update(
            alibaba_order_id="2887421737338134260",
            quality_inspection=QualityInspectionInfo(status="质检通过"),
        ),
        {
            "alibaba_order_id": "2887421737338134260",
            "quality_inspection_info": {"status": "质检通过"},
        },
        check=check_raw(None),
    ),
]


@pytest.mark.parametrize("case", WIRE_CASES, ids=case_ids(WIRE_CASES))
async def test_wire(case: Case, wire: WireServer, wire_xp: XportcnClient) -> None:
    await check_wire(case, wire, wire_xp)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda xp: xp.wms.inbound(), "name the package"),
    ],
)
async def test_bad_arguments_are_refused_before_sending(
    call: Call, message: str, wire: WireServer, wire_xp: XportcnClient
) -> None:
    with pytest.raises(ValueError, match=message):
        await call(wire_xp)
    assert wire.seen == []


# --------------------------------------------------------------------------- through the emulator


ROUND_TRIPS = RoundTrips()


@ROUND_TRIPS.case("wms.forecast")
async def _wms_forecast(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.wms.forecast(
        out_order_id="o-1", logistics_tracking_number="YT1", extra={"expected_at": "x"}
    )
    assert result == RawResult(None)
    assert emu.state.packages[-1] == {
        "kind": "forecast",
        "out_order_id": "o-1",
        "logistics_tracking_number": "YT1",
        "expected_at": "x",
    }


@ROUND_TRIPS.case("wms.inbound")
async def _wms_inbound(xp: XportcnClient, emu: Emulator) -> None:
    fixture = load_fixture("wms_package_inbound.request.truncated.json")
    qc = fixture["quality_inspection_info"]
    result = await xp.wms.inbound(
        out_order_id=fixture["out_order_id"],
        alibaba_order_id=fixture["alibaba_order_id"],
        logistics_tracking_number=fixture["logistics_tracking_number"],
        quality_inspection=QualityInspectionInfo(
            status=qc["status"], weight=qc["weight"], length=qc["length"], width=qc["width"],
            height=qc["height"], failed_remark=qc["failed_remark"], images=qc["images"],
        ),
    )  # fmt: skip
    assert result == RawResult(None)
    assert emu.state.packages[-1] == {"kind": "inbound", **fixture}


@ROUND_TRIPS.case("wms.update")
async def _wms_update(xp: XportcnClient, emu: Emulator) -> None:
    result = await xp.wms.update(
        alibaba_order_id="2887421737338134260",
        quality_inspection=QualityInspectionInfo(status="质检通过"),
    )
    assert result == RawResult(None)
    assert emu.state.packages[-1]["alibaba_order_id"] == "2887421737338134260"


@pytest.mark.parametrize("key", list(ROUND_TRIPS))
async def test_endpoint_round_trips(key: str, xp: XportcnClient, emu: Emulator) -> None:
    await check_round_trip(ROUND_TRIPS[key], key, xp, emu)
