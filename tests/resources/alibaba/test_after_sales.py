"""Tests of ``xportcn_async/resources/alibaba/after_sales.py``: ``xp.alibaba.after_sales``.

On the wire (``tests/resources/_wire.py``, a recording server): the method, path, body and
query of each call and what its answer structures into. Through the emulator
(``tests/resources/_round_trip.py``): each call round-trips through the real client.

Also: every kind of voucher input, bad arguments refused before anything is sent; a
refund, then a return, flow.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import pytest

from tests.emulated import JPEG
from tests.resources._round_trip import RoundTrips, check_round_trip
from tests.resources._shared import ORDER_ID
from tests.resources._wire import Call, Case, WireServer, case_ids, check_raw, check_wire
from xportcn_async import XportcnClient
from xportcn_async.errors import APIError
from xportcn_async.models import AlibabaOrder, AlibabaOrderStatus, DisputeRequest, GoodsStatus
from xportcn_async.testing import Emulator

#: JPEG magic and padding: all the voucher check looks at.
WIRE_JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60


async def refundable_order(xp: XportcnClient) -> AlibabaOrder:
    """A received 1688 order ('success') with no refund open on it or on its lines."""
    async with xp.alibaba.orders.iter(order_status=AlibabaOrderStatus.SUCCESS) as pager:
        async for order in pager:
            assert order.base_info is not None
            if order.base_info.refund_status is None and all(
                item.refund_status is None for item in order.product_items
            ):
                return order
    raise AssertionError("no refundable 1688 order in the emulator")


async def create_refund(
    xp: XportcnClient, dispute: DisputeRequest = DisputeRequest.RETURN_REFUND
) -> tuple[AlibabaOrder, str]:
    """refund_reasons → upload_voucher → create_refund, all through the SDK."""
    order = await refundable_order(xp)
    item = order.product_items[0]
    assert item.sub_item_id is not None and item.price is not None and item.quantity is not None
    goods = GoodsStatus.REFUND_BUYER_RECEIVED
    reasons = await xp.alibaba.after_sales.refund_reasons(
        order_id=order.id or "", order_entry_ids=[item.sub_item_id], goods_status=goods
    )
    reason = next(r for r in reasons if r.need_voucher)
    voucher = await xp.alibaba.after_sales.upload_voucher(image=JPEG)
    created = await xp.alibaba.after_sales.create_refund(
        order_id=order.id or "",
        order_entry_ids=[item.sub_item_id],
        dispute_request=dispute,
        apply_payment=int(item.price * item.quantity),
        apply_reason_id=reason.id,
        description="收到的商品破损",
        goods_status=goods,
        vouchers=[voucher.url],
        order_entry_counts={item.sub_item_id: int(item.quantity)},
    )
    assert created.refund_id is not None and created.refund_id.startswith("TQ")
    return order, created.refund_id


# --------------------------------------------------------------------------- on the wire


WIRE_CASES: list[Case] = [
    Case(
        "alibaba.after_sales.refund_reasons",
        lambda xp: xp.alibaba.after_sales.refund_reasons(
            order_id=ORDER_ID,
            order_entry_ids=[11, "12"],
            goods_status=GoodsStatus.REFUND_WAIT_SELLER_SEND,
        ),
        {
            "orderId": int(ORDER_ID),
            "orderEntryIds": [11, 12],
            "goodsStatus": "refundWaitSellerSend",
        },
        reply={"reasons": [{"id": 20006, "name": "不想要了", "needVoucher": False}]},
        got=lambda rs: (rs[0].id, rs[0].need_voucher),
        want=("20006", False),
    ),
    Case(
        "alibaba.after_sales.upload_voucher",
        lambda xp: xp.alibaba.after_sales.upload_voucher(image=WIRE_JPEG),
        None,
        parts={"imageData": ("voucher.jpg", "image/jpeg", WIRE_JPEG)},
        reply={"imageDomain": "https://cbu01.alicdn.com/", "imageRelativeUrl": "img/v.jpg"},
        got=lambda v: v.url,
        want="https://cbu01.alicdn.com/img/v.jpg",
    ),
    Case(
        "alibaba.after_sales.create_refund",
        lambda xp: xp.alibaba.after_sales.create_refund(
            order_id=ORDER_ID,
            order_entry_ids=[11],
            dispute_request=DisputeRequest.REFUND,
            apply_payment=2900,
            apply_reason_id=20006,
            description="商品破损",
            goods_status=GoodsStatus.REFUND_WAIT_BUYER_RECEIVE,
            vouchers=["https://cbu01.alicdn.com/img/v.jpg"],
            order_entry_counts={11: 1},
        ),
        {
            "orderId": int(ORDER_ID),
            "orderEntryIds": [11],
            "disputeRequest": "refund",
            "applyPayment": 2900,
            "applyCarriage": 0,
            "applyReasonId": 20006,
            "description": "商品破损",
            "goodsStatus": "refundWaitBuyerReceive",
            "vouchers": ["https://cbu01.alicdn.com/img/v.jpg"],
            "orderEntryCountList": [{"id": 11, "count": 1}],
        },
        reply={"refundId": "TQ12345"},
        got=lambda r: r.refund_id,
        want="TQ12345",
    ),
    Case(
        "alibaba.after_sales.submit_return",
        lambda xp: xp.alibaba.after_sales.submit_return(
            refund_id="TQ12345", logistics_company_no="SF", freight_bill="SF100", description="寄回"
        ),
        {
            "refundId": "TQ12345",
            "logisticsCompanyNo": "SF",
            "freightBill": "SF100",
            "description": "寄回",
        },
        check=check_raw(None),
    ),
    Case(
        "alibaba.after_sales.logistics_companies",
        lambda xp: xp.alibaba.after_sales.logistics_companies(),
        None,
        reply=[{"id": 1, "companyName": "顺丰", "companyNo": "SF", "supportPrint": True}],
        got=lambda cs: (cs[0].company_no, cs[0].id, cs[0].support_print),
        want=("SF", "1", True),
    ),
]


@pytest.mark.parametrize("case", WIRE_CASES, ids=case_ids(WIRE_CASES))
async def test_wire(case: Case, wire: WireServer, wire_xp: XportcnClient) -> None:
    await check_wire(case, wire, wire_xp)


async def test_upload_voucher_from_path_and_file(
    wire: WireServer, wire_xp: XportcnClient, tmp_path: Path
) -> None:
    wire.replies["/alibaba/ka/refund/voucher/upload"] = {"imageRelativeUrl": "img/v.jpg"}
    path = tmp_path / "broken-cup.jpg"
    path.write_bytes(WIRE_JPEG)
    await wire_xp.alibaba.after_sales.upload_voucher(image=path)
    assert wire.last().parts["imageData"] == ("broken-cup.jpg", "image/jpeg", WIRE_JPEG)
    await wire_xp.alibaba.after_sales.upload_voucher(image=str(path))
    assert wire.last().parts["imageData"][2] == WIRE_JPEG
    await wire_xp.alibaba.after_sales.upload_voucher(image=io.BytesIO(WIRE_JPEG))
    assert wire.last().parts["imageData"] == ("voucher.jpg", "image/jpeg", WIRE_JPEG)
    with path.open("rb") as handle:
        await wire_xp.alibaba.after_sales.upload_voucher(image=handle)
    assert wire.last().parts["imageData"] == ("broken-cup.jpg", "image/jpeg", WIRE_JPEG)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda xp: xp.alibaba.after_sales.upload_voucher(image=b"\x89PNG\r\n"), "JPEG"),
        (
            lambda xp: xp.alibaba.after_sales.upload_voucher(image=WIRE_JPEG + b"\x00" * (1 << 20)),
            "1 MB",
        ),
        (
            lambda xp: xp.alibaba.after_sales.upload_voucher(image=io.StringIO("text")),
            "binary",
        ),
        (lambda xp: _refund(xp, description="x"), "2–150"),
        (lambda xp: _refund(xp, description="长" * 151), "2–150"),
        (lambda xp: _refund(xp, vouchers=["v"] * 6), "at most 5"),
        (lambda xp: _refund(xp, apply_payment=-1), "apply_payment"),
        (
            lambda xp: xp.alibaba.after_sales.submit_return(
                refund_id="TQ1", logistics_company_no="SF", freight_bill="SF1", vouchers=["v"] * 11
            ),
            "at most 10",
        ),
    ],
)
async def test_bad_arguments_are_refused_before_sending(
    call: Call, message: str, wire: WireServer, wire_xp: XportcnClient
) -> None:
    with pytest.raises(ValueError, match=message):
        await call(wire_xp)
    assert wire.seen == []


def _refund(xp: XportcnClient, **changes: Any) -> Awaitable[Any]:
    args: dict[str, Any] = {
        "order_id": "1",
        "order_entry_ids": [2],
        "dispute_request": "refund",
        "apply_payment": 100,
        "apply_reason_id": 3,
        "description": "坏了坏了",
        "goods_status": "refundWaitSellerSend",
    }
    args.update(changes)
    return xp.alibaba.after_sales.create_refund(**args)


# --------------------------------------------------------------------------- through the emulator


ROUND_TRIPS = RoundTrips()


@ROUND_TRIPS.case("alibaba.after_sales.refund_reasons")
async def _refund_reasons(xp: XportcnClient, emu: Emulator) -> None:
    order = await refundable_order(xp)
    entry = order.product_items[0].sub_item_id
    assert entry is not None
    for goods in (GoodsStatus.REFUND_BUYER_RECEIVED, GoodsStatus.AFTERSALE_BUYER_RECEIVED):
        reasons = await xp.alibaba.after_sales.refund_reasons(
            order_id=order.id or "", order_entry_ids=[entry], goods_status=goods
        )
        assert reasons and len({r.id for r in reasons}) == len(reasons)
        assert all(r.id.isdigit() and r.name for r in reasons)
        assert all(isinstance(r.need_voucher, bool) for r in reasons)
        assert any(r.need_voucher for r in reasons)


@ROUND_TRIPS.case("alibaba.after_sales.upload_voucher")
async def _upload_voucher(xp: XportcnClient, emu: Emulator) -> None:
    voucher = await xp.alibaba.after_sales.upload_voucher(image=JPEG)
    assert voucher.image_domain == "https://cbu01.alicdn.com/"
    assert voucher.url.startswith("https://cbu01.alicdn.com/img/") and voucher.url.endswith(".jpg")
    digest = hashlib.md5(JPEG, usedforsecurity=False).hexdigest()
    assert digest in voucher.url  # the emulator received exactly our bytes
    assert emu.state.vouchers[-1]["size"] == len(JPEG)


@ROUND_TRIPS.case("alibaba.after_sales.create_refund")
async def _create_refund(xp: XportcnClient, emu: Emulator) -> None:
    order, refund_id = await create_refund(xp, DisputeRequest.REFUND)
    detail = await xp.alibaba.orders.detail(order_id=order.id or "")
    assert detail.base_info is not None
    assert detail.base_info.refund_status == "waitselleragree"
    assert emu.state.refunds[refund_id].dispute_request == "refund"


@ROUND_TRIPS.case("alibaba.after_sales.submit_return")
async def _submit_return(xp: XportcnClient, emu: Emulator) -> None:
    order, refund_id = await create_refund(xp, DisputeRequest.RETURN_REFUND)
    result = await xp.alibaba.after_sales.submit_return(
        refund_id=refund_id, logistics_company_no="SF", freight_bill="SF1029384756",
        description="已寄回",
    )  # fmt: skip
    assert result.get("refundId") == refund_id and result.get("success") is True
    detail = await xp.alibaba.orders.detail(order_id=order.id or "")
    assert detail.base_info is not None
    assert detail.base_info.refund_status == "waitsellerreceive"


@ROUND_TRIPS.case("alibaba.after_sales.logistics_companies")
async def _logistics_companies(xp: XportcnClient, emu: Emulator) -> None:
    companies = await xp.alibaba.after_sales.logistics_companies()
    assert len(companies) >= 3
    assert all(c.id and c.company_no and c.company_name for c in companies)
    sf = next(c for c in companies if c.company_no == "SF")
    assert sf.company_name == "顺丰速运" and sf.support_print is True


@pytest.mark.parametrize("key", list(ROUND_TRIPS))
async def test_endpoint_round_trips(key: str, xp: XportcnClient, emu: Emulator) -> None:
    await check_round_trip(ROUND_TRIPS[key], key, xp, emu)


async def test_refund_flow(xp: XportcnClient, emu: Emulator) -> None:
    order, refund_id = await create_refund(xp, DisputeRequest.RETURN_REFUND)
    item = order.product_items[0]
    assert emu.state.vouchers and emu.state.refunds[refund_id].order_id == int(order.id or 0)
    detail = await xp.alibaba.orders.detail(order_id=order.id or "")
    assert detail.base_info is not None and detail.base_info.refund_status == "waitselleragree"
    assert detail.product_items[0].refund_status == "waitselleragree"

    # A second refund on the same line: the upstream code 5010, a plain APIError.
    with pytest.raises(APIError) as info:
        await xp.alibaba.after_sales.create_refund(
            order_id=order.id or "", order_entry_ids=[item.sub_item_id or ""],
            dispute_request=DisputeRequest.REFUND, apply_payment=1, apply_reason_id=1,
            description="再退一次", goods_status=GoodsStatus.REFUND_BUYER_RECEIVED,
        )  # fmt: skip
    assert type(info.value) is APIError and info.value.code == 5010

    companies = await xp.alibaba.after_sales.logistics_companies()
    submitted = await xp.alibaba.after_sales.submit_return(
        refund_id=refund_id, logistics_company_no=companies[0].company_no or "",
        freight_bill="SF1000001", description="已寄回,请查收",
    )  # fmt: skip
    assert submitted.get("success") is True
    assert emu.state.refunds[refund_id].returned is not None
    with pytest.raises(APIError) as info:
        await xp.alibaba.after_sales.submit_return(
            refund_id=refund_id, logistics_company_no="SF", freight_bill="SF1000001"
        )
    assert info.value.code == 4008  # already submitted
    assert emu.counters.business_errors == Counter({5010: 1, 4008: 1})
