"""Tests of ``xportcn_async/transport.py``: the request pipeline.

Against hostile local servers: size caps, timeouts, per-call options, raw responses and
the clock fed from ``Date`` headers. Then the one retry loop (every attempt logged and
signed afresh), the client-wide rate limit, and JSON cut short in transit, through the
emulator.

Memory is measured in a child process that runs only the client, so the figure is the
client's own peak RSS (``ru_maxrss``) growth, not pytest's.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import textwrap
import time
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable

import orjson
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.conftest import (
    ACCESS_KEY,
    ACCESS_SECRET,
    USER_ID,
    FakeSleep,
    SigServer,
    envelope,
    json_response,
    load_fixture,
)
from tests.emulated import make_client, make_emulator
from xportcn_async import (
    RawResponse,
    ResponseDecodeError,
    ResponseTooLargeError,
    RetryPolicy,
    TransportError,
    XportcnClient,
)
from xportcn_async.testing import FaultPlan, FaultRule

MiB = 1024 * 1024
ENVELOPE_HEAD = b'{"requestId":"rid","code":200,"msg":"ok","data":"'

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def endless(request: web.Request) -> web.StreamResponse:
    resp = web.StreamResponse()
    resp.enable_chunked_encoding()
    await resp.prepare(request)
    await resp.write(ENVELOPE_HEAD)
    chunk = b"x" * 65536
    while True:  # until the client hangs up
        await resp.write(chunk)


async def huge(request: web.Request) -> web.StreamResponse:
    size = 200 * MiB
    resp = web.StreamResponse(headers={"Content-Type": "application/json"})
    resp.content_length = size
    await resp.prepare(request)
    chunk = b"x" * MiB
    try:
        for _ in range(size // MiB):
            await resp.write(chunk)
    except (ConnectionResetError, RuntimeError):
        pass  # the client dropped the connection, as it should
    return resp


def _gzip_bomb() -> bytes:
    """About 1 MiB of gzip that inflates to 1 GiB of JSON string content."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [comp.compress(ENVELOPE_HEAD)]
    block = b"0" * MiB
    parts += [comp.compress(block) for _ in range(1024)]  # ~4 s: built once per session
    parts.append(comp.compress(b'"}') + comp.flush())
    return b"".join(parts)


BOMB: list[bytes] = []


async def bomb(request: web.Request) -> web.StreamResponse:
    if not BOMB:
        BOMB.append(_gzip_bomb())
    return web.Response(
        body=BOMB[0],
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )


async def just_under(request: web.Request) -> web.StreamResponse:
    limit = int(request.query["limit"])
    body = ENVELOPE_HEAD + b"y" * (limit - len(ENVELOPE_HEAD) - 2) + b'"}'
    assert len(body) == limit
    return web.Response(body=body, content_type="application/json")


async def gzipped(request: web.Request) -> web.StreamResponse:
    assert "gzip" in request.headers["Accept-Encoding"]
    body = orjson.dumps({"requestId": "rid", "code": 200, "msg": "ok", "data": ["z" * 1000] * 50})
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    packed = comp.compress(body) + comp.flush()
    cut = request.query.get("cut") == "1"
    return web.Response(
        body=packed[: len(packed) // 2] if cut else packed,
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )


async def never(request: web.Request) -> web.StreamResponse:
    await asyncio.sleep(3600)
    raise AssertionError("unreachable")


@pytest_asyncio.fixture
async def hostile() -> AsyncIterator[str]:
    app = web.Application()
    for path, handler in {
        "/endless": endless,
        "/huge": huge,
        "/bomb": bomb,
        "/just-under": just_under,
        "/never": never,
        "/gzip": gzipped,
    }.items():
        app.router.add_post(path, handler)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


CHILD = textwrap.dedent(
    """
    import asyncio, json, resource, sys
    from xportcn_async import RetryPolicy, XportcnClient, ResponseTooLargeError

    async def main(url):
        async with XportcnClient(access_key="k", access_secret="s", user_id="u",
                                 base_url=url, retry=RetryPolicy.disabled()) as xp:
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            try:
                await xp.request("POST", sys.argv[2], json={}, idempotent=True)
                outcome = "accepted"
            except ResponseTooLargeError as exc:
                outcome = f"{type(exc).__name__}: {exc}"
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"outcome": outcome, "grew_kib": after - before}))

    asyncio.run(main(sys.argv[1]))
    """
)


@pytest.mark.parametrize("path", ["/endless", "/huge", "/bomb"])
async def test_hostile_bodies_are_refused_with_bounded_memory(hostile: str, path: str) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, hostile, path, stdout=subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
    result = json.loads(out)
    assert result["outcome"].startswith("ResponseTooLargeError")
    assert "16777216-byte limit" in result["outcome"] and path in result["outcome"]
    assert result["grew_kib"] < 64 * 1024, result
    print(f"\n{path}: client peak RSS grew {result['grew_kib'] // 1024} MiB")


async def test_a_body_just_under_the_cap_is_read(hostile: str) -> None:
    limit = 2 * MiB
    async with XportcnClient(
        access_key="k", access_secret="s", user_id="u", base_url=hostile, max_response_bytes=limit
    ) as xp:
        env = await xp.request("POST", f"/just-under?limit={limit}", json={}, idempotent=True)
        assert len(env.data) == limit - len(ENVELOPE_HEAD) - 2
        with pytest.raises(ResponseTooLargeError) as info:
            await xp.with_options(max_response_bytes=limit - 1).request(
                "POST", f"/just-under?limit={limit}", json={}, idempotent=True
            )
    assert isinstance(info.value, ResponseDecodeError) and info.value.limit == limit - 1


async def test_a_gzip_answer_is_inflated_and_one_cut_short_is_a_transport_error(
    hostile: str,
) -> None:
    async with XportcnClient(
        access_key="k", access_secret="s", user_id="u", base_url=hostile
    ) as xp:
        env = await xp.request("POST", "/gzip", json={}, idempotent=True)
        assert env.data == ["z" * 1000] * 50
        with pytest.raises(TransportError, match="cut short"):
            await xp.with_options(retry=RetryPolicy(attempts=1)).request(
                "POST", "/gzip?cut=1", json={}, idempotent=True
            )


async def test_too_large_is_not_retried(hostile: str) -> None:
    sleep = FakeSleep()
    async with XportcnClient(
        access_key="k",
        access_secret="s",
        user_id="u",
        base_url=hostile,
        max_response_bytes=MiB,
        retry=RetryPolicy(sleep=sleep),
    ) as xp:
        with pytest.raises(ResponseTooLargeError):
            await xp.request("POST", "/huge", json={}, idempotent=True)
        assert xp.transport.retries == 0 and not sleep.calls


async def test_a_per_call_timeout_fires_per_attempt_and_says_which(hostile: str) -> None:
    sleep = FakeSleep()
    async with XportcnClient(
        access_key="k",
        access_secret="s",
        user_id="u",
        base_url=hostile,
        retry=RetryPolicy(attempts=2, sleep=sleep),
    ) as xp:
        started = time.monotonic()
        with pytest.raises(TransportError) as info:
            await xp.with_options(timeout=0.5).request("POST", "/never", json={}, idempotent=True)
        elapsed = time.monotonic() - started
        assert 0.9 <= elapsed < 3.0  # two attempts of about 0.5 s each
        assert "timeout for one attempt (0.5 s" in str(info.value)
        started = time.monotonic()
        with pytest.raises(TransportError):
            await xp.with_options(timeout=0.3, retry=RetryPolicy(attempts=1)).request(
                "POST", "/never", json={}, idempotent=True
            )
        assert time.monotonic() - started < 1.5
        assert xp.transport.options.timeout is None  # the parent client is unchanged


async def test_with_options_retry_and_headers_and_the_parent_unchanged(
    sig_server: SigServer, fake_sleep: FakeSleep
) -> None:

    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=sig_server.base_url,
        retry=RetryPolicy(sleep=fake_sleep),
    ) as xp:
        once = xp.with_options(retry=RetryPolicy(attempts=1), extra_headers={"X-Trace": "t-1"})
        sig_server.script = [json_response(envelope(None, code=503), status=503) for _ in range(2)]
        with pytest.raises(Exception, match="503"):
            await once.request("POST", "/x", json={}, idempotent=True)
        assert len(sig_server.requests) == 1  # one attempt
        assert sig_server.requests[0].headers["x-trace"] == "t-1"
        assert sig_server.requests[0].headers["signature"]  # still signed
        env = await xp.request("POST", "/x", json={}, idempotent=True)  # parent: 3 attempts
        assert env.code == 200 and len(sig_server.requests) == 3
        assert "x-trace" not in sig_server.requests[-1].headers
        assert once.transport.retries == xp.transport.retries == 1  # one shared counter
        await once.aclose()  # a view closes nothing
        assert (await xp.request("POST", "/x", json={}, idempotent=True)).code == 200
    with pytest.raises(RuntimeError, match="closed"):
        await once.request("POST", "/x", json={}, idempotent=True)


async def test_with_raw_response_gives_request_id_status_headers_and_parse(
    sig_server: SigServer,
) -> None:

    page = load_fixture("taobao_order_list.response.json")
    sig_server.default = lambda: web.json_response(page, headers={"X-Served-By": "t"})
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=sig_server.base_url,
    ) as xp:
        raw = await xp.with_raw_response.taobao.orders.list(page_num=1, page_size=10)
        plain = await xp.taobao.orders.list(page_num=1, page_size=10)
        assert isinstance(raw, RawResponse)
        assert raw.request_id == page["requestId"] and raw.http_status == 200
        assert raw.headers["X-Served-By"] == "t" and raw.elapsed > 0
        assert raw.parse() == plain
        with pytest.raises(TypeError, match="coroutine methods only"):
            xp.with_raw_response.taobao.orders.iter(page_size=10)


async def test_a_server_two_hours_ahead_serves_the_first_call_of_a_fresh_client() -> None:
    from xportcn_async.testing import Emulator

    async with (
        Emulator(orders=5, time_func=lambda: time.time() + 7200) as emu,
        XportcnClient(**emu.client_kwargs()) as xp,
    ):
        page = await xp.taobao.orders.list(page_size=5)
        assert page.total == 5
        assert xp.clock.offset == pytest.approx(7200, abs=3)


async def test_a_server_in_2099_is_not_believed() -> None:
    async def far(request: web.Request) -> web.Response:
        body = orjson.dumps({"requestId": "r", "code": 200, "msg": "ok", "data": None})
        return web.Response(
            body=body,
            content_type="application/json",
            headers={"Date": "Thu, 01 Jan 2099 00:00:00 GMT"},
        )

    app = web.Application()
    app.router.add_post("/x", far)
    async with TestServer(app, host="127.0.0.1") as server:
        base = str(server.make_url("")).rstrip("/")
        async with XportcnClient(
            access_key="k", access_secret="s", user_id="u", base_url=base
        ) as xp:
            await xp.request("POST", "/x", json={})
            assert xp.clock.offset == 0.0


async def test_request_refuses_bad_arguments_before_sending(sig_server: SigServer) -> None:
    async with XportcnClient(
        access_key=ACCESS_KEY, access_secret=ACCESS_SECRET, user_id=USER_ID,
        base_url=sig_server.base_url,
    ) as xp:  # fmt: skip
        with pytest.raises(ValueError, match="must start with '/'"):
            await xp.request("POST", "x")
        with pytest.raises(TypeError):
            await xp.request(1, "/x")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="cannot be encoded"):
            await xp.request("POST", "/x", json={"a": object()})
        with pytest.raises(ValueError, match="timeout"):
            await xp.request("POST", "/x", timeout=-1)
    assert sig_server.requests == []


# --------------------------------------------------------------------------- the retry loop and the rate limit


async def test_a_failed_first_attempt_is_retried_logged_and_signed_afresh(
    client: XportcnClient,
    sig_server: SigServer,
    fake_sleep: FakeSleep,
    caplog: pytest.LogCaptureFixture,
) -> None:
    failure = json_response(envelope(None, code=503, request_id="rid-first"), status=503)
    sig_server.script = [failure]
    with caplog.at_level(logging.DEBUG, logger="xportcn_async"):
        env = await client.request("POST", "/x", json={}, idempotent=True)
    assert env.code == 200
    assert len(sig_server.requests) == 2
    assert len(fake_sleep.calls) == 1 and client.transport.retries == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "attempt 1 failed" in warnings[0] and "rid-first" in warnings[0]
    attempts = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert any("attempt=1" in m for m in attempts) and any("attempt=2" in m for m in attempts)
    nonces = {r.headers["nonce-str"] for r in sig_server.requests}
    assert len(nonces) == 2  # every attempt is signed afresh


async def test_client_wide_rate_limit_paces_requests(
    sig_server: SigServer, fake_sleep: FakeSleep
) -> None:
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=sig_server.base_url,
        max_requests_per_second=4,
        retry=RetryPolicy(sleep=fake_sleep),
    ) as xp:
        await asyncio.gather(
            *(xp.request("POST", "/x", json={}, idempotent=True) for _ in range(3))
        )
    # first request goes at once; the next two wait for their 0.25 s slots
    assert len(fake_sleep.calls) == 2
    assert fake_sleep.calls[0] == pytest.approx(0.25, abs=0.05)
    assert fake_sleep.calls[1] == pytest.approx(0.5, abs=0.05)


# --------------------------------------------------------------------------- JSON cut short, through the emulator


async def test_truncated_json_on_a_read_is_retried_like_a_lost_answer() -> None:
    """A 200 whose JSON stops mid-document was cut short in transit, like a reset.

    The transport reports it as a :class:`TransportError` (not a
    :class:`ResponseDecodeError`, which is kept for answers that are complete but
    not an envelope or not the model): a read is retried, a write would report
    :class:`~xportcn_async.OutcomeUnknownError`.
    """
    plan = FaultPlan(endpoints={"taobao.orders.list": FaultRule(script=("truncate",))})
    async with make_emulator(orders=30, faults=plan) as emu, make_client(emu) as xp:
        page = await xp.taobao.orders.list(page_size=10)
        assert page.total == 30 and len(page.items) == 10
        assert xp.transport.retries == 1
        assert emu.counters.faults == Counter(truncate=1)
        assert emu.counters.requests["taobao.orders.list"] == 2
        assert not emu.counters.auth_rejections  # the retry was signed with a fresh nonce


async def test_truncated_json_without_retries_says_what_happened() -> None:
    plan = FaultPlan(endpoints={"taobao.orders.list": FaultRule(script=("truncate",))})
    async with (
        make_emulator(orders=30, faults=plan) as emu,
        make_client(emu, retry=RetryPolicy.disabled()) as xp,
    ):
        with pytest.raises(TransportError) as info:
            await xp.taobao.orders.list(page_size=10)
        assert type(info.value) is TransportError  # a read: not OutcomeUnknownError
        assert info.value.endpoint == "taobao.orders.list"
        assert "HTTP 200" in str(info.value) and "cut short" in str(info.value)
        assert '{"requestId":' in str(info.value)  # the start of the body, for the logs
        # The next call is answered whole: the connection and the client are still fine.
        assert (await xp.taobao.orders.list(page_size=10)).total == 30
