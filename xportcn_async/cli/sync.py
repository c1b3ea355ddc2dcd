"""``xportcn sync orders`` (and ``xportcn demo``): bulk order sync with a live progress view."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click
import orjson
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..client import XportcnClient
from ..config import ClientConfig
from ..errors import ConfigurationError
from ..options import RetryPolicy
from ..serde import CHINA_TZ
from ..sync import SyncStats, sync_orders
from ..sync.engine import DEFAULT_LEASE
from ..sync.postgres import is_postgres_url, store_for
from ..sync.records import AmountUnit
from ._app import EXIT_CONFIG, EXIT_INCOMPLETE, fail, main, parse_date, run, stderr, verbose_option

T = TypeVar("T")


@main.group()
def sync() -> None:
    """Synchronise data into a local database."""


class _ProgressView:
    """A live progress bar on stderr: windows, pages, orders/s, retries."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn(
                "windows {task.completed}/{task.total} · pages {task.fields[pages]} · "
                "orders {task.fields[orders]} · {task.fields[rate]:.0f}/s · "
                "retries {task.fields[retries]}"
            ),
            TimeElapsedColumn(),
            console=stderr,
            disable=not enabled,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> _ProgressView:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._progress.__exit__(*exc_info)

    def __call__(self, stats: SyncStats) -> None:
        task = self._tasks.get(stats.platform)
        fields: dict[str, Any] = {
            "pages": stats.pages,
            "orders": stats.orders,
            "rate": stats.orders_per_second,
            "retries": stats.retries,
        }
        if task is None:
            task = self._progress.add_task(stats.platform, total=stats.windows_total, **fields)
            self._tasks[stats.platform] = task
        self._progress.update(
            task, completed=stats.windows_done, total=stats.windows_total, **fields
        )


def _summary(all_stats: Sequence[SyncStats]) -> Table:
    """One column per platform, one row per figure: readable in a narrow terminal."""
    table = Table(title="xportcn sync summary")
    table.add_column("")
    for s in all_stats:
        table.add_column(s.platform + (" (resumed)" if s.resumed else ""), justify="right")
    fmt = "%Y-%m-%d %H:%M"

    def when(value: datetime | None) -> str:
        return f"{value.astimezone(CHINA_TZ):{fmt}}" if value else "-"

    rows: list[tuple[str, Callable[[SyncStats], str]]] = [
        ("from (China time)", lambda s: when(s.begin)),
        ("until", lambda s: when(s.end)),
        ("windows", lambda s: f"{s.windows_done}/{s.windows_total}"),
        ("pages", lambda s: str(s.pages)),
        ("orders new", lambda s: str(s.orders_new)),
        ("orders changed", lambda s: str(s.orders_changed)),
        ("orders unchanged", lambda s: str(s.orders_unchanged)),
        ("open orders refreshed", lambda s: str(s.orders_refreshed)),
        ("windows re-walked", lambda s: str(s.rewalks)),
        ("windows INCOMPLETE", lambda s: str(len(s.incomplete))),
        ("retries", lambda s: str(s.retries)),
        ("orders/s", lambda s: f"{s.orders_per_second:.0f}"),
        ("elapsed", lambda s: f"{s.elapsed:.1f} s"),
    ]
    for label, cell in rows:
        table.add_row(label, *(cell(s) for s in all_stats))
    return table


async def _sync(
    config: ClientConfig,
    db: str,
    platforms: Sequence[str],
    *,
    since: datetime | None,
    until: datetime | None,
    page_size: int,
    concurrency: int,
    window: timedelta,
    lookback: timedelta,
    refresh_open: bool,
    show_progress: bool,
    alibaba_amount_unit: AmountUnit = "yuan",
    reset_checkpoint: bool = False,
    lease: float = DEFAULT_LEASE,
) -> list[SyncStats]:
    results: list[SyncStats] = []
    async with XportcnClient(config=config) as xp, store_for(db, account=config.user_id) as store:
        with _ProgressView(show_progress) as view:
            for platform in platforms:
                results.append(
                    await sync_orders(
                        xp,
                        store,
                        platform=platform,
                        begin=since,
                        end=until,
                        concurrency=concurrency,
                        page_size=page_size,
                        window=window,
                        lookback=lookback,
                        refresh_open=refresh_open,
                        alibaba_amount_unit=alibaba_amount_unit,
                        progress=view,
                        reset_checkpoint=reset_checkpoint,
                        lease=lease,
                    )
                )
    return results


async def _cleaning_up(db: str, work: Awaitable[T]) -> T:
    """Await ``work``; if it fails and ``db`` did not exist before, remove what it left
    (an empty database file) unless something was committed to it."""
    if is_postgres_url(db):
        return await work  # a server's database: nothing of ours to clean up
    path = Path(db)
    created = not _exists(path)
    try:
        return await work
    except BaseException:
        if created:
            _remove_database(path)
        raise


def _exists(path: Path) -> bool:
    return path.exists()


def _remove_database(path: Path) -> None:
    """Delete a database this run created, if nothing was committed to it (and its -wal/-shm)."""
    if path.exists():
        try:
            with contextlib.closing(sqlite3.connect(path)) as conn:
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
                for table in ("orders", "sync_state"):
                    if table in tables:
                        query = f"SELECT EXISTS (SELECT 1 FROM {table})"  # noqa: S608
                        if conn.execute(query).fetchone()[0]:
                            return  # something is committed: keep it, a rerun resumes
        except sqlite3.Error:
            return  # not ours to judge: leave it
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _print_results(results: Sequence[SyncStats], as_json: bool) -> None:
    if as_json:
        doc: Any = (
            results[0].as_dict()
            if len(results) == 1
            else {"platforms": [r.as_dict() for r in results]}
        )
        click.echo(orjson.dumps(doc).decode())
    else:
        Console().print(_summary(results))


def _check_complete(results: Sequence[SyncStats], allow_incomplete: bool) -> None:
    """List incomplete windows on stderr; exit 7 unless ``--allow-incomplete``."""
    missing = [(s.platform, w) for s in results for w in s.incomplete]
    if not missing:
        return
    for platform, w in missing:
        stderr.print(
            f"[yellow]incomplete[/]: {platform} {w.begin.astimezone(CHINA_TZ):%Y-%m-%d %H:%M:%S}"
            f" .. {w.end.astimezone(CHINA_TZ):%Y-%m-%d %H:%M:%S} China time: {w.unique} of "
            f"{w.total if w.total is not None else '?'} orders read ({w.reason})",
            highlight=False,
            soft_wrap=True,
        )
    advice = (
        f"{len(missing)} window(s) could not be read completely: the server's list stayed "
        "short of its own total. They are kept in the checkpoint: run the same command again "
        "to walk them again; if they stay incomplete, send the lines above to Xportcn support"
    )
    if allow_incomplete:
        stderr.print(f"[yellow]warning:[/] {advice} (accepted: --allow-incomplete)")
        return
    fail(EXIT_INCOMPLETE, f"{advice}, or accept the gap with --allow-incomplete.")


_PLATFORM_CHOICE = click.Choice(["taobao", "alibaba", "all"])


@sync.command("orders")
@verbose_option
@click.option(
    "--db",
    required=True,
    envvar="XPORTCN_DB",
    metavar="FILE|URL",
    help="SQLite file, or postgresql://user:password@host/database (or XPORTCN_DB).",
)
@click.option("--platform", type=_PLATFORM_CHOICE, default="taobao", show_default=True)
@click.option(
    "--since",
    metavar="DATE",
    help="Start of the creation-time range: YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS', China time "
    "unless an offset is given (default: the last sync's end minus the look-back; 90 days back "
    "on a first run).",
)
@click.option(
    "--until",
    metavar="DATE",
    help="End of the range, same formats (default: now minus a 5-minute safety margin).",
)
@click.option("--page-size", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--concurrency", type=click.IntRange(min=1, max=64), default=4, show_default=True)
@click.option("--window-hours", type=click.IntRange(min=1), default=24, show_default=True)
@click.option("--lookback-days", type=click.IntRange(min=0), default=7, show_default=True)
@click.option("--refresh-open", is_flag=True, help="Also re-read open orders older than look-back.")
@click.option(
    "--alibaba-amount-unit",
    type=click.Choice(["yuan", "fen"]),
    default="yuan",
    show_default=True,
    help="Unit of 1688 order amounts (inferred, not confirmed by the docs); "
    "a fractional amount is always read as yuan.",
)
@click.option(
    "--allow-incomplete",
    is_flag=True,
    help="Exit 0 even when some windows could not be read completely (exit 7 otherwise).",
)
@click.option(
    "--reset-checkpoint",
    is_flag=True,
    help="Discard the saved sync state first (e.g. when it is damaged); stored orders stay.",
)
@click.option(
    "--base-url",
    metavar="URL",
    envvar="XPORTCN_BASE_URL",
    help="API root (or XPORTCN_BASE_URL; default https://www.xportcn.com/api).",
)
@click.option(
    "--max-attempts",
    type=click.IntRange(min=1, max=20),
    default=3,
    show_default=True,
    help="Attempts per request (the first and its retries) before the run stops.",
)
@click.option(
    "--max-rps",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="N",
    help="At most N requests per second for the account (default: no pacing); with "
    "PostgreSQL workers, N is shared between the live workers.",
)
@click.option(
    "--lease-seconds",
    type=click.FloatRange(min=1),
    default=DEFAULT_LEASE,
    show_default=True,
    help="PostgreSQL: how long a worker holds a window without renewing it; a worker that "
    "dies frees its window after that.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the stats as one JSON object.")
def sync_orders_command(
    db: str,
    platform: str,
    since: str | None,
    until: str | None,
    page_size: int,
    concurrency: int,
    window_hours: int,
    lookback_days: int,
    refresh_open: bool,
    alibaba_amount_unit: str,
    allow_incomplete: bool,
    reset_checkpoint: bool,
    base_url: str | None,
    max_attempts: int,
    max_rps: float | None,
    lease_seconds: float,
    as_json: bool,
) -> None:
    """Copy every order into a SQLite file or a PostgreSQL database; run again to continue.

    Without --since, continues from the last completed sync minus the look-back
    (a first run starts 90 days back). An interrupted run resumes where it stopped.
    With --db postgresql://…, any number of these commands with the same arguments, on
    one machine or many, share the work.
    """
    begin = parse_date(since, option="--since")
    end = parse_date(until, option="--until")
    now = datetime.now(CHINA_TZ)
    if begin is not None and begin >= now:
        raise click.BadParameter(f"{since!r} is in the future", param_hint="--since")
    if begin is not None and end is not None and end <= begin:
        raise click.BadParameter(f"{until!r} is not after --since {since!r}", param_hint="--until")
    if end is not None and begin is None and end > now:
        raise click.BadParameter(f"{until!r} is in the future", param_hint="--until")
    folder = Path(db).expanduser().parent
    if not is_postgres_url(db):
        if not folder.is_dir():
            raise click.BadParameter(
                f"the folder {str(folder)!r} does not exist", param_hint="--db"
            )
        if Path(db).expanduser().is_dir():
            raise click.BadParameter(f"{db!r} is a directory, not a file", param_hint="--db")
    overrides: dict[str, Any] = {"base_url": base_url} if base_url else {}
    overrides["retry"] = RetryPolicy(attempts=max_attempts)
    if max_rps is not None:
        overrides["max_requests_per_second"] = max_rps
    try:
        config = ClientConfig.from_env(**overrides)
    except ConfigurationError as exc:
        fail(EXIT_CONFIG, str(exc))
    platforms = ["taobao", "alibaba"] if platform == "all" else [platform]
    results = run(
        _cleaning_up(
            db,
            _sync(
                config,
                db,
                platforms,
                since=begin,
                until=end,
                page_size=page_size,
                concurrency=concurrency,
                window=timedelta(hours=window_hours),
                lookback=timedelta(days=lookback_days),
                refresh_open=refresh_open,
                alibaba_amount_unit="fen" if alibaba_amount_unit == "fen" else "yuan",
                show_progress=not as_json and sys.stderr.isatty(),
                reset_checkpoint=reset_checkpoint,
                lease=lease_seconds,
            ),
        ),
        resumable=True,
    )
    _print_results(results, as_json)
    _check_complete(results, allow_incomplete)


@main.command("demo")
@verbose_option
@click.option("--db", default="demo.sqlite", show_default=True, type=click.Path(dir_okay=False))
@click.option("--orders", "n_orders", type=click.IntRange(min=1), default=5000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--concurrency", type=click.IntRange(min=1, max=64), default=8, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the stats as one JSON object.")
def demo_command(db: str, n_orders: int, seed: int, concurrency: int, as_json: bool) -> None:
    """Start the emulator in-process and sync its seeded orders into --db (no account needed)."""
    from ..testing import Emulator

    async def demo() -> list[SyncStats]:
        async with Emulator(orders=n_orders, seed=seed) as emu:
            creds = emu.credentials
            config = ClientConfig(
                access_key=creds.access_key,
                access_secret=creds.access_secret,
                user_id=creds.user_id,
                base_url=emu.base_url,
            )
            if not as_json:
                stderr.print(f"emulator serving {n_orders} seeded orders at {emu.base_url}")
            return await _sync(
                config,
                db,
                ["taobao"],
                since=emu.data_begin,
                until=None,
                page_size=50,
                concurrency=concurrency,
                window=timedelta(days=1),
                lookback=timedelta(days=7),
                refresh_open=False,
                show_progress=not as_json and sys.stderr.isatty(),
            )

    results = run(demo())
    _print_results(results, as_json)
    _check_complete(results, allow_incomplete=False)
    if not as_json:
        stderr.print(f"orders are in {db}: try 'xportcn orders export --db {db} --format csv'")
