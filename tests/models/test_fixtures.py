"""Every example payload of the docs (``tests/fixtures/``) structures into its model, and
loses no key on the way back.

The contracts of single models, field by field, are in the test file of their module:
``tests/models/test_taobao.py``, ``test_alibaba.py``, ``test_logistics.py``, ``test_wms.py``,
``test_messages.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import FIXTURES, load_fixture, response_data
from xportcn_async import serde
from xportcn_async.models import (
    Address,
    AlibabaOrderPreview,
    AlibabaOrderPreviewRequest,
    EstimateFreightRequest,
    LogisticsOrderRequest,
    PreviewFreightRequest,
    TaobaoOrderListData,
    TaobaoOrderListRequest,
    TaobaoProduct,
    UpdateDomesticRequest,
    WireMessage,
    WmsPackageRequest,
)

#: request fixture → the request model it is the body of.
REQUESTS: dict[str, type[Any]] = {
    "address_upsert.request.json": Address,
    "alibaba_order_preview.request.json": AlibabaOrderPreviewRequest,
    "logistics_create_order.request.json": LogisticsOrderRequest,
    "logistics_estimate_freight.request.json": EstimateFreightRequest,
    "logistics_preview_freight.request.json": PreviewFreightRequest,
    "logistics_update_domestic.request.json": UpdateDomesticRequest,
    "taobao_order_list.request.json": TaobaoOrderListRequest,
    "wms_package_inbound.request.truncated.json": WmsPackageRequest,
}

#: response fixture (an envelope, or the push itself) → the model of its data.
RESPONSES: dict[str, Any] = {
    "taobao_order_list.response.json": TaobaoOrderListData,
    "alibaba_order_preview.response.json": list[AlibabaOrderPreview],
    "product_detail_envelope.trimmed.json": TaobaoProduct,
    "message_order_pay_success.json": WireMessage,
}


def normalize(value: Any) -> Any:
    """Compare JSON modulo what the SDK normalises on purpose.

    JSON documents inside strings are decoded (their formatting may differ);
    ``null``, ``""`` and absent are the same (the SDK reads them all as None and
    does not write None); ids and fen may travel as numbers or digit strings.
    Every key with a real value must survive, with an equal value.
    """
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in ("{", "["):
            try:
                return normalize(orjson.loads(stripped))
            except orjson.JSONDecodeError:
                return value
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items() if v is not None and v != ""}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def test_every_fixture_is_covered() -> None:
    names = {p.name for p in Path(FIXTURES).glob("*.json")}
    assert names == set(REQUESTS) | set(RESPONSES)


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_request_fixture_round_trips_exactly(name: str) -> None:
    raw = load_fixture(name)
    model = serde.structure(raw, REQUESTS[name])
    assert model.extra == {}, f"{name}: keys not modelled: {sorted(model.extra)}"
    assert serde.unstructure(model) == raw


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_fixture_loses_no_key(name: str) -> None:
    data = response_data(name)
    model = serde.structure(data, RESPONSES[name])
    assert normalize(serde.unstructure(model)) == normalize(data)


def test_normalize_would_notice_a_lost_key() -> None:
    data = response_data("taobao_order_list.response.json")
    order = serde.structure(data, TaobaoOrderListData)
    written = serde.unstructure(order)
    del written["data"][0]["subOrderVOS"][0]["itemImageUrl"]
    assert normalize(written) != normalize(data)
