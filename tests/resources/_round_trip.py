"""Every endpoint round-trips through the real client to a running emulator.

Unlike the wire cases (a recording server) and ``tests/testing/test_emulator.py`` (raw
aiohttp, never the SDK), a round trip sends its requests through ``XportcnClient`` —
signing middleware, transport, retries, cattrs models — to a running
:class:`~xportcn_async.testing.Emulator`, which writes raw JSON shaped like the docs.
A disagreement between the two (a field name, a path, a shape) fails here.

Each resource test file registers the round trips of its own operations in a
:class:`RoundTrips` table (``ROUND_TRIPS``) and runs them through
:func:`check_round_trip`; ``tests/test_endpoints.py`` checks that together they cover
the catalogue, and runs all of them one after another against one emulator.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from xportcn_async import XportcnClient
from xportcn_async.endpoints import CATALOGUE
from xportcn_async.testing import Emulator

RoundTrip = Callable[[XportcnClient, Emulator], Awaitable[None]]


class RoundTrips(dict[str, RoundTrip]):
    """Catalogue key → its round trip, in registration order."""

    def case(self, key: str) -> Callable[[RoundTrip], RoundTrip]:
        """Register the round trip of one catalogue key (it must call that key at least once)."""
        assert key in CATALOGUE, key

        def register(fn: RoundTrip) -> RoundTrip:
            assert key not in self, key
            self[key] = fn
            return fn

        return register


async def check_round_trip(run: RoundTrip, key: str, xp: XportcnClient, emu: Emulator) -> None:
    """Run the round trip of ``key``: it calls ``key`` and the emulator refused nothing."""
    await run(xp, emu)
    assert emu.counters.requests[key] >= 1
    assert not emu.counters.business_errors, emu.counters.business_errors
    assert not emu.counters.auth_rejections
