"""Mocking the HTTP layer with aioresponses, as users often do, and its known blind spot."""

from __future__ import annotations

import pytest
from aioresponses import aioresponses

from xportcn_async import ServerError, XportcnClient

from .conftest import load_fixture

BASE = "http://xportcn.test/api"


async def test_typed_call_structures_a_mocked_answer(mock_http: aioresponses) -> None:
    mock_http.post(
        f"{BASE}/open/purchase/page", payload=load_fixture("taobao_order_list.response.json")
    )
    async with XportcnClient(access_key="k", access_secret="s", user_id="u", base_url=BASE) as xp:
        page = await xp.taobao.orders.list(page_num=1, page_size=10)
    assert page.total == 1
    assert page.items[0].purchase_amount == 5245


async def test_mocked_errors_are_mapped_and_retried(mock_http: aioresponses) -> None:
    for _ in range(3):
        mock_http.post(f"{BASE}/open/purchase/page", status=503, body="<html>busy</html>")

    async def no_sleep(_: float) -> None:
        return None

    from xportcn_async import RetryPolicy

    async with XportcnClient(
        access_key="k",
        access_secret="s",
        user_id="u",
        base_url=BASE,
        retry=RetryPolicy(sleep=no_sleep),
    ) as xp:
        with pytest.raises(ServerError) as info:
            await xp.taobao.orders.list(page_num=1, page_size=10)
    assert info.value.http_status == 503
    assert sum(len(calls) for calls in mock_http.requests.values()) == 3


async def test_requests_are_signed_even_under_aioresponses(mock_http: aioresponses) -> None:
    # aioresponses replaces aiohttp's request machinery, so client middlewares never
    # run under it. The SDK signs in its transport, not in a middleware, so mocked
    # requests carry the five system headers too (signing itself is checked against
    # real local servers that recompute the signature: test_signing.py, the emulator).
    mock_http.post(
        f"{BASE}/open/purchase/page", payload=load_fixture("taobao_order_list.response.json")
    )
    async with XportcnClient(access_key="k", access_secret="s", user_id="u", base_url=BASE) as xp:
        await xp.taobao.orders.list(page_num=1, page_size=10)
    [(_, calls)] = mock_http.requests.items()
    sent_headers = calls[0].kwargs.get("headers") or {}
    assert {"access-key", "timestamp", "nonce-str", "user-id", "signature"} <= {
        k.lower() for k in sent_headers
    }
