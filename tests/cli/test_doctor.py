"""Tests of ``xportcn_async/cli/doctor.py`` (and, through it, ``xportcn_async/doctor.py``):
the real ``xportcn doctor`` command, run as a subprocess against the emulator.

What a first user with credentials needs from it: every read path confirmed or named as not
found (with the override to try), a wrong secret or missing credentials told at once with
their exit codes, a closed port told as unreachable, and never a write sent nor the secret
printed.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from typing import Any

import orjson

from tests.cli.test_sync import cli_env, run_cli
from xportcn_async.endpoints import resolve_endpoints
from xportcn_async.testing import Emulator

MOVED = {"alibaba.orders.detail": "/moved/order/detail"}


def emu_env(emu: Emulator, **extra: str) -> dict[str, str]:
    creds = emu.credentials
    values = {
        "XPORTCN_ACCESS_KEY": creds.access_key,
        "XPORTCN_ACCESS_SECRET": creds.access_secret,
        "XPORTCN_USER_ID": creds.user_id,
        "XPORTCN_BASE_URL": emu.base_url,
        "COLUMNS": "200",
    }
    return cli_env(**{**values, **extra})


def reads() -> set[str]:
    return {key for key, ep in resolve_endpoints().items() if ep.idempotent}


async def doctor_json(*args: str, env: dict[str, str]) -> tuple[int, dict[str, Any], str]:
    code, out, err = await run_cli("doctor", "--json", *args, env=env)
    return code, orjson.loads(out), err


def probes(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["key"]: p for p in report["probes"]}


async def test_all_reads_found_exit_0_and_no_write_is_sent() -> None:
    async with Emulator(orders=5, seed=1) as emu:
        code, report, err = await doctor_json(env=emu_env(emu))
        sent = set(emu.counters.requests)
        created = sum(emu.counters.orders_created.values())
    assert code == 0, err
    assert report["outcome"] == "ok"
    found = probes(report)
    assert set(found) == reads() - {"alibaba.products.upload_image"}  # uploads: never sent
    assert all(p["found"] is True and p["status"] == "ok" for p in found.values())
    assert [c["name"] for c in report["checks"]] == ["credentials", "signature", "clock"]
    assert report["checks"][1]["request_id"]  # something to give support
    # only reads reached the server; nothing was created
    endpoints = resolve_endpoints()
    assert sent and all(endpoints[key].idempotent for key in sent)
    assert created == 0


async def test_moved_path_is_named_with_its_override_and_the_override_fixes_it() -> None:
    async with Emulator(orders=5, seed=1, endpoint_paths=MOVED) as emu:
        env = emu_env(emu)
        code, report, _ = await doctor_json(env=env)
        fixed_code, fixed, _ = await doctor_json(
            "--path", "alibaba.orders.detail=/moved/order/detail", env=env
        )
        text_code, text, _ = await run_cli("doctor", env=env)
    assert code == 6 and report["outcome"] == "paths"
    moved = probes(report)["alibaba.orders.detail"]
    assert moved["status"] == "not_found" and moved["found"] is False
    assert moved["hint"] and "alibaba.orders.detail" in moved["hint"]
    others = [p for k, p in probes(report).items() if k != "alibaba.orders.detail"]
    assert all(p["found"] for p in others)
    assert fixed_code == 0 and fixed["outcome"] == "ok"
    assert probes(fixed)["alibaba.orders.detail"]["overridden"] is True
    assert fixed["endpoint_paths"] == MOVED
    # the table names the operation, says not_found and how to override it
    assert text_code == 6
    assert "alibaba.orders.detail" in text and "not_found" in text
    assert "--path alibaba.orders.detail=PATH" in text


async def test_wrong_secret_is_refused_exit_5_and_the_secret_is_never_printed() -> None:
    secret = "wrong-secret-0123456789abcdef"
    async with Emulator(orders=5, seed=1) as emu:
        env = emu_env(emu, XPORTCN_ACCESS_SECRET=secret)
        code, report, err = await doctor_json(env=env)
        text_code, out, text_err = await run_cli("doctor", env=env)
        rejections = sum(emu.counters.auth_rejections.values())
    assert code == 5 and text_code == 5
    assert report["outcome"] == "auth"
    assert report["checks"][1]["status"] == "fail"
    assert "both timestamp units" in report["checks"][1]["detail"]
    assert all(p["status"] == "skipped" for p in report["probes"])  # nothing probed blindly
    assert rejections >= 2
    for printed in (orjson.dumps(report).decode(), err, out, text_err):
        assert secret not in printed
    assert emu.credentials.access_key not in out  # only its first 4 characters


async def test_missing_credentials_are_named_at_once_exit_3() -> None:
    env = cli_env()
    for var in ("XPORTCN_ACCESS_KEY", "XPORTCN_ACCESS_SECRET", "XPORTCN_USER_ID"):
        env.pop(var)
    code, report, _ = await doctor_json(env=env)
    assert code == 3 and report["outcome"] == "config"
    detail = report["checks"][0]["detail"]
    for var in ("XPORTCN_ACCESS_KEY", "XPORTCN_ACCESS_SECRET", "XPORTCN_USER_ID"):
        assert var in detail
    text_code, out, err = await run_cli("doctor", env=env)
    assert text_code == 3 and "XPORTCN_USER_ID" in out and "Traceback" not in out + err


async def test_closed_port_is_unreachable_exit_4() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # the port is closed once the socket is: nothing listens there
    env = cli_env(XPORTCN_BASE_URL=f"http://127.0.0.1:{port}/api")
    code, report, _ = await doctor_json("--timeout", "2", env=env)
    assert code == 4 and report["outcome"] == "unreachable"
    assert "no answer" in report["checks"][1]["detail"]


async def test_bad_path_option_is_a_usage_error() -> None:
    code, _, err = await run_cli("doctor", "--path", "no-equals-sign", env=cli_env())
    assert code == 2 and "KEY=PATH" in err and "Traceback" not in err


async def test_server_clock_two_hours_ahead_is_reported_and_signing_still_works() -> None:
    import time

    async with Emulator(orders=5, seed=1, time_func=lambda: time.time() + 7200) as emu:
        code, report, err = await doctor_json(env=emu_env(emu))
    clock = report["checks"][2]
    assert report["checks"][1]["status"] in ("ok", "warn"), report["checks"][1]
    assert clock["status"] == "warn" and "7200 s behind" in clock["detail"]
    assert 7190 < report["clock_skew_s"] < 7210 and 7190 < report["clock_offset_s"] < 7210
    assert code == 0, err
