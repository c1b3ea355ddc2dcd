"""Tests of ``xportcn_async/signing.py``: the pure signer, nonces, the skew-correcting clock
and the signing middleware.

The middleware runs against a real local server that recomputes the signature
(``tests/conftest.py``'s ``SigServer``) and against the emulator, whose checks are the
real service's: wrong secrets, unknown users, stale timestamps (the clock corrects itself
from the refusal's ``Date`` header and the call is re-sent once), millisecond timestamps.
"""

from __future__ import annotations

import email.utils
import hashlib
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from tests.conftest import (
    ACCESS_KEY,
    ACCESS_SECRET,
    SYSTEM_HEADERS,
    USER_ID,
    FakeSleep,
    SigServer,
    envelope,
    json_response,
)
from tests.emulated import JPEG, make_client, make_emulator
from xportcn_async import (
    AuthenticationError,
    Clock,
    RetryPolicy,
    XportcnClient,
    make_nonce,
    sign,
    signing,
)
from xportcn_async.signing import SigningMiddleware
from xportcn_async.testing import Emulator

SPEC_VECTOR = (
    "58c0201dfdf148eca63cbf6bb5e7cf03",
    "1715669977",
    "abcdefghijklmnopqrstuvwxyz012345",
    "0123456789abcdef0123456789abcdef",
)


# --------------------------------------------------------------------------- sign


def test_sign_matches_the_spec_vector() -> None:
    assert sign(*SPEC_VECTOR) == "B383614A0A83CA4AC8B9CB7946305455"


@pytest.mark.parametrize(
    ("key", "ts", "nonce", "secret"),
    [
        ("k", "1", "n", "s"),
        ("ak-中文", "1775221032", "x" * 32, "秘密"),
        ("", "", "", ""),
    ],
)
def test_sign_is_upper_hex_md5_of_the_plain_concatenation(
    key: str, ts: str, nonce: str, secret: str
) -> None:
    expected = hashlib.md5(f"{key}{ts}{nonce}{secret}".encode()).hexdigest().upper()
    assert sign(key, ts, nonce, secret) == expected
    assert re.fullmatch(r"[0-9A-F]{32}", expected)


def test_sign_order_matters() -> None:
    key, ts, nonce, secret = SPEC_VECTOR
    assert sign(key, ts, nonce, secret) != sign(key, nonce, ts, secret)


# --------------------------------------------------------------------------- nonces


def test_nonce_is_32_alphanumerics_and_fresh() -> None:
    nonces = {make_nonce() for _ in range(2000)}
    assert len(nonces) == 2000
    assert all(re.fullmatch(r"[A-Za-z0-9]{32}", n) for n in nonces)


def test_nonce_alphabet_and_lengths() -> None:
    assert make_nonce(0) == ""
    assert len(make_nonce(1)) == 1
    long = make_nonce(500)
    assert len(long) == 500 and re.fullmatch(r"[A-Za-z0-9]+", long)
    counts = Counter("".join(make_nonce() for _ in range(3000)))
    assert set(counts) == set(signing._NONCE_ALPHABET)  # all 62 characters show up


def test_nonce_maps_bytes_without_modulo_bias(monkeypatch: pytest.MonkeyPatch) -> None:
    alphabet = signing._NONCE_ALPHABET
    # Bytes 0..247 map to alphabet[b % 62]; 248..255 would favour the first 8 characters
    # and are dropped, and more bytes are drawn until the nonce is long enough.
    draws = [bytes([0, 61, 62, 247, 248, 255, 123]), bytes([1, 2, 3, 4, 5, 6, 7, 8, 9])]

    def token_bytes(n: int) -> bytes:
        return draws.pop(0)[:n]

    monkeypatch.setattr("xportcn_async.signing.secrets.token_bytes", token_bytes)
    nonce = make_nonce(8)
    expected = [alphabet[b % 62] for b in (0, 61, 62, 247, 123, 1, 2, 3)]
    assert nonce == "".join(expected)
    assert all(signing._NONCE_TABLE[b] == ord(alphabet[b % 62]) for b in range(248))


# --------------------------------------------------------------------------- the clock


def _date_header(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def test_clock_learns_offset_beyond_30_seconds() -> None:
    clock = Clock(time_func=lambda: 1_000_000.0)
    clock.observe_date_header(_date_header(1_000_000.0 + 3600))
    assert clock.offset == pytest.approx(3600, abs=1)
    assert clock.timestamp() == str(1_003_600)


def test_clock_ignores_small_skew_and_garbage() -> None:
    clock = Clock(time_func=lambda: 1_000_000.0)
    clock.observe_date_header(_date_header(1_000_000.0 + 20))
    assert clock.offset == 0
    clock.observe_date_header("not a date")
    clock.observe_date_header(None)
    assert clock.offset == 0


def test_explicit_offset_is_kept() -> None:
    clock = Clock(-120.0, time_func=lambda: 1_000_000.0)
    clock.observe_date_header(_date_header(1_000_000.0 + 3600))
    assert clock.offset == -120.0
    assert clock.timestamp() == "999880"
    assert clock.timestamp("ms") == "999880000"


def test_clock_reuses_a_parsed_date_but_not_the_local_time() -> None:
    now = [1_000_000.0]
    clock = Clock(time_func=lambda: now[0])
    date = email.utils.formatdate(1_000_000.0 + 3600, usegmt=True)
    clock.observe_date_header(date)
    assert clock.offset == pytest.approx(3600, abs=1)
    now[0] += 3000  # the same header seen later: the skew is measured against the new time
    clock.observe_date_header(date)
    assert clock.offset == pytest.approx(600, abs=1)
    now[0] += 590
    clock.observe_date_header(date)
    assert clock.offset == 0  # within the 30 s threshold


def test_a_date_far_away_is_not_adopted(caplog: pytest.LogCaptureFixture) -> None:
    now = 1_790_000_000.0
    clock = Clock(time_func=lambda: now)
    assert not clock.observe_date_header(email.utils.formatdate(4_070_908_800, usegmt=True))
    assert clock.offset == 0.0
    assert "not adopted" in caplog.text
    assert clock.observe_date_header(email.utils.formatdate(now + 7200, usegmt=True))
    assert clock.offset == pytest.approx(7200)
    narrow = Clock(time_func=lambda: now, max_offset=3600)
    assert not narrow.observe_date_header(email.utils.formatdate(now + 7200, usegmt=True))


# --------------------------------------------------------------------------- the middleware, against a server that recomputes the signature


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


# --------------------------------------------------------------------------- against the emulator


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with make_emulator() as e:
        yield e


@pytest_asyncio.fixture
async def xp(emu: Emulator) -> AsyncIterator[XportcnClient]:
    async with make_client(emu) as client:
        yield client


async def test_sdk_signature_passes_the_emulator_check(xp: XportcnClient, emu: Emulator) -> None:
    for _ in range(3):  # fresh nonce each call: none is refused as replayed
        await xp.taobao.orders.list(page_size=1)
    await xp.alibaba.after_sales.upload_voucher(image=JPEG)  # multipart is signed too
    await xp.alibaba.after_sales.logistics_companies()  # and GET without a body
    assert emu.counters.total_requests == 5 and not emu.counters.auth_rejections


async def test_millisecond_timestamps_are_accepted(emu: Emulator) -> None:
    async with make_client(emu, timestamp_unit="ms") as xp:
        assert (await xp.taobao.orders.list(page_size=1)).total == 60
    assert not emu.counters.auth_rejections


async def test_wrong_secret_is_an_authentication_error(emu: Emulator) -> None:
    creds: dict[str, Any] = {**emu.credentials.as_dict(), "access_secret": "not-the-secret"}
    async with XportcnClient(**creds, base_url=emu.base_url) as xp:
        with pytest.raises(AuthenticationError) as info:
            await xp.taobao.orders.list()
    error = info.value
    assert (error.code, error.http_status) == (401, 200)  # the API answers HTTP 200 + code
    assert error.msg == "signature mismatch" and error.request_id
    assert "not-the-secret" not in str(error) and "not-the-secret" not in repr(error)
    assert emu.counters.auth_rejections == Counter(bad_signature=1)
    assert emu.counters.requests["taobao.orders.list"] == 1  # not retried


async def test_unknown_user_is_refused_with_403(emu: Emulator) -> None:
    creds: dict[str, Any] = {**emu.credentials.as_dict(), "user_id": "999"}
    async with XportcnClient(**creds, base_url=emu.base_url) as xp:
        with pytest.raises(AuthenticationError) as info:
            await xp.address.get()
    assert info.value.code == 403 and "unknown user-id" in info.value.msg
    assert emu.counters.auth_rejections == Counter(unknown_user=1)


async def test_auth_failures_with_an_http_status_map_the_same() -> None:
    async with make_emulator(orders=5, auth_http_status=401) as emu:
        creds: dict[str, Any] = {**emu.credentials.as_dict(), "access_secret": "x"}
        async with XportcnClient(**creds, base_url=emu.base_url) as xp:
            with pytest.raises(AuthenticationError) as info:
                await xp.taobao.orders.list()
    assert (info.value.code, info.value.http_status) == (401, 401)


@pytest.mark.parametrize("skew", [-7200.0, 7200.0])
async def test_skewed_client_clock_is_refused_once_then_corrected(
    skew: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    server_time = 1_790_000_000.0  # both clocks are fakes: nothing waits, offsets are exact
    async with (
        make_emulator(orders=10, time_func=lambda: server_time) as emu,
        make_client(emu) as xp,
    ):
        monkeypatch.setattr(xp.clock, "_time", lambda: server_time + skew)
        # The first call of a fresh client: refused once, the refusal's Date header teaches
        # the offset, and the call is re-signed and sent again by itself.
        page = await xp.taobao.orders.list(page_size=1)
        assert page.total == 10
        assert emu.counters.auth_rejections == Counter(stale_timestamp=1)
        assert xp.clock.offset == -skew
        assert abs(xp.clock.now() - server_time) < 1
        assert emu.counters.requests["taobao.orders.list"] == 2
        await xp.taobao.orders.list(page_size=1)
        assert emu.counters.auth_rejections == Counter(stale_timestamp=1)
        assert emu.counters.requests["taobao.orders.list"] == 3


async def test_a_wrong_signature_is_not_re_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a refusal that corrected the clock is re-sent: a bad secret fails at once."""
    async with make_emulator(orders=10) as emu:
        kwargs = {**emu.client_kwargs(), "access_secret": "not-the-secret"}
        async with XportcnClient(**kwargs) as xp:
            with pytest.raises(AuthenticationError, match="signature"):
                await xp.taobao.orders.list(page_size=1)
        assert emu.counters.requests["taobao.orders.list"] == 1


async def test_skew_with_the_real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, with the emulator on the real clock and the client 2 hours behind it."""
    async with make_emulator(orders=10) as emu, make_client(emu) as xp:
        monkeypatch.setattr(xp.clock, "_time", lambda: time.time() - 7200)
        assert (await xp.taobao.orders.list(page_size=1)).total == 10
        assert abs(xp.clock.offset - 7200) < 3
