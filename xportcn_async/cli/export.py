"""``xportcn orders export``: synced orders as CSV, JSON lines or one JSON array.

The database is opened read-only (a read-only file works; nothing is migrated or
stamped) and read in batches, so an export of any size runs in bounded memory. CSV
cells are neutralised against formula injection (OWASP "CSV Injection").
"""

from __future__ import annotations

import csv
import enum
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import click
import orjson

from ..errors import StorageError
from ..models.alibaba import AlibabaOrderStatus
from ..models.taobao import TaobaoOrderStatus
from ..serde import CHINA_TZ
from ..sync.postgres import is_postgres_url, store_for
from ._app import main, run, verbose_option


@main.group()
def orders() -> None:
    """Work with synced orders."""


#: The exported columns, in order (``status_name``: the status's name, see the README).
COLUMNS = (
    "account",
    "platform",
    "id",
    "order_no",
    "status",
    "status_name",
    "amount_fen",
    "create_time",
    "pay_time",
    "first_seen",
    "last_synced",
)
#: Rows read from the database at a time.
BATCH = 1000

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value made safe for a CSV cell (OWASP "CSV Injection").

    A string starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
    prefixed with ``'`` so that spreadsheets show it as text instead of evaluating it;
    NUL characters are removed. Numbers are left alone (``-5`` stays a number).
    """
    if not isinstance(value, str):
        return value
    if "\x00" in value:
        value = value.replace("\x00", "")
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def status_name(platform: str, status: Any) -> str:
    """The name of a stored status: the Taobao enum's name, or the 1688 string itself."""
    if platform == "taobao":
        try:
            return TaobaoOrderStatus(int(status)).name
        except (TypeError, ValueError):
            return ""
    return "" if status is None else str(status)


def _china_time(value: Any) -> Any:
    """A stored ISO time as ISO 8601 in China time (``+08:00``); other values as stored."""
    if not isinstance(value, str):
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if parsed.utcoffset() is None:
        return value
    return parsed.astimezone(CHINA_TZ).isoformat()


def _status_values(values: tuple[str, ...], platform: str | None) -> list[Any]:
    """``--status`` names or numbers → the stored values; unknown ones are a usage error."""
    taobao = {m.name.lower(): m.value for m in TaobaoOrderStatus}
    alibaba = {m.value.lower(): m.value for m in AlibabaOrderStatus} | {
        m.name.lower(): m.value for m in AlibabaOrderStatus
    }
    out: list[Any] = []
    for raw in values:
        value = raw.strip()
        key = value.lower()
        if platform != "alibaba" and value.lstrip("-").isdigit():
            if int(value) in taobao.values():
                out.append(int(value))
                continue
        elif platform != "alibaba" and key in taobao:
            out.append(taobao[key])
            continue
        if platform != "taobao" and key in alibaba:
            out.append(alibaba[key])
            continue
        accepted = []
        if platform != "alibaba":
            accepted += [f"{m.name} ({m.value})" for m in TaobaoOrderStatus]
        if platform != "taobao":
            accepted += [m.value for m in AlibabaOrderStatus]
        raise click.BadParameter(
            f"unknown status {raw!r}; accepted: {', '.join(accepted)}", param_hint="--status"
        )
    return out


def export_row(row: dict[str, Any]) -> dict[str, Any]:
    """One stored row as exported: the :data:`COLUMNS`, times in China time."""
    doc = {name: row.get(name) for name in COLUMNS}
    doc["status_name"] = status_name(row["platform"], row["status"])
    for name in ("create_time", "pay_time"):
        doc[name] = _china_time(doc[name])
    if isinstance(doc["status"], enum.Enum):  # pragma: no cover - stored values are plain
        doc["status"] = doc["status"].value
    return doc


def _stored_order(row: dict[str, Any]) -> Any:
    """The stored ``raw_json`` parsed: what the JSON outputs carry as ``"order"``.

    Parsed rather than pasted in, so that a damaged row cannot make the output invalid
    JSON: it stops the export with a one-line storage error naming the order instead.
    """
    try:
        return orjson.loads(row["raw_json"])
    except (orjson.JSONDecodeError, TypeError):
        raise StorageError(
            f"order {row['platform']}/{row['id']}: its stored raw_json is not JSON "
            "(the database is damaged: sync it again or restore it)"
        ) from None


Writer = Callable[[list[dict[str, Any]]], None]


def _writer(fmt: str, output: IO[str]) -> tuple[Writer, Callable[[], None]]:
    """``(write a batch of stored rows, finish)`` for one output format."""
    if fmt == "csv":
        writer = csv.writer(output, lineterminator="\r\n")
        writer.writerow(COLUMNS)

        def write_csv(rows: list[dict[str, Any]]) -> None:
            for row in rows:
                doc = export_row(row)
                writer.writerow([csv_cell(doc[name]) for name in COLUMNS])

        return write_csv, lambda: None

    first = True
    if fmt == "json":
        output.write("[")

    def write_json(rows: list[dict[str, Any]]) -> None:
        nonlocal first
        for row in rows:
            doc = export_row(row)
            doc["order"] = _stored_order(row)
            text = orjson.dumps(doc).decode()
            if fmt == "jsonl":
                output.write(text + "\n")
            else:
                output.write(("\n" if first else ",\n") + text)
            first = False

    def finish_json() -> None:
        if fmt == "json":
            output.write("\n]\n" if not first else "]\n")

    return write_json, finish_json


@orders.command("export")
@verbose_option
@click.option(
    "--db",
    required=True,
    envvar="XPORTCN_DB",
    metavar="FILE|URL",
    help="SQLite file or postgresql:// URL written by 'xportcn sync orders' (opened "
    "read-only; or XPORTCN_DB).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "json"]),
    default="csv",
    show_default=True,
    help="csv: the columns; jsonl: one object per line with the full order; json: one array.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="NAME|CODE",
    help="Only these statuses (repeatable): a Taobao name or code (WAIT_SELLER_SEND_GOODS "
    "or 10) or a 1688 status (waitsellersend).",
)
@click.option(
    "--platform",
    type=click.Choice(["taobao", "alibaba"]),
    default=None,
    help="Only this platform's orders (default: both).",
)
@click.option(
    "--output",
    "-o",
    type=click.File("w", encoding="utf-8", lazy=True),
    default="-",
    show_default=True,
    help="Where to write ('-': standard output).",
)
def export_command(
    db: str, fmt: str, statuses: tuple[str, ...], platform: str | None, output: IO[str]
) -> None:
    """Write synced orders, newest first, as CSV (columns), JSON lines or a JSON array.

    Columns: account (the Xportcn user id), platform, id, order_no, status, status_name,
    amount_fen, create_time, pay_time (ISO 8601, China time), first_seen, last_synced. CSV
    cells that a spreadsheet would run as a formula are prefixed with a quote.
    """
    wanted = _status_values(statuses, platform)
    if not is_postgres_url(db):
        path = Path(db)
        if not path.exists():
            raise click.BadParameter(f"{db!r} does not exist", param_hint="--db")
        if path.is_dir():
            raise click.BadParameter(f"{db!r} is a directory", param_hint="--db")
    store = store_for(db, read_only=True)

    async def export() -> None:
        async with store:
            # Nothing is written before the database has opened and validated.
            write, finish = _writer(fmt, output)
            batches: AsyncIterator[list[dict[str, Any]]] = store.iter_export_rows(
                platform=platform, statuses=wanted, batch=BATCH
            )
            async for batch in batches:
                write(batch)
        finish()

    run(export())
