"""The SDK transport against a hand-written aiohttp loop, and what its tenacity loop costs.

    python benchmarks/bench_transport.py [--reps 5] [--requests 2000] [--concurrency 1 8]
                                         [--number 20000]

**Over the loopback.** A canned server (aiohttp, in a process of its own on 127.0.0.1,
so its CPU is not the client's) answers every POST with fixed bytes: a short answer
(the docs' envelope with ``data: null``, ~120 B, like a write) or a page of 50
docs-shaped Taobao orders (~220 KiB). Clients, all in this process, one after the
other in a rotating order, each with its own session and a warm-up of 50 requests:

* ``aiohttp``: the hand-written loop — the SDK's own ``sign`` + ``make_nonce`` and the
  five headers, ``session.post``, ``resp.read()``, ``orjson.loads``, ``code`` check;
  the floor;
* ``sdk``: ``await xp.request("POST", path, json=…, idempotent=True)``, i.e.
  ``Transport.send``: options, one tenacity ``AsyncRetrying`` loop per call, signing,
  the capped streamed read, the ``Date`` clock, envelope decoding;
* ``sdk-no-tenacity``: the same SDK with ``AsyncRetrying`` replaced (in this
  benchmark only) by a single attempt — what the "first attempt without tenacity"
  shortcut, removed in the one-pipeline rework, did with an answer that succeeds.

Each measures ``--requests`` calls (pages: a fifth of that) from ``--concurrency``
workers: requests per second (wall clock) and the client's CPU time per request
(``time.process_time``: this process only, the server excluded; steadier than the
wall clock on a shared machine). Ratios are against ``aiohttp`` of the same
repetition's medians.

**In process** (no network): ``Transport.send`` on a fake session that hands back
the short answer at once, with the tenacity loop and with the single attempt, and
the tenacity loop alone around ``async def f(): return 1`` against awaiting it
directly: microseconds per call, ``--number`` calls per repetition.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from types import TracebackType
from typing import Any, cast

import aiohttp
import orjson
from _common import (
    ACCESS_KEY,
    ACCESS_SECRET,
    FIXTURE,
    ROOT,
    USER_ID,
    Summary,
    check_credentials,
    load_signing,
    make_orders,
    print_machine,
    ratio,
    table,
)

CLIENTS = ("aiohttp", "sdk", "sdk-no-tenacity")
PAYLOADS = {"short": "/open/bench/short", "page": "/open/bench/page"}
WARM_UP = 50


def payloads() -> dict[str, bytes]:
    """The canned answers: a short envelope and a page of 50 orders."""
    fixture = orjson.loads(FIXTURE.read_bytes())
    return {
        "short": orjson.dumps({**fixture, "data": None}),
        "page": orjson.dumps({**fixture, "data": {"total": 20_000, "data": make_orders(50)}}),
    }


# --------------------------------------------------------------------------- the server


async def serve() -> None:
    from aiohttp import web

    bodies = payloads()

    def answer(body: bytes) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handler(request: web.Request) -> web.Response:
            await request.read()
            if "signature" not in request.headers:
                return web.json_response({"code": 401, "msg": "unsigned"}, status=401)
            return web.Response(body=body, content_type="application/json")

        return handler

    app = web.Application()
    for name, path in PAYLOADS.items():
        app.router.add_post(path, answer(bodies[name]))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # a free port, known before the site starts
    await web.SockSite(runner, sock).start()
    port = sock.getsockname()[1]
    print(f"canned server listening on http://127.0.0.1:{port}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


@contextlib.contextmanager
def server_process() -> Iterator[str]:
    """Start the canned server in its own process; yield its base URL."""
    cmd = [sys.executable, __file__, "--serve"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            match = re.search(r"listening on (\S+)", line)
            if match:
                yield match.group(1)
                return
        raise RuntimeError("the canned server did not start")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


# --------------------------------------------------------------------------- the shortcut


class _Try:
    """Stands for tenacity's ``AttemptManager``: lets any exception through."""

    class retry_state:  # tenacity's attribute name
        attempt_number = 1

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


class SingleAttempt:
    """Drop-in for ``AsyncRetrying`` in ``Transport.send``: one attempt, no tenacity.

    On an attempt that succeeds this is what the removed shortcut ran; a failure is
    raised as is (never here: the server always answers, which is checked).
    """

    def __init__(self, **_: Any) -> None:
        self._done = False

    def __aiter__(self) -> SingleAttempt:
        return self

    async def __anext__(self) -> _Try:
        if self._done:
            raise StopAsyncIteration
        self._done = True
        return _Try()


@contextlib.contextmanager
def without_tenacity(enabled: bool) -> Iterator[None]:
    """Replace ``AsyncRetrying`` in ``xportcn_async.transport`` while in the block."""
    import xportcn_async.transport as transport

    names = vars(transport)  # Transport.send looks AsyncRetrying up at every call
    saved = names["AsyncRetrying"]
    if enabled:
        names["AsyncRetrying"] = SingleAttempt
    try:
        yield
    finally:
        names["AsyncRetrying"] = saved


# --------------------------------------------------------------------------- the clients

Call = Callable[[], Awaitable[None]]


def _signed_headers() -> Callable[[], dict[str, str]]:
    """The five system headers, signed with the SDK's own ``sign`` and ``make_nonce``."""
    signing = load_signing()
    sign, make_nonce = signing.sign, signing.make_nonce
    key, secret, user = ACCESS_KEY, ACCESS_SECRET, USER_ID

    def headers() -> dict[str, str]:
        timestamp = str(int(time.time()))
        nonce = make_nonce()
        return {
            "Content-Type": "application/json",
            "access-key": key,
            "timestamp": timestamp,
            "nonce-str": nonce,
            "user-id": user,
            "signature": sign(key, timestamp, nonce, secret),
        }

    return headers


async def _drive(call: Call, requests: int, concurrency: int) -> tuple[float, float]:
    """Warm up, then ``requests`` calls from ``concurrency`` workers: (wall s, CPU s)."""
    for _ in range(WARM_UP):
        await call()
    left = requests

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await call()

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - wall, time.process_time() - cpu


async def run_aiohttp(url: str, requests: int, concurrency: int) -> tuple[float, float]:
    headers = _signed_headers()
    connector = aiohttp.TCPConnector(limit=100)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def call() -> None:
            body = orjson.dumps({"pageNum": 1, "pageSize": 50})
            async with session.post(url, data=body, headers=headers()) as resp:
                raw = await resp.read()
            doc = orjson.loads(raw)
            if doc.get("code") != 200:
                raise RuntimeError(f"the server refused a request: {doc.get('msg')}")

        return await _drive(call, requests, concurrency)


async def run_sdk(base_url: str, path: str, requests: int, concurrency: int) -> tuple[float, float]:
    from xportcn_async import XportcnClient

    async with XportcnClient(
        access_key=ACCESS_KEY, access_secret=ACCESS_SECRET, user_id=USER_ID, base_url=base_url
    ) as xp:

        async def call() -> None:
            body = {"pageNum": 1, "pageSize": 50}
            await xp.request("POST", path, json=body, idempotent=True)

        timing = await _drive(call, requests, concurrency)
        if xp.transport.retries:
            raise RuntimeError(f"{xp.transport.retries} retries: the benchmark needs none")
        return timing


def network_rounds(
    base_url: str, reps: int, requests: int, concurrencies: list[int]
) -> dict[tuple[str, int, str], list[tuple[float, float]]]:
    """Every (payload, concurrency, client) once per repetition, clients rotating."""
    results: dict[tuple[str, int, str], list[tuple[float, float]]] = {}
    for rep in range(reps):
        for payload, path in PAYLOADS.items():
            n = requests if payload == "short" else max(1, requests // 5)
            for conc in concurrencies:
                order = CLIENTS[rep % len(CLIENTS) :] + CLIENTS[: rep % len(CLIENTS)]
                for client in order:
                    if client == "aiohttp":
                        run = run_aiohttp(base_url + path, n, conc)
                    else:
                        run = run_sdk(base_url, path, n, conc)
                    with without_tenacity(client == "sdk-no-tenacity"):
                        wall, cpu = asyncio.run(run)
                    results.setdefault((payload, conc, client), []).append((n / wall, cpu / n))
    return results


# --------------------------------------------------------------------------- in process


class _FakeContent:
    def __init__(self, body: bytes) -> None:
        self._body = body

    async def iter_any(self) -> AsyncIterator[bytes]:
        yield self._body


class _FakeResponse:
    """What ``_Attempt`` reads of an ``aiohttp.ClientResponse``."""

    status = 200

    def __init__(self, body: bytes, headers: Mapping[str, str]) -> None:
        self.headers = headers
        self.content_length = len(body)
        self.content = _FakeContent(body)

    def close(self) -> None:
        return None

    async def __aenter__(self) -> _FakeResponse:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None


class FakeSession:
    """Answers every request at once with the same body (the ``Date`` header of now)."""

    closed = False

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._headers = {"Content-Type": "application/json", "Date": _http_date()}

    def request(self, *args: Any, **kwargs: Any) -> _FakeResponse:
        return _FakeResponse(self._body, self._headers)


def _http_date() -> str:
    import email.utils

    return email.utils.formatdate(time.time(), usegmt=True)


def in_process_rounds(reps: int, number: int) -> dict[str, list[float]]:
    """Seconds per call of ``Transport.send`` on the fake session, and of the loop alone."""
    from tenacity import AsyncRetrying

    from xportcn_async import XportcnClient

    session = cast(aiohttp.ClientSession, FakeSession(payloads()["short"]))
    xp = XportcnClient(
        access_key=ACCESS_KEY, access_secret=ACCESS_SECRET, user_id=USER_ID, session=session
    )
    body = {"pageNum": 1, "pageSize": 50}

    async def send() -> None:
        await xp.request("POST", PAYLOADS["short"], json=body, idempotent=True)

    async def trivial() -> int:
        return 1

    async def direct() -> None:
        await trivial()

    async def loop_alone() -> None:
        async for attempt in AsyncRetrying(reraise=True):
            with attempt:
                await trivial()
                return

    async def many(fn: Call) -> float:
        for _ in range(min(number, 1000)):  # warm up
            await fn()
        started = time.perf_counter()
        for _ in range(number):
            await fn()
        return (time.perf_counter() - started) / number

    cases: list[tuple[str, Call, bool]] = [
        ("Transport.send, fake session: tenacity loop (the SDK)", send, False),
        ("Transport.send, fake session: single attempt (removed shortcut)", send, True),
        ("AsyncRetrying loop around `return 1`", loop_alone, False),
        ("`await f()` directly (baseline)", direct, False),
    ]
    results: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    loop = asyncio.new_event_loop()
    try:
        for rep in range(reps):
            for name, fn, single in cases[rep % len(cases) :] + cases[: rep % len(cases)]:
                with without_tenacity(single):
                    results[name].append(loop.run_until_complete(many(fn)))
    finally:
        loop.close()
    return results


# --------------------------------------------------------------------------- report


def in_process_table(local: dict[str, list[float]]) -> str:
    """Rows in pairs: the first of each pair against the second (its baseline)."""
    medians = {name: Summary.of(values).median for name, values in local.items()}
    names = list(local)
    rows = []
    for i, name in enumerate(names):
        s = Summary.of([v * 1e6 for v in local[name]])
        cells = [name, s.fmt(2), "", ""]
        if i % 2 == 0:
            base = medians[names[i + 1]]
            cells[2] = ratio(medians[name], base)
            cells[3] = f"{(medians[name] - base) * 1e6:.2f}"
        rows.append(cells)
    headers = ["in process", "µs per call median (min–max)", "time vs the row below"]
    return table([*headers, "µs added"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000, help="short answers per run")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--number", type=int, default=20_000, help="in-process calls per rep")
    parser.add_argument(
        "--no-in-process", action="store_true", help="only the loopback part (for older SDKs)"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve())
        return
    check_credentials()
    started = time.monotonic()
    with server_process() as base_url:
        network = network_rounds(base_url, args.reps, args.requests, args.concurrency)
    local = {} if args.no_in_process else in_process_rounds(args.reps, args.number)

    print_machine()
    print(
        f"# {args.reps} repetitions; {args.requests:,} short answers / "
        f"{max(1, args.requests // 5):,} pages per run; in process {args.number:,} calls; "
        f"{time.monotonic() - started:.0f} s in all"
    )
    print()
    rows = []
    for payload in PAYLOADS:
        for conc in args.concurrency:
            base = network[(payload, conc, "aiohttp")]
            base_rps = Summary.of([r for r, _ in base]).median
            base_cpu = Summary.of([c for _, c in base]).median
            for client in CLIENTS:
                runs = network[(payload, conc, client)]
                rps = Summary.of([r for r, _ in runs])
                cpu = Summary.of([c * 1e6 for _, c in runs])
                rows.append(
                    [
                        payload,
                        str(conc),
                        client,
                        rps.fmt(0),
                        ratio(rps.median, base_rps),
                        cpu.fmt(0),
                        ratio(cpu.median / 1e6, base_cpu),
                    ]
                )
    headers = ["answer", "conc.", "client", "requests/s median (min–max)", "vs aiohttp"]
    headers += ["client CPU µs/request median (min–max)", "CPU vs aiohttp"]
    print(table(headers, rows))
    print()
    if local:
        print(in_process_table(local))
        print()
    print(
        "vs aiohttp: requests/s ratio (> 1× = faster than the hand-written loop); CPU vs "
        "aiohttp: CPU per request ratio (> 1× = more CPU). time vs the row below: "
        "this row's median / the median of the row below it."
    )


if __name__ == "__main__":
    main()
