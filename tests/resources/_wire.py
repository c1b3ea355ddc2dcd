"""What a resource method puts on the wire, seen by a real local HTTP server.

:class:`WireServer` records every request and answers an envelope whose ``data`` is
the reply set for the path. A :class:`Case` describes one catalogue operation: the
call, the JSON body (or multipart parts) and query it must send, and what the answer
must structure into. Each resource test file holds the cases of its own operations
(``WIRE_CASES``) and runs them through :func:`check_wire`; ``tests/test_endpoints.py``
checks that together they cover the catalogue exactly once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web
from aiohttp.test_utils import TestServer

from xportcn_async import XportcnClient
from xportcn_async.endpoints import CATALOGUE
from xportcn_async.models import RawResult


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    parts: dict[str, tuple[str | None, str | None, bytes]] = field(default_factory=dict)
    raw: bytes = b""


class WireServer:
    """Records every request and answers an envelope whose ``data`` is ``replies[path]``."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.replies: dict[str, Any] = {}
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def base_url(self) -> str:
        return str(self.server.make_url("")).rstrip("/")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        seen = Seen(
            request.method,
            request.path,
            dict(request.query),
            {k.lower(): v for k, v in request.headers.items()},
        )
        if request.content_type == "multipart/form-data":
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    seen.parts[name] = (value.filename, value.content_type, value.file.read())
                else:
                    seen.parts[name] = (None, None, str(value).encode())
        else:
            seen.raw = await request.read()
            seen.json = orjson.loads(seen.raw) if seen.raw else None
        self.seen.append(seen)
        reply = self.replies.get(request.path)
        if callable(reply):
            reply = reply(seen.json)
        doc = {
            "requestId": f"rid-{len(self.seen)}",
            "code": 200,
            "developId": "1",
            "msg": "成功",
            "data": reply,
        }
        return web.Response(body=orjson.dumps(doc), content_type="application/json")

    def last(self) -> Seen:
        assert self.seen, "no request reached the server"
        return self.seen[-1]


@asynccontextmanager
async def serve_wire() -> AsyncIterator[WireServer]:
    """A started :class:`WireServer`, closed on exit."""
    server = WireServer()
    await server.server.start_server()
    try:
        yield server
    finally:
        await server.server.close()


Call = Callable[[XportcnClient], Awaitable[Any]]
Check = Callable[[Any], None]


@dataclass
class Case:
    key: str
    call: Call
    body: Any  # the JSON body expected on the wire (None: no body)
    reply: Any = None  # the envelope's data
    check: Check | None = None
    got: Callable[[Any], Any] | None = None  # what to read from the result …
    want: Any = None  # … and what it must equal
    query: dict[str, str] = field(default_factory=dict)
    parts: dict[str, tuple[str | None, str | None, bytes]] | None = None


def case_ids(cases: list[Case]) -> list[str]:
    return [case.key for case in cases]


def check_raw(expected: Any) -> Check:
    def check(result: Any) -> None:
        assert isinstance(result, RawResult)
        assert result.data == expected

    return check


JSON_STRING_KEYS = {"orderLineList", "receiver"}


async def check_wire(case: Case, wire: WireServer, xp: XportcnClient) -> None:
    """Run ``case`` through ``xp`` and check what reached ``wire`` and what came back."""
    endpoint = CATALOGUE[case.key]
    wire.replies[endpoint.path] = case.reply
    result = await case.call(xp)
    assert len(wire.seen) == 1
    seen = wire.last()
    assert seen.method == endpoint.method
    assert seen.path == endpoint.path
    assert "signature" in seen.headers and seen.headers["user-id"] == "u"
    for name, value in case.query.items():
        assert seen.query.get(name) == value
    if case.parts is not None:
        assert seen.headers["content-type"].startswith("multipart/form-data")
        assert seen.parts == case.parts
    elif case.body is None:
        assert seen.raw == b""
    else:
        assert seen.headers["content-type"].startswith("application/json")
        body = dict(seen.json)
        for key in JSON_STRING_KEYS & body.keys() if case.key.startswith("taobao.orders") else ():
            assert isinstance(body[key], str), f"{key} must travel as a JSON string"
            body[key] = orjson.loads(body[key])
        assert body == case.body
    if case.check is not None:
        case.check(result)
    if case.got is not None:
        assert case.got(result) == case.want
    assert case.check is not None or case.got is not None, "every case checks its result"
