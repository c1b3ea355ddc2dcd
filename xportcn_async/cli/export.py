"""``xportcn orders export``: synced orders as CSV or JSON lines."""

from __future__ import annotations

import csv
import io
from typing import IO, Any

import click
import orjson

from ..sync import SQLiteStore
from ._app import main, run


@main.group()
def orders() -> None:
    """Work with synced orders."""


_EXPORT_COLUMNS = (
    "platform",
    "id",
    "order_no",
    "status",
    "amount_fen",
    "create_time",
    "pay_time",
    "first_seen",
    "last_synced",
)


@orders.command("export")
@click.option("--db", required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv")
@click.option("--status", "statuses", multiple=True, help="Only these statuses (repeatable).")
@click.option("--platform", type=click.Choice(["taobao", "alibaba"]), default=None)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
def export_command(
    db: str, fmt: str, statuses: tuple[str, ...], platform: str | None, output: IO[str]
) -> None:
    """Write synced orders as CSV (columns) or JSON lines (columns plus the full order)."""

    async def load() -> list[dict[str, Any]]:
        async with SQLiteStore(db) as store:
            return await store.export_rows(platform=platform, statuses=statuses)

    rows: list[dict[str, Any]] = run(load())
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=_EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        output.write(buffer.getvalue())
    else:
        for row in rows:
            doc = {k: row[k] for k in _EXPORT_COLUMNS}
            doc["order"] = orjson.loads(row["raw_json"])
            output.write(orjson.dumps(doc).decode() + "\n")
