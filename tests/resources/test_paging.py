"""iter twins of the product searches and the product pool, against the emulator."""

from __future__ import annotations

import pytest

from xportcn_async import XportcnClient
from xportcn_async.models.common import RawResult
from xportcn_async.resources._paging import raw_item_key, raw_page
from xportcn_async.testing import Emulator


async def test_alibaba_search_iter_walks_every_page_once() -> None:
    async with (
        Emulator(orders=0, seed=3) as emu,
        XportcnClient(**emu.credentials, base_url=emu.base_url) as xp,
    ):
        first = await xp.alibaba.products.search(keyword="kids", page_size=7)
        hits = [
            h
            async for h in xp.alibaba.products.search_iter(
                keyword="kids", page_size=7, concurrency=3
            )
        ]
    assert first.total is not None and first.total > 7
    ids = [h.offer_id for h in hits]
    assert len(ids) == first.total == len(set(ids))


async def test_taobao_search_iter_and_pool_iter_use_raw_items() -> None:
    async with (
        Emulator(orders=0, seed=3) as emu,
        XportcnClient(**emu.credentials, base_url=emu.base_url) as xp,
    ):
        hits = [
            h async for h in xp.taobao.products.search_iter(keyword="box", page_size=2, max_items=5)
        ]
        pool = xp.alibaba.products.pool_iter(offer_pool_id="pool-1", page_size=10)
        offers = [o async for o in pool]
        pool_requests = emu.counters.requests["alibaba.products.pool"]
    assert len(hits) == 5
    assert all(isinstance(h, dict) for h in hits)
    assert offers and len({o["offerId"] for o in offers}) == len(offers)
    # several pages, all with the same task id (the emulator refuses an unknown one after page 1)
    assert pool_requests >= 2
    assert len(pool.checkpoint()["filters"]["task_id"]) == 32


@pytest.mark.parametrize(
    ("data", "items", "total"),
    [
        ([{"id": 1}], [{"id": 1}], None),
        ({"totalRecords": 9, "data": [{"id": 1}]}, [{"id": 1}], 9),
        ({"result": [1, 2], "total": "x"}, [1, 2], None),
        (None, [], None),
        ("garbage", [], None),
    ],
)
def test_raw_page_is_tolerant(data: object, items: list[object], total: int | None) -> None:
    page = raw_page(RawResult(data), 2, 10)
    assert (page.items, page.total, page.page_num) == (items, total, 2)


def test_raw_item_key() -> None:
    key = raw_item_key("offerId", "id")
    assert key({"offerId": 5, "id": 1}) == "5"
    assert key({"id": 1}) == "1"
    assert key(["x"]) == "['x']"
