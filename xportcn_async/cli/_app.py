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
import re
import sys
import traceback
from datetime import datetime
from typing import Any, NoReturn

try:
    import click
    from rich.console import Console
    from rich.logging import RichHandler
    from rich.markup import escape
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
    message = escape(re.sub(r"\s+", " ", message.strip()))  # one line; "[key]" is text
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    sys.exit(code)


#: Appended to a failure of a command that resumes from its checkpoint.
RESUME_HINT = "; run the same command again to resume (committed pages are kept)"


def run(coro: Any, *, resumable: bool = False) -> Any:
    """Run a coroutine, turning the SDK's errors into one-line messages and exit codes.

    ``resumable``: the command checkpoints its work, so a failure of the server, the
    network or the disk says that running it again resumes. Anything else is a bug: its
    traceback is shown in full, with a request to report it (exit 1).
    """
    hint = RESUME_HINT if resumable else ""
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
        fail(EXIT_STORAGE, f"storage: {exc}{hint}")
    except AuthenticationError as exc:
        fail(EXIT_AUTH, f"authentication refused: {exc}")
    except TransportError as exc:
        fail(EXIT_UNREACHABLE, f"cannot reach the server: {exc}{hint}")
    except XportcnError as exc:
        fail(EXIT_API, f"{exc}{hint}")
    except OSError as exc:  # the output file or the disk, not the SDK
        fail(EXIT_STORAGE, f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ") + hint)
    except Exception:
        traceback.print_exc()
        stderr.print(
            "[bold red]error:[/] this is a bug in xportcn-async, not something you did: please "
            "report it with the traceback above at https://github.com/xportcn/xportcn-async/issues",
            highlight=False,
        )
        sys.exit(EXIT_BUG)


def configure_logging(verbose: int) -> None:
    """SDK logs on stderr through the rich console (above a live progress bar).

    ``0``: errors, and what puts completeness at risk (always); ``1``: warnings (retries);
    ``2``: debug (every request). Called by the group and by each command's ``-v``.
    """
    level = {0: logging.ERROR, 1: logging.WARNING}.get(verbose, logging.DEBUG)
    sdk_logger = logging.getLogger("xportcn_async")
    if not any(isinstance(h, RichHandler) for h in sdk_logger.handlers):
        handler = RichHandler(console=stderr, show_path=False, markup=False, rich_tracebacks=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
        sdk_logger.addHandler(handler)
    sdk_logger.setLevel(level)
    # What puts completeness at risk is always shown, whatever the verbosity.
    logging.getLogger("xportcn_async.integrity").setLevel(min(level, logging.WARNING))


def _verbosity(ctx: click.Context, _param: click.Parameter, value: int) -> None:
    if value:
        meta = ctx.find_root().meta
        meta["xportcn.verbose"] = max(meta.get("xportcn.verbose", 0), value)
        configure_logging(meta["xportcn.verbose"])


def verbose_option(command: Any) -> Any:
    """``-v`` / ``-vv`` on a subcommand (``xportcn sync orders -v``), like on ``xportcn``."""
    return click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        is_eager=True,
        callback=_verbosity,
        help="Log retries (-v) and every request (-vv).",
    )(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xportcn-async")
@click.option("-v", "--verbose", count=True, help="Log retries (-v) and every request (-vv).")
@click.pass_context
def main(ctx: click.Context, verbose: int) -> None:
    """Xportcn KA Open API tools: bulk order sync, exports, doctor and a local emulator."""
    ctx.meta["xportcn.verbose"] = verbose
    configure_logging(verbose)
