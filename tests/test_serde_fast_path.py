"""The generated fast path of ``serde.structure`` gives exactly what the cattrs hooks give.

``serde.structure`` first tries a straight-line function generated per response
model and falls back to the cattrs function (which also reports errors) when it
raises. These tests compare the two on the docs' payloads, on the emulator's
orders and on randomly damaged orders: same models (same types, same ``extra``),
or the same error.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import load_fixture
from xportcn_async import ResponseDecodeError, models, serde
from xportcn_async.models import (
    AlibabaOrderPreview,
    TaobaoOrder,
    TaobaoOrderListData,
    TaobaoProduct,
    WireMessage,
)
from xportcn_async.models.common import EMPTY_EXTRA, RequestModel, WireModel
from xportcn_async.testing.state import EmulatorState


def slow(data: Any, cls: Any) -> Any:
    """The cattrs path alone (what ``structure`` did before the fast path)."""
    return serde.converter.structure(data, cls)


def outcome(fn: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "ok", fn()
    except Exception as exc:
        return "error", type(exc)


def assert_same(data: Any, cls: Any) -> None:
    fast_fn = serde._fast_structurer(cls)
    assert fast_fn is not None, f"no fast path for {cls}"
    expected = outcome(lambda: slow(copy.deepcopy(data), cls))
    got = outcome(lambda: fast_fn(copy.deepcopy(data)))
    if got[0] == "ok":
        # Whenever the fast path answers, the cattrs path agrees, to the type and repr.
        assert expected[0] == "ok", f"fast path accepted what cattrs refuses: {data!r}"
        assert got[1] == expected[1]
        assert repr(got[1]) == repr(expected[1])
    # And structure() as a whole behaves exactly like the cattrs path.
    whole = outcome(lambda: serde.structure(copy.deepcopy(data), cls))
    if expected[0] == "ok":
        assert whole[0] == "ok"
        assert repr(whole[1]) == repr(expected[1])
    else:
        assert whole == ("error", ResponseDecodeError)


def response_models() -> Iterator[type[Any]]:
    for name in models.__all__:
        obj = getattr(models, name)
        if (
            isinstance(obj, type)
            and issubclass(obj, WireModel)
            and not issubclass(obj, RequestModel)
            and obj is not WireModel
        ):
            yield obj


@pytest.mark.parametrize(
    ("fixture", "cls"),
    [
        ("taobao_order_list.response.json", TaobaoOrderListData),
        ("alibaba_order_preview.response.json", list[AlibabaOrderPreview]),
        ("product_detail_envelope.trimmed.json", TaobaoProduct),
    ],
)
def test_docs_payloads(fixture: str, cls: Any) -> None:
    assert_same(load_fixture(fixture)["data"], cls)


def test_message_payload() -> None:
    assert_same(load_fixture("message_order_pay_success.json"), WireMessage)


@pytest.mark.parametrize("cls", list(response_models()), ids=lambda c: c.__name__)
def test_every_response_model_has_a_fast_path(cls: type[Any]) -> None:
    assert serde._fast_structurer(cls) is not None
    assert_same({}, cls)
    assert_same({"unknownKey": [1, {"a": None}]}, cls)


def test_request_models_keep_the_cattrs_path() -> None:
    assert serde._fast_model(models.TaobaoOrderListRequest) is None


def test_emulator_orders_all_statuses() -> None:
    state = EmulatorState(
        seed=3,
        taobao_orders=60,
        alibaba_orders=60,
        now=1_776_000_000,
        days=30,
        clock=lambda: 1_776_000_000,
        user_id="2100008388036",
    )
    taobao = [orjson.loads(orjson.dumps(state.taobao_fragment(r))) for r in state.taobao.records]
    alibaba = [orjson.loads(orjson.dumps(state.alibaba_fragment(r))) for r in state.alibaba.records]
    assert_same({"total": len(taobao), "data": taobao}, TaobaoOrderListData)
    assert_same(alibaba, list[models.AlibabaOrder])


def test_models_built_by_the_fast_path_behave_like_the_others() -> None:
    data = load_fixture("taobao_order_list.response.json")["data"]["data"][0]
    fast = serde.structure(data, TaobaoOrder)
    reference = slow(data, TaobaoOrder)
    assert fast == reference
    assert attrs.evolve(fast, remark="x").remark == "x"
    assert fast.extra is EMPTY_EXTRA
    assert serde.unstructure(fast) == serde.unstructure(reference)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        fast.remark = "y"  # type: ignore[misc]


def test_errors_are_the_cattrs_errors() -> None:
    data = load_fixture("taobao_order_list.response.json")["data"]
    data["data"][0]["purchaseAmount"] = "12.5"
    data["data"][0]["subOrderVOS"][0]["subOrderResult"] = "{not json"
    with pytest.raises(ResponseDecodeError) as info:
        serde.structure(data, TaobaoOrderListData, endpoint="taobao.orders.list")
    assert info.value.errors == serde.transform_error(_cattrs_error(data, TaobaoOrderListData))
    assert "$.data[0].purchaseAmount" in str(info.value)


def _cattrs_error(data: Any, cls: Any) -> BaseException:
    try:
        slow(data, cls)
    except Exception as exc:
        return exc
    raise AssertionError("expected an error")


@attrs.frozen(kw_only=True)
class _PostInit(WireModel):
    name: str | None = None
    seen: list[str] = attrs.field(factory=list, eq=False)

    def __attrs_post_init__(self) -> None:
        self.seen.append("post-init")


@attrs.frozen(kw_only=True, cache_hash=True)
class _CachedHash(WireModel):
    name: str | None = None


@attrs.frozen(kw_only=True)
class _Validated(WireModel):
    name: str | None = attrs.field(default=None, validator=attrs.validators.max_len(3))


def test_models_with_init_logic_go_through_init() -> None:
    assert serde.structure({"name": "a"}, _PostInit).seen == ["post-init"]
    assert hash(serde.structure({"name": "a"}, _CachedHash)) == hash(_CachedHash(name="a"))
    with pytest.raises(ResponseDecodeError):
        serde.structure({"name": "abcd"}, _Validated)
    assert serde.structure({"name": "abc"}, _Validated).name == "abc"


# --------------------------------------------------------------------------- damaged orders

_ORDER: dict[str, Any] = load_fixture("taobao_order_list.response.json")["data"]["data"][0]
_SUB = _ORDER["subOrderVOS"][0]
_RESULT = orjson.loads(_SUB["subOrderResult"])

#: Where a value can be replaced: ("order", key), ("sub", key), ("result", key),
#: ("create", key), ("options", key), ("address", key), ("service", key).
_PATHS = (
    [("order", k) for k in _ORDER]
    + [("sub", k) for k in _SUB]
    + [("result", k) for k in _RESULT]
    + [("create", k) for k in orjson.loads(_SUB["createSubOrderResult"])]
    + [("options", k) for k in _RESULT["option_fields"]]
    + [("address", k) for k in _ORDER["warehouseAddressInfoVO"]]
    + [("service", k) for k in orjson.loads(_RESULT["option_fields"]["serviceList"])[0]]
    + [("order", "newKey"), ("sub", "newKey"), ("result", "newKey")]
)

_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(
        ["", " ", "0", "12", "-3", "1776593412000", "2026-04-16 18:10:12", "²", "{}", "[]"]
    )
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=4,
)


def _damaged(where: str, key: str, value: Any, as_string: bool) -> dict[str, Any]:
    order = copy.deepcopy(_ORDER)
    sub = order["subOrderVOS"][0]
    result = orjson.loads(sub["subOrderResult"])
    create = orjson.loads(sub["createSubOrderResult"])
    options = result["option_fields"]
    services = orjson.loads(options["serviceList"])
    if as_string and not isinstance(value, str):
        value = orjson.dumps(value).decode()
    target = {
        "order": order,
        "sub": sub,
        "result": result,
        "create": create,
        "options": options,
        "address": order["warehouseAddressInfoVO"],
        "service": services[0],
    }[where]
    target[key] = value
    options["serviceList"] = orjson.dumps(services).decode()
    sub["subOrderResult"] = orjson.dumps(result).decode()
    sub["createSubOrderResult"] = orjson.dumps(create).decode()
    return order


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(_PATHS), value=_JSON_VALUES, as_string=st.booleans())
def test_damaged_orders(path: tuple[str, str], value: Any, as_string: bool) -> None:
    order = _damaged(*path, value, as_string)
    assert_same({"total": 1, "data": [order]}, TaobaoOrderListData)


@settings(max_examples=100, deadline=None)
@given(value=_JSON_VALUES)
def test_any_top_level_value(value: Any) -> None:
    assert_same(value, TaobaoOrderListData)
    assert_same(value, list[AlibabaOrderPreview])


def test_the_generated_functions_have_readable_names() -> None:
    fast = serde._fast_model(TaobaoOrder)
    assert fast is not None
    assert fast.__code__.co_filename == "<xportcn_async fast structure TaobaoOrder>"
