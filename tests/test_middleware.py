"""The signing middleware against a real local server that recomputes the signature."""

from __future__ import annotations

import email.utils
import re
import time

import aiohttp
import pytest

from xportcn_async import AuthenticationError, RetryPolicy, XportcnClient
from xportcn_async.signing import SigningMiddleware

from .conftest import (
    ACCESS_KEY,
    ACCESS_SECRET,
    SYSTEM_HEADERS,
    USER_ID,
    FakeSleep,
    SigServer,
    envelope,
    json_response,
)


async def test_every_request_carries_five_valid_headers(
    client: XportcnClient, sig_server: SigServer
) -> None:
    for _ in range(3):
        env = await client.request(
            "POST", "/open/purchase/page", json={"pageNum": 1}, idempotent=True
        )
        assert env.code == 200
    nonces = set()
    for rec in sig_server.requests:
        h = rec.headers
        assert all(name in h for name in SYSTEM_HEADERS)
        assert h["access-key"] == ACCESS_KEY
        assert h["user-id"] == USER_ID
        assert re.fullmatch(r"[A-Za-z0-9]{32}", h["nonce-str"])
        assert re.fullmatch(r"\d{10}", h["timestamp"])
        assert abs(int(h["timestamp"]) - time.time()) < 600
        assert re.fullmatch(r"[0-9A-F]{32}", h["signature"])
        nonces.add(h["nonce-str"])
        assert rec.path == "/api/open/purchase/page"
    assert len(nonces) == 3


async def test_retries_are_signed_again_with_fresh_nonces(
    client: XportcnClient, sig_server: SigServer
) -> None:
    sig_server.script = [
        json_response(envelope(None, code=500), status=500),
        json_response(envelope(None, code=502), status=502),
    ]
    env = await client.request("POST", "/x", json={}, idempotent=True)
    assert env.code == 200
    assert len(sig_server.requests) == 3
    assert len({r.headers["nonce-str"] for r in sig_server.requests}) == 3


async def test_wrong_secret_is_refused(sig_server: SigServer, fake_sleep: FakeSleep) -> None:
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret="not-the-secret",
        user_id=USER_ID,
        base_url=sig_server.base_url,
        retry=RetryPolicy(sleep=fake_sleep),
    ) as xp:
        with pytest.raises(AuthenticationError) as info:
            await xp.request("POST", "/x", json={}, idempotent=True)
    assert "signature mismatch" in str(info.value)
    assert len(sig_server.requests) == 1  # never retried


async def test_wrong_local_clock_is_corrected_from_the_date_header(
    sig_server: SigServer, fake_sleep: FakeSleep
) -> None:
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=sig_server.base_url,
        retry=RetryPolicy(sleep=fake_sleep),
    ) as xp:
        # A local clock two hours slow: the first attempt is refused, its Date header teaches
        # the offset, and the call is re-signed and sent once more, so it succeeds.
        real_time = xp.clock._time
        xp.clock._time = lambda: real_time() - 7200
        env = await xp.request("POST", "/x", json={})  # a write: refused, so safe to re-send
        assert env.code == 200
        assert xp.clock.offset == pytest.approx(7200, abs=2)
        assert len(sig_server.requests) == 2 and fake_sleep.calls == [0.0]
        await xp.request("POST", "/x", json={})
    assert len(sig_server.requests) == 3  # learned once: no refusal any more


async def test_explicit_clock_offset_is_used(sig_server: SigServer) -> None:
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=sig_server.base_url,
        clock_offset=-100,
    ) as xp:
        await xp.request("POST", "/x", json={}, idempotent=True)
    assert int(sig_server.requests[0].headers["timestamp"]) == pytest.approx(
        time.time() - 100, abs=3
    )


async def test_millisecond_timestamps_on_request(sig_server: SigServer) -> None:
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=sig_server.base_url,
        timestamp_unit="ms",
    ) as xp:
        with pytest.raises(AuthenticationError):  # our test server, like the docs, wants seconds
            await xp.request("POST", "/x", json={}, idempotent=True)
    assert re.fullmatch(r"\d{13}", sig_server.requests[0].headers["timestamp"])


async def test_middleware_works_on_a_callers_session_with_its_own_middlewares(
    sig_server: SigServer,
) -> None:
    seen: list[str] = []

    async def tracer(
        req: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        seen.append(str(req.url))
        return await handler(req)

    async with aiohttp.ClientSession(middlewares=(tracer,)) as session:
        async with XportcnClient(
            access_key=ACCESS_KEY,
            access_secret=ACCESS_SECRET,
            user_id=USER_ID,
            base_url=sig_server.base_url,
            session=session,
        ) as xp:
            env = await xp.request("GET", "/open/address/get", idempotent=True)
        assert env.code == 200
        assert not session.closed
    assert seen and seen[0].endswith("/api/open/address/get")


def test_middleware_repr_hides_the_secret() -> None:
    from xportcn_async.signing import Clock

    mw = SigningMiddleware(access_key="ak", access_secret=ACCESS_SECRET, user_id="u", clock=Clock())
    assert ACCESS_SECRET not in repr(mw)
    headers = mw.headers()
    assert set(headers) == set(SYSTEM_HEADERS)
    assert ACCESS_SECRET not in str(headers)


def test_date_header_format_roundtrip() -> None:
    # Guard for the skew test above: aiohttp's Date header is RFC 1123 like formatdate's.
    assert email.utils.parsedate_to_datetime(email.utils.formatdate(usegmt=True)) is not None
