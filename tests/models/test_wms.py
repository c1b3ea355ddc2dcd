"""Tests of ``xportcn_async/models/wms.py``: the package inbound request, from the docs' examples
(``tests/fixtures/``), field by field.
"""

from __future__ import annotations

from tests.conftest import load_fixture
from xportcn_async import serde
from xportcn_async.models import WmsPackageRequest


def test_wms_inbound_keeps_dimensions_as_sent() -> None:
    body = serde.structure(
        load_fixture("wms_package_inbound.request.truncated.json"), WmsPackageRequest
    )
    assert body.quality_inspection_info is not None
    assert body.quality_inspection_info.width == "34"
    assert body.quality_inspection_info.length == 23
    assert body.quality_inspection_info.weight == 0.4
