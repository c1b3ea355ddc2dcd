"""Arguments, ids and assertions that more than one resource test file uses."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from xportcn_async.models import AddressParam, CargoParam

SH = ZoneInfo("Asia/Shanghai")
EIGHT_HOURS = timedelta(hours=8)
NAIVE = datetime(2026, 4, 1)

# The docs' example ids, which the emulator serves (docs/emulator.md, "Data").
OFFER_ID = "889512351602"
SPEC_ID = "530ad00177264564503ec3b848650652"

#: The docs' order-preview address and cargo: the wire cases check that they travel as
#: ``alibaba_order_preview.request.json`` says, the round trips order with them.
ADDRESS = AddressParam(
    full_name="test",
    mobile="13567102355",
    phone="",
    post_code="532600",
    city_text="崇左市",
    province_text="凭祥市区",
    area_text="凭祥市区",
    town_text="广西壮族自治区省",
    address="测试",
    district_code="451481",
)
CARGO = [CargoParam(offer_id=OFFER_ID, spec_id=SPEC_ID, quantity=2)]

ORDER_ID = "3305075341149134260"
TRADE = {
    "baseInfo": {"id": int(ORDER_ID), "status": "waitsellersend", "totalAmount": 64.0},
    "productItems": [{"productID": 889512351602, "skuID": 5736673805656, "quantity": 2}],
    "nativeLogistics": {"province": "广西"},
}


def assert_china_time(value: datetime | None) -> None:
    assert isinstance(value, datetime)
    assert value.tzinfo is not None and value.utcoffset() == EIGHT_HOURS


def assert_newest_first(times: list[datetime | None]) -> None:
    assert all(t is not None for t in times)
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]
