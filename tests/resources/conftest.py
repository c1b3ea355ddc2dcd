"""Fixtures of the resource tests: a recording server or an emulator, and a client on it.

* ``wire`` (a :class:`~tests.resources._wire.WireServer`) and ``wire_xp``, the client
  pointed at it: what a call puts on the wire.
* ``emu`` (a small :class:`~xportcn_async.testing.Emulator`) and ``xp``, the real SDK
  client pointed at it: round trips and stateful flows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.emulated import make_client, make_emulator
from tests.resources._wire import WireServer, serve_wire
from xportcn_async import XportcnClient
from xportcn_async.testing import Emulator


@pytest_asyncio.fixture
async def wire() -> AsyncIterator[WireServer]:
    async with serve_wire() as server:
        yield server


@pytest_asyncio.fixture
async def wire_xp(wire: WireServer) -> AsyncIterator[XportcnClient]:
    async with XportcnClient(
        access_key="k", access_secret="s", user_id="u", base_url=wire.base_url
    ) as client:
        yield client


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with make_emulator() as e:
        yield e


@pytest_asyncio.fixture
async def xp(emu: Emulator) -> AsyncIterator[XportcnClient]:
    async with make_client(emu) as client:
        yield client
