"""Shared helpers of the benchmarks: statistics, tables, test data, the emulator process.

Nothing here installs anything; the extra packages come from ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import contextlib
import copy
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
FIXTURE = ROOT / "tests" / "fixtures" / "taobao_order_list.response.json"
SERVE_SCRIPT = BENCH_DIR / "_serve_emulator.py"

#: The emulator's documented test account (docs/emulator.md), spelled out so that the
#: hand-written clients need not import the SDK (``check_credentials`` keeps it honest).
ACCESS_KEY = "3f9d2c6e1b8a4d7f9e0c5a2b6d8f1e34"
ACCESS_SECRET = "c0ffee00emulator00not00a00secret"  # the emulator's public test secret
USER_ID = "2100008388036"


def emulator_env(base_url: str) -> dict[str, str]:
    """This process's environment with the ``XPORTCN_*`` variables for the emulator at
    ``base_url`` (for an ``xportcn`` command run as a user runs it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XPORTCN_")}
    env.update(
        XPORTCN_ACCESS_KEY=ACCESS_KEY,
        XPORTCN_ACCESS_SECRET=ACCESS_SECRET,
        XPORTCN_USER_ID=USER_ID,
        XPORTCN_BASE_URL=base_url,
    )
    return env


def check_credentials() -> None:
    from xportcn_async.testing import DEFAULT_CREDENTIALS as creds

    if (creds.access_key, creds.access_secret, creds.user_id) != (
        ACCESS_KEY,
        ACCESS_SECRET,
        USER_ID,
    ):
        raise RuntimeError("the emulator's test credentials changed: update benchmarks/_common.py")


def load_signing() -> Any:
    """``xportcn_async/signing.py`` loaded on its own (``sign``, ``make_nonce``), without
    importing the SDK package, so the hand-written clients carry none of its weight."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_bench_signing", ROOT / "xportcn_async" / "signing.py"
    )
    if spec is None or spec.loader is None:
        raise ImportError("cannot load xportcn_async/signing.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class Summary:
    """Median and spread of repeated measurements."""

    median: float
    lo: float
    hi: float
    q1: float
    q3: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        data = sorted(values)
        if len(data) >= 2:
            q1, _, q3 = statistics.quantiles(data, n=4, method="inclusive")
        else:
            q1 = q3 = data[0]
        return cls(statistics.median(data), data[0], data[-1], q1, q3, len(data))

    def fmt(self, digits: int = 0, spread: bool = True) -> str:
        """``median (min–max)``."""
        text = f"{self.median:,.{digits}f}"
        if spread and self.n > 1:
            text += f" ({self.lo:,.{digits}f}–{self.hi:,.{digits}f})"
        return text


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (also readable in a terminal), numbers right-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def numeric(cell: str) -> bool:
        return bool(re.match(r"^[\d.,×x%–() -]+$", cell)) and any(c.isdigit() for c in cell)

    right = [all(numeric(r[i]) for r in rows if r[i]) for i in range(len(headers))]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if r else ("-" * (w + 2))
            for w, r in zip(widths, right, strict=True)
        )
        + "|",
    ]
    for row in rows:
        cells = [
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ratio(value: float, base: float) -> str:
    """``1.23×`` (value / base)."""
    if base <= 0:
        return "–"
    return f"{value / base:.2f}×"


# --------------------------------------------------------------------------- machine


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    libs = ["xportcn-async", "aiohttp", "attrs", "cattrs", "tenacity", "orjson", "httpx"]
    libs += ["requests", "pydantic", "pydantic-core", "psutil"]
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(terse=True),
        "libraries": ", ".join(f"{name} {_version(name)}" for name in libs),
    }


def print_machine() -> None:
    info = machine_info()
    print(
        f"# {info['date']} · {info['cpus']} CPUs ({info['cpu']}) · {info['python']} · {info['os']}"
    )
    print(f"# {info['libraries']}")


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB."""
    try:
        import resource
    except ImportError:  # Windows
        import psutil

        info = psutil.Process().memory_info()
        return float(getattr(info, "peak_wset", info.rss)) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def current_rss_mb() -> float:
    """Current resident set size of this process, in MiB."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


# --------------------------------------------------------------------------- data

_REFUND_STATUSES = (0, 10, 20, 30, 100, -10, -20)
_ORDER_STATUSES = (0, 1, 2, 3, 4, 5, 9, 10, 11, 12)
_T0 = datetime(2026, 4, 16, 18, 10, 12)


def _fixture_order() -> dict[str, Any]:
    doc = orjson.loads(FIXTURE.read_bytes())
    order: dict[str, Any] = doc["data"]["data"][0]
    return order


def make_orders(n: int) -> list[dict[str, Any]]:
    """``n`` Taobao orders shaped exactly like the docs' example, with varied values.

    The order of ``tests/fixtures/taobao_order_list.response.json`` is cloned with
    different ids, order numbers, times, amounts, statuses and one to three
    sub-orders each (two on average); the sub-orders keep their JSON documents
    inside strings (``createSubOrderResult``, ``subOrderResult`` with the
    ``serviceList`` / ``en`` / ``zh`` strings inside it), re-encoded per order.
    Half the orders are paid (``payTime`` set). Deterministic.
    """
    template = _fixture_order()
    sub_template = template["subOrderVOS"][0]
    create_tpl = orjson.loads(sub_template["createSubOrderResult"])
    result_tpl = orjson.loads(sub_template["subOrderResult"])
    orders = []
    for i in range(n):
        order = copy.deepcopy(template)
        created = _T0 - timedelta(seconds=37 * i)
        order["id"] = str(234804 + i)
        order["orderNo"] = str(1362127944570372157 + 7919 * i)
        order["purchaseId"] = 200108703155 + 2 * i
        order["createTime"] = created.strftime("%Y-%m-%d %H:%M:%S")
        order["payTime"] = (
            (created + timedelta(minutes=3)).strftime("%Y-%m-%d %H:%M:%S") if i % 2 else None
        )
        order["purchaseAmount"] = 5245 + (i % 997)
        order["status"] = _ORDER_STATUSES[i % len(_ORDER_STATUSES)]
        order["purchaseOrderOuterId"] = str(4502291943053017318 + i)
        subs = []
        for k in range(1 + i % 3):
            sub = copy.deepcopy(sub_template)
            sub_id = 1362127951428059595 + 10 * i + k
            sub["id"] = str(sub_id)
            sub["orderNo"] = order["orderNo"]
            sub["refundStatus"] = _REFUND_STATUSES[(i + k) % len(_REFUND_STATUSES)]
            sub["taobaoPurchaseId"] = str(order["purchaseId"])
            sub["taobaoSubPurchaseId"] = str(order["purchaseId"] + 1 + k)
            create = dict(create_tpl)
            create["order_line_no"] = f"LINE{i:06d}{k}"
            create["estimate_amount"] = 5965 + k
            create["sub_purchase_order_id"] = order["purchaseId"] + 1 + k
            result = copy.deepcopy(result_tpl)
            result["purchase_order_outer_id"] = order["purchaseOrderOuterId"]
            result["purchase_order_line_outer_id"] = str(4502291943053017318 + i + k)
            result["close_time_without_payment"] = str(
                int((created + timedelta(days=3)).timestamp()) * 1000
            )
            result["product_amount"] = str(5245 + k)
            result["purchase_amount"] = 5245 + k
            result["quantity"] = 1 + k
            result["sub_purchase_order_id"] = str(order["purchaseId"] + 1 + k)
            result["alipay_pay_order_no"] = f"20260416230011{i:014d}"
            sub["createSubOrderResult"] = orjson.dumps(create).decode()
            sub["subOrderResult"] = orjson.dumps(result).decode()
            subs.append(sub)
        order["subOrderVOS"] = subs
        orders.append(order)
    return orders


def order_list_data(n: int) -> dict[str, Any]:
    """The ``data`` of a ``taobao.orders.list`` answer holding ``n`` orders."""
    return {"total": n, "data": make_orders(n)}


# --------------------------------------------------------------------------- emulator process


class EmulatorProcess:
    """The emulator in fast mode, in a process of its own on 127.0.0.1.

    A separate process keeps the server's CPU off the client's event loop (on a
    two-core machine: one core each). Stopped with SIGINT, then killed if needed.
    """

    def __init__(self, orders: int, *, seed: int = 1, latency_ms: float = 0.0) -> None:
        self.orders = orders
        self.seed = seed
        self.latency_ms = latency_ms
        self.base_url = ""
        self._proc: subprocess.Popen[str] | None = None

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def start(self, timeout: float = 300.0) -> None:
        cmd = [sys.executable, str(SERVE_SCRIPT), "--orders", str(self.orders)]
        cmd += ["--seed", str(self.seed), "--latency-ms", str(self.latency_ms)]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert self._proc.stdout is not None
        deadline = time.monotonic() + timeout
        for line in self._proc.stdout:
            match = re.search(r"listening on (\S+)", line)
            if match:
                self.base_url = match.group(1)
                return
            if time.monotonic() > deadline:
                break
        self.stop()
        raise RuntimeError("the emulator process did not start")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the emulator process so far."""
        import psutil

        times = psutil.Process(self.pid).cpu_times()
        return float(times.user + times.system)

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()

    def __enter__(self) -> EmulatorProcess:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def run_json(cmd: Sequence[str], timeout: float = 600.0) -> dict[str, Any]:
    """Run a measuring subprocess; its last stdout line is a JSON object."""
    out = subprocess.run(
        list(cmd), capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    result: dict[str, Any] = orjson.loads(out.stdout.strip().splitlines()[-1])
    return result
