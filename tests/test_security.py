"""Secrets and transport security: nothing leaks the secret or a signature; TLS is on.

* Every text the SDK produces during failing runs is collected: every log record
  at DEBUG (the SDK's and aiohttp's, with tracebacks), every exception (``str``,
  ``repr``, the whole chained traceback, its attributes), the ``repr`` of every
  public object, the output of the real ``xportcn`` command (``-vv``, failing
  and succeeding runs) and the bytes of the SQLite files a failing sync wrote.
  The access secret, a wrong secret tried, and every signature the emulator
  received (captured by a middleware on it) appear in none of them.
* TLS certificates are verified by default; ``verify_ssl=False`` is the only off switch.
* Nonces do not repeat over 100,000 signatures.
* The push receiver caps bodies, refuses non-JSON, and under 1,000 concurrent
  pushes (each message sent twice) delivers every distinct message exactly once.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import resource
import shutil
import ssl
import subprocess
import sys
import traceback
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp import web

from xportcn_async import (
    AuthenticationError,
    ClientConfig,
    ConfigurationError,
    OutcomeUnknownError,
    RetryPolicy,
    ServerError,
    TransportError,
    XportcnClient,
)
from xportcn_async.models import AddressParam, CargoParam, Message
from xportcn_async.signing import Clock, SigningMiddleware
from xportcn_async.sync import SQLiteStore, sync_orders
from xportcn_async.testing import Emulator, FaultPlan, FaultRule
from xportcn_async.testing.emulator import Credentials
from xportcn_async.webhooks import message_handler

from .conftest import FakeSleep

XPORTCN = Path(sys.executable).parent / "xportcn"
SECRET = "S3cretOfTheLeakTest0000000000xyz"
WRONG_SECRET = "WrongSecretTriedOnce00000000abcd"
CREDENTIALS = Credentials(
    access_key="0a1b2c3d4e5f60718293a4b5c6d7e8f9", access_secret=SECRET, user_id="2100008388036"
)
ANCHOR = "2026-03-01 00:00:00"


class Collected:
    """Every text produced during the test, by where it came from."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []
        self.signatures: set[str] = set()

    def add(self, label: str, text: str | bytes) -> None:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        self.texts.append((label, text))

    def exception(self, label: str, exc: BaseException) -> None:
        self.add(f"{label}: str", str(exc))
        self.add(f"{label}: repr", repr(exc))
        self.add(f"{label}: traceback", "".join(traceback.format_exception(exc)))
        seen: BaseException | None = exc
        while seen is not None:  # the whole chain, attributes included
            self.add(f"{label}: attrs of {type(seen).__name__}", repr(vars(seen)))
            seen = seen.__cause__ or seen.__context__

    def files(self, folder: Path, pattern: str) -> None:
        """The raw bytes of files (a SQLite database and its -wal / -shm companions)."""
        paths = sorted(folder.glob(pattern))
        assert paths, pattern
        for path in paths:
            self.add(f"file {path.name}", path.read_bytes())

    def leaks(self, secrets: list[str]) -> list[str]:
        found = []
        for label, text in self.texts:
            for secret in secrets:
                if secret in text:
                    found.append(f"{secret[:6]}… in {label}")
        return found


class ListHandler(logging.Handler):
    def __init__(self, sink: Collected) -> None:
        super().__init__(logging.DEBUG)
        self.sink = sink
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.add(f"log {record.name}", self.format(record))  # with exc_info, if any


@pytest.fixture
def collected() -> Iterator[Collected]:
    sink = Collected()
    handler = ListHandler(sink)
    root = logging.getLogger()
    loggers = [logging.getLogger(n) for n in ("xportcn_async", "aiohttp", "asyncio")]
    levels = [root.level, *(lg.level for lg in loggers)]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    try:
        yield sink
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        for lg, level in zip(loggers, levels[1:], strict=True):
            lg.setLevel(level)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def signature_recorder(sink: Collected) -> Any:
    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.headers.get("signature"):
            sink.signatures.add(request.headers["signature"])
        return await handler(request)

    return record


def client_for(emu: Emulator, **options: Any) -> XportcnClient:
    kwargs = {**emu.client_kwargs(), "retry": RetryPolicy(attempts=6, sleep=FakeSleep()), **options}
    return XportcnClient(**kwargs)


async def run_cli(sink: Collected, label: str, *args: str, env: dict[str, str]) -> int:
    proc = await asyncio.create_subprocess_exec(
        str(XPORTCN),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    sink.add(f"cli {label} stdout", out)
    sink.add(f"cli {label} stderr", err)
    assert proc.returncode is not None
    return proc.returncode


def cli_env(emu: Emulator, secret: str = SECRET) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("XPORTCN_")}
    env.update(emu.credentials.env(emu.base_url))
    env["XPORTCN_ACCESS_SECRET"] = secret
    env["COLUMNS"] = "200"
    return env


async def test_no_secret_or_signature_in_logs_errors_reprs_cli_or_database(
    collected: Collected, tmp_path: Path
) -> None:
    flaky = FaultRule(script=("server_error", "reset", "truncate", "rate_limit", "html_error"))
    plan = FaultPlan(
        endpoints={
            "taobao.orders.list": flaky,
            "alibaba.orders.create": FaultRule(script=("reset_after",)),
        }
    )
    emu = Emulator(orders=300, seed=2, now=ANCHOR, days=5, faults=plan, credentials=CREDENTIALS)
    emu.app.middlewares.append(signature_recorder(collected))
    objects: list[Any] = [emu.credentials, ClientConfig(**CREDENTIALS)]
    async with emu:
        # 1. A read through five kinds of failure, then success (DEBUG and WARNING logs).
        async with client_for(emu) as xp:
            page = await xp.taobao.orders.list(page_num=1, page_size=5)
            envelope = await xp.request("POST", "/open/purchase/page", json={"pageNum": 1})
            objects += [
                xp,
                xp.config,
                xp.config.retry,
                xp.transport,
                xp.with_options(timeout=1),
                xp.with_raw_response,
            ]
            objects += [xp.taobao.orders, xp.alibaba, page, envelope, page.items[0]]
            objects += [xp.taobao.orders.iter(page_size=5, begin=emu.data_begin)]
            # 2. A create whose answer is lost, without a key: outcome unknown.
            with pytest.raises(OutcomeUnknownError) as lost:
                await xp.alibaba.orders.create(
                    flow="general",
                    address=AddressParam(full_name="张三", mobile="13800138000", address="x"),
                    cargo=[CargoParam("889512351602", "530ad00177264564503ec3b848650652", 2)],
                )
            collected.exception("outcome unknown", lost.value)
        # 3. The wrong secret: refused.
        async with client_for(emu, access_secret=WRONG_SECRET) as bad:
            objects.append(bad)
            with pytest.raises(AuthenticationError) as refused:
                await bad.taobao.orders.list()
            collected.exception("authentication", refused.value)
        # 4. A sync that fails half-way (the server starts failing for good).
        db = tmp_path / "failing.sqlite"
        emu.set_faults(
            FaultPlan(
                endpoints={"taobao.orders.list": FaultRule(script=("ok",) * 3, server_error=1)}
            )
        )
        async with client_for(emu) as xp, SQLiteStore(db) as store:
            objects.append(store)
            with pytest.raises(ServerError) as failed:
                await sync_orders(xp, store, begin=emu.data_begin, page_size=20, concurrency=1)
            collected.exception("failing sync", failed.value)
        await asyncio.to_thread(collected.files, tmp_path, "failing.sqlite*")
        # 5. The real command, -vv, through faults, with a wrong secret and against a failing server.
        since = emu.data_begin.strftime("%Y-%m-%d %H:%M:%S")
        until = (emu.data_end - timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S")
        emu.set_faults(server_error=0.2, reset=0.1, truncate=0.1)
        cli_db = tmp_path / "cli.sqlite"
        args = ("-vv", "sync", "orders", "--db", str(cli_db), "--since", since, "--until", until)
        assert await run_cli(collected, "ok", *args, env=cli_env(emu)) == 0
        assert await run_cli(collected, "json", *args, "--json", env=cli_env(emu)) == 0
        assert await run_cli(collected, "auth", *args, env=cli_env(emu, WRONG_SECRET)) == 5
        emu.set_faults(server_error=1)
        assert await run_cli(collected, "5xx", *args, env=cli_env(emu)) == 6
        await asyncio.to_thread(collected.files, tmp_path, "cli.sqlite*")
    # 6. The repr and str of every object the test touched.
    for obj in objects:
        collected.add(f"repr {type(obj).__name__}", repr(obj))
        collected.add(f"str {type(obj).__name__}", str(obj))
    # A connection refused (no signature reaches any server, the secret still must not show).
    async with XportcnClient(
        **CREDENTIALS, base_url="http://127.0.0.1:9/api", retry=RetryPolicy.disabled()
    ) as nowhere:
        with pytest.raises(TransportError) as unreachable:
            await nowhere.taobao.orders.list()
        collected.exception("unreachable", unreachable.value)

    signatures = sorted(collected.signatures)
    texts = collected.texts
    assert len(signatures) >= 30  # in-process and CLI requests, retries included
    assert any("attempt=" in text for label, text in texts if label.startswith("log"))
    assert any("retrying" in text for label, text in texts if "stderr" in label)
    assert collected.leaks([SECRET, WRONG_SECRET, *signatures]) == []
    print(f"\nchecked {len(texts)} texts against the secrets and {len(signatures)} signatures")


# --------------------------------------------------------------------------- TLS


def test_tls_verification_is_on_by_default_and_off_only_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[Any] = []
    real = aiohttp.TCPConnector

    def spy(*args: Any, **kwargs: Any) -> aiohttp.TCPConnector:
        seen.append(kwargs.get("ssl", "unset"))
        return real(*args, **kwargs)

    monkeypatch.setattr("xportcn_async.client.aiohttp.TCPConnector", spy)

    async def connector_ssl(**options: Any) -> Any:
        async with XportcnClient(access_key="k", access_secret="s", user_id="u", **options):
            pass
        return seen.pop()

    assert asyncio.run(connector_ssl()) is True
    assert asyncio.run(connector_ssl(verify_ssl=True)) is True
    assert asyncio.run(connector_ssl(verify_ssl=False)) is False
    for not_a_bool in ("false", "no", 0, None):
        with pytest.raises(ConfigurationError, match="verify_ssl"):
            XportcnClient(access_key="k", access_secret="s", user_id="u", verify_ssl=not_a_bool)  # type: ignore[arg-type]


@pytest.fixture
def self_signed(tmp_path: Path) -> ssl.SSLContext:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def test_a_self_signed_certificate_is_refused_unless_verification_is_off(
    self_signed: ssl.SSLContext,
) -> None:
    emu = Emulator(orders=10, seed=1)
    runner = web.AppRunner(emu.app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=self_signed)
    await site.start()
    port = runner.addresses[0][1]
    base_url = f"https://127.0.0.1:{port}/api"
    try:
        async with XportcnClient(
            **emu.credentials, base_url=base_url, retry=RetryPolicy.disabled()
        ) as strict:
            with pytest.raises(TransportError, match=r"(?i)certificate"):
                await strict.taobao.orders.list()
        async with XportcnClient(**emu.credentials, base_url=base_url, verify_ssl=False) as lax:
            assert (await lax.taobao.orders.list()).total == 10
    finally:
        await runner.cleanup()


# --------------------------------------------------------------------------- nonces


def test_nonces_never_repeat_over_100000_signatures() -> None:
    signer = SigningMiddleware(
        access_key="k", access_secret=SECRET, user_id="u", clock=Clock(offset=0.0)
    )
    headers = [signer.headers() for _ in range(100_000)]
    nonces = [h["nonce-str"] for h in headers]
    assert len(set(nonces)) == 100_000
    assert all(re.fullmatch(r"[A-Za-z0-9]{32}", n) for n in nonces)
    assert len({h["signature"] for h in headers}) == 100_000  # same second, still all distinct


# --------------------------------------------------------------------------- pushes


def push(order: int, *, kind: str = "ORDER_PAY_SUCCESS") -> bytes:
    body = {"orderId": order, "orderNo": f"NO{order}", "payStatus": 2, "totalAmount": 100 + order}
    return orjson.dumps(
        {
            "messageType": kind,
            "messageBody": orjson.dumps(body).decode(),
            "messagePlatform": 1,
            "timestamp": str(1779263269000 + order),
        }
    )


async def test_receiver_caps_refuses_and_survives_1000_concurrent_pushes() -> None:
    received: list[Message] = []
    receiver = message_handler(received.append, max_body_bytes=4096)
    app = web.Application()
    receiver.setup(app, "/push")
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/push"
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    connections = max(50, min(1000, (soft - 200) // 2))  # both ends of each connection are ours
    distinct = 500
    bodies = [push(n) for n in range(distinct)] * 2  # every message pushed twice
    random.Random(7).shuffle(bodies)
    try:
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections)
        ) as session:

            async def post(data: Any, headers: dict[str, str] | None = None) -> int:
                async with session.post(url, data=data, headers=headers) as resp:
                    await resp.read()
                    return resp.status

            async def chunks() -> Any:
                for _ in range(10):
                    yield b"x" * 1000

            # Caps and refusals first.
            assert await post(b"{" + b" " * 5000 + b"}") == 413
            assert await post(chunks()) == 413  # no Content-Length: counted while reading
            assert await post(b"<html>not json</html>") == 400
            assert await post(b'{"not": "a message"}') == 400
            # Then 1,000 pushes at once.
            statuses = await asyncio.gather(*(post(b) for b in bodies))
        await receiver.drain()
    finally:
        await runner.cleanup()
    assert statuses == [200] * 1000
    ids = [m.order_id for m in received]
    assert len(ids) == len(set(ids)) == distinct  # each distinct message delivered once
    assert receiver.stats == {
        "received": distinct,
        "duplicates": distinct,
        "rejected": 4,
        "delivered": distinct,
        "failed": 0,
    }
    print(f"\n1000 pushes over up to {connections} connections: {distinct} delivered once")
