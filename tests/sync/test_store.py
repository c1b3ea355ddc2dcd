"""SQLiteStore on a real file: idempotent upserts, atomic checkpoints, state."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import db_rows
from xportcn_async.errors import StorageError
from xportcn_async.serde import CHINA_TZ
from xportcn_async.sync import OrderRecord, SQLiteStore, SubOrderRecord
from xportcn_async.sync import store as store_module
from xportcn_async.sync.store import SCHEMA_VERSION

T0 = datetime(2026, 4, 16, 18, 10, 12, tzinfo=CHINA_TZ)


def rec(i: int, *, status: int = 0, raw: str | None = None) -> OrderRecord:
    return OrderRecord(
        platform="taobao",
        id=str(i),
        order_no=f"NO{i}",
        status=status,
        amount_fen=100 * i,
        create_time=T0 + timedelta(minutes=i),
        pay_time=None,
        raw_json=raw or f'{{"id":"{i}","status":{status}}}',
        sub_orders=[
            SubOrderRecord(
                id=f"{i}-1", status="WAIT_BUYER_P", refund_status=0, title="ball", raw_json="{}"
            )
        ],
    )


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    return db_rows(path, sql)


async def test_upserts_are_idempotent_and_classified(tmp_path: Path) -> None:
    db = tmp_path / "orders.sqlite"
    async with SQLiteStore(db) as store:
        first = await store.save_page("taobao", [rec(1), rec(2)], {"page": 1})
        again = await store.save_page("taobao", [rec(1), rec(2)], {"page": 1})
        changed = await store.save_page("taobao", [rec(1, status=10), rec(3)], {"page": 2})
        assert await store.count() == 3
    assert (first.new, first.changed, first.unchanged) == (2, 0, 0)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    assert (changed.new, changed.changed, changed.unchanged) == (1, 1, 0)
    assert rows(db, "SELECT id, status, amount_fen, create_time FROM orders WHERE id = '1'") == [
        ("1", 10, 100, "2026-04-16T18:11:12+08:00")
    ]
    assert rows(db, "SELECT COUNT(*) FROM sub_orders") == [(3,)]
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]


async def test_first_seen_is_kept_and_last_synced_moves(tmp_path: Path) -> None:
    db = tmp_path / "o.sqlite"
    async with SQLiteStore(db) as store:
        await store.save_page("taobao", [rec(1)], None)
        [(first_seen, last_synced)] = rows(db, "SELECT first_seen, last_synced FROM orders")
        await asyncio.sleep(1.05)
        await store.save_page("taobao", [rec(1, status=4)], None)
    [(first_seen2, last_synced2)] = rows(db, "SELECT first_seen, last_synced FROM orders")
    assert first_seen2 == first_seen
    assert last_synced2 > last_synced


async def test_checkpoint_is_committed_with_its_page_or_not_at_all(tmp_path: Path) -> None:
    db = tmp_path / "o.sqlite"
    async with SQLiteStore(db) as store:
        await store.save_page("taobao", [rec(1)], {"page": 1})
        bad = rec(2)
        object.__setattr__(
            bad, "raw_json", None
        )  # violates NOT NULL: the transaction must roll back
        with pytest.raises(StorageError, match="NOT NULL") as caught:
            await store.save_page("taobao", [rec(3), bad], {"page": 2})
        assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
        state = await store.get_state("taobao")
    assert state.checkpoint == {"page": 1}
    assert rows(db, "SELECT id FROM orders ORDER BY id") == [("1",)]


async def test_state_and_finish(tmp_path: Path) -> None:
    async with SQLiteStore(tmp_path / "o.sqlite") as store:
        assert (await store.get_state("taobao")).checkpoint is None
        await store.finish("taobao", {"done": True}, T0)
        state = await store.get_state("taobao")
        assert state.checkpoint == {"done": True}
        assert state.synced_until == T0
        # a later page checkpoint keeps synced_until
        await store.save_page("taobao", [], {"page": 1})
        assert (await store.get_state("taobao")).synced_until == T0


async def test_open_orders_and_export(tmp_path: Path) -> None:
    async with SQLiteStore(tmp_path / "o.sqlite") as store:
        await store.save_page(
            "taobao", [rec(1, status=0), rec(2, status=4), rec(3, status=11)], None
        )
        open_ = await store.open_orders("taobao", (3, 4), T0 + timedelta(days=1))
        assert sorted(open_) == [("1", "NO1"), ("3", "NO3")]
        exported = await store.export_rows(statuses=["4"])
        assert [r["id"] for r in exported] == ["2"]


async def test_the_event_loop_is_not_blocked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with SQLiteStore(tmp_path / "o.sqlite") as store:
        main_thread = threading.get_ident()
        seen: list[int] = []
        original = store._save_page_sync

        def spy(*args: Any) -> Any:
            seen.append(threading.get_ident())
            return original(*args)

        monkeypatch.setattr(store, "_save_page_sync", spy)
        await store.save_page("taobao", [rec(1)], None)
    assert seen and seen[0] != main_thread


async def test_store_must_be_open(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "o.sqlite")
    with pytest.raises(RuntimeError, match="not open"):
        await store.count()


@pytest.fixture
def opened_connections(monkeypatch: pytest.MonkeyPatch) -> list[sqlite3.Connection]:
    """Every connection the store opens, to check afterwards that each was closed."""
    opened: list[sqlite3.Connection] = []
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = real_connect(*args, **kwargs)
        opened.append(conn)
        return conn

    monkeypatch.setattr("xportcn_async.sync.store.sqlite3.connect", connect)
    return opened


def assert_all_closed(opened: list[sqlite3.Connection]) -> None:
    assert opened, "the store opened no connection at all"
    for conn in opened:
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            conn.execute("SELECT 1")
    assert not [t for t in threading.enumerate() if t.name.startswith("xportcn-sqlite")]


async def test_every_connection_is_closed_after_success_and_error(
    tmp_path: Path, opened_connections: list[sqlite3.Connection]
) -> None:
    async with SQLiteStore(tmp_path / "o.sqlite") as store:
        await store.save_page("taobao", [rec(1)], None)
    with pytest.raises(ZeroDivisionError):
        async with SQLiteStore(tmp_path / "o.sqlite") as store:
            await store.save_page("taobao", [rec(2)], None)
            _ = 1 / 0
    assert_all_closed(opened_connections)


async def test_a_file_that_is_not_a_database_leaves_no_connection_open(
    tmp_path: Path, opened_connections: list[sqlite3.Connection]
) -> None:
    not_a_db = tmp_path / "README.md"
    not_a_db.write_bytes(b"# not a database\n" * 100)
    with pytest.raises(StorageError, match="not a database"):
        async with SQLiteStore(not_a_db):
            pass
    assert_all_closed(opened_connections)


@pytest.mark.parametrize("ticks", [1, 2, 5, 20])
async def test_cancelling_open_or_a_write_leaves_no_connection_open(
    tmp_path: Path, opened_connections: list[sqlite3.Connection], ticks: int
) -> None:
    async def use() -> None:
        async with SQLiteStore(tmp_path / "o.sqlite") as store:
            for i in range(100):
                await store.save_page("taobao", [rec(i)], None)

    task = asyncio.create_task(use())
    for _ in range(ticks):
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert_all_closed(opened_connections)


# --------------------------------------------------------------------------- accounts, migration

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _v1_file(path: Path) -> Path:
    """A real version-1 database (written by xportcn-async 0.1, before `account`)."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript((FIXTURES / "orders_v1.sql").read_text(encoding="utf-8"))
    finally:
        conn.close()
    return path


async def test_a_version_1_file_is_migrated_to_the_account_that_opens_it(tmp_path: Path) -> None:
    db = _v1_file(tmp_path / "old.sqlite")
    before = rows(db, "SELECT * FROM orders ORDER BY platform, id")
    subs_before = rows(db, "SELECT * FROM sub_orders ORDER BY platform, order_id, id")
    state_before = rows(db, "SELECT * FROM sync_state ORDER BY platform")
    assert rows(db, "PRAGMA user_version") == [(1,)] and len(before) == 40

    async with SQLiteStore(db, account="acct-1") as store:
        assert await store.count() == 40
        state = await store.get_state("taobao")  # the saved state is the account's now
        assert state.synced_until is not None and state.checkpoint is not None

    assert rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(db, "SELECT * FROM orders ORDER BY platform, id") == [
        ("acct-1", *row) for row in before
    ]
    assert rows(db, "SELECT * FROM sub_orders ORDER BY platform, order_id, id") == [
        ("acct-1", *row) for row in subs_before
    ]
    assert rows(db, "SELECT * FROM sync_state ORDER BY platform") == [
        ("acct-1", *row) for row in state_before
    ]
    indexes = {r[0] for r in rows(db, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"orders_by_create", "orders_by_status"} <= indexes
    assert not {r[0] for r in rows(db, "SELECT name FROM sqlite_master")} & {"orders_v1"}


async def test_a_failed_migration_leaves_the_version_1_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _v1_file(tmp_path / "old.sqlite")
    before = rows(db, "SELECT * FROM orders ORDER BY platform, id")
    broken = dict(store_module.MIGRATIONS)
    broken[1] += ";\nINSERT INTO no_such_table VALUES (1)"  # fails after the copies
    monkeypatch.setattr(store_module, "MIGRATIONS", broken)
    with pytest.raises(StorageError, match="no_such_table"):
        async with SQLiteStore(db, account="acct-1"):
            pass
    assert rows(db, "PRAGMA user_version") == [(1,)]
    assert rows(db, "SELECT * FROM orders ORDER BY platform, id") == before


async def test_two_accounts_share_one_file_without_touching_each_other(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite"
    async with SQLiteStore(db, account="a") as a, SQLiteStore(db, account="b") as b:
        await a.save_page("taobao", [rec(1), rec(2)], {"page": 1})
        result = await b.save_page("taobao", [rec(1, status=4)], {"page": 7})
        assert result.new == 1  # the same order id under another account is another order
        assert (await a.get_state("taobao")).checkpoint == {"page": 1}
        assert (await b.get_state("taobao")).checkpoint == {"page": 7}
        assert await b.reset_state("taobao") is True
        assert (await a.get_state("taobao")).checkpoint == {"page": 1}
        only_b = await a.export_rows(account="b")
        assert [(r["account"], r["id"], r["status"]) for r in only_b] == [("b", "1", 4)]
        assert len(await a.export_rows()) == 3
    assert rows(db, "SELECT account, id, status FROM orders ORDER BY account, id") == [
        ("a", "1", 0),
        ("a", "2", 0),
        ("b", "1", 4),
    ]
