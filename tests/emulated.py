"""An emulator and the real SDK client pointed at it, for the tests that run the SDK against it.

Time is driven with fakes: retries wait through a recording ``sleep``, clocks are
plain functions. Nothing sleeps for real.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import FakeSleep
from xportcn_async import RetryPolicy, XportcnClient
from xportcn_async.testing import Emulator

#: A tiny but well-formed JPEG (SOI, JFIF APP0 segment, EOI): starts with FF D8 FF.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def make_emulator(**options: Any) -> Emulator:
    """A small emulator: 60 orders per platform is enough for every status to appear."""
    options.setdefault("orders", 60)
    options.setdefault("seed", 11)
    return Emulator(**options)


def make_client(emu: Emulator, **options: Any) -> XportcnClient:
    """The real SDK client, pointed at ``emu`` with its test account."""
    options.setdefault("retry", RetryPolicy(sleep=FakeSleep()))
    return XportcnClient(**emu.credentials, base_url=emu.base_url, **options)
