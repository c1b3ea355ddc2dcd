"""Push parsing and the aiohttp.web receiver, against a real local server."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

import orjson
import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from tests.conftest import load_fixture
from xportcn_async.errors import ResponseDecodeError
from xportcn_async.models import Message, MessagePlatform, MessageType, OrderMessageBody
from xportcn_async.webhooks import MessageReceiver, message_handler, parse_message

PUSH = load_fixture("message_order_pay_success.json")
PUSH_BYTES = orjson.dumps(PUSH)


def push(**changes: Any) -> dict[str, Any]:
    doc = dict(PUSH)
    doc.update(changes)
    return doc


# --------------------------------------------------------------------------- parse_message


def test_parse_message_from_bytes_str_and_mapping() -> None:
    for body in (PUSH_BYTES, PUSH_BYTES.decode(), PUSH):
        message = parse_message(body)
        assert message.message_type is MessageType.ORDER_PAY_SUCCESS
        assert message.platform is MessagePlatform.ALIBABA
        assert message.timestamp == datetime(2026, 5, 20, 7, 47, 49, 913000, tzinfo=timezone.utc)
        assert isinstance(message.body, OrderMessageBody)
        assert message.order_id == "3305075341149134260"
        assert message.raw == PUSH


def test_refund_message_carries_refund_id() -> None:
    body = orjson.dumps({"orderId": 1, "refundId": "TQ123", "refundStatus": "WAIT"}).decode()
    message = parse_message(
        push(messageType="ORDER_BUYER_VIEW_ORDER_BUYER_REFUND", messageBody=body)
    )
    assert message.message_type is MessageType.ORDER_BUYER_VIEW_ORDER_BUYER_REFUND
    assert isinstance(message.body, OrderMessageBody)
    assert message.body.refund_id == "TQ123"
    assert message.body.order_id == "1"


def test_unknown_type_and_platform_are_kept_raw() -> None:
    message = parse_message(
        push(messageType="IM_NEW_CHAT", messagePlatform=7, messageBody='{"chatId": 5, "x": [1]}')
    )
    assert message.message_type == "IM_NEW_CHAT"
    assert not isinstance(message.message_type, MessageType)
    assert message.platform == 7
    assert message.body == {"chatId": 5, "x": [1]}
    assert message.order_id is None


@pytest.mark.parametrize(
    "garbage",
    [b"not json", b"[1, 2]", b'{"hello": "world"}', b"", b'"ORDER_CREATE"'],
)
def test_garbage_is_a_decode_error(garbage: bytes) -> None:
    with pytest.raises(ResponseDecodeError):
        parse_message(garbage)


def test_malformed_message_body_names_the_path() -> None:
    with pytest.raises(ResponseDecodeError) as info:
        parse_message(push(messageBody="{oops"))
    assert info.value.errors[0].endswith("@ $.messageBody")


def test_bad_field_inside_the_body_names_the_nested_path() -> None:
    with pytest.raises(ResponseDecodeError) as info:
        parse_message(push(messageBody='{"totalAmount": "12.5"}'))
    assert info.value.errors[0].endswith("@ $.messageBody.totalAmount")


# --------------------------------------------------------------------------- receiver


Factory = Callable[[MessageReceiver], Awaitable[TestClient[web.Request, web.Application]]]


@pytest_asyncio.fixture
async def serve() -> AsyncIterator[Factory]:
    clients: list[TestClient[web.Request, web.Application]] = []

    async def start(receiver: MessageReceiver) -> TestClient[web.Request, web.Application]:
        app = web.Application()
        receiver.setup(app, "/push")
        client = TestClient(TestServer(app, host="127.0.0.1"))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


async def test_answers_200_before_the_callback_finishes(serve: Factory) -> None:
    release = asyncio.Event()
    started = asyncio.Event()
    got: list[Message] = []

    async def slow(message: Message) -> None:
        started.set()
        await release.wait()
        got.append(message)

    receiver = message_handler(slow)
    client = await serve(receiver)
    response = await client.post("/push", data=PUSH_BYTES)
    assert response.status == 200
    assert await response.json() == {"code": 200, "msg": "success"}
    await asyncio.wait_for(started.wait(), 5)
    assert got == []  # the callback is still running: the answer did not wait for it
    assert receiver.pending == 1
    release.set()
    await receiver.drain()
    assert receiver.pending == 0
    assert len(got) == 1
    assert got[0].order_id == "3305075341149134260"


async def test_duplicate_push_is_delivered_once(serve: Factory) -> None:
    got: list[Message] = []
    receiver = message_handler(got.append)
    client = await serve(receiver)
    for _ in range(3):
        response = await client.post("/push", data=PUSH_BYTES)
        assert response.status == 200
    # same type + body + timestamp with different formatting is the same push
    reformatted = orjson.dumps(PUSH, option=orjson.OPT_INDENT_2)
    assert reformatted != PUSH_BYTES
    assert (await client.post("/push", data=reformatted)).status == 200
    # a different timestamp is a new push
    later = orjson.dumps(push(timestamp="1779263270000"))
    assert (await client.post("/push", data=later)).status == 200
    await receiver.drain()
    assert len(got) == 2
    assert receiver.stats["duplicates"] == 3
    assert receiver.stats["delivered"] == 2


async def test_dedupe_memory_is_bounded(serve: Factory) -> None:
    got: list[Message] = []
    receiver = message_handler(got.append, dedupe_size=2)
    client = await serve(receiver)
    stamps = ["1779263270001", "1779263270002", "1779263270003", "1779263270001"]
    for stamp in stamps:
        assert (await client.post("/push", data=orjson.dumps(push(timestamp=stamp)))).status == 200
    await receiver.drain()
    # the first push was forgotten after two newer ones, so its re-push is delivered again
    assert len(got) == 4


@pytest.mark.parametrize("body", [b"garbage", b'{"not": "a message"}', b"[]", b""])
async def test_garbage_gets_400(serve: Factory, body: bytes) -> None:
    got: list[Message] = []
    receiver = message_handler(got.append)
    client = await serve(receiver)
    response = await client.post("/push", data=body)
    assert response.status == 400
    await receiver.drain()
    assert got == []
    assert receiver.stats["rejected"] == 1


async def test_oversize_body_gets_413(serve: Factory) -> None:
    got: list[Message] = []
    receiver = message_handler(got.append, max_body_bytes=64)
    client = await serve(receiver)
    response = await client.post("/push", data=PUSH_BYTES)  # ~400 bytes, Content-Length set
    assert response.status == 413
    assert got == []


async def test_oversize_chunked_body_without_content_length_gets_413(serve: Factory) -> None:
    got: list[Message] = []
    receiver = message_handler(got.append, max_body_bytes=64)
    client = await serve(receiver)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(PUSH_BYTES), 16):
            yield PUSH_BYTES[start : start + 16]

    response = await client.post("/push", data=chunks())
    assert response.status == 413
    assert "Content-Length" not in response.request_info.headers
    assert got == []


async def test_body_at_the_cap_is_accepted(serve: Factory) -> None:
    got: list[Message] = []
    receiver = message_handler(got.append, max_body_bytes=len(PUSH_BYTES))
    client = await serve(receiver)
    assert (await client.post("/push", data=PUSH_BYTES)).status == 200
    await receiver.drain()
    assert len(got) == 1


async def test_queue_target(serve: Factory) -> None:
    queue: asyncio.Queue[Message] = asyncio.Queue()
    receiver = message_handler(queue)
    client = await serve(receiver)
    assert (await client.post("/push", data=PUSH_BYTES)).status == 200
    message = await asyncio.wait_for(queue.get(), 5)
    assert message.message_type is MessageType.ORDER_PAY_SUCCESS


async def test_callback_error_is_logged_not_returned(
    serve: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[Message] = []

    def broken(message: Message) -> None:
        calls.append(message)
        raise RuntimeError("boom")

    receiver = message_handler(broken, max_attempts=3, retry_delay=0.01)
    client = await serve(receiver)
    with caplog.at_level(logging.ERROR, logger="xportcn_async.webhooks"):
        assert (await client.post("/push", data=PUSH_BYTES)).status == 200
        await receiver.drain()
    assert len(calls) == 3  # retried, then given up
    assert receiver.stats["failed"] == 1
    assert receiver.counters.retries == 2
    assert receiver.stats["delivered"] == 0
    assert "boom" in caplog.text


async def test_aclose_cancels_stuck_callbacks_and_refuses_new_pushes(serve: Factory) -> None:
    cancelled = asyncio.Event()
    started = asyncio.Event()

    async def stuck(message: Message) -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    receiver = message_handler(stuck)
    client = await serve(receiver)
    assert (await client.post("/push", data=PUSH_BYTES)).status == 200
    await asyncio.wait_for(started.wait(), 5)
    await receiver.aclose(timeout=0.01)
    assert cancelled.is_set()
    assert receiver.pending == 0
    response = await client.post("/push", data=orjson.dumps(push(timestamp="1")))
    assert response.status == 503


async def test_app_cleanup_waits_for_pending_deliveries() -> None:
    release = asyncio.Event()
    done: list[str] = []

    async def slow(message: Message) -> None:
        await release.wait()
        done.append("finished")

    receiver = message_handler(slow)
    app = web.Application()
    receiver.setup(app, "/push")
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    assert (await client.post("/push", data=PUSH_BYTES)).status == 200
    assert receiver.pending == 1
    asyncio.get_running_loop().call_soon(release.set)
    await client.close()  # runs app.on_cleanup → receiver.aclose
    assert done == ["finished"]
    assert receiver.pending == 0
