"""pytest plugin: ``xportcn_emulator`` and ``xportcn_client`` fixtures.

Registered through the ``pytest11`` entry point, so installing the package is
enough. Configure the emulator of one test with a marker::

    @pytest.mark.xportcn_emulator(orders=50, seed=7, faults=FaultPlan(drift_per_request=1))
    async def test_sync(xportcn_client, xportcn_emulator):
        page = await xportcn_client.taobao.orders.list(page_num=1, page_size=10)
        assert xportcn_emulator.counters.requests["taobao.orders.list"] == 1

Both fixtures are function-scoped async fixtures (pytest-asyncio).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from .emulator import Emulator

if TYPE_CHECKING:
    from xportcn_async import XportcnClient

__all__ = ["xportcn_client", "xportcn_emulator"]

MARKER = "xportcn_emulator"
#: Defaults for the fixture's emulator: small and fixed, so tests are fast and stable.
DEFAULTS: dict[str, Any] = {"orders": 200, "seed": 0}


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker (the suite may run with ``--strict-markers``)."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**kwargs): keyword arguments for the Emulator of the xportcn_emulator fixture",
    )


@pytest_asyncio.fixture
async def xportcn_emulator(request: pytest.FixtureRequest) -> AsyncIterator[Emulator]:
    """A started :class:`~xportcn_async.testing.Emulator` (200 orders, seed 0 by default)."""
    kwargs = dict(DEFAULTS)
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        kwargs.update(marker.kwargs)
    async with Emulator(**kwargs) as emu:
        yield emu


@pytest_asyncio.fixture
async def xportcn_client(xportcn_emulator: Emulator) -> AsyncIterator[XportcnClient]:
    """An ``XportcnClient`` signed with the emulator's test account and pointed at it."""
    from xportcn_async import XportcnClient  # lazily: keeps the plugin importable alone

    async with XportcnClient(**xportcn_emulator.client_kwargs()) as client:
        yield client
