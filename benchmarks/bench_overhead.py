"""Per-request overhead of the SDK outside the network, in microseconds.

    python benchmarks/bench_overhead.py [--reps 7] [--number 20000]

Each row times one operation ``--number`` times per repetition (``timeit``, the
garbage collector on) and gives the median over the repetitions, with the
min–max; the "baseline" rows are what a hand-written client does instead,
measured in the same run:

* signing: ``sign()`` alone; ``make_nonce()`` against the 32 × ``secrets.choice``
  a script (and this SDK before) writes; the five system headers as the signing
  middleware builds them, per attempt, against the same with the naive nonce;
* ``Clock.observe_date_header``: learning the clock offset from the ``Date``
  header of each answer (parsed once per distinct value) against parsing it
  every time;
* ``decode_response``: the envelope checks (code, message, request id, error
  mapping) of a short write answer and of a page of 50 Taobao orders, against a
  bare ``orjson.loads`` + ``code`` check and against ``json.loads``;
* the retry wrapper around one successful attempt: a tenacity ``AsyncRetrying``
  built per call the way ``Transport.send`` builds it (what the SDK runs for every
  call) against awaiting the attempt directly (what the "first attempt without
  tenacity" shortcut, removed in the one-pipeline rework, ran on success).
  ``bench_transport.py`` measures the same through ``Transport.send`` itself and
  over the loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import json
import secrets
import string
import time
import timeit
from collections.abc import Callable
from typing import Any

import orjson
from _common import FIXTURE, Summary, make_orders, print_machine, ratio, table
from tenacity import AsyncRetrying, RetryCallState

from xportcn_async.options import RetryPolicy
from xportcn_async.signing import Clock, SigningMiddleware, make_nonce, sign
from xportcn_async.transport import decode_response

KEY, SECRET, USER = "58c0201dfdf148eca63cbf6bb5e7cf03", "0123456789abcdef0123456789abcdef", "42"
SIGNED = (KEY, "1715669977", "abcdefghijklmnopqrstuvwxyz012345", SECRET)
ALPHABET = string.ascii_letters + string.digits


def naive_nonce() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(32))


def naive_headers() -> dict[str, str]:
    timestamp = str(int(time.time()))
    nonce = naive_nonce()
    return {
        "access-key": KEY,
        "timestamp": timestamp,
        "nonce-str": nonce,
        "user-id": USER,
        "signature": sign(KEY, timestamp, nonce, SECRET),
    }


def bare_decode(raw: bytes) -> Any:
    doc = orjson.loads(raw)
    if doc.get("code") != 200:
        raise RuntimeError(doc.get("msg"))
    return doc.get("data")


def stdlib_decode(raw: bytes) -> Any:
    doc = json.loads(raw)
    if doc.get("code") != 200:
        raise RuntimeError(doc.get("msg"))
    return doc.get("data")


def retry_cases(loop: asyncio.AbstractEventLoop, number: int) -> dict[str, Callable[[], float]]:
    """Per-call seconds of the retry wrapper around an attempt that succeeds at once."""
    policy = RetryPolicy()

    async def attempt() -> int:
        return 1

    async def direct() -> int:
        return await attempt()

    async def tenacity_per_call() -> int:
        # As Transport.send builds it: the policy decides, before_sleep counts and logs.
        waits: dict[int, float] = {}

        def should_retry(state: RetryCallState) -> bool:
            error = state.outcome.exception() if state.outcome is not None else None
            if error is None:
                return False
            wait = policy.decide(error, state.attempt_number, idempotent=True)
            if wait is None:
                return False
            waits[state.attempt_number] = wait
            return True

        def before_sleep(state: RetryCallState) -> None:
            raise AssertionError("the attempt never fails here")

        retrying = AsyncRetrying(
            retry=should_retry,
            wait=lambda state: waits[state.attempt_number],
            sleep=policy.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        async for tried in retrying:
            with tried:
                return await attempt()
        raise AssertionError("unreachable")

    def timed(fn: Callable[[], Any]) -> Callable[[], float]:
        async def many() -> float:
            started = time.perf_counter()
            for _ in range(number):
                await fn()
            return (time.perf_counter() - started) / number

        return lambda: loop.run_until_complete(many())

    return {
        "retry wrapper: tenacity AsyncRetrying per call (the SDK)": timed(tenacity_per_call),
        "retry wrapper: none, attempt awaited directly (baseline)": timed(direct),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--number", type=int, default=20_000, help="calls per repetition")
    args = parser.parse_args()

    middleware = SigningMiddleware(
        access_key=KEY, access_secret=SECRET, user_id=USER, clock=Clock()
    )
    fixture = orjson.loads(FIXTURE.read_bytes())
    short = orjson.dumps({**fixture, "data": None})
    page = orjson.dumps({**fixture, "data": {"total": 20_000, "data": make_orders(50)}})
    date = email.utils.formatdate(time.time(), usegmt=True)
    clock = Clock()

    n, n_page = args.number, max(1, args.number // 100)
    nonce_base = "32 × secrets.choice (baseline)"
    headers_base = "hand-written headers, secrets.choice nonce (baseline)"
    date_base = "parsedate_to_datetime(Date) (baseline)"
    short_base = "orjson.loads + code check, short (baseline)"
    page_base = "orjson.loads + code check, page (baseline)"
    # (group, name, callable, calls per repetition, baseline name or None)
    cases: list[tuple[str, str, Callable[[], Any], int, str | None]] = [
        ("signing", "sign() (MD5 of the concatenation)", lambda: sign(*SIGNED), n, None),
        ("signing", "make_nonce()", make_nonce, n, nonce_base),
        ("signing", nonce_base, naive_nonce, n, None),
        ("signing", "SigningMiddleware.headers() (5 headers)", middleware.headers, n, headers_base),
        ("signing", headers_base, naive_headers, n, None),
        (
            "clock",
            "Clock.observe_date_header(Date)",
            lambda: clock.observe_date_header(date),
            n,
            date_base,
        ),
        ("clock", date_base, lambda: email.utils.parsedate_to_datetime(date), n, None),
        (
            "envelope",
            f"decode_response(): short answer ({len(short)} B)",
            lambda: decode_response(200, {}, short),
            n,
            short_base,
        ),
        ("envelope", short_base, lambda: bare_decode(short), n, None),
        ("envelope", "json.loads + code check, short", lambda: stdlib_decode(short), n, short_base),
        (
            "envelope",
            f"decode_response(): page of 50 orders ({len(page) // 1024} KiB)",
            lambda: decode_response(200, {}, page),
            n_page,
            page_base,
        ),
        ("envelope", page_base, lambda: bare_decode(page), n_page, None),
        (
            "envelope",
            "json.loads + code check, page",
            lambda: stdlib_decode(page),
            n_page,
            page_base,
        ),
    ]
    per_call: dict[str, list[float]] = {name: [] for _, name, _, _, _ in cases}
    loop = asyncio.new_event_loop()
    retry = retry_cases(loop, args.number)
    for name in retry:
        per_call[name] = []
    for _ in range(args.reps):
        for _, name, fn, number, _ in cases:
            per_call[name].append(timeit.timeit(fn, number=number, setup="gc.enable()") / number)
        for name, run in retry.items():
            per_call[name].append(run())
    loop.close()

    print_machine()
    print(f"# {args.reps} repetitions of {args.number:,} calls (pages: 1/100 of that)")
    print()
    rows = []
    medians = {name: Summary.of(values).median for name, values in per_call.items()}
    for group, name, _, _, baseline in cases:
        s = Summary.of([v * 1e6 for v in per_call[name]])
        rows.append(
            [group, name, s.fmt(2), ratio(medians[baseline], medians[name]) if baseline else ""]
        )
    retry_names = list(retry)
    for name in retry_names:
        s = Summary.of([v * 1e6 for v in per_call[name]])
        speed = ratio(medians[retry_names[1]], medians[name]) if name == retry_names[0] else ""
        rows.append(["transport", name, s.fmt(2), speed])
    print(table(["", "operation", "µs per call median (min–max)", "speed vs baseline"], rows))
    print()
    print("speed vs baseline: the baseline's median time / this row's median time.")


if __name__ == "__main__":
    main()
