"""Every script in examples/ runs, as a user runs it, against the emulator.

Each example is started as its own process (``python examples/NAME.py``) with the
``XPORTCN_*`` variables pointing at an in-process emulator, and the test checks what the
script did there (the emulator's counters and state), not only its exit code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import emulator_env
from xportcn_async.testing import Emulator, FaultPlan, FaultRule

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(orders=600, alibaba_orders=50, seed=3, days=40) as emulator:
        yield emulator


def _taobao(emu: Emulator) -> list[dict[str, Any]]:
    """The emulator's Taobao orders, newest first (as the list answers them)."""
    return [emu.state.taobao_doc(r) for r in reversed(emu.state.taobao.records)]


async def _run(emu: Emulator, name: str, *args: str, cwd: Path) -> tuple[int, str]:
    """Run ``examples/name`` to its end; the emulator keeps serving while it runs."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLES / name),
        *args,
        cwd=cwd,
        env=emulator_env(emu),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode is not None
    return proc.returncode, out.decode()


def test_every_example_is_tested() -> None:
    tested = {
        "list_orders.py",
        "checkpoint_resume.py",
        "create_order.py",
        "webhook_receiver.py",
        "sync_to_sqlite.py",
        "shared_client_service.py",
    }
    assert {p.name for p in EXAMPLES.glob("*.py")} == tested


async def test_list_orders_prints_the_newest_orders(emu: Emulator, tmp_path: Path) -> None:
    rc, out = await _run(emu, "list_orders.py", cwd=tmp_path)
    assert rc == 0, out
    assert "Taobao: 600 orders" in out
    assert "1688: 50 orders" in out
    newest = _taobao(emu)[:5]
    for order in newest:
        assert order["orderNo"] in out
    assert "Traceback" not in out


async def test_checkpoint_resume_stops_and_resumes_without_loss_or_repeat(
    emu: Emulator, tmp_path: Path
) -> None:
    out_file = tmp_path / "orders.jsonl"
    args = ("--days", "45", "--out", str(out_file))
    rc, out = await _run(emu, "checkpoint_resume.py", *args, "--stop-after", "3", cwd=tmp_path)
    assert rc == 0, out
    assert "stopped after 3 pages" in out
    first_run = len(out_file.read_text().splitlines())
    assert first_run == 3

    with out_file.open("a") as f:  # a crash in the middle of writing a page
        f.write('{"orders": [{"id": "torn')
    rc, out = await _run(emu, "checkpoint_resume.py", *args, cwd=tmp_path)
    assert rc == 0, out
    assert "resuming from the saved checkpoint" in out

    ids: list[str] = []
    for line in out_file.read_text().splitlines():
        try:
            ids += [o["id"] for o in json.loads(line)["orders"]]
        except ValueError:
            continue  # the torn line
    assert len(ids) == len(set(ids)), "an order was saved twice"
    assert len(ids) == 600, "every order of the 40 days was saved once"


async def test_create_order_creates_once(emu: Emulator, tmp_path: Path) -> None:
    rc, out = await _run(emu, "create_order.py", "--out-order-id", "SHOP-1", cwd=tmp_path)
    assert rc == 0, out
    assert "preview: 1 seller order(s), ¥64.00 with carriage" in out
    assert "created order" in out
    assert emu.counters.orders_created["alibaba"] == 1


async def test_create_order_after_a_lost_answer_finds_the_order_and_does_not_resend(
    emu: Emulator, tmp_path: Path
) -> None:
    # The server creates the order, then the connection drops before the answer.
    emu.set_faults(
        FaultPlan(endpoints={"alibaba.orders.create": FaultRule(script=("reset_after",))})
    )
    rc, out = await _run(emu, "create_order.py", "--out-order-id", "SHOP-2", cwd=tmp_path)
    assert rc == 0, out
    assert "the answer to the create was lost" in out
    assert "found it among the recent orders" in out
    assert emu.counters.orders_created["alibaba"] == 1
    assert emu.counters.requests["alibaba.orders.create"] == 1, "the create was sent again"


async def test_create_order_reports_when_the_outcome_stays_unknown(
    emu: Emulator, tmp_path: Path
) -> None:
    # The connection drops before the server acts: no order, and the script must not guess.
    emu.set_faults(FaultPlan(endpoints={"alibaba.orders.create": FaultRule(script=("reset",))}))
    rc, out = await _run(emu, "create_order.py", "--out-order-id", "SHOP-3", cwd=tmp_path)
    assert rc == 1, out
    assert "check the account before creating it again" in out
    assert emu.counters.orders_created["alibaba"] == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_webhook_receiver_gets_every_push(emu: Emulator, tmp_path: Path) -> None:
    port = _free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLES / "webhook_receiver.py"),
        "--port",
        str(port),
        "--inbox",
        str(tmp_path / "messages.sqlite"),
        "--exit-after",
        "2",
        cwd=tmp_path,
        env=emulator_env(emu),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=30)
        assert b"listening on" in line, line
        url = f"http://127.0.0.1:{port}/xportcn/messages"
        order = _taobao(emu)[0]["orderNo"]
        alibaba_order = emu.state.alibaba_doc(emu.state.alibaba.records[-1])["baseInfo"]["idOfStr"]
        paid = await emu.push_message(url, message_type="ORDER_PAY_SUCCESS", order=order)
        created = await emu.push_message(url, message_type="ORDER_CREATE", order=alibaba_order)
        assert paid.delivered and created.delivered
        rest, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    out = (line + rest).decode()
    assert proc.returncode == 0, out
    assert "ORDER_PAY_SUCCESS order=" in out, out
    assert f"ORDER_CREATE order={alibaba_order}" in out, out


async def test_sync_to_sqlite_stores_every_order(emu: Emulator, tmp_path: Path) -> None:
    db = tmp_path / "orders.sqlite"
    rc, out = await _run(emu, "sync_to_sqlite.py", "--db", str(db), "--days", "45", cwd=tmp_path)
    assert rc == 0, out
    assert "600 new, 0 changed" in out
    with contextlib.closing(sqlite3.connect(db)) as conn:  # `with conn` alone does not close
        stored = {row[0] for row in conn.execute("SELECT order_no FROM orders")}
    assert stored == {o["orderNo"] for o in _taobao(emu)}
    rc, out = await _run(emu, "sync_to_sqlite.py", "--db", str(db), "--days", "45", cwd=tmp_path)
    assert rc == 0, out
    assert "0 new, 0 changed" in out


async def test_shared_client_service_answers_every_lookup(emu: Emulator, tmp_path: Path) -> None:
    rc, out = await _run(
        emu, "shared_client_service.py", "--workers", "3", "--lookups", "12", cwd=tmp_path
    )
    assert rc == 0, out
    assert "12 lookups by 3 workers over one client" in out
    for order in _taobao(emu)[:12]:
        assert f"{order['orderNo']} → " in out
    assert "not found" not in out
    assert emu.counters.requests["taobao.orders.list"] == 13
