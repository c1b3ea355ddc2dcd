"""``xportcn emulator``: serve the local Xportcn emulator."""

from __future__ import annotations

import sys

import click

from ._app import EXIT_CONFIG, EXIT_OK, fail, main, verbose_option


@main.command("emulator")
@verbose_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8080, show_default=True)
@click.option("--orders", "n_orders", type=click.IntRange(min=0), default=2000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--faults",
    default=None,
    help="Fault plan, e.g. 'server_error=0.05,rate_limit=0.02,retry_after=1,drift=2' "
    "(see docs/emulator.md).",
)
@click.option("--fast", is_flag=True, help="Benchmark mode: pre-built pages, no nonce tracking.")
def emulator_command(
    host: str, port: int, n_orders: int, seed: int, faults: str | None, fast: bool
) -> None:
    """Serve a local Xportcn emulator (prints its base URL and test credentials)."""
    from ..testing.emulator import run

    try:
        run(host=host, port=port, orders=n_orders, seed=seed, faults=faults, fast=fast)
    except KeyboardInterrupt:
        sys.exit(EXIT_OK)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        fail(
            EXIT_CONFIG,
            f"cannot listen on {host}:{port}: {exc.strerror or exc} "
            "(choose another with --port, or --port 0 for a free one)",
        )
