"""Tests of ``xportcn_async/options.py``: the retry decision (``RetryPolicy.decide``).

What is tried again and after how long, seen through a real local server with the sleep
faked: 5xx and business 5xx codes, 429 with ``Retry-After``, backoff growth and cap, what
is never retried, reads versus writes (a body cut short, a reset, a timeout), a refused
connection, cancellation, and retries turned off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest
from aiohttp import web

from tests.conftest import (
    ACCESS_KEY,
    ACCESS_SECRET,
    USER_ID,
    FakeSleep,
    SigServer,
    envelope,
    json_response,
)
from xportcn_async import (
    AuthenticationError,
    InvalidRequestError,
    OutcomeUnknownError,
    RateLimitError,
    ResponseDecodeError,
    RetryPolicy,
    ServerError,
    TransportError,
    XportcnClient,
)


def err(
    status: int, code: int | None = None, headers: dict[str, str] | None = None
) -> web.Response:
    return json_response(
        envelope(None, code=code or status, request_id=f"rid-{status}"),
        status=status,
        headers=headers,
    )


async def test_5xx_then_success(
    client: XportcnClient, sig_server: SigServer, fake_sleep: FakeSleep
) -> None:
    sig_server.script = [err(503)]
    env = await client.request("POST", "/x", json={}, idempotent=True)
    assert env.code == 200
    assert len(sig_server.requests) == 2
    assert len(fake_sleep.calls) == 1
    assert 0 <= fake_sleep.calls[0] <= 0.5  # full jitter, first backoff ceiling is the base
    assert client.transport.retries == 1


async def test_business_5xx_code_with_http_200_is_retried(
    client: XportcnClient, sig_server: SigServer
) -> None:
    sig_server.script = [err(200, code=500)]
    assert (await client.request("POST", "/x", json={}, idempotent=True)).code == 200


async def test_429_retry_after_is_honoured(
    client: XportcnClient, sig_server: SigServer, fake_sleep: FakeSleep
) -> None:
    sig_server.script = [err(429, headers={"Retry-After": "2"})]
    env = await client.request("POST", "/x", json={}, idempotent=True)
    assert env.code == 200
    assert fake_sleep.calls == [2.0]


async def test_429_beyond_the_cap_raises_at_once(
    client: XportcnClient, sig_server: SigServer, fake_sleep: FakeSleep
) -> None:
    sig_server.script = [err(429, headers={"Retry-After": "3600"})]
    with pytest.raises(RateLimitError) as info:
        await client.request("POST", "/x", json={}, idempotent=True)
    assert info.value.retry_after == 3600
    assert fake_sleep.calls == []
    assert len(sig_server.requests) == 1


async def test_gives_up_after_the_attempt_limit_with_the_last_error(
    client: XportcnClient,
    sig_server: SigServer,
    fake_sleep: FakeSleep,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sig_server.script = [err(500), err(502), err(503), err(504)]
    with (
        caplog.at_level(logging.WARNING, logger="xportcn_async"),
        pytest.raises(ServerError) as info,
    ):
        await client.request("POST", "/open/purchase/page", json={}, idempotent=True)
    assert info.value.http_status == 503
    assert str(info.value).startswith("rid-503")
    assert len(sig_server.requests) == 3
    assert len(fake_sleep.calls) == 2
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert "rid-500" in warnings[0].getMessage() and "attempt 1" in warnings[0].getMessage()


async def test_backoff_grows_and_is_capped(sig_server: SigServer, fake_sleep: FakeSleep) -> None:
    policy = RetryPolicy(attempts=6, backoff_base=1.0, backoff_cap=3.0, sleep=fake_sleep)
    sig_server.script = [err(500) for _ in range(5)]
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=sig_server.base_url,
        retry=policy,
    ) as xp:
        await xp.request("POST", "/x", json={}, idempotent=True)
    ceilings = [1, 2, 3, 3, 3]
    assert len(fake_sleep.calls) == 5
    assert all(
        0 <= wait <= ceiling for wait, ceiling in zip(fake_sleep.calls, ceilings, strict=True)
    )


@pytest.mark.parametrize(
    ("reply", "exc"),
    [
        (lambda: err(400), InvalidRequestError),
        (lambda: err(401), AuthenticationError),
        (lambda: err(200, code=403), AuthenticationError),
        (
            lambda: web.Response(body=b"<html>oops</html>", content_type="text/html"),
            ResponseDecodeError,
        ),
        (
            lambda: web.Response(body=b'{"code": 200, "data": }', content_type="application/json"),
            ResponseDecodeError,
        ),
    ],
)
async def test_not_retried(
    client: XportcnClient,
    sig_server: SigServer,
    fake_sleep: FakeSleep,
    reply: Callable[[], web.StreamResponse],
    exc: type[Exception],
) -> None:
    sig_server.script = [reply()]
    with pytest.raises(exc):
        await client.request("POST", "/x", json={}, idempotent=True)
    assert len(sig_server.requests) == 1
    assert fake_sleep.calls == []


async def test_a_body_cut_short_is_retried_for_reads(
    client: XportcnClient, sig_server: SigServer
) -> None:
    sig_server.script = [
        web.Response(body=b'{"code": 200, "data": {"tot', content_type="application/json")
    ]
    env = await client.request("POST", "/x", json={}, idempotent=True)
    assert env.code == 200
    assert len(sig_server.requests) == 2


async def test_a_write_whose_answer_is_cut_short_has_an_unknown_outcome(
    client: XportcnClient, sig_server: SigServer
) -> None:
    sig_server.script = [
        web.Response(body=b'{"code": 200, "data": {"orderId', content_type="application/json")
    ]
    with pytest.raises(OutcomeUnknownError) as info:
        await client.request("POST", "/alibaba/ka/order/create", json={})
    assert "outcome unknown" in str(info.value)
    assert len(sig_server.requests) == 1


async def test_connection_reset_is_retried_for_reads(
    client: XportcnClient, sig_server: SigServer
) -> None:
    sig_server.script = ["reset"]
    env = await client.request("POST", "/x", json={}, idempotent=True)
    assert env.code == 200
    assert len(sig_server.requests) == 2


async def test_non_idempotent_call_is_not_retried_after_a_timeout(
    sig_server: SigServer, fake_sleep: FakeSleep
) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return json_response(envelope({"orderId": "1"}))

    sig_server.script = [slow]
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=sig_server.base_url,
        total_timeout=0.3,
        retry=RetryPolicy(sleep=fake_sleep),
    ) as xp:
        with pytest.raises(OutcomeUnknownError) as info:
            await xp.request("POST", "/alibaba/ka/order/create", json={"flow": "general"})
    assert "not retried" in str(info.value)
    assert len(sig_server.requests) == 1
    assert fake_sleep.calls == []


async def test_non_idempotent_call_is_not_retried_after_a_5xx(
    client: XportcnClient, sig_server: SigServer
) -> None:
    sig_server.script = [err(502)]
    with pytest.raises(ServerError):
        await client.request("POST", "/alibaba/ka/order/create", json={})
    assert len(sig_server.requests) == 1


async def test_connection_refused_is_retried_even_for_writes(fake_sleep: FakeSleep) -> None:
    import socket

    with socket.socket() as sock:  # find a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=f"http://127.0.0.1:{port}/api",
        retry=RetryPolicy(sleep=fake_sleep),
    ) as xp:
        with pytest.raises(TransportError) as info:
            await xp.request("POST", "/alibaba/ka/order/create", json={})
    assert not isinstance(info.value, OutcomeUnknownError)
    assert info.value.request_sent is False
    assert len(fake_sleep.calls) == 2  # three attempts: it provably never reached a server


async def test_cancelled_call_is_not_retried(
    client: XportcnClient, sig_server: SigServer, fake_sleep: FakeSleep
) -> None:
    started = asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        started.set()
        await asyncio.sleep(30)
        return json_response(envelope())

    sig_server.script = [hang]
    task = asyncio.create_task(client.request("POST", "/x", json={}, idempotent=True))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert fake_sleep.calls == []
    assert len(sig_server.requests) == 1
    assert client.transport.retries == 0


async def test_retries_can_be_disabled(sig_server: SigServer) -> None:
    sig_server.script = [err(500)]
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=sig_server.base_url,
        retry=RetryPolicy.disabled(),
    ) as xp:
        with pytest.raises(ServerError):
            await xp.request("POST", "/x", json={}, idempotent=True)
    assert len(sig_server.requests) == 1


async def test_no_retry_when_the_policy_allows_one_attempt(
    sig_server: SigServer, fake_sleep: FakeSleep
) -> None:
    sig_server.script = [json_response(envelope(None, code=500), status=500)]
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=sig_server.base_url,
        retry=RetryPolicy(attempts=1, sleep=fake_sleep),
    ) as xp:
        with pytest.raises(ServerError):
            await xp.request("POST", "/x", json={}, idempotent=True)
        assert xp.transport.retries == 0
    assert len(sig_server.requests) == 1 and fake_sleep.calls == []
