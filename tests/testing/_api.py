"""Calling the emulator without the SDK: plain aiohttp, headers signed with ``sign()``."""

from __future__ import annotations

from typing import Any

import aiohttp
import orjson

from xportcn_async.signing import make_nonce, sign
from xportcn_async.testing import Emulator

NOW = "2026-05-20 12:00:00"
NOW_TS = 1779249600  # NOW in Unix seconds (China time = UTC+8)


class FakeClock:
    def __init__(self, start: float = NOW_TS + 30) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


def headers_for(
    emu: Emulator,
    *,
    timestamp: str | None = None,
    nonce: str | None = None,
    secret: str | None = None,
    user_id: str | None = None,
    drop: str | None = None,
) -> dict[str, str]:
    creds = emu.credentials
    ts = timestamp or str(int(emu.now()))
    nonce = nonce or make_nonce()
    out = {
        "access-key": creds.access_key,
        "timestamp": ts,
        "nonce-str": nonce,
        "user-id": user_id or creds.user_id,
        "signature": sign(creds.access_key, ts, nonce, secret or creds.access_secret),
    }
    if drop:
        del out[drop]
    return out


class Api:
    """A tiny signed caller on top of one ClientSession."""

    def __init__(self, session: aiohttp.ClientSession, emu: Emulator) -> None:
        self.session = session
        self.emu = emu

    async def raw(
        self, key: str, body: Any = None, *, headers: dict[str, str] | None = None, **kw: Any
    ) -> tuple[int, dict[str, str], bytes]:
        ep = self.emu.endpoints[key]
        hdrs = headers if headers is not None else headers_for(self.emu)
        data = orjson.dumps(body) if body is not None else None
        if data is not None:
            hdrs = {**hdrs, "Content-Type": "application/json"}
        async with self.session.request(
            ep.method, self.emu.url(key), data=data, headers=hdrs, **kw
        ) as resp:
            return resp.status, dict(resp.headers), await resp.read()

    async def __call__(self, key: str, body: Any = None, **kw: Any) -> dict[str, Any]:
        status, _, raw = await self.raw(key, body, **kw)
        assert status == 200, raw[:300]
        doc = orjson.loads(raw)
        assert isinstance(doc, dict)
        return doc

    async def data(self, key: str, body: Any = None) -> Any:
        doc = await self(key, body)
        assert doc["code"] == 200, doc
        return doc["data"]
