"""No silent loss: a sync against a hostile server, a damaged state or a foreign file never
reports success with orders missing, never hangs and never shows a traceback.

Real components throughout: a local order server (``tests/order_server.py``) that can be
made to misbehave, real SQLite files, and the real ``xportcn`` command in a subprocess.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
import pytest_asyncio

from xportcn_async import RetryPolicy, XportcnClient
from xportcn_async.errors import ConfigurationError, ResponseDecodeError
from xportcn_async.models import Page
from xportcn_async.pagination import AsyncPager
from xportcn_async.serde import CHINA_TZ
from xportcn_async.sync import SQLiteStore, sync_orders
from xportcn_async.sync.store import SCHEMA_VERSION

from ..conftest import db_rows
from ..order_server import OrderServer

XPORTCN = Path(sys.executable).parent / "xportcn"
N = 300


@pytest_asyncio.fixture
async def server() -> AsyncIterator[OrderServer]:
    # 300 orders over the 12 hours before an hour ago: 6 pages of 50 in the first window.
    srv = OrderServer(N, span=timedelta(hours=12), now=datetime.now(CHINA_TZ) - timedelta(hours=1))
    await srv.server.start_server()
    try:
        yield srv
    finally:
        await srv.server.close()


async def _no_sleep(_: float) -> None:
    return None


def client_for(srv: OrderServer) -> XportcnClient:
    return XportcnClient(
        access_key="k",
        access_secret="s",
        user_id="u",
        base_url=srv.base_url,
        retry=RetryPolicy(sleep=_no_sleep),
    )


def env_for(srv: OrderServer | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XPORTCN_")}
    env.update({"XPORTCN_ACCESS_KEY": "k", "XPORTCN_ACCESS_SECRET": "s", "XPORTCN_USER_ID": "u"})
    if srv is not None:
        env["XPORTCN_BASE_URL"] = srv.base_url
    return env


async def xportcn(*args: str, srv: OrderServer | None = None) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        str(XPORTCN),
        *args,
        env=env_for(srv),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    # Bounded time: a sync that loops on stored state fails here instead of hanging CI.
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def since(srv: OrderServer) -> str:
    return (srv.now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")


def stored_ids(db: Path) -> set[str]:
    return {row[0] for row in db_rows(db, "SELECT id FROM orders")}


def repeat_page_one_as_page_three(srv: OrderServer) -> None:
    """Page 3 answers page 1's orders (every order is in the first window)."""

    def tamper(num: int, size: int, data: dict[str, Any]) -> dict[str, Any]:
        if num == 3:
            data["data"] = srv.orders[:size]
        return data

    srv.tamper = tamper


# --------------------------------------------------------------------------- incomplete windows


async def test_a_repeated_page_makes_the_window_incomplete_and_the_cli_exit_7(
    server: OrderServer, tmp_path: Path
) -> None:
    repeat_page_one_as_page_three(server)
    db = tmp_path / "o.sqlite"
    args = ("sync", "orders", "--db", str(db), "--since", since(server))
    code, out, err = await xportcn(*args, "--json", srv=server)
    assert code == 7, err
    assert "Traceback" not in err
    stats = orjson.loads(out)
    assert stats["complete"] is False
    [window] = stats["incomplete"]
    assert window["unique"] == 250 and window["total"] == 300
    assert "page 3 repeats page 1" in window["reason"]
    assert "incomplete" in err and "250 of 300" in err and "--allow-incomplete" in err
    assert "INCOMPLETE" in err  # the integrity warning, shown without -v
    assert len(stored_ids(db)) == 250

    # The checkpoint is not done: once the server is fixed, the same command walks the
    # incomplete window again and stores what was missing.
    server.tamper = None
    code, out, err = await xportcn(*args, "--json", srv=server)
    assert code == 0, err
    assert orjson.loads(out)["complete"] is True
    assert stored_ids(db) == server.ids()


async def test_allow_incomplete_accepts_the_gap_explicitly(
    server: OrderServer, tmp_path: Path
) -> None:
    repeat_page_one_as_page_three(server)
    db = tmp_path / "o.sqlite"
    code, _, err = await xportcn(
        "sync", "orders", "--db", str(db), "--since", since(server), "--allow-incomplete",
        srv=server,
    )  # fmt: skip
    assert code == 0, err
    assert "accepted: --allow-incomplete" in err and "250 of 300" in err


async def test_the_library_reports_incomplete_windows_and_keeps_them_in_the_checkpoint(
    server: OrderServer, tmp_path: Path
) -> None:
    repeat_page_one_as_page_three(server)
    begin = server.now - timedelta(days=1)
    db = tmp_path / "o.sqlite"
    async with client_for(server) as xp, SQLiteStore(db, account=xp.config.user_id) as store:
        stats = await sync_orders(xp, store, begin=begin, concurrency=3)
        state = await store.get_state("taobao")
    assert not stats.complete and stats.rewalks >= 1
    assert [(w.unique, w.total) for w in stats.incomplete] == [(250, 300)]
    assert state.checkpoint is not None and state.checkpoint["done"] is False
    assert len(state.checkpoint["retry"]) == 1
    # synced_until stops at the incomplete window: an incremental run goes back to it.
    assert state.synced_until is not None
    assert state.synced_until <= stats.incomplete[0].begin


async def test_a_repeat_of_any_earlier_page_is_detected_not_only_a_neighbour() -> None:
    rows = [{"id": str(i)} for i in range(100)]

    async def fetch(n: int, size: int, lo: datetime | None, hi: datetime | None) -> Page[Any]:
        start = 0 if n == 4 else (n - 1) * size  # page 4 repeats page 1
        items = [_Item(r["id"]) for r in rows[start : start + size]]
        return Page(items=items, total=len(rows), page_num=n, page_size=size)

    begin = datetime(2026, 1, 1, tzinfo=CHINA_TZ)
    pager = AsyncPager(fetch, page_size=10, begin=begin, end=begin + timedelta(hours=1))
    got = [item.id async for item in pager]
    assert len(got) == len(set(got)) == 90
    [window] = pager.incomplete
    assert (window.unique, window.total) == (90, 100)
    assert "page 4 repeats page 1" in window.reason
    assert pager.checkpoint()["done"] is False


class _Item:
    def __init__(self, id: str) -> None:
        self.id = id


# --------------------------------------------------------------------------- ids


@pytest.mark.parametrize("bad", ["", None, "missing"])
async def test_an_order_without_an_id_is_a_decode_error_with_its_path(
    server: OrderServer, bad: str | None
) -> None:
    def no_id(num: int, size: int, data: dict[str, Any]) -> dict[str, Any]:
        if num == 2:
            if bad == "missing":
                del data["data"][7]["id"]
            else:
                data["data"][7]["id"] = bad
        return data

    server.tamper = no_id
    async with client_for(server) as xp:
        await xp.taobao.orders.list(page_num=1, page_size=50)  # a clean page is fine
        with pytest.raises(ResponseDecodeError, match=r"data\[7\]\.id") as caught:
            await xp.taobao.orders.list(page_num=2, page_size=50)
    assert caught.value.request_id is not None
    assert caught.value.endpoint == "taobao.orders.list"
    if bad == "":  # null and missing are refused by the model itself, "" by the id check
        assert caught.value.errors == ["data.data[7].id: missing or empty id"]


async def test_a_sync_meeting_an_empty_id_fails_loudly_and_stores_nothing_under_it(
    server: OrderServer, tmp_path: Path
) -> None:
    def empty_ids(num: int, size: int, data: dict[str, Any]) -> dict[str, Any]:
        if num == 2:
            data["data"][0]["id"] = data["data"][1]["id"] = ""
        return data

    server.tamper = empty_ids
    db = tmp_path / "o.sqlite"
    code, _, err = await xportcn(
        "sync", "orders", "--db", str(db), "--since", since(server), srv=server
    )
    assert code == 6, err
    assert "data.data[0].id" in err and "Traceback" not in err
    assert "" not in stored_ids(db)


# --------------------------------------------------------------------------- damaged state


def _damage(db: Path, checkpoint_json: str | None, synced_until: str | None = None) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE sync_state SET checkpoint_json = ?, synced_until = COALESCE(?, synced_until)",
            (checkpoint_json, synced_until),
        )
    conn.close()


def _checkpoint_of(db: Path) -> dict[str, Any]:
    [(text,)] = db_rows(db, "SELECT checkpoint_json FROM sync_state")
    value: dict[str, Any] = orjson.loads(text)
    return value


def _edited(db: Path, **changes: Any) -> str:
    return orjson.dumps({**_checkpoint_of(db), **changes}).decode()


DAMAGE: dict[str, Any] = {
    "window_seconds 0": lambda db: _edited(db, window_seconds=0),
    "negative window": lambda db: _edited(db, window_seconds=-86400),
    "huge window": lambda db: _edited(db, window_seconds=10**17),
    "one-second windows over years": lambda db: _edited(
        db, window_seconds=1, begin="2000-01-01T00:00:00+08:00"
    ),
    "not json": lambda db: "{not json",
    "a list": lambda db: "[1, 2]",
    "begin garbage": lambda db: _edited(db, begin="garbage"),
    "naive begin": lambda db: _edited(db, begin="2026-01-01T00:00:00"),
    "end before begin": lambda db: _edited(db, end="1999-01-01T00:00:00+08:00"),
    "current not an object": lambda db: _edited(db, current=[1]),
    "current outside the range": lambda db: _edited(
        db, current={"begin": "1990-01-01T00:00:00+08:00", "end": "1990-01-02T00:00:00+08:00"}
    ),
    "page negative": lambda db: _edited(
        db, current={**(_checkpoint_of(db)["current"] or {}), "page": -3}
    ),
    "next_window huge": lambda db: _edited(db, next_window=10**12),
    "retry garbage": lambda db: _edited(db, retry="x"),
    "version 99": lambda db: _edited(db, version=99),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
async def test_a_damaged_checkpoint_is_a_one_line_error_with_the_way_out(
    server: OrderServer, tmp_path: Path, damage: str
) -> None:
    db = tmp_path / "o.sqlite"
    # Incremental runs (no --since) always resume the saved checkpoint, whatever it holds.
    args = ("sync", "orders", "--db", str(db))
    # An interrupted-looking state: a sync that stopped in the middle of its window.
    server.tamper = None
    async with client_for(server) as xp, SQLiteStore(db, account=xp.config.user_id) as store:
        pager = xp.taobao.orders.iter(begin=server.now - timedelta(days=1), page_size=50)
        async with pager:
            async for _page in pager.pages():
                await store.save_page("taobao", [], pager.checkpoint())
                break
    _damage(db, DAMAGE[damage](db))

    code, _, err = await xportcn(*args, srv=server)
    assert code == 3, err
    assert "Traceback" not in err
    assert "--reset-checkpoint" in err
    assert len(err.strip().splitlines()) <= 3  # one message (rich may wrap it)

    code, _, err = await xportcn(*args, "--reset-checkpoint", srv=server)
    assert code == 0, err
    assert stored_ids(db) == server.ids()


async def test_a_damaged_synced_until_is_reported_too(server: OrderServer, tmp_path: Path) -> None:
    db = tmp_path / "o.sqlite"
    async with client_for(server) as xp, SQLiteStore(db, account=xp.config.user_id) as store:
        await sync_orders(xp, store, begin=server.now - timedelta(days=1))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sync_state SET synced_until = 'yesterday'")
    conn.close()
    async with SQLiteStore(db, account="u") as store:
        with pytest.raises(ConfigurationError, match=r"synced_until.*--reset-checkpoint"):
            await store.get_state("taobao")
        assert await store.reset_state("taobao") is True
        assert (await store.get_state("taobao")).checkpoint is None
    assert len(stored_ids(db)) == N  # resetting the state keeps the orders


def test_window_arguments_that_would_never_end_are_refused() -> None:
    async def fetch(n: int, size: int, lo: datetime | None, hi: datetime | None) -> Page[Any]:
        raise AssertionError("nothing may be fetched")

    begin = datetime(2000, 1, 1, tzinfo=CHINA_TZ)
    for window in (timedelta(0), timedelta(seconds=-5), timedelta(milliseconds=10)):
        with pytest.raises(ValueError, match="window"):
            AsyncPager(fetch, begin=begin, window=window)
    with pytest.raises(ValueError, match="windows"):
        AsyncPager(fetch, begin=begin, window=timedelta(seconds=1))


# --------------------------------------------------------------------------- schema versions


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_a_newer_database_is_refused_and_left_untouched(
    server: OrderServer, tmp_path: Path
) -> None:
    db = tmp_path / "new.sqlite"
    async with client_for(server) as xp, SQLiteStore(db, account=xp.config.user_id) as store:
        await sync_orders(xp, store, begin=server.now - timedelta(days=1))
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 6}")
    conn.close()
    before = _digest(db)
    for args in (
        ("sync", "orders", "--db", str(db), "--since", since(server)),
        ("orders", "export", "--db", str(db)),
    ):
        code, _, err = await xportcn(*args, srv=server)
        assert code == 3, err
        assert f"schema version {SCHEMA_VERSION + 6}" in err and "Traceback" not in err
        assert _digest(db) == before


async def test_a_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "theirs.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    before = _digest(db)
    with pytest.raises(ConfigurationError, match=r"something else.*invoices"):
        async with SQLiteStore(db):
            pass
    assert _digest(db) == before


async def test_an_unversioned_file_of_ours_is_migrated_and_stamped(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as conn:  # a file from before versions were recorded
        conn.execute("CREATE TABLE sync_state (platform TEXT PRIMARY KEY, checkpoint_json TEXT,"
                     " synced_until TEXT, updated_at TEXT NOT NULL)")  # fmt: skip
        conn.execute("INSERT INTO sync_state VALUES ('taobao', NULL, NULL, 'x')")
    conn.close()
    async with SQLiteStore(db) as store:
        assert await store.count() == 0
        assert await store.reset_state("taobao") is True
    assert db_rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


# --------------------------------------------------------------------------- storage failures


@pytest.mark.parametrize("where", ["missing folder", "not a database", "a folder"])
async def test_storage_failures_are_one_line_and_exit_8(
    server: OrderServer, tmp_path: Path, where: str
) -> None:
    if where == "missing folder":
        db = tmp_path / "no" / "such" / "folder" / "o.sqlite"
    elif where == "not a database":
        db = tmp_path / "README.md"
        db.write_text("# hello\n" * 200)
    else:
        db = tmp_path / "dir.sqlite"
        db.mkdir()
    code, _, err = await xportcn(
        "sync", "orders", "--db", str(db), "--since", since(server), srv=server
    )
    assert "Traceback" not in err
    # A folder, or a --db in a folder that does not exist, is refused by the option's own
    # checks (usage, exit 2); not a database is storage (exit 8).
    assert code == (8 if where == "not a database" else 2), err
    if code == 8:
        assert err.startswith("error: storage:")
