"""Tests of ``xportcn_async/sync/records.py``: typed orders into stored records.

A record's sub-order title is read without structuring the nested ``subOrderResult``
document (the sync's main CPU cost before), with the model's meaning kept: the same title,
``""`` read as None, and a malformed document still an error naming its path.
"""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest

from tests.conftest import load_fixture
from xportcn_async import serde
from xportcn_async.errors import ResponseDecodeError
from xportcn_async.models.taobao import TaobaoOrderListData
from xportcn_async.sync.records import taobao_record


def _page(mutate: Any = None) -> tuple[TaobaoOrderListData, dict[str, Any]]:
    data = copy.deepcopy(load_fixture("taobao_order_list.response.json")["data"])
    if mutate is not None:
        mutate(data["data"][0]["subOrderVOS"][0])
    return serde.structure(copy.deepcopy(data), TaobaoOrderListData), data


def test_sub_order_title_is_the_models_and_the_document_stays_undecoded() -> None:
    page, wire = _page()
    expected, _ = _page()
    titles = [
        [s.sub_order_result.title if s.sub_order_result else None for s in o.sub_orders]
        for o in expected.data
    ]
    records = [taobao_record(o, wire=w) for o, w in zip(page.data, wire["data"], strict=True)]
    assert [[s.title for s in r.sub_orders] for r in records] == titles
    assert any(t for ts in titles for t in ts)  # the fixture has titles: the test can fail
    for order in page.data:
        for sub in order.sub_orders:
            assert not serde.is_decoded(sub, "sub_order_result")


def test_empty_or_missing_title_is_none_like_the_model() -> None:
    def empty(sub: dict[str, Any]) -> None:
        doc = orjson.loads(sub["subOrderResult"])
        doc["title"] = ""
        sub["subOrderResult"] = orjson.dumps(doc).decode()

    def missing(sub: dict[str, Any]) -> None:
        doc = orjson.loads(sub["subOrderResult"])
        del doc["title"]
        sub["subOrderResult"] = orjson.dumps(doc).decode()

    for mutate in (empty, missing):
        page, wire = _page(mutate)
        record = taobao_record(page.data[0], wire=wire["data"][0])
        assert record.sub_orders[0].title is None
        result = page.data[0].sub_orders[0].sub_order_result
        assert result is not None and result.title is None


def test_malformed_nested_document_still_raises_with_its_path() -> None:
    def broken(sub: dict[str, Any]) -> None:
        sub["subOrderResult"] = "{not json"

    page, wire = _page(broken)
    with pytest.raises(ResponseDecodeError, match=r"subOrderVOS\[0\]\.subOrderResult"):
        taobao_record(page.data[0], wire=wire["data"][0])


def test_a_title_that_is_not_a_string_goes_through_the_model() -> None:
    def numeric(sub: dict[str, Any]) -> None:
        doc = orjson.loads(sub["subOrderResult"])
        doc["title"] = 12345
        sub["subOrderResult"] = orjson.dumps(doc).decode()

    page, wire = _page(numeric)
    record = taobao_record(page.data[0], wire=wire["data"][0])
    assert record.sub_orders[0].title == "12345"
