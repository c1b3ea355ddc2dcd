"""The per-request fast paths keep the behaviour they replace (no timing here).

* nonces: ``secrets.token_bytes`` mapped onto the alphabet with rejection sampling;
* the clock parses each distinct ``Date`` header once;
* every attempt of a call runs in the one tenacity loop, logged and signed afresh.
"""

from __future__ import annotations

import email.utils
import logging
import re
from collections import Counter

import pytest

from xportcn_async import RetryPolicy, ServerError, XportcnClient, signing
from xportcn_async.signing import Clock, make_nonce

from .conftest import (
    ACCESS_KEY,
    ACCESS_SECRET,
    USER_ID,
    FakeSleep,
    SigServer,
    envelope,
    json_response,
)


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

    monkeypatch.setattr(signing.secrets, "token_bytes", token_bytes)
    nonce = make_nonce(8)
    expected = [alphabet[b % 62] for b in (0, 61, 62, 247, 123, 1, 2, 3)]
    assert nonce == "".join(expected)
    assert all(signing._NONCE_TABLE[b] == ord(alphabet[b % 62]) for b in range(248))


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
