"""Everyday mistakes through the real ``xportcn`` entry point: one line, a documented exit
code, never a traceback, and no empty database left behind by a failed start."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.cli.test_sync import cli_env, run_cli

CLOSED = "http://127.0.0.1:9/api"  # nothing listens on the discard port here


def _listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--db", "{tmp}/missing/x.sqlite"], 2, "does not exist"),
        (["--db", "{tmp}/a.sqlite", "--since", "2026-12-01", "--until", "2026-11-01"], 2, "after"),
        (["--db", "{tmp}/a.sqlite", "--since", "2999-01-01"], 2, "in the future"),
        (["--db", "{tmp}/a.sqlite", "--since", "yesterday"], 2, "not a date"),
        (["--db", "{tmp}/a.sqlite", "--max-attempts", "0"], 2, "max-attempts"),
    ],
    ids=["missing-folder", "until-before-since", "since-in-future", "bad-date", "attempts"],
)
async def test_usage_mistakes(tmp_path: Path, args: list[str], code: int, words: str) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    got, out, err = await run_cli("sync", "orders", *argv, env=cli_env(XPORTCN_BASE_URL=CLOSED))
    assert got == code, err
    assert words in err and "Traceback" not in err + out
    assert _listing(tmp_path) == []  # no database file created


async def test_unreachable_server_says_how_to_resume_and_leaves_no_empty_file(
    tmp_path: Path,
) -> None:
    code, _, err = await run_cli(
        "sync",
        "orders",
        "--db",
        str(tmp_path / "a.sqlite"),
        "-v",  # accepted after the subcommand
        "--max-attempts",
        "1",
        env=cli_env(XPORTCN_BASE_URL=CLOSED),
    )
    assert code == 4, err
    assert "run the same command again to resume" in err and "Traceback" not in err
    assert "  " not in err.strip().splitlines()[-1]
    assert _listing(tmp_path) == []


async def test_all_missing_credentials_are_named_at_once(tmp_path: Path) -> None:
    env = cli_env()
    for var in ("XPORTCN_ACCESS_KEY", "XPORTCN_USER_ID"):
        env.pop(var)
    code, _, err = await run_cli("sync", "orders", "--db", str(tmp_path / "a.sqlite"), env=env)
    assert code == 3
    assert "XPORTCN_ACCESS_KEY" in err and "XPORTCN_USER_ID" in err and "Traceback" not in err
    assert _listing(tmp_path) == []


async def test_emulator_on_a_busy_port_is_one_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = await run_cli("emulator", "--port", str(port), env=cli_env())
    assert code == 3 and "--port" in err and "Traceback" not in err


async def test_help_shows_the_accepted_formats_and_defaults() -> None:
    code, out, err = await run_cli("sync", "orders", "--help", env=cli_env())
    assert code == 0, err
    text = " ".join(out.split())  # help wraps lines
    assert "--since DATE" in text and "--until DATE" in text
    assert "YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS'" in text
    assert "90 days back on a first run" in text
    assert "[default: 4; 1<=x<=64]" in text  # --concurrency
    assert "TEXT" not in text  # every free-text option names what it takes
