"""Tests of ``xportcn_async/doctor.py`` as a library: what it would send, and how it sorts
answers. End to end against the emulator (moved path, wrong secret, clock, closed port):
``tests/cli/test_doctor.py``.
"""

from __future__ import annotations

import attrs
import pytest

from xportcn_async.doctor import (
    Outcome,
    Status,
    classify,
    diagnose_env,
    probe_body,
    read_operations,
    require_read,
)
from xportcn_async.endpoints import CATALOGUE, Provenance, resolve_endpoints
from xportcn_async.errors import APIError, ResponseDecodeError, TransportError


def test_no_write_of_the_catalogue_is_ever_probed() -> None:
    endpoints = resolve_endpoints()
    probed = {ep.key for ep in read_operations(endpoints)}
    writes = {ep.key for ep in endpoints.values() if not ep.idempotent}
    assert writes and not probed & writes
    for key in writes:
        with pytest.raises(AssertionError, match="never calls a write"):
            require_read(endpoints[key])
        with pytest.raises(AssertionError):
            probe_body(endpoints[key])


def test_a_write_marked_idempotent_by_mistake_is_still_refused() -> None:
    create = resolve_endpoints()["taobao.orders.create"]
    mislabelled = attrs.evolve(create, idempotent=True)
    assert mislabelled.key not in {ep.key for ep in read_operations({create.key: mislabelled})}
    with pytest.raises(AssertionError):
        require_read(mislabelled)


def test_probe_bodies_page_by_one_and_use_ids_that_exist_nowhere() -> None:
    endpoints = resolve_endpoints()
    assert probe_body(endpoints["taobao.orders.list"]) == {"pageNum": 1, "pageSize": 1}
    assert probe_body(endpoints["alibaba.orders.detail"]) == {"orderId": "0", "webSite": "1688"}
    assert probe_body(endpoints["taobao.products.search"])["pageNo"] == 1


def test_classify_any_envelope_proves_the_path_and_html_or_404_does_not() -> None:
    not_found = APIError("<html>Not Found</html>", code=None, http_status=404)
    assert classify(not_found).status is Status.NOT_FOUND
    html = ResponseDecodeError("not JSON", body_excerpt="<html>hi</html>", http_status=200)
    assert classify(html).found is False
    business = APIError("order 0 not found", code=404, http_status=200)
    assert classify(business).found is True and classify(business).status is Status.OK
    assert classify(TransportError("refused")).found is None


def test_scrubs_the_secret_from_server_text() -> None:
    answer = classify(
        APIError("bad sig for s3cr3t: 0123456789ABCDEF0123456789ABCDEF", code=400),
        secret="s3cr3t",
    )
    assert "s3cr3t" not in answer.detail and "0123456789ABCDEF" not in answer.detail


async def test_missing_credentials_are_a_config_report_nothing_sent() -> None:
    report = await diagnose_env({})
    assert report.outcome is Outcome.CONFIG
    assert all(p.status is Status.SKIPPED for p in report.probes)
    detail = report.check("credentials").detail
    assert "XPORTCN_ACCESS_KEY" in detail and "XPORTCN_USER_ID" in detail


def test_every_confirmed_read_is_probed() -> None:
    confirmed = [
        ep.key for ep in CATALOGUE.values() if ep.idempotent and ep.provenance is Provenance.KA
    ]
    assert set(confirmed) <= {ep.key for ep in read_operations(resolve_endpoints())}
