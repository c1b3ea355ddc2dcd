"""Receive Xportcn's order pushes in an aiohttp app, committed to a SQLite inbox first.

Xportcn does not push a message again once it got a 200, so the receiver answers 200 only
after the push is committed to ``messages.sqlite``; your callback then runs at least once per
message (duplicates removed), and what is left when the app stops is delivered after the next
start. Treat a push as a hint: re-read the order through the API.

    python examples/webhook_receiver.py --port 8081      # callback URL: http://HOST:8081/xportcn/messages

``--exit-after N`` stops the app after N messages (the test suite uses it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from aiohttp import web

from xportcn_async import Message, message_handler


async def serve(port: int, inbox: str, exit_after: int | None) -> None:
    done = asyncio.Event()
    received = 0

    async def on_message(msg: Message) -> None:  # runs after the 200 has been sent
        nonlocal received
        received += 1
        kind = getattr(msg.message_type, "name", msg.message_type)  # a type added later: raw
        print(f"{kind} order={msg.order_id}", flush=True)
        if exit_after is not None and received >= exit_after:
            done.set()

    app = web.Application()
    receiver = message_handler(on_message, inbox=inbox)
    receiver.setup(app, "/xportcn/messages")  # starts on app startup, drains on app cleanup

    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(f"listening on http://127.0.0.1:{port}/xportcn/messages", flush=True)
    try:
        await done.wait()  # forever without --exit-after; Ctrl-C stops it
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--inbox", default="messages.sqlite")
    parser.add_argument("--exit-after", type=int, default=None)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the inbox keeps what is left
        asyncio.run(serve(args.port, args.inbox, args.exit_after))
