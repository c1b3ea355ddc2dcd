"""Tests of ``xportcn_async/models/alibaba.py``: the 1688 order preview and its request, from the docs' examples
(``tests/fixtures/``), field by field.
"""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import load_fixture, response_data
from xportcn_async import serde
from xportcn_async.models import AlibabaOrderPreview, AlibabaOrderPreviewRequest


def test_alibaba_preview_contract() -> None:
    previews = serde.structure(
        response_data("alibaba_order_preview.response.json"), list[AlibabaOrderPreview]
    )
    assert len(previews) == 1
    preview = previews[0]
    assert preview.sum_payment == 6400
    assert preview.sum_carriage == 600
    assert preview.sum_total_payment == 6561
    assert preview.sum_payment_no_carriage == 5800
    assert preview.sum_payment == preview.sum_payment_no_carriage + preview.sum_carriage
    assert preview.sum_payment_yuan == Decimal("64.00")
    item = preview.items[0]
    assert item.amount == 5800
    assert item.final_unit_price == 2900
    assert item.amount == 2 * item.final_unit_price
    assert item.offer_id == "889512351602"
    assert item.sku_id == "5736673805656"
    assert item.spec_id == "530ad00177264564503ec3b848650652"
    assert item.open_offer_id == "+vIWvlcT2JMpWVABRdm+WQ=="
    assert item.message is None


def test_alibaba_preview_request_model() -> None:
    body = serde.structure(
        load_fixture("alibaba_order_preview.request.json"), AlibabaOrderPreviewRequest
    )
    assert body.flow == "fenxiaonew"
    assert body.address_param.district_code == "451481"
    assert body.address_param.phone == ""
    cargo = body.cargo_param_list[0]
    assert cargo.offer_id == "889512351602"
    assert cargo.quantity == 2
