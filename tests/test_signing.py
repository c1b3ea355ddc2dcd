"""The pure signer, nonces and the skew-correcting clock."""

from __future__ import annotations

import email.utils
import hashlib
import re

import pytest

from xportcn_async import Clock, make_nonce, sign

SPEC_VECTOR = (
    "58c0201dfdf148eca63cbf6bb5e7cf03",
    "1715669977",
    "abcdefghijklmnopqrstuvwxyz012345",
    "0123456789abcdef0123456789abcdef",
)


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


def test_nonce_is_32_alphanumerics_and_fresh() -> None:
    nonces = {make_nonce() for _ in range(2000)}
    assert len(nonces) == 2000
    assert all(re.fullmatch(r"[A-Za-z0-9]{32}", n) for n in nonces)


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
