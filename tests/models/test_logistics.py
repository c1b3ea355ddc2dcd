"""Tests of ``xportcn_async/models/logistics.py``: the domestic-logistics update request, from the docs' examples
(``tests/fixtures/``), field by field.
"""

from __future__ import annotations

from datetime import datetime, timezone

from tests.conftest import load_fixture
from xportcn_async import serde
from xportcn_async.models import UpdateDomesticRequest


def test_update_domestic_request_model() -> None:
    body = serde.structure(
        load_fixture("logistics_update_domestic.request.json"), UpdateDomesticRequest
    )
    info = body.logistic_infos[0]
    assert info.logistic_number == "FARJP2408000013YQ"
    assert info.line_item.title == "这是商品1"
    parcel = info.domestic_logistic_info[0]
    assert parcel.logistic_number == "SF1234521212678"
    assert parcel.rts_time == datetime.fromtimestamp(1754342534, timezone.utc)
