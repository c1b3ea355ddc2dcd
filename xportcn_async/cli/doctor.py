"""``xportcn doctor``: check credentials, signature, clock and every read path (reads only).

The checks live in :mod:`xportcn_async.doctor`; this module turns a
:class:`~xportcn_async.doctor.DoctorReport` into a table (or ``--json``) and an exit code.
See ``docs/doctor.md``.
"""

from __future__ import annotations

import sys
from typing import Any

import click
import orjson
from rich.console import Console
from rich.table import Table

from ..doctor import (
    DEFAULT_CONCURRENCY,
    DEFAULT_PROBE_TIMEOUT,
    DoctorReport,
    Outcome,
    Status,
    diagnose_env,
)
from ._app import (
    EXIT_API,
    EXIT_AUTH,
    EXIT_CONFIG,
    EXIT_OK,
    EXIT_UNREACHABLE,
    main,
    run,
    verbose_option,
)

#: The verdict → the exit code (the codes every ``xportcn`` command uses, see ``_app``).
EXIT_CODES = {
    Outcome.OK: EXIT_OK,
    Outcome.CONFIG: EXIT_CONFIG,
    Outcome.UNREACHABLE: EXIT_UNREACHABLE,
    Outcome.AUTH: EXIT_AUTH,
    Outcome.PATHS: EXIT_API,
}

_STYLE = {
    Status.OK: "green",
    Status.WARN: "yellow",
    Status.FAIL: "bold red",
    Status.NOT_FOUND: "bold red",
    Status.SKIPPED: "dim",
}

_VERDICT = {
    Outcome.OK: "credentials, signature and every read path work here",
    Outcome.CONFIG: "the configuration is not usable: nothing was sent",
    Outcome.UNREACHABLE: "the API could not be reached at this base URL",
    Outcome.AUTH: "the signature was refused: check the key, secret, user id and clock",
    Outcome.PATHS: "some read paths are not found here or could not be checked (see above)",
}


def _endpoint_paths(values: tuple[str, ...]) -> dict[str, str]:
    paths: dict[str, str] = {}
    for value in values:
        key, sep, path = value.partition("=")
        if not sep or not key.strip() or not path.strip():
            raise click.BadParameter(
                f"{value!r} is not KEY=PATH (e.g. alibaba.orders.detail=/alibaba/ka/order/get)",
                param_hint="--path",
            )
        paths[key.strip()] = path.strip()
    return paths


def render(report: DoctorReport, console: Console) -> None:
    """The report as two tables (checks, then one row per read path) and a verdict."""
    console.print(
        f"[bold]xportcn doctor[/]  base URL {report.base_url or '(default)'}  "
        f"access key {report.access_key or '(not set)'}",
        highlight=False,
    )
    checks = Table(show_header=True, header_style="bold", expand=False)
    checks.add_column("check")
    checks.add_column("result")
    checks.add_column("detail", overflow="fold")
    for c in report.checks:
        extra = f" (request id {c.request_id})" if c.request_id else ""
        checks.add_row(c.name, f"[{_STYLE[c.status]}]{c.status.value}[/]", c.detail + extra)
    console.print(checks)
    probes = Table(show_header=True, header_style="bold", expand=False)
    probes.add_column("operation")
    probes.add_column("method")
    probes.add_column("path", overflow="fold")
    probes.add_column("source")
    probes.add_column("result")
    probes.add_column("detail", overflow="fold")
    for p in report.probes:
        path = p.path + (" (override)" if p.overridden else "")
        probes.add_row(
            p.key,
            p.method,
            path,
            p.provenance,
            f"[{_STYLE[p.status]}]{p.status.value}[/]",
            p.detail,
        )
    if report.probes:
        console.print(probes)
    counts = report.summary()
    console.print(
        f"{counts['found']}/{counts['total']} read paths found; "
        f"[{'green' if report.ok else 'bold red'}]{report.outcome.value}[/]: "
        f"{_VERDICT[report.outcome]}",
        highlight=False,
    )
    for p in report.not_found:
        console.print(
            f"[bold red]not found here:[/] {p.key} ({p.method} {p.path}): find its path, then "
            f"run again with --path {p.key}=PATH (in code: endpoint_paths={{{p.key!r}: PATH}})",
            highlight=False,
            soft_wrap=True,
        )
    if report.outcome is not Outcome.OK:
        console.print(
            "Send the output of [bold]xportcn doctor --json[/] to Xportcn support or with "
            "an issue: it carries the request ids and never the secret.",
            highlight=False,
        )


@main.command("doctor")
@verbose_option
@click.option("--base-url", envvar="XPORTCN_BASE_URL", help="API root (or XPORTCN_BASE_URL).")
@click.option(
    "--path",
    "paths",
    multiple=True,
    metavar="KEY=PATH",
    help="Probe this path for an operation instead of the catalogue's (repeatable), "
    "e.g. --path alibaba.orders.detail=/alibaba/ka/order/get.",
)
@click.option(
    "--timestamp-unit",
    type=click.Choice(["s", "ms"]),
    default=None,
    help="Signature timestamp unit to try first (default: the SDK's, ms); the other is "
    "tried when the first is refused.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_PROBE_TIMEOUT,
    show_default=True,
    help="Seconds each request may take (no retries).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1, max=32),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="Probes in flight at once.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def doctor_command(
    base_url: str | None,
    paths: tuple[str, ...],
    timestamp_unit: str | None,
    timeout: float,
    concurrency: int,
    as_json: bool,
) -> None:
    """Check credentials, signature and clock, then every read path. Never sends a write.

    Exit codes: 0 all good, 3 configuration (credentials missing), 4 unreachable,
    5 signature refused, 6 some read paths not found or not checkable.
    """
    overrides: dict[str, Any] = {}
    if base_url:
        overrides["base_url"] = base_url
    if paths:
        overrides["endpoint_paths"] = _endpoint_paths(paths)
    if timestamp_unit:
        overrides["timestamp_unit"] = timestamp_unit
    report: DoctorReport = run(
        diagnose_env(probe_timeout=timeout, concurrency=concurrency, **overrides)
    )
    if as_json:
        click.echo(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2).decode())
    else:
        render(report, Console(soft_wrap=False))
    sys.exit(EXIT_CODES[report.outcome])
