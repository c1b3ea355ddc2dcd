"""The ``xportcn`` command group, its exit codes and the error handling every command shares.

Exit codes:

====  =====================================================================
0     success
1     unexpected error (a bug: please report it with the traceback)
2     bad usage (unknown option, bad date…)
3     configuration: missing or invalid credentials / options
4     the server could not be reached (connection refused, DNS, timeouts)
5     authentication refused (wrong key or secret, clock far off)
6     other API or data error (the message carries the request id)
7     incomplete: some windows could not be read completely (listed); run the same
      command again to walk them again, or accept with ``--allow-incomplete``
8     storage: the database file cannot be opened, read or written (not a database,
      locked, disk full, read-only); what was committed before is kept
130   interrupted (Ctrl-C); the last page's checkpoint is committed: run again to resume
====  =====================================================================

Credentials come from ``XPORTCN_ACCESS_KEY``, ``XPORTCN_ACCESS_SECRET``,
``XPORTCN_USER_ID`` (and ``XPORTCN_BASE_URL``, or ``--base-url``).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import datetime
from typing import Any, NoReturn

try:
    import click
    from rich.console import Console
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise SystemExit(
        f"the xportcn command needs the 'cli' extra: pip install 'xportcn-async[cli]' ({exc})"
    ) from exc

from ..errors import (
    AuthenticationError,
    ConfigurationError,
    StorageError,
    TransportError,
    XportcnError,
)
from ..serde import CHINA_TZ

__all__ = ["main"]

EXIT_OK, EXIT_BUG, EXIT_USAGE, EXIT_CONFIG, EXIT_UNREACHABLE, EXIT_AUTH, EXIT_API = range(7)
EXIT_INCOMPLETE = 7
EXIT_STORAGE = 8
EXIT_INTERRUPTED = 130

stderr = Console(stderr=True)


def parse_date(value: str | None, *, option: str) -> datetime | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM[:SS]`` (China time unless an offset is given)."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date: use YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS'", param_hint=option
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=CHINA_TZ)


def fail(code: int, message: str) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code``."""
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    sys.exit(code)


def run(coro: Any) -> Any:
    """Run a coroutine, turning the SDK's errors into one-line messages and exit codes."""
    try:
        return asyncio.run(coro)
    except KeyboardInterrupt:
        stderr.print(
            "[yellow]interrupted[/]: the last committed page is checkpointed; "
            "run the same command again to resume"
        )
        sys.exit(EXIT_INTERRUPTED)
    except ConfigurationError as exc:
        fail(EXIT_CONFIG, str(exc))
    except StorageError as exc:
        fail(EXIT_STORAGE, f"storage: {exc}")
    except AuthenticationError as exc:
        fail(EXIT_AUTH, f"authentication refused: {exc}")
    except TransportError as exc:
        fail(EXIT_UNREACHABLE, f"cannot reach the server: {exc}")
    except XportcnError as exc:
        fail(EXIT_API, str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xportcn-async")
@click.option("-v", "--verbose", count=True, help="Log retries (-v) and every request (-vv).")
def main(verbose: int) -> None:
    """Xportcn KA Open API tools: bulk order sync, exports and a local emulator."""
    level = {0: logging.ERROR, 1: logging.WARNING}.get(verbose, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    sdk_logger = logging.getLogger("xportcn_async")
    sdk_logger.addHandler(handler)
    sdk_logger.setLevel(level)
    # What puts completeness at risk is always shown, whatever the verbosity.
    logging.getLogger("xportcn_async.integrity").setLevel(min(level, logging.WARNING))
