"""Run every benchmark with its default settings, one after the other (``make bench``).

    pip install -e '.[bench]'        # once: httpx, requests, pydantic, psutil, pyinstrument
    python benchmarks/run_all.py [--only overhead transport structuring list_walk memory sync
                                         workers]
                                 [--out FILE]

Each script prints its own table (Markdown) and the ratios against the baselines it
measured in the same run; see ``benchmarks/README.md``. Nothing is installed here: a
missing extra stops the run with the command to install it. ``--out`` also writes
everything printed to a file. Extra arguments after ``--`` go to every script.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
SCRIPTS = {
    "overhead": "bench_overhead.py",
    "transport": "bench_transport.py",
    "structuring": "bench_structuring.py",
    "list_walk": "bench_list_walk.py",
    "memory": "bench_memory.py",
    "sync": "bench_sync.py",
    "workers": "bench_workers.py",
}
NEEDED = ("httpx", "requests", "pydantic", "msgspec", "psutil", "asyncpg", "xportcn_async")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=list(SCRIPTS), default=list(SCRIPTS))
    parser.add_argument("--out", type=Path, help="also write the output to this file")
    parser.add_argument("extra", nargs="*", help="arguments passed to every script (after --)")
    args = parser.parse_args()

    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        print(
            f"missing: {', '.join(missing)}. Install the benchmark extras first:\n"
            "    pip install -e '.[bench]'",
            file=sys.stderr,
        )
        return 2

    chunks: list[str] = []
    failed = 0
    for key in args.only:
        cmd = [sys.executable, str(BENCH_DIR / SCRIPTS[key]), *args.extra]
        header = f"## {key}: {' '.join(['python', f'benchmarks/{SCRIPTS[key]}', *args.extra])}"
        print(header, flush=True)
        started = time.monotonic()
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        sys.stderr.write(result.stderr if result.returncode else "")
        print(result.stdout, flush=True)
        print(f"({time.monotonic() - started:.0f} s, exit {result.returncode})\n", flush=True)
        chunks += [header, result.stdout]
        failed += result.returncode != 0
    if args.out:
        args.out.write_text("\n".join(chunks))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
