"""Serve the emulator in benchmark mode (used by the benchmarks; prints its base URL).

``python benchmarks/_serve_emulator.py --orders 20000``: fast mode (no faults, no
nonce bookkeeping, canned pages, every order pre-built and serialized before it
listens), Taobao orders only, 127.0.0.1 on a free port. Stop it with Ctrl-C.

``--latency-ms N`` answers every request N ms late (an ``asyncio.sleep`` before the
handler, so the server's CPU stays free): a stand-in for the round trip to a server
in China, to see what concurrency buys when the network, not the CPU, is the limit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from aiohttp import web

from xportcn_async.testing import Emulator

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def serve(orders: int, seed: int, port: int, latency: float) -> None:
    emu = Emulator(
        host="127.0.0.1", port=port, orders=orders, alibaba_orders=0, seed=seed, fast=True
    )
    if latency > 0:

        @web.middleware
        async def delay(request: web.Request, handler: Handler) -> web.StreamResponse:
            await asyncio.sleep(latency)
            return await handler(request)

        emu.app.middlewares.append(delay)
    async with emu:
        print(f"Xportcn emulator listening on {emu.base_url}", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.orders, args.seed, args.port, args.latency_ms / 1000))


if __name__ == "__main__":
    main()
