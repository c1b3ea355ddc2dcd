"""The two converters agree: the hot path (no detailed validation) and the one that explains.

``serde.structure`` runs the converter built with ``detailed_validation=False``
and, only when it raises, the one built with ``detailed_validation=True`` (same
factory, same hooks) to name the failing fields. These tests compare the two on
the docs' payloads, the emulator's orders and randomly damaged orders: same
models, or an error on both sides — and ``structure`` raising
``ResponseDecodeError`` with the detailed converter's paths.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import cattrs
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


def outcome(fn: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "ok", fn()
    except Exception as exc:
        return "error", exc


def materialize(obj: Any) -> Any:
    """Plain data of a model with every nested JSON string decoded (errors as values)."""
    if attrs.has(type(obj)):
        out: dict[str, Any] = {}
        for field in attrs.fields(type(obj)):
            try:
                value = getattr(obj, field.name)
            except ResponseDecodeError as exc:
                out[field.name] = ("error", [line.split(" @ ")[0] for line in exc.errors])
                continue
            out[field.name] = materialize(value)
        return type(obj).__name__, out
    if isinstance(obj, list):
        return [materialize(v) for v in obj]
    if isinstance(obj, Mapping):
        return {k: materialize(v) for k, v in obj.items()}
    return type(obj), obj


def assert_same(data: Any, cls: Any) -> None:
    fast = outcome(lambda: serde.converter.structure(copy.deepcopy(data), cls))
    detailed = outcome(lambda: serde.detailed_converter.structure(copy.deepcopy(data), cls))
    assert fast[0] == detailed[0], f"the converters disagree on {data!r}: {fast} {detailed}"
    whole = outcome(lambda: serde.structure(copy.deepcopy(data), cls, request_id="rid"))
    if detailed[0] == "ok":
        assert materialize(fast[1]) == materialize(detailed[1])
        assert serde.unstructure(fast[1]) == serde.unstructure(detailed[1])
        assert whole[0] == "ok"
        assert materialize(whole[1]) == materialize(detailed[1])
    else:
        assert whole[0] == "error"
        assert isinstance(whole[1], ResponseDecodeError)
        assert whole[1].errors == serde.transform_error(detailed[1])
        assert whole[1].errors and all(" @ $" in line for line in whole[1].errors)
        assert whole[1].request_id == "rid"


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


def test_both_converters_come_from_one_factory() -> None:
    assert isinstance(serde.converter, cattrs.Converter)
    assert isinstance(serde.detailed_converter, cattrs.Converter)
    assert serde.converter.detailed_validation is False
    assert serde.detailed_converter.detailed_validation is True
    fresh = serde.make_converter(detailed_validation=False)
    order = load_fixture("taobao_order_list.response.json")["data"]["data"][0]
    assert materialize(fresh.structure(order, TaobaoOrder)) == materialize(
        serde.structure(order, TaobaoOrder)
    )


def test_no_generated_source_and_no_private_cattrs() -> None:
    package = Path(inspect.getfile(serde)).parent
    for path in package.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for banned in ("exec(", "eval(", "suppress(", "cattrs._", "__c_structure", "_handler"):
            assert banned not in source, f"{banned!r} in {path.name}"


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
def test_every_response_model(cls: type[Any]) -> None:
    assert_same({}, cls)
    assert_same({"unknownKey": [1, {"a": None}]}, cls)
    kept = outcome(lambda: serde.structure({"unknownKey": 1}, cls))
    if kept[0] == "ok":  # (models with required fields refuse {} whatever else it holds)
        assert kept[1].extra == {"unknownKey": 1}


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


def test_structured_models_behave_like_the_others() -> None:
    data = load_fixture("taobao_order_list.response.json")["data"]["data"][0]
    order = serde.structure(data, TaobaoOrder)
    reference = serde.detailed_converter.structure(data, TaobaoOrder)
    assert order == reference
    assert attrs.evolve(order, remark="x").remark == "x"
    assert order.extra is EMPTY_EXTRA
    assert serde.unstructure(order) == serde.unstructure(reference)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        order.remark = "y"  # type: ignore[misc]


def test_errors_are_the_detailed_converters_errors() -> None:
    data = load_fixture("taobao_order_list.response.json")["data"]
    data["data"][0]["purchaseAmount"] = "12.5"
    data["data"][0]["createTime"] = "yesterday"
    with pytest.raises(ResponseDecodeError) as info:
        serde.structure(data, TaobaoOrderListData, endpoint="taobao.orders.list")
    detailed = outcome(lambda: serde.detailed_converter.structure(data, TaobaoOrderListData))
    assert detailed[0] == "error"
    assert info.value.errors == serde.transform_error(detailed[1])
    assert "$.data[0].purchaseAmount" in str(info.value)
    assert "$.data[0].createTime" in str(info.value)
    assert str(info.value).startswith("[taobao.orders.list] response data does not fit")


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


def _read_nested(sub: Any) -> None:
    result = sub.sub_order_result
    _ = sub.create_sub_order_result
    if result is not None and result.option_fields is not None:
        _ = result.option_fields.service_list


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(_PATHS), value=_JSON_VALUES, as_string=st.booleans())
def test_damaged_orders(path: tuple[str, str], value: Any, as_string: bool) -> None:
    order = _damaged(*path, value, as_string)
    assert_same({"total": 1, "data": [order]}, TaobaoOrderListData)
    # A damaged field inside a nested document is reported on access, with its full path.
    page = outcome(lambda: serde.structure({"total": 1, "data": [order]}, TaobaoOrderListData))
    if page[0] == "ok" and path[0] in ("result", "create", "options", "service"):
        sub = page[1].data[0].sub_orders[0]
        read = outcome(lambda: _read_nested(sub))
        if read[0] == "error":
            assert isinstance(read[1], ResponseDecodeError) and read[1].errors
            prefix = "$.data[0].subOrderVOS[0]."
            assert all(line.split(" @ ")[1].startswith(prefix) for line in read[1].errors)


@settings(max_examples=100, deadline=None)
@given(value=_JSON_VALUES)
def test_any_top_level_value(value: Any) -> None:
    assert_same(value, TaobaoOrderListData)
    assert_same(value, list[AlibabaOrderPreview])
