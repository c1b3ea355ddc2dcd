"""``python -m xportcn_async.testing``: run the emulator until Ctrl-C."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .emulator import run


def main(argv: Sequence[str] | None = None) -> None:
    """Parse ``--host --port --orders --seed --faults --fast`` and serve."""
    parser = argparse.ArgumentParser(
        prog="python -m xportcn_async.testing",
        description="Run a local fake Xportcn KA Open API server with seeded data.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080, 0 = any)")
    parser.add_argument("--orders", type=int, default=2000, help="Taobao and 1688 orders each")
    parser.add_argument("--seed", type=int, default=0, help="data seed (default 0)")
    parser.add_argument(
        "--faults",
        default=None,
        help="fault plan, e.g. 'server_error=0.05,rate_limit=0.02,retry_after=1,drift=2'",
    )
    parser.add_argument("--fast", action="store_true", help="benchmark mode (no faults)")
    args = parser.parse_args(argv)
    run(
        host=args.host,
        port=args.port,
        orders=args.orders,
        seed=args.seed,
        faults=args.faults,
        fast=args.fast,
    )


if __name__ == "__main__":
    main()
