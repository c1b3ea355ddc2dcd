"""Tests of ``xportcn_async/cli/``: the real ``xportcn`` command, run as a subprocess.

``xportcn sync orders`` from a local order server (``tests/order_server.py``) or the
emulator into a SQLite file, then ``xportcn orders export`` of it (CSV and JSON lines);
one-line errors with their exit codes, and Ctrl-C committing what was synced so that a
second run resumes.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import orjson
import pytest
import pytest_asyncio

from tests.conftest import db_orders
from tests.order_server import OrderServer
from xportcn_async.serde import CHINA_TZ

XPORTCN = Path(sys.executable).parent / "xportcn"


@pytest_asyncio.fixture
async def server() -> AsyncIterator[OrderServer]:
    srv = OrderServer(600)
    await srv.server.start_server()
    try:
        yield srv
    finally:
        await srv.server.close()


def cli_env(srv: OrderServer | None = None, /, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XPORTCN_")}
    env.update({"XPORTCN_ACCESS_KEY": "k", "XPORTCN_ACCESS_SECRET": "s", "XPORTCN_USER_ID": "u"})
    if srv is not None:
        env["XPORTCN_BASE_URL"] = srv.base_url
    env.update(extra)
    return env


async def run_cli(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        str(XPORTCN), *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_cli_sync_then_export(server: OrderServer, tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite"
    since = (datetime.now(CHINA_TZ) - timedelta(days=21)).strftime("%Y-%m-%d")
    code, out, err = await run_cli(
        "sync", "orders", "--db", str(db), "--since", since, "--json", env=cli_env(server)
    )
    assert code == 0, err
    stats = orjson.loads(out)
    assert stats["orders_new"] == 600 and stats["platform"] == "taobao"

    code, out, err = await run_cli(
        "orders", "export", "--db", str(db), "--format", "csv", env=cli_env()
    )
    assert code == 0, err
    lines = out.strip().splitlines()
    assert (
        lines[0] == "account,platform,id,order_no,status,status_name,amount_fen,create_time,"
        "pay_time,first_seen,last_synced"
    )
    assert len(lines) == 601

    code, out, err = await run_cli(
        "orders", "export", "--db", str(db), "--format", "jsonl", "--status", "4", env=cli_env()
    )
    assert code == 0, err
    docs = [orjson.loads(line) for line in out.splitlines()]
    assert len(docs) == 60
    assert all(d["status"] == 4 and d["order"]["status"] == 4 for d in docs)

    code, out, err = await run_cli("sync", "orders", "--db", str(db), env=cli_env(server))
    assert code == 0, err
    assert "xportcn sync summary" in out and "orders unchanged" in out


@pytest.mark.parametrize(
    ("env_update", "code", "message"),
    [
        ({"XPORTCN_ACCESS_SECRET": ""}, 3, "XPORTCN_ACCESS_SECRET"),
        ({"XPORTCN_BASE_URL": "http://127.0.0.1:9/api"}, 4, "cannot reach"),
    ],
)
async def test_cli_one_line_errors(
    tmp_path: Path, env_update: dict[str, str], code: int, message: str
) -> None:
    rc, _, err = await run_cli(
        "sync", "orders", "--db", str(tmp_path / "x.sqlite"), env=cli_env(**env_update)
    )
    assert rc == code
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2


async def test_cli_authentication_failure(tmp_path: Path) -> None:
    from xportcn_async.testing import Emulator

    async with Emulator(orders=10, seed=1) as emu:
        env = cli_env(
            XPORTCN_BASE_URL=emu.base_url,
            XPORTCN_ACCESS_KEY=emu.credentials.access_key,
            XPORTCN_USER_ID=emu.credentials.user_id,
            XPORTCN_ACCESS_SECRET="wrong",
        )
        rc, _, err = await run_cli("sync", "orders", "--db", str(tmp_path / "x.sqlite"), env=env)
    assert rc == 5
    assert "authentication refused" in err
    assert "wrong" not in err


async def test_cli_ctrl_c_commits_and_a_second_run_resumes(
    server: OrderServer, tmp_path: Path
) -> None:
    server.delay = 0.02
    db = tmp_path / "cli.sqlite"
    since = (datetime.now(CHINA_TZ) - timedelta(days=21)).strftime("%Y-%m-%d %H:%M:%S")
    args = (
        "sync",
        "orders",
        "--db",
        str(db),
        "--since",
        since,
        "--page-size",
        "10",
        "--concurrency",
        "2",
        "--json",
    )
    proc = await asyncio.create_subprocess_exec(
        str(XPORTCN),
        *args,
        env=cli_env(server),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    for _ in range(400):  # wait until some pages are committed
        await asyncio.sleep(0.05)
        if db.exists() and server.requests > 15:
            break
    proc.send_signal(signal.SIGINT)
    _, err = await proc.communicate()
    assert proc.returncode == 130, err.decode()
    assert "resume" in err.decode()
    partial = len(db_orders(db))
    assert 0 < partial < 600

    server.delay = 0
    code, out, err2 = await run_cli(*args, env=cli_env(server))
    assert code == 0, err2
    stats = orjson.loads(out)
    assert stats["resumed"] is True
    assert {r[1] for r in db_orders(db)} == server.ids()


async def test_cli_sync_and_export_with_postgres_from_xportcn_db(
    server: OrderServer, tmp_path: Path, postgres_dsn: str
) -> None:
    since = (datetime.now(CHINA_TZ) - timedelta(days=21)).strftime("%Y-%m-%d")
    env = cli_env(server, XPORTCN_DB=postgres_dsn)
    code, out, err = await run_cli("sync", "orders", "--since", since, "--json", env=env)
    assert code == 0, err
    assert orjson.loads(out)["orders_new"] == 600

    db = tmp_path / "same.sqlite"  # the same orders through SQLite, for comparison
    code, _, err = await run_cli(
        "sync", "orders", "--db", str(db), "--since", since, env=cli_env(server)
    )
    assert code == 0, err

    def cells(text: str) -> list[list[str]]:  # first_seen / last_synced differ by run
        return [row[:-2] for row in csv.reader(io.StringIO(text))]

    code, from_pg, err = await run_cli("orders", "export", env=env)
    assert code == 0, err
    code, from_sqlite, err = await run_cli("orders", "export", "--db", str(db), env=cli_env())
    assert code == 0, err
    assert cells(from_pg) == cells(from_sqlite) and len(cells(from_pg)) == 601
    assert cells(from_pg)[1][0] == "u"  # the account column: XPORTCN_USER_ID


async def test_cli_postgres_mistakes_are_one_line_with_their_exit_code(postgres_dsn: str) -> None:
    unreachable = "postgresql://u:hunter2@127.0.0.1:9/nowhere"
    for args in (
        ("sync", "orders", "--db", unreachable),
        ("orders", "export", "--db", unreachable),
    ):
        code, out, err = await run_cli(
            *args, env=cli_env(XPORTCN_BASE_URL="http://127.0.0.1:9/api")
        )
        assert code == 8, err
        assert "Traceback" not in err + out and "hunter2" not in err + out
        assert "cannot connect" in err
    # A database no sync has created yet cannot be exported (exit 3, saying why).
    code, _, err = await run_cli("orders", "export", "--db", postgres_dsn, env=cli_env())
    assert code == 3, err
    assert "run 'xportcn sync orders --db' on it once" in err
