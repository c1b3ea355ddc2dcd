"""pytest plugin: ``xportcn_emulator`` and ``xportcn_client`` fixtures.

Registered through the ``pytest11`` entry point, so installing the package is
enough. Configure the emulator of one test with a marker::

    @pytest.mark.asyncio
    @pytest.mark.xportcn_emulator(orders=50, seed=7, faults=FaultPlan(drift_per_request=1))
    async def test_sync(xportcn_client, xportcn_emulator):
        page = await xportcn_client.taobao.orders.list(page_num=1, page_size=10)
        assert xportcn_emulator.counters.requests["taobao.orders.list"] == 1

Both fixtures are function-scoped async fixtures of pytest-asyncio (the ``testing``
extra: ``pip install 'xportcn-async[testing]'``) and run on the function-scoped event
loop, pytest-asyncio's default for a test; in its default strict mode mark the tests
``@pytest.mark.asyncio`` (or set ``asyncio_mode = auto``).

pytest-asyncio is optional: without it the plugin still loads (the marker is
registered and unrelated tests run as usual), and a test that requests one of the
fixtures fails at setup with a message saying what to install.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from .emulator import Emulator

try:
    import pytest_asyncio
except ModuleNotFoundError as exc:  # optional: see the module's docstring
    if exc.name != "pytest_asyncio":
        raise  # pytest-asyncio is there but broken: say so, do not hide it
    HAVE_PYTEST_ASYNCIO = False
else:
    HAVE_PYTEST_ASYNCIO = True

if TYPE_CHECKING:
    from xportcn_async import XportcnClient

__all__ = ["xportcn_client", "xportcn_emulator"]

MARKER = "xportcn_emulator"
#: Defaults for the fixture's emulator: small and fixed, so tests are fast and stable.
DEFAULTS: dict[str, Any] = {"orders": 200, "seed": 0}
#: Why a fixture fails when pytest-asyncio is not installed.
MISSING_PYTEST_ASYNCIO = (
    "the xportcn fixtures need pytest-asyncio: pip install 'xportcn-async[testing]'"
)


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker (the suite may run with ``--strict-markers``)."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**kwargs): keyword arguments for the Emulator of the xportcn_emulator fixture",
    )
    if not HAVE_PYTEST_ASYNCIO:
        # So that, under --strict-markers, a test marked like the README's examples gets
        # to the fixtures' install hint rather than stopping the run at collection.
        config.addinivalue_line(
            "markers",
            f"asyncio: not available: pytest-asyncio is not installed (xportcn: "
            f"{MISSING_PYTEST_ASYNCIO})",
        )


def _test_loop_scope(request: pytest.FixtureRequest) -> str:
    """The event loop scope pytest-asyncio runs the requesting test on ("function" by default)."""
    marker = request.node.get_closest_marker("asyncio")
    scope = (marker.kwargs.get("loop_scope") or marker.kwargs.get("scope")) if marker else None
    if not scope:
        try:  # pytest-asyncio >= 0.26; before, tests always default to "function"
            scope = request.config.getini("asyncio_default_test_loop_scope")
        except ValueError:
            scope = None
    return str(scope or "function")


async def _xportcn_emulator(request: pytest.FixtureRequest) -> AsyncIterator[Emulator]:
    """A started :class:`~xportcn_async.testing.Emulator` (200 orders, seed 0 by default)."""
    loop_scope = _test_loop_scope(request)
    if loop_scope != "function":
        pytest.fail(
            f"the xportcn fixtures run on the function-scoped event loop, and this test on the "
            f"{loop_scope}-scoped one: mark it @pytest.mark.asyncio(loop_scope='function') "
            f"(the aiohttp session of xportcn_client cannot be used from another loop)",
            pytrace=False,
        )
    kwargs = dict(DEFAULTS)
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        kwargs.update(marker.kwargs)
    async with Emulator(**kwargs) as emu:
        yield emu


async def _xportcn_client(xportcn_emulator: Emulator) -> AsyncIterator[XportcnClient]:
    """An ``XportcnClient`` signed with the emulator's test account and pointed at it."""
    from xportcn_async import XportcnClient  # lazily: keeps the plugin importable alone

    async with XportcnClient(**xportcn_emulator.client_kwargs()) as client:
        yield client


def _needs_pytest_asyncio(name: str, doc: str | None) -> Any:
    """A fixture ``name`` that fails the test requesting it: pytest-asyncio is missing."""

    def unavailable() -> NoReturn:
        pytest.fail(MISSING_PYTEST_ASYNCIO, pytrace=False)

    unavailable.__name__ = unavailable.__qualname__ = name
    unavailable.__doc__ = f"{doc} Unavailable here: {MISSING_PYTEST_ASYNCIO}."
    return pytest.fixture(name=name)(unavailable)


xportcn_emulator: Any
xportcn_client: Any
if HAVE_PYTEST_ASYNCIO:
    # loop_scope="function" whatever ``asyncio_default_fixture_loop_scope`` says: the
    # fixtures are function-scoped and must run on the loop of the test (function-scoped
    # by default), or the client's aiohttp session would be attached to another loop.
    xportcn_emulator = pytest_asyncio.fixture(
        _xportcn_emulator, loop_scope="function", name="xportcn_emulator"
    )
    xportcn_client = pytest_asyncio.fixture(
        _xportcn_client, loop_scope="function", name="xportcn_client"
    )
else:
    xportcn_emulator = _needs_pytest_asyncio("xportcn_emulator", _xportcn_emulator.__doc__)
    xportcn_client = _needs_pytest_asyncio("xportcn_client", _xportcn_client.__doc__)
# Not fixtures themselves: on pytest < 8.4 ``pytest.fixture`` marks the function it is
# given, and pytest would find it a second time under these names.
del _xportcn_emulator, _xportcn_client
