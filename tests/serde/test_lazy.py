"""JSON documents inside string fields are decoded on first access, cached, and written back as sent."""

from __future__ import annotations

import importlib
from typing import Any

import attrs
import orjson
import pytest

from tests.conftest import load_fixture
from xportcn_async import serde
from xportcn_async.errors import ResponseDecodeError
from xportcn_async.models import (
    CreateSubOrderResult,
    TaobaoOrder,
    TaobaoOrderListData,
    TaobaoSubOrder,
)

# ``serde.converter`` is the converter object; the module of the same name:
converter_module = importlib.import_module("xportcn_async.serde.converter")

LAZY = ("create_sub_order_result", "sub_order_result")


def page_data(copies: int = 4) -> dict[str, Any]:
    data: dict[str, Any] = load_fixture("taobao_order_list.response.json")["data"]
    data["data"] = [dict(o, id=f"{o['id']}{i}") for i in range(copies) for o in data["data"]]
    return data


@pytest.fixture
def loads_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every JSON string the serde package decodes, in order."""
    calls: list[str] = []
    real = orjson.loads

    def counting(text: Any) -> Any:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(converter_module, "_loads", counting)
    return calls


def test_a_page_decodes_no_nested_string_until_asked(loads_calls: list[str]) -> None:
    page = serde.structure(page_data(), TaobaoOrderListData)
    subs = [sub for order in page.data for sub in order.sub_orders]
    assert subs and loads_calls == []
    assert not any(serde.is_decoded(sub, name) for sub in subs for name in LAZY)
    result = subs[0].sub_order_result
    assert result is not None and result.title
    assert len(loads_calls) == 1  # that one string; its own nested strings still wait
    assert serde.is_decoded(subs[0], "sub_order_result")
    assert not serde.is_decoded(subs[0], "create_sub_order_result")
    assert result.option_fields is not None and result.option_fields.service_list
    assert len(loads_calls) == 2


def test_invalid_nested_json_does_not_fail_the_page() -> None:
    data = page_data(1)
    for order in data["data"]:
        for sub in order["subOrderVOS"]:
            sub["createSubOrderResult"] = "{definitely not json"
    page = serde.structure(data, TaobaoOrderListData)  # no error here
    assert page.total == data["total"]
    assert page.data[0].sub_orders[0].sub_order_result is not None  # the good sibling reads
    with pytest.raises(ResponseDecodeError):
        _ = page.data[0].sub_orders[0].create_sub_order_result


def test_malformed_nested_json_raises_on_access_with_path_request_id_and_endpoint() -> None:
    data = page_data(4)
    data["data"][3]["subOrderVOS"][0]["createSubOrderResult"] = '{"quantity": 1,'
    page = serde.structure(
        data, TaobaoOrderListData, endpoint="taobao.orders.list", request_id="rid-lazy"
    )
    sub = page.data[3].sub_orders[0]
    with pytest.raises(ResponseDecodeError) as info:
        _ = sub.create_sub_order_result
    err = info.value
    assert err.request_id == "rid-lazy" and err.endpoint == "taobao.orders.list"
    assert len(err.errors) == 1
    assert err.errors[0].startswith("malformed JSON in string")
    assert err.errors[0].endswith("@ $.data[3].subOrderVOS[0].createSubOrderResult")
    assert "rid-lazy" in str(err) and "[taobao.orders.list]" in str(err)
    assert err.body_excerpt == '{"quantity": 1,'
    with pytest.raises(ResponseDecodeError):  # a failure is not cached: it raises again
        _ = sub.create_sub_order_result


def test_a_bad_field_inside_a_nested_document_names_its_full_path() -> None:
    data = page_data(1)
    inner = orjson.loads(data["data"][0]["subOrderVOS"][0]["subOrderResult"])
    inner["purchase_amount"] = "12.5"
    data["data"][0]["subOrderVOS"][0]["subOrderResult"] = orjson.dumps(inner).decode()
    page = serde.structure(data, TaobaoOrderListData, request_id="rid-9")
    with pytest.raises(ResponseDecodeError) as info:
        _ = page.data[0].sub_orders[0].sub_order_result
    assert info.value.request_id == "rid-9"
    assert [line.split(" @ ")[1] for line in info.value.errors] == [
        "$.data[0].subOrderVOS[0].subOrderResult.purchase_amount"
    ]


def test_the_decoded_value_is_cached(loads_calls: list[str]) -> None:
    order = serde.structure(page_data(1)["data"][0], TaobaoOrder)
    sub = order.sub_orders[0]
    first = sub.create_sub_order_result
    second = sub.create_sub_order_result
    assert first is second and isinstance(first, CreateSubOrderResult)
    assert len(loads_calls) == 1


def test_unstructure_writes_the_original_string_back_without_decoding(
    loads_calls: list[str],
) -> None:
    raw = page_data(1)["data"][0]
    raw["subOrderVOS"][0]["createSubOrderResult"] = '{ "quantity" : 2,  "item_id": 7 }'
    order = serde.structure(raw, TaobaoOrder)
    out = serde.unstructure(order)
    assert loads_calls == []
    for got, sent in zip(out["subOrderVOS"], raw["subOrderVOS"], strict=True):
        assert got["createSubOrderResult"] == sent["createSubOrderResult"]  # byte for byte
        assert got["subOrderResult"] == sent["subOrderResult"]
    assert order.sub_orders[0].create_sub_order_result is not None  # decode, then again:
    again = serde.unstructure(order)
    assert again["subOrderVOS"][0]["createSubOrderResult"] == '{ "quantity" : 2,  "item_id": 7 }'


def test_unstructure_keeps_a_malformed_string_as_it_came() -> None:
    sub = serde.structure({"id": "1", "subOrderResult": "{oops"}, TaobaoSubOrder)
    assert serde.unstructure(sub) == {"id": "1", "subOrderResult": "{oops"}


def test_models_built_in_code_are_encoded_to_json_strings() -> None:
    sub = TaobaoSubOrder(id="1", create_sub_order_result=CreateSubOrderResult(quantity=2))
    assert sub.create_sub_order_result == CreateSubOrderResult(quantity=2)
    out = serde.unstructure(sub)
    assert orjson.loads(out["createSubOrderResult"]) == {"quantity": 2}
    assert serde.structure(out, TaobaoSubOrder) == sub


def test_an_already_decoded_object_is_structured_at_once() -> None:
    sub = serde.structure({"id": "1", "subOrderResult": {"title": "t"}}, TaobaoSubOrder)
    assert serde.is_decoded(sub, "sub_order_result")
    assert sub.sub_order_result is not None and sub.sub_order_result.title == "t"


def test_empty_and_null_strings_are_none() -> None:
    sub = serde.structure(
        {"id": "1", "subOrderResult": "", "createSubOrderResult": None}, TaobaoSubOrder
    )
    assert sub.sub_order_result is None and sub.create_sub_order_result is None


def test_equality_and_evolve_read_the_decoded_values() -> None:
    raw = page_data(1)["data"][0]
    a = serde.structure(raw, TaobaoOrder)
    b = serde.structure(raw, TaobaoOrder)
    assert a == b
    changed = attrs.evolve(a.sub_orders[0], refund_id="R1")
    assert changed.sub_order_result == a.sub_orders[0].sub_order_result


def test_the_attribute_type_users_see_is_unchanged() -> None:
    # attrs still sees a plain field (constructor, fields(), evolve); the class
    # attribute is the lazy descriptor.
    names = {f.name for f in attrs.fields(TaobaoSubOrder)}
    assert set(LAZY) <= names
    serde.structure({"id": "1"}, TaobaoSubOrder)
    assert isinstance(vars(TaobaoSubOrder)["sub_order_result"], serde.lazy.LazyAttribute)
