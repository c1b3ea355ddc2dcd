"""Profile the SDK's bulk walk (what ``bench_list_walk.py`` measures as ``sdk``).

    python benchmarks/profile_walk.py [--profiler pyinstrument|cprofile] [--concurrency 8]
                                      [--orders 20000] [--raw]

Starts the emulator in its own process (fast mode), walks every order once to warm
up, then profiles a second walk in this process and prints the profile: a call tree
(pyinstrument, statistical, low overhead) or the top functions by own time
(cProfile, deterministic; it inflates many small calls). ``--raw`` profiles the
transport alone (``xp.request`` without models).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats

import bench_list_walk as walk
from _common import EmulatorProcess, check_credentials


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiler", choices=("pyinstrument", "cprofile"), default="pyinstrument")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--raw", action="store_true", help="xp.request only, no models")
    parser.add_argument("--top", type=int, default=30, help="cProfile: rows to print")
    args = parser.parse_args()
    check_credentials()
    runner = walk.run_sdk_raw if args.raw else walk.run_sdk
    with EmulatorProcess(args.orders) as emu:

        def once() -> None:
            asyncio.run(runner(emu.base_url, args.concurrency, args.page_size, None))

        once()  # warm up: the emulator's page cache, the SDK's generated code
        if args.profiler == "cprofile":
            profile = cProfile.Profile()
            profile.runcall(once)
            pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)
            return
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        once()
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False))


if __name__ == "__main__":
    main()
