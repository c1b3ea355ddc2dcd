"""Shared test helpers: a real local HTTP server that checks signatures, and a fake sleep."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import os
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
import pytest_asyncio
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestServer
from aioresponses import aioresponses
from aioresponses import core as aioresponses_core

import xportcn_async
from tests import postgres_server as postgres_server_module
from xportcn_async import RetryPolicy, XportcnClient

FIXTURES = Path(__file__).parent / "fixtures"

ACCESS_KEY = "58c0201dfdf148eca63cbf6bb5e7cf03"
ACCESS_SECRET = "0123456789abcdef0123456789abcdef"
USER_ID = "2100008388036"

SYSTEM_HEADERS = ("access-key", "timestamp", "nonce-str", "user-id", "signature")


#: ``XPORTCN_TEST_DEPTH=quick`` runs the fuzz and chaos suites smaller: the same code
#: paths with fewer examples and orders. The test matrix (``noxfile.py``) runs them in
#: full on the primary interpreter and quick on the others.
QUICK = os.environ.get("XPORTCN_TEST_DEPTH", "full") == "quick"


def depth(full: int, quick: int) -> int:
    """``full`` normally, ``quick`` under ``XPORTCN_TEST_DEPTH=quick``."""
    return quick if QUICK else full


def db_rows(path: Path, sql: str, *params: object) -> list[Any]:
    """Rows of ``sql`` read from the SQLite file at ``path``.

    ``with sqlite3.connect(...)`` only ends a transaction; it does not close the
    connection, which Python 3.13 reports as an unclosed database.
    """
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def db_orders(path: Path) -> list[tuple[Any, ...]]:
    """The ``orders`` table of a synced SQLite store, by id (the columns a test compares)."""
    return db_rows(
        path,
        "SELECT platform, id, order_no, status, amount_fen, create_time, pay_time, raw_json FROM orders ORDER BY id",
    )


def db_sub_orders(path: Path) -> list[tuple[Any, ...]]:
    """The ``sub_orders`` table of a synced SQLite store."""
    return db_rows(path, "SELECT * FROM sub_orders ORDER BY order_id, id")


def load_fixture(name: str) -> Any:
    return orjson.loads((FIXTURES / name).read_bytes())


def response_data(name: str) -> Any:
    """The ``data`` of a response fixture (an envelope), or the push fixture itself."""
    doc = load_fixture(name)
    return doc if name.startswith("message_") else doc["data"]


def envelope(
    data: Any = None, *, code: int = 200, msg: str = "成功", request_id: str = "rid-1"
) -> dict[str, Any]:
    return {
        "requestId": request_id,
        "code": code,
        "developId": "1356764224096829747",
        "msg": msg,
        "data": data,
    }


def json_response(
    doc: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        body=orjson.dumps(doc), status=status, content_type="application/json", headers=headers
    )


@attrs.define
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    query: dict[str, str]


Reply = Callable[[web.Request], Awaitable[web.StreamResponse]] | web.StreamResponse | str


class SigServer:
    """A local server that recomputes the signature from the headers, like the real API.

    ``script`` is a list of replies served in order (a Response, a coroutine
    function taking the request, or ``"reset"`` to drop the connection); once it
    is empty every request gets ``default``.
    """

    def __init__(self, secret: str = ACCESS_SECRET) -> None:
        self.secret = secret
        self.script: list[Reply] = []
        self.requests: list[Recorded] = []
        self.default: Callable[[], web.StreamResponse] = lambda: json_response(
            envelope({"ok": True})
        )
        self.app = web.Application()
        self.app.router.add_route("*", "/{tail:.*}", self._handle)
        self.server = TestServer(self.app, host="127.0.0.1")

    @property
    def base_url(self) -> str:
        return str(self.server.make_url("/api"))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.requests.append(
            Recorded(
                request.method,
                request.path,
                {k.lower(): v for k, v in request.headers.items()},
                body,
                dict(request.query),
            )
        )
        missing = [h for h in SYSTEM_HEADERS if h not in request.headers]
        if missing:
            return json_response(envelope(None, code=401, msg=f"missing header {missing[0]}"))
        h = request.headers
        expected = (
            hashlib.md5((h["access-key"] + h["timestamp"] + h["nonce-str"] + self.secret).encode())
            .hexdigest()
            .upper()
        )
        if h["signature"] != expected:
            return json_response(envelope(None, code=401, msg="signature mismatch"))
        if abs(int(h["timestamp"]) - time.time()) > 600:
            return json_response(envelope(None, code=401, msg="timestamp expired"))
        if self.script:
            reply = self.script.pop(0)
            if reply == "reset":
                assert request.transport is not None
                request.transport.close()
                return web.Response()
            if isinstance(reply, web.StreamResponse):
                return reply
            assert callable(reply)
            return await reply(request)
        return self.default()


_SDK_DIR = str(Path(xportcn_async.__file__).resolve().parent)


def _sdk_code(task: asyncio.Task[object]) -> bool:
    # A coroutine's repr names only its qualname, not its module: look at its code's file.
    code = getattr(task.get_coro(), "cr_code", None)
    filename = getattr(code, "co_filename", "")
    return str(Path(filename).resolve()).startswith(_SDK_DIR) if filename else False


def sdk_tasks() -> set[asyncio.Task[object]]:
    """Pending tasks started by the SDK (the test servers' own handler tasks are not ours).

    A task is the SDK's when the coroutine it runs is defined in ``xportcn_async``
    (a pager's page fetch, a webhook delivery, an emulator push); aiohttp's
    server handler tasks run aiohttp coroutines and are left out.
    """
    current = asyncio.current_task()
    return {t for t in asyncio.all_tasks() if t is not current and not t.done() and _sdk_code(t)}


@pytest_asyncio.fixture(autouse=True)
async def _no_sdk_task_left_behind(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """After every async test (its fixtures closed by then), no SDK task may be pending."""
    yield
    if not inspect.iscoroutinefunction(getattr(request.node, "function", None)):
        return
    for _ in range(3):  # let tasks that were just cancelled finish unwinding
        await asyncio.sleep(0)
    left = sdk_tasks()
    for task in left:
        task.cancel()
    assert not left, f"SDK tasks still pending after the test: {left}"


class FakeSleep:
    """Records the waits the retry loop asks for instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        await asyncio.sleep(0)


@pytest_asyncio.fixture
async def sig_server() -> AsyncIterator[SigServer]:
    srv = SigServer()
    await srv.server.start_server()
    try:
        yield srv
    finally:
        await srv.server.close()


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest_asyncio.fixture
async def client(sig_server: SigServer, fake_sleep: FakeSleep) -> AsyncIterator[XportcnClient]:
    async with XportcnClient(
        access_key=ACCESS_KEY,
        access_secret=ACCESS_SECRET,
        user_id=USER_ID,
        base_url=sig_server.base_url,
        retry=RetryPolicy(sleep=fake_sleep),
        total_timeout=5,
    ) as xp:
        yield xp


class _CompatResponse(ClientResponse):
    """aioresponses 0.7.9 builds responses without the ``stream_writer`` that aiohttp >= 3.14
    requires (pnuckowski/aioresponses#289); give it a stand-in instead of capping aiohttp."""

    def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", _NoWriter())
        super().__init__(method, url, **kwargs)


class _NoWriter:
    output_size = 0


@pytest.fixture
def mock_http(monkeypatch: pytest.MonkeyPatch) -> Iterator[aioresponses]:
    """``aioresponses`` that works on every aiohttp we support.

    Remember: it patches ``ClientSession._request``, so client middlewares (our
    signing) do not run under it. Test signing against a real local server.
    """
    if "stream_writer" in inspect.signature(ClientResponse.__init__).parameters:
        monkeypatch.setattr(aioresponses_core, "ClientResponse", _CompatResponse)
    with aioresponses() as mocked:
        yield mocked


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The DSN of a PostgreSQL server the tests may create databases on.

    ``XPORTCN_TEST_POSTGRES_DSN`` (``make test`` starts a throwaway server and sets it), else a
    throwaway server started here for this run. Never skipped: without PostgreSQL binaries the
    server cannot start and the PostgreSQL tests fail, saying what to install.
    """
    with postgres_server_module.server() as dsn:
        yield dsn


@pytest_asyncio.fixture
async def postgres_dsn(postgres_server: str) -> AsyncIterator[str]:
    """A fresh, empty database on the test server for one test; dropped afterwards."""
    import asyncpg

    name = f"xportcn_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base, _, _ = postgres_server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        admin = await asyncpg.connect(postgres_server)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def emulator_env(emu: Any) -> dict[str, str]:
    """This process's environment with the ``XPORTCN_*`` variables pointing at ``emu``
    (an :class:`~xportcn_async.testing.Emulator`): for a command run as a user runs it."""
    creds = emu.credentials.as_dict()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XPORTCN_")}
    env.update(
        XPORTCN_ACCESS_KEY=creds["access_key"],
        XPORTCN_ACCESS_SECRET=creds["access_secret"],
        XPORTCN_USER_ID=creds["user_id"],
        XPORTCN_BASE_URL=emu.base_url,
    )
    return env
