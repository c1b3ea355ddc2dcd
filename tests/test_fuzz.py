"""Fuzzing with hypothesis: bad bodies, bad pushes and bad arguments never crash the SDK.

Whatever the server sends (random envelopes, bodies cut short, wrongly typed
fields, random JSON inside string fields) and whatever a push carries, only the
SDK's own exceptions (``XportcnError`` and subclasses) escape: never a
``KeyError``, ``TypeError`` or ``AttributeError``. Whatever a caller passes to a
resource method (page sizes < 1, negative quantities, naive datetimes), the call
raises ``ValueError`` (``ConfigurationError`` is one) before anything is sent; a
wrong type (mypy's job) raises ``TypeError`` or ``ValueError``, also before: a
trace on the client session proves no request started.

Bounded: ``max_examples`` per test and no deadline, about 10 s in all.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo

import aiohttp
import orjson
import pytest
import typing_extensions
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from xportcn_async import RetryPolicy, XportcnClient, serde
from xportcn_async.errors import (
    ResponseDecodeError,
    TransportError,
    XportcnError,
)
from xportcn_async.models import (
    AddressParam,
    AlibabaCreateOrderResult,
    AlibabaOrderListData,
    AlibabaOrderPreview,
    CargoParam,
    DomesticLogistic,
    LineItem,
    LogisticInfo,
    QualityInspectionInfo,
    ReceiverAddress,
    RenderItem,
    TaobaoCreateOrderLine,
    TaobaoCreateOrderResult,
    TaobaoOrder,
    TaobaoOrderListData,
    TaobaoProduct,
    TaobaoReceiver,
    TaobaoRenderLine,
)
from xportcn_async.resources._typing import Unpack
from xportcn_async.sync import alibaba_record, taobao_record
from xportcn_async.testing import Emulator
from xportcn_async.transport import Envelope, decode_response
from xportcn_async.webhooks import parse_message

from .conftest import depth, load_fixture

pytestmark = pytest.mark.slow

SH = ZoneInfo("Asia/Shanghai")
FUZZ = settings(
    max_examples=depth(300, 40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# --------------------------------------------------------------------------- JSON strategies

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "0", "-1", "²", "٣", "1e999", "NaN", "Infinity", "2026-13-45 99:99:99",
                      "1700000000000", "9" * 30, "null", "{", "[1,", '{"a":'])
)  # fmt: skip
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip
#: JSON documents inside strings, as the API nests them: valid, truncated or garbage.
json_in_string = json_values.map(lambda v: orjson.dumps(v).decode()) | st.builds(
    lambda v, cut: orjson.dumps(v).decode()[:cut], json_values, st.integers(0, 20)
)
any_value = json_values | json_in_string


def dumps(doc: Any) -> bytes:
    return orjson.dumps(doc)


# --------------------------------------------------------------------------- decode_response


codes = st.integers(-(10**6), 10**6) | st.sampled_from([200, 429, 503, 401]) | any_value
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "requestId": any_value,
        "code": codes,
        "msg": any_value,
        "developId": any_value,
        "data": any_value,
    },
)
headers = st.dictionaries(
    st.sampled_from(["Retry-After", "Date", "Content-Type"]),
    st.text(max_size=30) | st.sampled_from(["1", "-5", "nan", "inf", "1e400", "Wed, 21 Oct 2015"]),
    max_size=3,
)


@FUZZ
@given(
    status=st.integers(100, 599),
    headers=headers,
    doc=envelopes | json_values,
    cut=st.none() | st.integers(0, 400),
)
def test_decode_response_raises_only_sdk_errors(
    status: int, headers: dict[str, str], doc: Any, cut: int | None
) -> None:
    raw = dumps(doc)
    if cut is not None:
        raw = raw[:cut]
    try:
        result = decode_response(status, headers, raw, endpoint="fuzz")
    except XportcnError:
        return
    assert isinstance(result, Envelope) and status < 400 and result.code == 200


@FUZZ
@given(status=st.integers(100, 599), raw=st.binary(max_size=300))
def test_decode_response_of_random_bytes(status: int, raw: bytes) -> None:
    with contextlib.suppress(XportcnError):
        decode_response(status, {}, raw)


@FUZZ
@given(data=json_values, cut=st.integers(1, 10_000))
def test_a_success_envelope_cut_anywhere_is_a_transport_failure(data: Any, cut: int) -> None:
    raw = dumps({"requestId": "r", "code": 200, "msg": "成功", "data": data})
    raw = raw[: min(cut, len(raw) - 1)]
    with pytest.raises(TransportError, match="cut short"):
        decode_response(200, {}, raw, endpoint="fuzz")


# --------------------------------------------------------------------------- models


def _emulator_docs() -> tuple[Any, Any]:
    emu = Emulator(orders=4, seed=3)  # generation only: never started
    taobao = emu.state.taobao_doc(emu.state.taobao.records[-1])
    alibaba = emu.state.alibaba_doc(emu.state.alibaba.records[-1])
    return taobao, alibaba


TAOBAO_DOC, ALIBABA_DOC = _emulator_docs()
TAOBAO_ORDER_FIXTURE = load_fixture("taobao_order_list.response.json")["data"]["data"][0]

#: (a real document, the model it structures into)
SAMPLES: list[tuple[Any, Any]] = [
    (load_fixture("taobao_order_list.response.json")["data"], TaobaoOrderListData),
    ({"total": 1, "data": [TAOBAO_DOC]}, TaobaoOrderListData),
    (TAOBAO_ORDER_FIXTURE, TaobaoOrder),
    ({"totalRecord": 1, "result": [ALIBABA_DOC]}, AlibabaOrderListData),
    (load_fixture("alibaba_order_preview.response.json")["data"], list[AlibabaOrderPreview]),
    (load_fixture("product_detail_envelope.trimmed.json")["data"], TaobaoProduct),
    ({"orderId": "1", "totalSuccessAmount": 1, "orderList": [{}]}, AlibabaCreateOrderResult),
    ({"success": True, "order_list": [{"purchase_id": 1}]}, TaobaoCreateOrderResult),
]


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from _paths(value, (*prefix, index))


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {**doc, head: _replace(doc[head], rest, value)}
    copy = list(doc)
    copy[head] = _replace(copy[head], rest, value)
    return copy


def _nested_json(doc: Any) -> Any:
    """Decode the JSON documents inside strings, so that mutations reach into them too."""
    if isinstance(doc, dict):
        return {k: _nested_json(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_nested_json(v) for v in doc]
    if isinstance(doc, str) and doc[:1] in "{[":
        try:
            return {"__json__": _nested_json(orjson.loads(doc))}
        except orjson.JSONDecodeError:
            return doc
    return doc


def _renest(doc: Any) -> Any:
    if isinstance(doc, dict):
        if set(doc) == {"__json__"}:
            return orjson.dumps(_renest(doc["__json__"])).decode()
        return {k: _renest(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_renest(v) for v in doc]
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Any, Any]:
    doc, model = draw(st.sampled_from(SAMPLES))
    tree = _nested_json(doc)
    paths = list(_paths(tree))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths))
        tree = _replace(tree, path, draw(any_value))
        paths = list(_paths(tree))
    return _renest(tree), model


@FUZZ
@given(sample=mutated())
def test_structuring_mutated_answers_raises_only_decode_errors(sample: tuple[Any, Any]) -> None:
    doc, model = sample
    try:
        result = serde.structure(doc, model, endpoint="fuzz", request_id="rid")
    except ResponseDecodeError as exc:
        refusal: ResponseDecodeError | None = exc
    else:
        refusal = None
    if refusal is not None:  # a refusal names every failing field by its JSON path
        assert refusal.errors and all(" @ $" in line for line in refusal.errors)
        return
    # What structured must also survive what the SDK does next with it: the sync's
    # records, the money views and a round trip back to JSON.
    orders: list[Any] = []
    if isinstance(result, TaobaoOrderListData | AlibabaOrderListData):
        orders = list(getattr(result, "data", None) or getattr(result, "result", []))
    elif isinstance(result, TaobaoOrder):
        orders = [result]
    for order in orders:
        try:
            record = (
                taobao_record(order) if isinstance(order, TaobaoOrder) else alibaba_record(order)
            )
        except ResponseDecodeError:
            continue
        assert record.amount_fen is None or isinstance(record.amount_fen, int)
    for preview in result if isinstance(result, list) else []:
        assert preview.sum_payment_yuan is None or isinstance(preview.sum_payment_yuan, Decimal)
    serde.unstructure(result)


@FUZZ
@given(doc=json_values, model=st.sampled_from([m for _, m in SAMPLES]))
def test_structuring_random_json_raises_only_decode_errors(doc: Any, model: Any) -> None:
    with contextlib.suppress(ResponseDecodeError):
        serde.structure(doc, model)


# --------------------------------------------------------------------------- message pushes

PUSH = load_fixture("message_order_pay_success.json")
pushes = st.fixed_dictionaries(
    {},
    optional={
        "messageType": st.sampled_from(["ORDER_CREATE", "ORDER_PAY_SUCCESS", "NEW_KIND"]) | any_value,
        "messageBody": json_in_string
        | st.builds(lambda d: orjson.dumps(d).decode(), st.fixed_dictionaries({}, optional={
            k: any_value for k in orjson.loads(PUSH["messageBody"])}))
        | any_value,
        "messagePlatform": any_value,
        "timestamp": any_value,
    },
)  # fmt: skip


@FUZZ
@given(doc=pushes, as_bytes=st.booleans(), cut=st.none() | st.integers(0, 200))
def test_parse_message_raises_only_decode_errors(
    doc: dict[str, Any], as_bytes: bool, cut: int | None
) -> None:
    raw = dumps(doc)
    if cut is not None:
        raw = raw[:cut]
    try:
        message = parse_message(raw if as_bytes else raw.decode("utf-8", "replace"))
    except ResponseDecodeError:
        return
    assert message.raw["messageType"] == doc["messageType"]
    assert message.order_id is None or isinstance(message.order_id, str)


@FUZZ
@given(raw=st.binary(max_size=200) | st.text(max_size=200) | json_values)
def test_parse_message_of_anything(raw: Any) -> None:
    with contextlib.suppress(ResponseDecodeError):
        parse_message(raw)


# --------------------------------------------------------------------------- arguments

NAIVE = datetime(2026, 1, 1, 8, 0)  # a naive datetime: refused
AWARE = datetime(2026, 1, 1, 8, 0, tzinfo=SH)
ADDRESS = AddressParam(full_name="张三", mobile="13800138000", address="文三路90号")
RECEIVER = ReceiverAddress(name="A", country="US", address="x")
TB_RECEIVER = TaobaoReceiver(name="张三", address="x")
LINE = LineItem(item_id="1", sku_id="2", quantity=1)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16 + b"\xff\xd9"

#: A valid call of every public resource method (method path → keyword arguments).
VALID: dict[str, dict[str, Any]] = {
    "address.get": {},
    "address.upsert": {"name": "n", "phone": "1", "province": "p", "city": "c", "address": "a"},
    "logistics.estimate_freight": {"item_id": "1", "quantity": 1, "receiver": RECEIVER},
    "logistics.preview_freight": {"receiver": RECEIVER, "items": [RenderItem(item_id="1", quantity=1)]},
    "logistics.create_order": {"render_id": "FF1", "receiver": RECEIVER, "line_items": [LINE]},
    "logistics.update_domestic": {"order_id": "1", "logistic_infos": [LogisticInfo(
        line_item=LINE, domestic_logistic_info=[DomesticLogistic(logistic_number="SF1", rts_time=AWARE)])]},
    "alibaba.products.search": {"keyword": "bag"},
    "alibaba.products.search_iter": {"keyword": "bag"},
    "alibaba.products.search_by_image": {"image_address": "https://x/y.jpg"},
    "alibaba.products.search_by_image_iter": {"image_address": "https://x/y.jpg"},
    "alibaba.products.category": {"category_id": 0},
    "alibaba.products.detail": {"offer_id": 1},
    "alibaba.products.detail_multi": {"offer_ids": [1, "2"]},
    "alibaba.products.estimate_freight": {"offer_id": 1, "to_province_code": "1", "to_city_code": "2",
                                          "to_country_code": "3", "total_num": 2, "sku_numbers": {"1": 2}},
    "alibaba.products.pool": {"offer_pool_id": "p", "task_id": "t"},
    "alibaba.products.pool_iter": {"offer_pool_id": "p"},
    "alibaba.orders.list": {"page": 1, "page_size": 20, "create_start": AWARE, "order_ids": [1]},
    "alibaba.orders.iter": {"page_size": 20, "begin": AWARE},
    "alibaba.orders.preview": {"flow": "general", "address": ADDRESS, "cargo": [CargoParam("1", "s", 1)]},
    "alibaba.orders.create": {"flow": "general", "address": ADDRESS, "cargo": [CargoParam("1", "s", 1)],
                              "out_order_id": "o-1"},
    "alibaba.orders.detail": {"order_id": 1},
    "alibaba.orders.pay": {"order_ids": [1]},
    "alibaba.orders.logistics": {"order_id": "1"},
    "alibaba.after_sales.refund_reasons": {"order_id": 1, "order_entry_ids": [1],
                                           "goods_status": "refundWaitSellerSend"},
    "alibaba.after_sales.upload_voucher": {"image": JPEG},
    "alibaba.after_sales.create_refund": {"order_id": 1, "order_entry_ids": [1], "dispute_request": "refund",
                                          "apply_payment": 100, "apply_reason_id": 1, "description": "broken",
                                          "goods_status": "refundWaitSellerSend", "vouchers": ["u"],
                                          "order_entry_counts": {"1": 1}},
    "alibaba.after_sales.submit_return": {"refund_id": "TQ1", "logistics_company_no": "SF",
                                          "freight_bill": "SF1", "vouchers": ["u"]},
    "alibaba.after_sales.logistics_companies": {},
    "taobao.products.detail": {"item_id": 1},
    "taobao.products.search": {"keyword": "bag"},
    "taobao.products.search_iter": {"keyword": "bag"},
    "taobao.products.search_by_image": {"image_id": "i"},
    "taobao.orders.render": {"lines": [TaobaoRenderLine(item_id="1", quantity=1)], "receiver": TB_RECEIVER},
    "taobao.orders.create": {"lines": [TaobaoCreateOrderLine(item_id="1", quantity=1, price=1)],
                             "receiver": TB_RECEIVER, "purchase_amount": 1, "seller_order_number": "s"},
    "taobao.orders.list": {"page_num": 1, "page_size": 50, "begin": AWARE, "status": 0},
    "taobao.orders.iter": {"page_size": 50, "begin": AWARE},
    "wms.forecast": {"out_order_id": "o"},
    "wms.inbound": {"out_order_id": "o", "quality_inspection": QualityInspectionInfo(width="34")},
    "wms.update": {"alibaba_order_id": "a", "extra": {"k": 1}},
    "request": {"method": "POST", "path": "/x", "json": {}},
}  # fmt: skip


def _method(xp: XportcnClient, name: str) -> Any:
    target: Any = xp
    for part in name.split("."):
        target = getattr(target, part)
    return target


def test_every_public_resource_method_is_fuzzed() -> None:
    xp = XportcnClient(access_key="k", access_secret="s", user_id="u")
    groups = {
        "address": xp.address, "logistics": xp.logistics, "alibaba.products": xp.alibaba.products,
        "alibaba.orders": xp.alibaba.orders, "alibaba.after_sales": xp.alibaba.after_sales,
        "taobao.products": xp.taobao.products, "taobao.orders": xp.taobao.orders, "wms": xp.wms,
    }  # fmt: skip
    public = {
        f"{group}.{name}"
        for group, resource in groups.items()
        for name in dir(resource)
        if not name.startswith("_") and callable(getattr(resource, name))
    }
    assert public == set(VALID) - {"request"}


def fits(value: Any, hint: Any) -> bool:
    """A plain re-statement of "this value is of the annotated type" (the test's oracle)."""
    origin = get_origin(hint)
    if hint is Any:
        return True
    if origin is Annotated:
        return fits(value, get_args(hint)[0])
    if origin is Union or origin is types.UnionType:
        return any(fits(value, arg) for arg in get_args(hint))
    if hint is type(None):
        return value is None
    if origin in (Sequence, list):
        return isinstance(value, list | tuple) and all(fits(v, get_args(hint)[0]) for v in value)
    if origin in (Mapping, dict):
        key_type, value_type = get_args(hint)
        return isinstance(value, dict) and all(
            fits(k, key_type) and fits(v, value_type) for k, v in value.items()
        )
    if hint is int:
        return type(value) is int
    if hint is float:
        return type(value) in (int, float)
    # ``origin is None``: on Python 3.10 a generic alias such as ``os.PathLike[str]`` is a type.
    if origin is None and isinstance(hint, type):
        return isinstance(value, hint)
    return True  # IO, PathLike…: not fuzzed with wrong types here


WEIRD: list[Any] = [
    None, True, 0, -3, 1.5, math.nan, "", "x", b"x", [], ["a"], [1], [None], [object()],
    (), {}, {"a": 1}, {"a": object()}, {1: 2}, object(), NAIVE, AWARE, timedelta(seconds=1),
    ADDRESS, CargoParam("1", "s", 1), Decimal("1.5"),
]  # fmt: skip


@dataclass
class Sandbox:
    """An event loop and a client pointed at a closed port, whose session counts request starts."""

    loop: asyncio.AbstractEventLoop  # not asyncio.Runner: that is Python 3.11+
    client: XportcnClient
    started: list[str]

    def call(self, name: str, kwargs: dict[str, Any]) -> Any:
        async def go() -> Any:
            result = _method(self.client, name)(**kwargs)
            if asyncio.iscoroutine(result):
                return await result
            return result

        return self.loop.run_until_complete(go())


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    started: list[str] = []

    async def on_start(_s: Any, _c: Any, params: aiohttp.TraceRequestStartParams) -> None:
        started.append(str(params.url))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)

    async def make() -> tuple[aiohttp.ClientSession, XportcnClient]:
        session = aiohttp.ClientSession(trace_configs=[trace])
        client = XportcnClient(
            access_key="k", access_secret="s", user_id="u",
            base_url="http://127.0.0.1:9/api", session=session, retry=RetryPolicy.disabled(),
        )  # fmt: skip
        return session, client

    loop = asyncio.new_event_loop()
    try:
        session, client = loop.run_until_complete(make())
        try:
            yield Sandbox(loop, client, started)
        finally:
            loop.run_until_complete(client.aclose())
            loop.run_until_complete(session.close())
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


#: Resource methods only: ``XportcnClient.request`` is the untyped escape hatch (any path,
#: any JSON body); its own argument rules are tested in tests/test_client.py.
RESOURCE_METHODS = sorted(set(VALID) - {"request"})


def _hints(xp: XportcnClient, name: str) -> dict[str, Any]:
    """The annotated keyword arguments of a method, ``**filters: Unpack[TypedDict]`` expanded."""
    method = _method(xp, name)
    hints: dict[str, Any] = {}
    for key, hint in get_type_hints(method).items():
        if key == "return":
            continue
        if typing_extensions.get_origin(hint) is Unpack:  # PEP 692: one per TypedDict key
            hints.update(typing_extensions.get_type_hints(get_args(hint)[0]))
        else:
            hints[key] = hint
    return hints


def test_filters_are_expanded_for_the_oracle(sandbox: Sandbox) -> None:
    hints = _hints(sandbox.client, "taobao.orders.iter")
    assert {"status", "order_no", "purchase_id", "begin", "concurrency"} <= set(hints)
    assert "filters" not in hints


@FUZZ
@given(data=st.data())
def test_wrongly_typed_arguments_are_refused_before_sending(
    sandbox: Sandbox, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(RESOURCE_METHODS))
    hints = _hints(sandbox.client, name)
    assume(hints)
    param = data.draw(st.sampled_from(sorted(hints)))
    value = data.draw(st.sampled_from(WEIRD))
    assume(not fits(value, hints[param]))
    kwargs = {**VALID[name], param: value}
    # Types are mypy's job; at run time a wrong type is still never sent: it is
    # refused (TypeError, or ValueError from a value check) before a request starts.
    with pytest.raises((TypeError, ValueError)):
        sandbox.call(name, kwargs)
    assert sandbox.started == []


def test_every_wrongly_typed_argument_is_refused_before_sending(sandbox: Sandbox) -> None:
    """The exhaustive twin of the fuzz test: every method, argument and weird value."""
    missed: list[str] = []
    for name in RESOURCE_METHODS:
        hints = _hints(sandbox.client, name)
        for param, hint in hints.items():
            for value in WEIRD:
                if fits(value, hint):
                    continue
                try:
                    sandbox.call(name, {**VALID[name], param: value})
                except (TypeError, ValueError):
                    continue
                except Exception as exc:  # the closed port: it was sent
                    missed.append(f"{name}({param}={value!r}): {type(exc).__name__}")
                else:
                    missed.append(f"{name}({param}={value!r}): accepted")
    assert sandbox.started == [] and not missed, "\n".join(missed)


@pytest.mark.parametrize(
    "name", ["taobao.orders.list", "taobao.orders.iter", "alibaba.orders.list",
             "alibaba.orders.iter", "alibaba.products.search_iter", "alibaba.products.pool_iter"],
)  # fmt: skip
def test_unknown_filters_are_refused_before_sending(sandbox: Sandbox, name: str) -> None:
    with pytest.raises(TypeError, match="statuss"):
        sandbox.call(name, {**VALID[name], "statuss": 1})
    assert sandbox.started == []


def _bad_values() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """Values of the right type that are still wrong: each case is (method, overrides)."""
    ints_below_one = st.integers(-(10**6), 0)
    negative = st.integers(-(10**6), -1)
    cases: list[st.SearchStrategy[tuple[str, dict[str, Any]]]] = [
        st.tuples(st.sampled_from(["taobao.orders.list", "taobao.orders.iter", "alibaba.orders.iter",
                                   "alibaba.products.search", "taobao.products.search_iter",
                                   "alibaba.products.pool"]),
                  ints_below_one.map(lambda n: {"page_size": n})),
        st.tuples(st.just("taobao.orders.list"), ints_below_one.map(lambda n: {"page_num": n})),
        st.tuples(st.just("alibaba.orders.list"), ints_below_one.map(lambda n: {"page": n})),
        st.tuples(st.sampled_from(["taobao.orders.iter", "alibaba.products.search_iter"]),
                  ints_below_one.map(lambda n: {"concurrency": n})),
        st.tuples(st.just("alibaba.orders.preview"),
                  ints_below_one.map(lambda n: {"cargo": [CargoParam("1", "s", n)]})),
        st.tuples(st.just("alibaba.orders.create"),
                  st.integers(51, 80).map(lambda n: {"cargo": [CargoParam("1", "s", 1)] * n})),
        st.tuples(st.just("taobao.orders.create"), ints_below_one.map(
            lambda n: {"lines": [TaobaoCreateOrderLine(item_id="1", quantity=n)]})),
        st.tuples(st.just("taobao.orders.render"), ints_below_one.map(
            lambda n: {"lines": [TaobaoRenderLine(item_id="1", quantity=n)]})),
        st.tuples(st.sampled_from(["logistics.estimate_freight"]), ints_below_one.map(lambda n: {"quantity": n})),
        st.tuples(st.just("logistics.create_order"),
                  ints_below_one.map(lambda n: {"line_items": [LineItem(item_id="1", quantity=n)]})),
        st.tuples(st.just("taobao.orders.create"), negative.map(lambda n: {"purchase_amount": n})),
        st.tuples(st.just("alibaba.after_sales.create_refund"),
                  st.sampled_from(["apply_payment", "apply_carriage"]).flatmap(
                      lambda k: negative.map(lambda n: {k: n}))),
        st.tuples(st.just("alibaba.after_sales.create_refund"),
                  st.text(max_size=1).map(lambda d: {"description": d})
                  | st.text(min_size=151, max_size=200).map(lambda d: {"description": d})),
        st.tuples(st.just("alibaba.after_sales.create_refund"),
                  st.integers(6, 9).map(lambda n: {"vouchers": ["u"] * n})),
        st.tuples(st.sampled_from(["taobao.orders.list", "taobao.orders.iter"]),
                  st.sampled_from(["begin", "end"]).map(lambda k: {k: NAIVE})),
        st.tuples(st.sampled_from(["alibaba.orders.list"]),
                  st.sampled_from(["create_start", "create_end", "modify_start", "modify_end"]).map(
                      lambda k: {k: NAIVE})),
        st.tuples(st.just("taobao.orders.list"), st.just({"begin": AWARE, "end": AWARE - timedelta(1)})),
        st.tuples(st.just("logistics.update_domestic"), st.just({"logistic_infos": [LogisticInfo(
            line_item=LINE, domestic_logistic_info=[DomesticLogistic(logistic_number="1", rts_time=NAIVE)])]})),
        st.tuples(st.sampled_from(["alibaba.orders.create", "alibaba.orders.preview"]),
                  st.just({"flow": ""})),
        st.tuples(st.sampled_from(["alibaba.orders.create", "taobao.orders.create"]),
                  st.sampled_from(["", "   "]).map(lambda k: {"out_order_id": k})),
        st.tuples(st.sampled_from(["alibaba.products.search", "taobao.products.search"]),
                  st.just({"keyword": ""})),
        st.tuples(st.just("alibaba.after_sales.upload_voucher"),
                  st.sampled_from([b"GIF89a", b"", JPEG + b"\x00" * (1024 * 1024)]).map(lambda b: {"image": b})),
        st.tuples(st.just("alibaba.orders.pay"), st.just({"order_ids": []})),
        st.tuples(st.sampled_from(["wms.forecast", "wms.update"]),
                  st.just({"out_order_id": None, "alibaba_order_id": None})),
        st.tuples(st.sampled_from(["taobao.orders.iter", "alibaba.orders.iter"]),
                  st.dictionaries(st.sampled_from(["version", "begin", "end", "current", "page_size",
                                                   "window_seconds", "filters", "done"]),
                                  json_values, max_size=8).map(lambda r: {"resume": {"version": 1, **r}})),
        st.tuples(st.just("request"), st.sampled_from(["x", "", "api/x"]).map(lambda p: {"path": p})),
        st.tuples(st.just("request"), st.just({"json": {"a": object()}})),
    ]  # fmt: skip
    return st.one_of(cases)


@FUZZ
@given(case=_bad_values())
def test_bad_values_are_refused_before_sending(
    sandbox: Sandbox, case: tuple[str, dict[str, Any]]
) -> None:
    name, overrides = case
    with pytest.raises(ValueError, match=r"."):
        sandbox.call(name, {**VALID[name], **overrides})
    assert sandbox.started == []
