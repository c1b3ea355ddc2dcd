"""Tests of ``xportcn_async/client.py``: the client's lifecycle (owned and borrowed sessions,
closing, the unclosed warning), the raw ``request`` and the secret kept out of logs and errors.

Configuration: ``tests/test_config.py``; endpoint path overrides: ``tests/test_endpoints.py``.
"""

from __future__ import annotations

import gc
import logging
import warnings

import aiohttp
import pytest

from tests.conftest import ACCESS_KEY, ACCESS_SECRET, USER_ID, SigServer, envelope, json_response
from xportcn_async import RetryPolicy, ServerError, XportcnClient


async def test_secret_not_in_logs_or_errors(
    sig_server: SigServer, caplog: pytest.LogCaptureFixture
) -> None:
    sig_server.script = [json_response(envelope(None, code=500), status=500) for _ in range(3)]
    from xportcn_async import RetryPolicy

    async def no_sleep(_: float) -> None:
        return None

    with caplog.at_level(logging.DEBUG):
        async with XportcnClient(
            access_key=ACCESS_KEY,
            access_secret=ACCESS_SECRET,
            user_id=USER_ID,
            base_url=sig_server.base_url,
            retry=RetryPolicy(sleep=no_sleep),
        ) as xp:
            with pytest.raises(ServerError) as info:
                await xp.request("POST", "/x", json={}, idempotent=True)
    signatures = {r.headers["signature"] for r in sig_server.requests}
    texts = [r.getMessage() for r in caplog.records] + [
        str(info.value),
        repr(info.value),
        str(info.value.body),
    ]
    debug_lines = [
        r for r in caplog.records if r.levelno == logging.DEBUG and r.name == "xportcn_async"
    ]
    assert len(debug_lines) == 3  # one per attempt
    for text in texts:
        assert ACCESS_SECRET not in text
        assert not any(sig in text for sig in signatures)


async def test_owned_session_is_closed_on_exit(sig_server: SigServer) -> None:
    async with XportcnClient(
        access_key="k", access_secret="s", user_id="u", base_url=sig_server.base_url
    ) as xp:
        session = xp._session
        assert session is not None
        open_inside = not session.closed  # a plain value: mypy would narrow session.closed
        assert open_inside
    assert session.closed
    await xp.aclose()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        await xp.request("GET", "/x")


async def test_callers_session_is_left_open(sig_server: SigServer) -> None:
    async with aiohttp.ClientSession() as session:
        async with XportcnClient(
            access_key="k",
            access_secret="s",
            user_id="u",
            base_url=sig_server.base_url,
            session=session,
        ):
            pass
        assert not session.closed


def test_plain_with_raises_type_error() -> None:
    xp = XportcnClient(access_key="k", access_secret="s", user_id="u")
    with pytest.raises(TypeError, match="async with"), xp:
        pass


async def test_unclosed_client_warns(sig_server: SigServer) -> None:
    xp = XportcnClient(access_key="k", access_secret="s", user_id="u", base_url=sig_server.base_url)
    await xp.__aenter__()
    session = xp._session
    assert session is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del xp
        gc.collect()
    assert any(
        issubclass(w.category, ResourceWarning) and "unclosed XportcnClient" in str(w.message)
        for w in caught
    )
    await session.close()


async def test_raw_request_returns_the_envelope(
    client: XportcnClient, sig_server: SigServer
) -> None:
    sig_server.script = [
        json_response(
            envelope({"total": 3, "data": []}, request_id="abc"), headers={"X-Trace": "t1"}
        )
    ]
    env = await client.request(
        "post", "/open/purchase/page", json={"pageNum": 1, "pageSize": 10}, params={"a": "1"}
    )
    assert (env.request_id, env.code, env.msg, env.develop_id, env.http_status) == (
        "abc",
        200,
        "成功",
        "1356764224096829747",
        200,
    )
    assert env.data == {"total": 3, "data": []}
    assert env.headers["x-trace"] == "t1"
    rec = sig_server.requests[0]
    assert rec.method == "POST" and rec.query == {"a": "1"}
    assert rec.headers["content-type"] == "application/json"


async def test_trace_configs_see_each_attempt_with_its_operation_and_request_id() -> None:
    from types import SimpleNamespace

    from xportcn_async import Attempt, ConfigurationError
    from xportcn_async.testing import Emulator, FaultPlan, FaultRule

    seen: list[tuple[str, int, int | None, str | None]] = []

    async def on_request_end(
        session: aiohttp.ClientSession, ctx: SimpleNamespace, params: object
    ) -> None:
        attempt = ctx.trace_request_ctx
        assert isinstance(attempt, Attempt)
        seen.append((attempt.operation, attempt.number, attempt.http_status, attempt.request_id))

    async def no_sleep(_: float) -> None:
        return None

    tracing = aiohttp.TraceConfig()
    tracing.on_request_end.append(on_request_end)
    flaky = FaultPlan(endpoints={"taobao.orders.list": FaultRule(script=("server_error", "ok"))})
    async with Emulator(orders=10, faults=flaky) as emu:
        async with XportcnClient(
            **emu.credentials,
            base_url=emu.base_url,
            retry=RetryPolicy(sleep=no_sleep),
            trace_configs=[tracing],
        ) as xp:
            raw = await xp.with_raw_response.taobao.orders.list(page_num=1, page_size=5)
        with pytest.raises(ConfigurationError, match="trace_configs"):
            async with aiohttp.ClientSession() as session:
                XportcnClient(**emu.credentials, session=session, trace_configs=[tracing])
    (op1, n1, status1, id1), (op2, n2, status2, id2) = seen
    assert (op1, n1, status1) == ("taobao.orders.list", 1, 503)
    assert (op2, n2, status2, id2) == ("taobao.orders.list", 2, 200, raw.request_id)
    assert id1 is not None and id1 != id2
