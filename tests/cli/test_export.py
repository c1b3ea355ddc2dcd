"""Tests of ``xportcn_async/cli/export.py``: ``xportcn orders export``, run as a subprocess.

What a user opening the file in a spreadsheet, or feeding it to another program, relies on:
no cell runs as a formula, numbers stay numbers, statuses have names, JSON round-trips to
what was stored, a read-only database exports and stays untouched, and a newer or foreign
file is refused in one line with its exit code.
"""

from __future__ import annotations

import contextlib
import csv
import inspect
import io
import logging
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from click.testing import CliRunner

from tests.cli.test_sync import cli_env, run_cli
from tests.conftest import db_rows
from xportcn_async.cli import main
from xportcn_async.cli.export import csv_cell
from xportcn_async.serde import CHINA_TZ
from xportcn_async.sync import SQLiteStore
from xportcn_async.sync.store import SCHEMA_VERSION, OrderRecord, SubOrderRecord

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=CHINA_TZ)

HOSTILE = [
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1",
    '=HYPERLINK("http://x")',
    "a\x00b",
    "plain",
]


def order(i: int, order_no: str, *, status: Any = 10, amount: int = 100) -> OrderRecord:
    raw = {"id": str(i), "orderNo": order_no, "status": status, "nested": {"x": [1, 2]}}
    return OrderRecord(
        platform="taobao",
        id=str(i),
        order_no=order_no,
        status=status,
        amount_fen=amount,
        create_time=T0 + timedelta(minutes=i),
        pay_time=None,
        raw_json=orjson.dumps(raw).decode(),
        sub_orders=[
            SubOrderRecord(id=f"{i}-1", status=None, refund_status=0, title="t", raw_json="{}")
        ],
    )


@pytest.fixture
async def db(tmp_path: Path) -> Path:
    path = tmp_path / "orders.sqlite"
    records = [order(i, text) for i, text in enumerate(HOSTILE)]
    records.append(order(100, "refund", status=4, amount=-5))
    records.append(order(101, "new", status=0, amount=7))
    async with SQLiteStore(path) as store:
        await store.save_page("taobao", records, None)
    return path


def snapshot(path: Path) -> tuple[bytes, int]:
    """The file's bytes and modification time."""
    return path.read_bytes(), path.stat().st_mtime_ns


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


async def export(*args: str) -> tuple[int, str, str]:
    return await run_cli("orders", "export", *args, env=cli_env())


async def test_csv_cells_never_run_as_formulas_and_numbers_stay_numbers(db: Path) -> None:
    code, out, err = await export("--db", str(db), "--format", "csv")
    assert code == 0, err
    rows = {r["id"]: r for r in read_csv(out)}
    assert len(rows) == len(HOSTILE) + 2
    for i, text in enumerate(HOSTILE):
        cell = rows[str(i)]["order_no"]
        if text == "a\x00b":
            assert cell == "ab"
        elif text == "plain":
            assert cell == "plain"
        else:
            assert cell == "'" + text, (text, cell)
    assert rows["100"]["amount_fen"] == "-5"  # a negative number is not a formula
    assert rows["0"]["amount_fen"] == "100"
    assert rows["0"]["status"] == "10" and rows["0"]["status_name"] == "WAIT_SELLER_SEND_GOODS"
    assert rows["100"]["status_name"] == "CANCEL"
    assert rows["0"]["create_time"] == "2026-11-01T08:00:00+08:00"
    assert "\x00" not in out


def test_csv_cell_rule() -> None:
    assert csv_cell("=1") == "'=1" and csv_cell("-x") == "'-x" and csv_cell("\r") == "'\r"
    assert csv_cell(-5) == -5 and csv_cell(1.5) == 1.5 and csv_cell(None) is None
    assert csv_cell("ok=1") == "ok=1" and csv_cell("\x00=1") == "'=1"


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
async def test_json_round_trips_to_what_was_stored(db: Path, fmt: str) -> None:
    code, out, err = await export("--db", str(db), "--format", fmt)
    assert code == 0, err
    docs = orjson.loads(out) if fmt == "json" else [orjson.loads(x) for x in out.splitlines()]
    stored = {
        row[0]: orjson.loads(row[1]) for row in db_rows(db, "SELECT id, raw_json FROM orders")
    }
    assert {d["id"]: d["order"] for d in docs} == stored
    by_id = {d["id"]: d for d in docs}
    assert by_id["100"]["amount_fen"] == -5 and by_id["100"]["status"] == 4
    assert by_id["7"]["order_no"] == "a\x00b"  # JSON escapes it: kept exactly
    # newest first
    assert [d["create_time"] for d in docs] == sorted(
        (d["create_time"] for d in docs), reverse=True
    )


async def test_empty_json_export_is_valid_json(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    async with SQLiteStore(path):
        pass
    code, out, err = await export("--db", str(path), "--format", "json")
    assert code == 0, err
    assert orjson.loads(out) == []


async def test_status_by_name_or_number_selects_the_same_rows(db: Path) -> None:
    by_name = await export("--db", str(db), "--format", "jsonl", "--status", "cancel")
    by_code = await export("--db", str(db), "--format", "jsonl", "--status", "4")
    assert by_name[0] == by_code[0] == 0
    assert by_name[1] == by_code[1]
    assert [orjson.loads(x)["id"] for x in by_name[1].splitlines()] == ["100"]
    code, _, err = await export("--db", str(db), "--status", "bogus")
    assert code == 2 and "unknown status 'bogus'" in err and "WAIT_SELLER_SEND_GOODS" in err
    assert "Traceback" not in err


@pytest.fixture
def read_only(db: Path) -> Iterator[Path]:
    """The database file and its folder made read-only (restored afterwards)."""
    folder = db.parent
    os.chmod(db, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR)
    try:
        yield db
    finally:
        os.chmod(folder, stat.S_IRWXU)
        os.chmod(db, stat.S_IRUSR | stat.S_IWUSR)


async def test_read_only_database_exports_and_is_untouched(read_only: Path) -> None:
    before = snapshot(read_only)
    code, out, err = await export("--db", str(read_only), "--format", "csv")
    assert code == 0, err
    assert len(read_csv(out)) == len(HOSTILE) + 2
    assert snapshot(read_only) == before


async def test_where_sqlite_cannot_create_the_wal_index_it_reads_immutable(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only folder (root ignores permissions, so SQLite's refusal is simulated)."""
    real_connect = sqlite3.connect
    uris: list[str] = []

    def connect(target: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        uris.append(str(target))
        if "mode=ro" in str(target) and "immutable" not in str(target):
            raise sqlite3.OperationalError("unable to open database file")
        conn: sqlite3.Connection = real_connect(target, *args, **kwargs)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    async with SQLiteStore(db, read_only=True) as store:
        rows = await store.export_rows()
    assert len(rows) == len(HOSTILE) + 2
    assert uris[-1].endswith("?mode=ro&immutable=1")


async def test_export_never_writes_even_a_writable_file(db: Path) -> None:
    before = snapshot(db)
    code, _, err = await export("--db", str(db))
    assert code == 0, err
    assert snapshot(db) == before
    assert db_rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


async def test_newer_schema_is_refused_and_left_untouched(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA user_version=99")
    finally:
        conn.close()
    before = snapshot(db)
    code, out, err = await export("--db", str(db))
    assert code == 3 and "schema version 99" in err and "Traceback" not in err
    assert out == "" and snapshot(db) == before


async def test_not_a_database_is_one_line_exit_8(tmp_path: Path) -> None:
    text = tmp_path / "README.md"
    text.write_text("# not a database\n" * 100)
    code, out, err = await export("--db", str(text))
    assert code == 8, err
    assert "not a database" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and out == ""


async def test_store_streams_in_batches(db: Path) -> None:
    async with SQLiteStore(db, read_only=True) as store:
        batches = [b async for b in store.iter_export_rows(batch=3)]
        everything = await store.export_rows()
    assert [len(b) for b in batches] == [3, 3, 3, 2]
    assert [r for b in batches for r in b] == everything


async def test_read_only_store_refuses_writes(db: Path) -> None:
    from xportcn_async.errors import StorageError

    async with SQLiteStore(db, read_only=True) as store:
        with pytest.raises(StorageError, match="read"):
            await store.save_page("taobao", [order(500, "x")], None)


# -- real permissions ---------------------------------------------------------------------
# root ignores file modes: under root these tests run the command in this process with the
# effective user ``nobody`` (65534), in a folder that user may enter, and switch back.

NOBODY = 65534


@contextlib.contextmanager
def unprivileged() -> Iterator[None]:
    """Run the block without root's bypass of file modes (as it is, for any other user)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def export_in_process(*args: str, as_nobody: bool = True) -> tuple[int, str, str]:
    """``xportcn orders export ARGS`` through click's runner (as :func:`unprivileged`)."""
    options: dict[str, Any] = {}
    if "mix_stderr" in inspect.signature(CliRunner).parameters:  # click < 8.2
        options["mix_stderr"] = False
    runner = CliRunner(**options)
    # The command configures the SDK's loggers for a terminal: restore them for the tests
    # that run after this one in the same process (caplog needs their levels as they were).
    loggers = [logging.getLogger(n) for n in ("xportcn_async", "xportcn_async.integrity")]
    saved = [(lg, lg.level, list(lg.handlers)) for lg in loggers]
    try:
        with unprivileged() if as_nobody else contextlib.nullcontext():
            result = runner.invoke(main, ["orders", "export", *args], env=cli_env())
    finally:
        for lg, level, handlers in saved:
            lg.setLevel(level)
            lg.handlers[:] = handlers
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder the unprivileged user can enter (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="xportcn-export-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        folder.chmod(0o700)
        for child in folder.iterdir():
            child.chmod(0o600)
        shutil.rmtree(folder)


def _listing(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: snapshot(p) for p in sorted(folder.iterdir())}


def _copy_db(db: Path, folder: Path) -> Path:
    """A copy of the synced database (closed: no -wal file) in ``folder``."""
    target = folder / "orders.sqlite"
    shutil.copy(db, target)
    assert db_rows(target, "PRAGMA journal_mode") == [("wal",)]
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return target


@pytest.mark.parametrize("folder_mode", [0o555, 0o777], ids=["read-only-folder", "open-folder"])
def test_read_only_file_exports_for_real_and_leaves_nothing_behind(
    db: Path, shared_dir: Path, folder_mode: int
) -> None:
    """A 0444 WAL database: exported in full; no byte, mtime or companion file changes.

    In a read-only folder SQLite cannot create the ``-shm`` file ``mode=ro`` needs; in a
    writable one ``mode=ro`` would leave a read-only ``-shm`` next to the database, which
    makes the next sync fail once the file is writable again. Neither happens.
    """
    target = _copy_db(db, shared_dir)
    target.chmod(0o444)
    shared_dir.chmod(folder_mode)
    before = _listing(shared_dir)
    assert set(before) == {"orders.sqlite"}
    code, out, err = export_in_process("--db", str(target))
    assert code == 0, err
    rows = read_csv(out)
    assert len(rows) == len(HOSTILE) + 2
    assert {r["id"]: r["order_no"] for r in rows}["0"] == "'" + HOSTILE[0]
    assert _listing(shared_dir) == before


def test_writable_file_in_read_only_folder_exports(db: Path, shared_dir: Path) -> None:
    """The file is writable but SQLite cannot create the WAL index: ``immutable=1``."""
    target = _copy_db(db, shared_dir)
    if os.geteuid() == 0:
        os.chown(target, NOBODY, NOBODY)
    shared_dir.chmod(0o555)
    before = _listing(shared_dir)
    code, out, err = export_in_process("--db", str(target), "--format", "jsonl")
    assert code == 0, err
    assert len(out.splitlines()) == len(HOSTILE) + 2
    assert _listing(shared_dir) == before


def test_read_only_folder_with_pending_wal_is_refused_not_read_short(
    db: Path, shared_dir: Path
) -> None:
    """Changes still in ``-wal`` cannot be read without a ``-shm`` file: exit 8, one line.

    ``immutable=1`` would read the main file alone and silently miss them.
    """
    target = shared_dir / "orders.sqlite"
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute(
            "INSERT INTO orders (account, platform, id, order_no, status, amount_fen, raw_json, "
            "first_seen, last_synced) VALUES ('', 'taobao', 'late', 'late', 10, 1, '{}', 'x', 'x')"
        )
        for suffix in ("", "-wal"):
            shutil.copy(f"{db}{suffix}", f"{target}{suffix}")
    finally:
        writer.close()
    assert Path(f"{target}-wal").stat().st_size > 0
    for child in shared_dir.iterdir():
        child.chmod(0o444)
    shared_dir.chmod(0o555)
    before = _listing(shared_dir)
    code, out, err = export_in_process("--db", str(target))
    assert code == 8, (code, out, err)
    assert "-wal" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and out == ""
    assert _listing(shared_dir) == before


async def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = await export("--db", str(tmp_path / "nope.sqlite"))
    assert code == 2 and "does not exist" in err and out == ""
    assert not (tmp_path / "nope.sqlite").exists()


async def test_read_only_store_is_never_created(tmp_path: Path) -> None:
    from xportcn_async.errors import StorageError

    with pytest.raises(StorageError, match="no such file"):
        async with SQLiteStore(tmp_path / "nope.sqlite", read_only=True):
            pass
    assert os.listdir(tmp_path) == []


async def test_1688_statuses_filter_and_name_themselves(tmp_path: Path) -> None:
    path = tmp_path / "ali.sqlite"
    records = [
        attrs.evolve(order(i, f"A{i}", status=status), platform="alibaba")
        for i, status in enumerate(["waitsellersend", "success", "waitsellersend"])
    ]
    async with SQLiteStore(path) as store:
        await store.save_page("alibaba", records, None)
        await store.save_page("taobao", [order(9, "T9", status=10)], None)
    code, out, err = await export("--db", str(path), "--status", "WAITSELLERSEND", "--status", "10")
    assert code == 0, err
    got = {(r["platform"], r["id"], r["status"], r["status_name"]) for r in read_csv(out)}
    assert got == {
        ("alibaba", "0", "waitsellersend", "waitsellersend"),
        ("alibaba", "2", "waitsellersend", "waitsellersend"),
        ("taobao", "9", "10", "WAIT_SELLER_SEND_GOODS"),
    }
    code, _, err = await export("--db", str(path), "--platform", "alibaba", "--status", "10")
    assert code == 2 and "waitsellersend" in err


async def test_unknown_taobao_code_exports_an_empty_name(tmp_path: Path) -> None:
    path = tmp_path / "odd.sqlite"
    async with SQLiteStore(path) as store:
        await store.save_page("taobao", [order(1, "X", status=77)], None)
    code, out, err = await export("--db", str(path))
    assert code == 0, err
    [row] = read_csv(out)
    assert (row["status"], row["status_name"]) == ("77", "")


async def test_damaged_raw_json_stops_json_export_in_one_line(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute("UPDATE orders SET raw_json = '{\"cut' WHERE id = '3'")
        conn.commit()
    finally:
        conn.close()
    code, _, err = await export("--db", str(db), "--format", "json")
    assert code == 8 and "taobao/3" in err and "raw_json is not JSON" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, out, err = await export("--db", str(db), "--format", "csv")  # CSV carries no order
    assert code == 0 and len(read_csv(out)) == len(HOSTILE) + 2, err


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_small_batches_write_the_same_output(
    db: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xportcn_async.cli.export as export_module

    whole = export_in_process("--db", str(db), "--format", fmt, as_nobody=False)
    seen: list[int] = []
    real_iter = SQLiteStore.iter_export_rows

    def spy(self: SQLiteStore, **kwargs: Any) -> Any:
        seen.append(kwargs["batch"])
        return real_iter(self, **kwargs)

    monkeypatch.setattr(export_module, "BATCH", 2)
    monkeypatch.setattr(SQLiteStore, "iter_export_rows", spy)
    batched = export_in_process("--db", str(db), "--format", fmt, as_nobody=False)
    assert seen == [2]
    assert whole[0] == batched[0] == 0, (whole[2], batched[2])
    assert batched[1] == whole[1] and whole[1].count("\n") >= len(HOSTILE) + 2
