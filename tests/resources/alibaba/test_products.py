"""Tests of ``xportcn_async/resources/alibaba/products.py``: ``xp.alibaba.products``.

On the wire (``tests/resources/_wire.py``, a recording server): the method, path, body and
query of each call and what its answer structures into. Through the emulator
(``tests/resources/_round_trip.py``): each call round-trips through the real client.

Also: bad arguments are refused before anything is sent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.resources._round_trip import RoundTrips, check_round_trip
from tests.resources._shared import ADDRESS, OFFER_ID, SPEC_ID
from tests.resources._wire import Call, Case, WireServer, case_ids, check_raw, check_wire
from xportcn_async import XportcnClient
from xportcn_async.models import AlibabaProductSummary, CargoParam, Page
from xportcn_async.testing import Emulator

# --------------------------------------------------------------------------- on the wire


def _check_search(page: Any) -> None:
    assert isinstance(page, Page)
    assert (page.total, page.page_num, page.page_size, page.has_next) == (25, 2, 10, True)
    assert page.items[0].offer_id == "1"
    assert page.items[0].price_info.price == Decimal("12.50")


WIRE_CASES: list[Case] = [
    Case(
        "alibaba.products.search",
        lambda xp: xp.alibaba.products.search(
            keyword="杯子", begin_page=2, page_size=10, filter="shipInToday", sort={"price": "desc"}
        ),
        {
            "keyword": "杯子",
            "beginPage": 2,
            "pageSize": 10,
            "country": "en",
            "filter": "shipInToday",
            "sort": '{"price":"desc"}',
        },
        reply={
            "totalRecords": 25,
            "totalPage": 3,
            "pageSize": 10,
            "currentPage": 2,
            "data": [{"offerId": 1, "subject": "杯子", "priceInfo": {"price": "12.50"}}],
        },
        check=_check_search,
    ),
    Case(
        "alibaba.products.search_by_image",
        lambda xp: xp.alibaba.products.search_by_image(image_address="https://img/x.jpg"),
        {"imageAddress": "https://img/x.jpg", "beginPage": 1, "pageSize": 20, "country": "en"},
        reply={"totalRecords": 0, "data": []},
        got=lambda page: (page.items, page.has_next),
        want=([], False),
    ),
    Case(
        "alibaba.products.category",
        lambda xp: xp.alibaba.products.category(category_id=0),
        {"categoryId": 0, "language": "en"},
        reply={
            "categoryId": 0,
            "chineseName": "根",
            "leaf": False,
            "children": [{"categoryId": 1}],
        },
        got=lambda c: (c.category_id, c.leaf, c.children),
        want=("0", False, [{"categoryId": 1}]),
    ),
    Case(
        "alibaba.products.detail",
        lambda xp: xp.alibaba.products.detail(offer_id=889512351602),
        {"offerId": 889512351602, "country": "en"},
        reply={
            "offerId": 889512351602,
            "subject": "杯子",
            "productSkuInfos": [{"skuId": 5736673805656, "specId": "530ad", "price": "29.00"}],
        },
        got=lambda p: (p.offer_id, p.product_sku_infos[0].spec_id, p.product_sku_infos[0].price),
        want=("889512351602", "530ad", Decimal("29.00")),
    ),
    Case(
        "alibaba.products.detail_multi",
        lambda xp: xp.alibaba.products.detail_multi(offer_ids=["1", 2]),
        {"offerIds": [1, 2], "country": "en"},
        reply=[{"offerId": 1}, {"offerId": 2}],
        check=check_raw([{"offerId": 1}, {"offerId": 2}]),
    ),
    Case(
        "alibaba.products.estimate_freight",
        lambda xp: xp.alibaba.products.estimate_freight(
            offer_id=889512351602,
            to_province_code="330000",
            to_city_code="330100",
            to_country_code="330106",
            total_num=2,
            sku_numbers={"5736673805656": 2},
        ),
        {
            "offerId": 889512351602,
            "toProvinceCode": "330000",
            "toCityCode": "330100",
            "toCountryCode": "330106",
            "totalNum": 2,
            "logisticsSkuNumModels": [{"skuId": 5736673805656, "number": 2}],
        },
        reply={"freight": "6.00", "templateId": 9, "freePostage": False},
        got=lambda f: (f.freight, f.template_id, f.free_postage),
        want=(Decimal("6.00"), "9", False),
    ),
    Case(
        "alibaba.products.pool",
        lambda xp: xp.alibaba.products.pool(offer_pool_id="p1", task_id="t1", page_no=3),
        {"offerPoolId": "p1", "taskId": "t1", "pageNo": 3, "pageSize": 20},
        reply={"result": []},
        check=check_raw({"result": []}),
    ),
]


@pytest.mark.parametrize("case", WIRE_CASES, ids=case_ids(WIRE_CASES))
async def test_wire(case: Case, wire: WireServer, wire_xp: XportcnClient) -> None:
    await check_wire(case, wire, wire_xp)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda xp: xp.alibaba.products.search(keyword="x", page_size=0), "page_size"),
        (lambda xp: xp.alibaba.products.pool(offer_pool_id="p", task_id="t", page_no=0), "page_no"),
        (
            lambda xp: xp.alibaba.products.search_by_image(image_address="https://x", image_id="1"),
            "exactly one",
        ),
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


@ROUND_TRIPS.case("alibaba.products.search")
async def _alibaba_products_search(xp: XportcnClient, emu: Emulator) -> None:
    page = await xp.alibaba.products.search(keyword="cup", page_size=3, sort={"price": "asc"})
    assert isinstance(page, Page) and page.total is not None and page.total > 3
    assert page.has_next and len(page.items) == 3
    prices: list[Decimal] = []
    for hit in page.items:
        assert isinstance(hit, AlibabaProductSummary)
        assert isinstance(hit.offer_id, str) and hit.offer_id.isdigit()
        assert "cup" in (hit.subject_trans or "").lower()
        assert hit.price_info is not None and isinstance(hit.price_info.price, Decimal)
        prices.append(hit.price_info.price)
    assert prices == sorted(prices)  # sort travels as a JSON string and is honoured
    second = await xp.alibaba.products.search(
        keyword="cup", begin_page=2, page_size=3, sort={"price": "asc"}
    )
    assert second.page_num == 2 and second.total == page.total
    assert not {h.offer_id for h in second.items} & {h.offer_id for h in page.items}


@ROUND_TRIPS.case("alibaba.products.search_by_image")
async def _alibaba_products_search_by_image(xp: XportcnClient, emu: Emulator) -> None:
    first = await xp.alibaba.products.search_by_image(image_address="https://img/x.jpg")
    again = await xp.alibaba.products.search_by_image(image_address="https://img/x.jpg")
    assert first.items and [h.offer_id for h in first.items] == [h.offer_id for h in again.items]
    assert all(isinstance(h, AlibabaProductSummary) and h.offer_id for h in first.items)


@ROUND_TRIPS.case("alibaba.products.category")
async def _alibaba_products_category(xp: XportcnClient, emu: Emulator) -> None:
    root = await xp.alibaba.products.category(category_id=0)
    assert (root.category_id, root.leaf, root.level) == ("0", False, 0)
    assert root.children
    child_id = root.children[0]["categoryId"]
    child = await xp.alibaba.products.category(category_id=child_id)
    assert child.category_id == str(child_id)
    assert child.parent_cate_id == "0" and child.level == 1
    assert child.translated_name == root.children[0]["translatedName"]


@ROUND_TRIPS.case("alibaba.products.detail")
async def _alibaba_products_detail(xp: XportcnClient, emu: Emulator) -> None:
    product = await xp.alibaba.products.detail(offer_id=int(OFFER_ID))
    assert product.offer_id == OFFER_ID
    assert product.product_image is not None and product.product_image.images
    assert [(s.sku_id, s.spec_id) for s in product.product_sku_infos] == [
        ("5736673805656", SPEC_ID)
    ]
    # The SKUs' specIds are what an order takes: preview every SKU of a multi-SKU offer.
    hits = (await xp.alibaba.products.search(keyword="cup", page_size=20)).items
    for hit in hits:
        offer = await xp.alibaba.products.detail(offer_id=hit.offer_id or "")
        if len(offer.product_sku_infos) > 1:
            break
    else:
        raise AssertionError("no multi-SKU offer among the search hits")
    assert offer.offer_id == hit.offer_id and offer.subject == hit.subject
    skus = offer.product_sku_infos
    assert len({s.spec_id for s in skus}) == len(skus)
    previews = await xp.alibaba.orders.preview(
        flow="general",
        address=ADDRESS,
        cargo=[
            CargoParam(offer_id=offer.offer_id or "", spec_id=s.spec_id, quantity=i + 1)
            for i, s in enumerate(skus)
        ],
    )
    [preview] = previews  # one seller, one preview
    assert [(i.spec_id, i.sku_id, i.offer_id) for i in preview.items] == [
        (s.spec_id, s.sku_id, offer.offer_id) for s in skus
    ]
    for n, (line, sku) in enumerate(zip(preview.items, skus, strict=True), start=1):
        assert line.final_unit_price == sku.price and line.amount == n * (sku.price or 0)


@ROUND_TRIPS.case("alibaba.products.detail_multi")
async def _alibaba_products_detail_multi(xp: XportcnClient, emu: Emulator) -> None:
    other = (await xp.alibaba.products.search(keyword="cup", page_size=1)).items[0].offer_id
    assert other is not None
    result = await xp.alibaba.products.detail_multi(offer_ids=[OFFER_ID, other, "1"])
    assert isinstance(result.data, list)
    assert [str(p["offerId"]) for p in result.data] == [OFFER_ID, other]  # unknown ids skipped


@ROUND_TRIPS.case("alibaba.products.estimate_freight")
async def _alibaba_products_estimate_freight(xp: XportcnClient, emu: Emulator) -> None:
    estimate = await xp.alibaba.products.estimate_freight(
        offer_id=OFFER_ID,
        to_province_code="330000",
        to_city_code="330100",
        to_country_code="330106",
        total_num=2,
        sku_numbers={"5736673805656": 2},
    )
    assert estimate.freight == Decimal("6.50")  # a yuan string upstream, kept exact
    assert estimate.free_postage is False
    assert estimate.template_id is not None and estimate.template_id.isdigit()


@ROUND_TRIPS.case("alibaba.products.pool")
async def _alibaba_products_pool(xp: XportcnClient, emu: Emulator) -> None:
    seen: list[str] = []
    page_no = 1
    while True:
        result = await xp.alibaba.products.pool(
            offer_pool_id="pool-1", task_id="walk-1", page_no=page_no, page_size=25
        )
        chunk = [str(row["offerId"]) for row in result.data]
        seen += chunk
        if len(chunk) < 25:  # a short page ends the walk
            break
        page_no += 1
    assert page_no > 1 and len(seen) == len(set(seen))
    assert set(seen) == {str(o.offer_id) for o in emu.state.catalogue.offers}


@pytest.mark.parametrize("key", list(ROUND_TRIPS))
async def test_endpoint_round_trips(key: str, xp: XportcnClient, emu: Emulator) -> None:
    await check_round_trip(ROUND_TRIPS[key], key, xp, emu)
