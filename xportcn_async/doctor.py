"""``xportcn doctor`` as a library: check credentials, signature, clock and every read path.

A third of the catalogue's paths are not confirmed by the docs. :func:`diagnose` lets the
first user with real credentials confirm them in one call::

    report = await diagnose(ClientConfig.from_env())
    print(report.outcome, [p.key for p in report.not_found])

Steps, each one a :class:`Check` (or a :class:`Probe` per operation) in the
:class:`DoctorReport`:

1. ``credentials``: ``XPORTCN_ACCESS_KEY``, ``XPORTCN_ACCESS_SECRET``, ``XPORTCN_USER_ID``
   present (all missing ones are named at once; :func:`diagnose_env` only).
2. ``signature``: one cheap authenticated read, a confirmed (provenance ``KA``) read from the
   catalogue with page size 1. Refused as unauthenticated, it is signed once more if the answer
   taught the clock the server's time, then tried with the other ``timestamp_unit``
   (``"s"``/``"ms"``); the report says which unit works.
3. ``clock``: the server's ``Date`` header against this machine's clock (warn past 30 s).
4. one :class:`Probe` per read (catalogue ``idempotent=True``) with a harmless request: page 1
   of size 1 for a list, a dummy id for a detail. Any envelope, even an error one ("not
   found", "bad parameter"), proves that the path exists and is signed; only HTTP 404, HTTP
   405, or an answer that is not an envelope (an HTML page) says the path is wrong here.

Nothing is hard-coded about paths: the operations, methods, paths, provenance tags and
paging styles come from :data:`~xportcn_async.endpoints.CATALOGUE` (with the config's
``endpoint_paths`` overrides) when :func:`diagnose` runs. **A write is never sent**: an
operation whose ``idempotent`` is False is refused by :func:`require_read` before anything
goes on the wire. The secret and the signatures never appear in a report.
"""

from __future__ import annotations

import asyncio
import email.utils
import enum
import os
import re
import statistics
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any, Literal

import aiohttp
import attrs

from .client import XportcnClient
from .config import ENV_ACCESS_KEY, ENV_ACCESS_SECRET, ENV_BASE_URL, ENV_USER_ID, ClientConfig
from .endpoints import Endpoint, Provenance, resolve_endpoints
from .errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    RateLimitError,
    ResponseDecodeError,
    ResponseTooLargeError,
    ServerError,
    TransportError,
    XportcnError,
)
from .options import RetryPolicy
from .signing import SKEW_THRESHOLD_S
from .transport import Envelope

__all__ = [
    "Check",
    "DoctorReport",
    "Outcome",
    "Probe",
    "Status",
    "diagnose",
    "diagnose_env",
    "probe_body",
    "read_operations",
    "require_read",
]

#: Version of the JSON report layout (:meth:`DoctorReport.as_dict`).
REPORT_VERSION = 1
#: Seconds one probe may take in all (connect, send, read the body).
DEFAULT_PROBE_TIMEOUT = 10.0
#: Probes in flight at once.
DEFAULT_CONCURRENCY = 4
#: Past this many seconds between the server's clock and ours, the clock check warns.
SKEW_WARN_S = SKEW_THRESHOLD_S
#: The server refuses timestamps further than this from its own clock (spec §1).
SERVER_WINDOW_S = 600.0

_HINT_PATH = "/the/right/path"


class Status(str, enum.Enum):
    """The result of one check or probe."""

    OK = "ok"  # passed (a probe: the path answers here)
    WARN = "warn"  # passed, with something to look at
    FAIL = "fail"  # failed, or could not be checked (no answer, server error, rate limited)
    NOT_FOUND = "not_found"  # a probe: the path answers 404 or not as the API here
    SKIPPED = "skipped"  # not run (an earlier step failed)


class Outcome(str, enum.Enum):
    """The verdict of a report; the CLI maps it to an exit code (see ``docs/doctor.md``)."""

    OK = "ok"  # credentials and signature accepted, every read path found
    CONFIG = "config"  # credentials missing or configuration invalid
    UNREACHABLE = "unreachable"  # no answer from the server, or none from the API at base_url
    AUTH = "auth"  # the signature was refused (with both timestamp units)
    PATHS = "paths"  # some read paths not found here, or not checkable (see the probes)


@attrs.frozen(kw_only=True)
class Check:
    """One step: ``credentials``, ``signature`` or ``clock``."""

    name: str
    status: Status
    detail: str
    endpoint: str | None = None  # the operation key the check called, if any
    request_id: str | None = None
    http_status: int | None = None
    elapsed: float | None = None  # seconds

    def as_dict(self) -> dict[str, Any]:
        """The check as JSON-ready values."""
        return _plain(attrs.asdict(self, recurse=False))


@attrs.frozen(kw_only=True)
class Probe:
    """The answer of one read operation's path to a harmless request.

    ``found`` is True when the path answered as the API (an envelope, whatever its code),
    False when it answered HTTP 404 / 405 or not as the API, None when it could not be
    told (no answer, a server error page, rate limited, skipped). ``hint`` is the override
    to try when the path is not found here.
    """

    key: str
    method: str
    path: str
    default_path: str
    provenance: str
    status: Status
    found: bool | None
    detail: str
    code: int | None = None  # the envelope's code
    request_id: str | None = None
    http_status: int | None = None
    elapsed: float | None = None
    hint: str | None = None

    @property
    def overridden(self) -> bool:
        """True when the path probed is an ``endpoint_paths`` override."""
        return self.path != self.default_path

    def as_dict(self) -> dict[str, Any]:
        """The probe as JSON-ready values."""
        return {**_plain(attrs.asdict(self, recurse=False)), "overridden": self.overridden}


@attrs.frozen(kw_only=True)
class DoctorReport:
    """Everything :func:`diagnose` found; :meth:`as_dict` is the JSON a user can send back."""

    outcome: Outcome
    base_url: str | None
    access_key: str | None  # the first 4 characters only
    timestamp_unit: str | None  # the unit the server accepted, None when none was
    clock_skew: float | None  # seconds, server clock minus this machine's clock
    clock_offset: float | None  # seconds the SDK's clock adds when signing
    checks: tuple[Check, ...]
    probes: tuple[Probe, ...]
    endpoint_paths: Mapping[str, str] = attrs.field(factory=dict)
    started_at: str = ""
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """True when auth works and every read path was found."""
        return self.outcome is Outcome.OK

    @property
    def not_found(self) -> list[Probe]:
        """The probes whose path is not found here."""
        return [p for p in self.probes if p.status is Status.NOT_FOUND]

    def check(self, name: str) -> Check:
        """The check called ``name`` (``credentials``, ``signature``, ``clock``)."""
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)

    def probe(self, key: str) -> Probe:
        """The probe of the operation ``key``."""
        for p in self.probes:
            if p.key == key:
                return p
        raise KeyError(key)

    def summary(self) -> dict[str, int]:
        """Probes per status, plus ``found`` and ``total``."""
        counts = {s.value: 0 for s in Status}
        for p in self.probes:
            counts[p.status.value] += 1
        counts["found"] = sum(1 for p in self.probes if p.found)
        counts["total"] = len(self.probes)
        return counts

    def as_dict(self) -> dict[str, Any]:
        """One JSON-ready object: every check, every read operation, the verdict."""
        from . import __version__

        return {
            "report_version": REPORT_VERSION,
            "sdk_version": __version__,
            "started_at": self.started_at,
            "elapsed_s": round(self.elapsed, 3),
            "outcome": self.outcome.value,
            "base_url": self.base_url,
            "access_key": self.access_key,
            "timestamp_unit": self.timestamp_unit,
            "clock_skew_s": None if self.clock_skew is None else round(self.clock_skew, 1),
            "clock_offset_s": None if self.clock_offset is None else round(self.clock_offset, 1),
            "endpoint_paths": dict(self.endpoint_paths),
            "checks": [c.as_dict() for c in self.checks],
            "probes": [p.as_dict() for p in self.probes],
            "summary": self.summary(),
        }


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, enum.Enum):
            value = value.value
        elif isinstance(value, float):
            value = round(value, 4)
        out[name] = value
    return out


# --------------------------------------------------------------------------- what is probed


def _tag(provenance: Provenance | str) -> str:
    return str(getattr(provenance, "value", provenance))


#: Last key segments that name a write. A belt over the braces of ``idempotent``: should a
#: write ever be marked idempotent (a server that deduplicates it), the doctor still skips it.
_WRITE_VERBS = (
    "create",
    "pay",
    "upsert",
    "update",
    "upload",
    "submit",
    "forecast",
    "inbound",
    "delete",
    "cancel",
    "book",
)


def _looks_like_write(ep: Endpoint) -> bool:
    last = ep.key.rsplit(".", 1)[-1]
    return ep.multipart or last.startswith(_WRITE_VERBS)


def require_read(ep: Endpoint) -> None:
    """Raise :class:`AssertionError` unless ``ep`` is a read (``idempotent=True``).

    Called before every request the doctor sends (a real check, not an ``assert``
    statement: it holds under ``python -O`` too).
    """
    if not ep.idempotent or _looks_like_write(ep):
        raise AssertionError(f"xportcn doctor never calls a write: {ep.key} is not a read")


def read_operations(endpoints: Mapping[str, Endpoint]) -> list[Endpoint]:
    """The operations the doctor probes: every ``idempotent=True`` one, in catalogue order.

    Uploads (multipart) and keys that name a write are left out even if marked idempotent.
    """
    return [ep for ep in endpoints.values() if ep.idempotent and not _looks_like_write(ep)]


#: Dummy values for the reads, beyond their paging fields: ids that exist nowhere, so the
#: answer is an envelope ("not found", "bad parameter") that proves the path and touches
#: nothing. A read not listed here gets its paging fields only (or an empty body).
_DUMMY_FIELDS: Mapping[str, Mapping[str, Any]] = {
    "logistics.estimate_freight": {"itemId": "0", "quantity": 1},
    "alibaba.products.search": {"keyword": "doctor"},
    "alibaba.products.category": {"categoryId": "0"},
    "alibaba.products.detail": {"offerId": "0"},
    "alibaba.products.detail_multi": {"offerIds": ["0"]},
    "alibaba.products.estimate_freight": {"offerId": "0"},
    "alibaba.orders.detail": {"orderId": "0", "webSite": "1688"},
    "alibaba.orders.logistics": {"orderId": "0", "webSite": "1688"},
    "alibaba.after_sales.refund_reasons": {"orderId": "0"},
    "taobao.products.detail": {"itemId": "0"},
    "taobao.products.search": {"keyword": "doctor"},
}


def probe_body(ep: Endpoint) -> dict[str, Any]:
    """The harmless request body (or query, for a GET) that probes ``ep``.

    Paging fields come from the catalogue's paging style (``"pageNum/pageSize"`` →
    ``{"pageNum": 1, "pageSize": 1}``; extra fields such as ``taskId`` get a dummy ``"0"``);
    details get a dummy id.
    """
    require_read(ep)
    body: dict[str, Any] = {}
    fields = re.findall(r"[A-Za-z]+", _tag(ep.paging))
    if fields and fields[0].lower() != "none":
        for i, name in enumerate(fields):
            body[name] = 1 if i == 0 or name.lower().endswith("size") else "0"
    body.update(_DUMMY_FIELDS.get(ep.key, {}))
    return body


def _auth_candidates(endpoints: Mapping[str, Endpoint]) -> list[Endpoint]:
    """Confirmed (KA) reads for the signature check: order lists first, then other lists."""
    reads = [ep for ep in read_operations(endpoints) if _tag(ep.provenance) == "KA"]

    def rank(ep: Endpoint) -> tuple[int, int]:
        paged = re.sub(r"[^a-z]", "", _tag(ep.paging).lower()) not in ("", "none")
        return (0 if ep.key.endswith("orders.list") else 1, 0 if paged else 1)

    return sorted(reads, key=rank)


# --------------------------------------------------------------------------- one request

_SIGNATURE_LIKE = re.compile(r"\b[0-9A-F]{32}\b")


def _scrub(text: str, secret: str) -> str:
    """Server text without the secret or anything shaped like a signature (32 upper hex)."""
    if secret:
        text = text.replace(secret, "***")
    return _SIGNATURE_LIKE.sub("***", text)


def _excerpt(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@attrs.frozen(kw_only=True)
class _Answer:
    """What one probe request gave: the classification and the ids to report."""

    status: Status
    found: bool | None
    detail: str
    auth_refused: bool = False
    unreachable: bool = False
    clock_corrected: bool = False
    code: int | None = None
    request_id: str | None = None
    http_status: int | None = None
    elapsed: float | None = None


def classify(
    result: Envelope | BaseException, *, method: str = "POST", secret: str = ""
) -> _Answer:
    """Sort one answer into found / not found here / could not be told.

    Any envelope, whatever its code, proves the path (a dummy id answering "not found" is
    expected). HTTP 404 and answers that are not an envelope (an HTML page, JSON without
    ``code``) are "not found here". HTTP 405 is a failure of a found path (the method is
    wrong). No answer, a 5xx page without an envelope and rate limits are "not checked".
    """
    if isinstance(result, Envelope):
        return _Answer(
            status=Status.OK,
            found=True,
            detail=f"found: answered code {result.code}",
            code=result.code,
            request_id=result.request_id,
            http_status=result.http_status,
        )
    if isinstance(result, TransportError):
        return _Answer(
            status=Status.FAIL,
            found=None,
            detail=f"not checked: no answer ({_scrub(str(result), secret)})",
            unreachable=True,
        )
    if isinstance(result, ResponseTooLargeError):
        return _Answer(
            status=Status.WARN,
            found=None,
            detail="not checked: the answer is larger than max_response_bytes",
            http_status=result.http_status,
        )
    if isinstance(result, ResponseDecodeError):
        excerpt = _excerpt(_scrub(result.body_excerpt, secret))
        return _Answer(
            status=Status.NOT_FOUND,
            found=False,
            detail=f"not found here: HTTP {result.http_status} answered, but not as the API "
            f"(not an envelope): {excerpt!r}",
            http_status=result.http_status,
        )
    if isinstance(result, APIError):
        http = result.http_status
        msg = _excerpt(_scrub(result.msg, secret)) or "(no message)"
        common: dict[str, Any] = {
            "code": result.code,
            "request_id": result.request_id,
            "http_status": http,
        }
        envelope = result.code is not None
        said = f"code {result.code}: {msg}" if envelope else msg
        if http == 404:
            return _Answer(
                status=Status.NOT_FOUND,
                found=False,
                detail=f"not found here: HTTP 404 ({said})",
                **common,
            )
        if http == 405:
            return _Answer(
                status=Status.FAIL,
                found=True,
                detail=f"the path answers but refuses {method} (HTTP 405): the catalogue's "
                "method may be wrong for this operation",
                **common,
            )
        if isinstance(result, AuthenticationError):
            return _Answer(
                status=Status.WARN,
                found=True if envelope else None,
                detail=f"refused as unauthenticated ({said})",
                auth_refused=True,
                clock_corrected=result.clock_corrected,
                **common,
            )
        if isinstance(result, RateLimitError):
            return _Answer(
                status=Status.FAIL,
                found=None,
                detail=f"not checked: rate limited ({said}); run again with --concurrency 1",
                **common,
            )
        if not envelope and http is not None and http >= 500:
            return _Answer(
                status=Status.FAIL,
                found=None,
                detail=f"not checked: server error HTTP {http} without an envelope ({said})",
                **common,
            )
        if not envelope:
            return _Answer(
                status=Status.NOT_FOUND,
                found=False,
                detail=f"not found here: HTTP {http} answered, but not as the API ({said})",
                **common,
            )
        if isinstance(result, ServerError):
            return _Answer(
                status=Status.WARN,
                found=True,
                detail=f"found, but the server failed on the dummy request ({said})",
                **common,
            )
        return _Answer(
            status=Status.OK,
            found=True,
            detail=f"found: answered {said} (expected for a dummy request)",
            **common,
        )
    if isinstance(result, XportcnError):
        return _Answer(
            status=Status.FAIL, found=None, detail=f"not checked: {_scrub(str(result), secret)}"
        )
    raise result


async def _ask(xp: XportcnClient, ep: Endpoint, timeout: float) -> _Answer:
    """Send the harmless request for ``ep`` once (signed again once if the clock moved)."""
    require_read(ep)
    body = probe_body(ep)
    get = ep.method.upper() == "GET"
    params = (
        {k: str(v) for k, v in body.items() if not isinstance(v, (list, dict))} if get else None
    )
    secret = xp.config.access_secret
    answer: _Answer | None = None
    for _ in range(2):
        started = time.perf_counter()
        result: Envelope | BaseException
        try:
            result = await xp.request(
                ep.method,
                ep.path,
                json=None if get else body,
                params=params or None,
                idempotent=True,
                timeout=timeout,
                retry=RetryPolicy(attempts=1),
            )
        except XportcnError as exc:
            result = exc
        answer = attrs.evolve(
            classify(result, method=ep.method, secret=secret),
            elapsed=time.perf_counter() - started,
        )
        if not (answer.auth_refused and answer.clock_corrected):
            break
        # The refusal taught the clock the server's time: the SDK would sign once more too.
    assert answer is not None
    return answer


# --------------------------------------------------------------------------- the clock


class _DateWatch:
    """Collects (server Date, local send/receive times) of every answer via aiohttp tracing."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.config = aiohttp.TraceConfig()
        self.config.on_request_start.append(self._start)
        self.config.on_request_end.append(self._end)

    async def _start(self, _s: aiohttp.ClientSession, ctx: SimpleNamespace, _p: Any) -> None:
        ctx.doctor_sent = time.time()

    async def _end(
        self, _s: aiohttp.ClientSession, ctx: SimpleNamespace, params: aiohttp.TraceRequestEndParams
    ) -> None:
        received = time.time()
        value = params.response.headers.get("Date")
        if not value:
            return
        try:
            server = email.utils.parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return
        sent = getattr(ctx, "doctor_sent", received)
        # Date is truncated to the second: its middle is half a second later.
        self.samples.append(server + 0.5 - (sent + received) / 2)

    def skew(self) -> float | None:
        """Server clock minus this machine's clock (median of the answers), or None."""
        return statistics.median(self.samples) if self.samples else None


def _clock_check(watch: _DateWatch, xp: XportcnClient) -> Check:
    skew = watch.skew()
    if skew is None:
        return Check(
            name="clock",
            status=Status.SKIPPED,
            detail="no answer carried a Date header: the clock could not be compared",
        )
    config = xp.config
    where = "behind" if skew > 0 else "ahead of"
    offset = xp.clock.offset
    if abs(skew) <= SKEW_WARN_S:
        return Check(
            name="clock",
            status=Status.OK,
            detail=f"this machine's clock is within {SKEW_WARN_S:.0f} s of the server's "
            f"({skew:+.1f} s; the Date header has a 1 s resolution)",
        )
    text = f"this machine's clock is {abs(skew):.0f} s {where} the server's; "
    if config.clock_offset is not None:
        text += f"clock_offset={config.clock_offset:g} is configured"
        residue = skew - config.clock_offset
        if abs(residue) > SERVER_WINDOW_S:
            text += f", which leaves {residue:+.0f} s: more than the server's ±600 s"
            return Check(name="clock", status=Status.FAIL, detail=text)
        return Check(name="clock", status=Status.WARN, detail=text + "; fix the clock (NTP)")
    if abs(skew) > config.max_clock_offset:
        text += (
            f"more than the {config.max_clock_offset:.0f} s the SDK adopts (max_clock_offset): "
            "signatures are refused; fix the clock (NTP) or pass clock_offset"
        )
        return Check(name="clock", status=Status.FAIL, detail=text)
    text += (
        f"the SDK corrects its signatures by itself (learned offset {offset:+.0f} s), but "
        "fix the clock (NTP): other tools will be refused past 600 s"
    )
    return Check(name="clock", status=Status.WARN, detail=text)


# --------------------------------------------------------------------------- the steps


def _mask(key: str) -> str:
    return key[:4] + "…" if len(key) > 4 else "…"


def _other(unit: str) -> Literal["s", "ms"]:
    return "ms" if unit == "s" else "s"


@attrs.define
class _AuthResult:
    check: Check
    unit: Literal["s", "ms"] | None = None
    unreachable: bool = False
    refused: bool = False


async def _check_signature(
    clients: Mapping[str, XportcnClient],
    first: Literal["s", "ms"],
    candidates: Sequence[Endpoint],
    timeout: float,
) -> _AuthResult:
    if not candidates:
        return _AuthResult(
            Check(
                name="signature",
                status=Status.FAIL,
                detail="the catalogue has no confirmed (KA) read to check the signature with",
            )
        )
    tried: list[str] = []
    for ep in candidates:
        answer = await _ask(clients[first], ep, timeout)
        ids: dict[str, Any] = {
            "endpoint": ep.key,
            "request_id": answer.request_id,
            "http_status": answer.http_status,
            "elapsed": answer.elapsed,
        }
        if answer.unreachable:
            return _AuthResult(
                Check(name="signature", status=Status.FAIL, detail=answer.detail, **ids),
                unreachable=True,
            )
        if answer.auth_refused:
            refusals = [f"timestamp_unit={first!r}: {answer.detail}"]
            second = _other(first)
            retry = await _ask(clients[second], ep, timeout)
            if retry.found and not retry.auth_refused:
                ids.update(request_id=retry.request_id, http_status=retry.http_status)
                return _AuthResult(
                    Check(
                        name="signature",
                        status=Status.WARN,
                        detail=f"accepted with timestamp_unit={second!r} only "
                        f"({ep.key}: {retry.detail}); refused with {first!r} "
                        f"({answer.detail}): pass timestamp_unit={second!r} to "
                        "XportcnClient / ClientConfig",
                        **ids,
                    ),
                    unit=second,
                )
            refusals.append(f"timestamp_unit={second!r}: {retry.detail}")
            return _AuthResult(
                Check(
                    name="signature",
                    status=Status.FAIL,
                    detail=f"refused ({ep.key}) with both timestamp units: "
                    + "; ".join(refusals)
                    + f". Check {ENV_ACCESS_KEY}, {ENV_ACCESS_SECRET}, {ENV_USER_ID} "
                    "and this machine's clock",
                    **ids,
                ),
                refused=True,
            )
        if answer.found:
            return _AuthResult(
                Check(
                    name="signature",
                    status=Status.OK,
                    detail=f"accepted with timestamp_unit={first!r} ({ep.key}: {answer.detail})",
                    **ids,
                ),
                unit=first,
            )
        tried.append(f"{ep.key} {ep.method} {ep.path}: {answer.detail}")
    not_api = all("not found here" in t for t in tried)
    return _AuthResult(
        Check(
            name="signature",
            status=Status.FAIL,
            detail="no confirmed read answered as the API, so the signature could not be "
            "checked: " + "; ".join(tried) + (" (is the base URL right?)" if not_api else ""),
        ),
        unreachable=not_api,
    )


def _probe(ep: Endpoint, default: Endpoint | None, answer: _Answer | None, why: str = "") -> Probe:
    default_path = default.path if default is not None else ep.path
    hint = None
    if answer is not None and answer.status is Status.NOT_FOUND:
        hint = f'endpoint_paths={{"{ep.key}": "{_HINT_PATH}"}}'
    return Probe(
        key=ep.key,
        method=ep.method,
        path=ep.path,
        default_path=default_path,
        provenance=_tag(ep.provenance),
        status=answer.status if answer is not None else Status.SKIPPED,
        found=answer.found if answer is not None else None,
        detail=answer.detail if answer is not None else why,
        code=answer.code if answer is not None else None,
        request_id=answer.request_id if answer is not None else None,
        http_status=answer.http_status if answer is not None else None,
        elapsed=answer.elapsed if answer is not None else None,
        hint=hint,
    )


async def diagnose(
    config: ClientConfig,
    *,
    probe_timeout: float = DEFAULT_PROBE_TIMEOUT,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> DoctorReport:
    """Check the signature and the clock, then probe every read path (module docstring).

    ``probe_timeout`` bounds each request (no retries); at most ``concurrency`` probes run
    at once. Never raises for what the server answers: every failure is in the report.
    """
    if concurrency < 1:
        raise ConfigurationError(f"concurrency must be >= 1, got {concurrency!r}")
    if probe_timeout <= 0:
        raise ConfigurationError(f"probe_timeout must be > 0, got {probe_timeout!r}")
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    endpoints = resolve_endpoints(config.endpoint_paths)
    defaults = resolve_endpoints()
    reads = read_operations(endpoints)
    credentials = Check(
        name="credentials",
        status=Status.OK,
        detail=f"access key {_mask(config.access_key)}, secret and user id are set",
    )
    watch = _DateWatch()
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=max(concurrency, 2), ssl=config.verify_ssl),
        timeout=aiohttp.ClientTimeout(total=config.total_timeout, connect=config.connect_timeout),
        trace_configs=[watch.config],
    )
    try:
        first: Literal["s", "ms"] = config.timestamp_unit
        clients: dict[str, XportcnClient] = {
            unit: XportcnClient(config=attrs.evolve(config, timestamp_unit=unit), session=session)
            for unit in (first, _other(first))
        }
        auth = await _check_signature(clients, first, _auth_candidates(endpoints), probe_timeout)
        probes: list[Probe]
        if auth.unreachable or auth.refused:
            why = "skipped: " + (
                "the API could not be reached" if auth.unreachable else "the signature was refused"
            )
            probes = [_probe(ep, defaults.get(ep.key), None, why) for ep in reads]
        else:
            xp = clients[auth.unit or first]
            limit = asyncio.Semaphore(concurrency)

            async def one(ep: Endpoint) -> Probe:
                async with limit:
                    return _probe(ep, defaults.get(ep.key), await _ask(xp, ep, probe_timeout))

            probes = list(await asyncio.gather(*(one(ep) for ep in reads)))
        xp_used = clients[auth.unit or first]
        clock = _clock_check(watch, xp_used)
    finally:
        await session.close()
    if auth.unreachable:
        outcome = Outcome.UNREACHABLE
    elif auth.refused:
        outcome = Outcome.AUTH
    elif auth.check.status is Status.FAIL or any(
        p.status in (Status.NOT_FOUND, Status.FAIL) for p in probes
    ):
        outcome = Outcome.PATHS
    else:
        outcome = Outcome.OK
    return DoctorReport(
        outcome=outcome,
        base_url=config.base_url,
        access_key=_mask(config.access_key),
        timestamp_unit=auth.unit,
        clock_skew=watch.skew(),
        clock_offset=xp_used.clock.offset,
        checks=(credentials, auth.check, clock),
        probes=tuple(probes),
        endpoint_paths=dict(config.endpoint_paths),
        started_at=started_at,
        elapsed=time.perf_counter() - t0,
    )


def _config_failure(
    detail: str, environ: Mapping[str, str], overrides: Mapping[str, Any]
) -> DoctorReport:
    try:
        paths = overrides.get("endpoint_paths") or {}
        reads = read_operations(resolve_endpoints(paths))
    except ConfigurationError:
        paths, reads = {}, read_operations(resolve_endpoints())
    key = overrides.get("access_key") or environ.get(ENV_ACCESS_KEY)
    skipped = "skipped: the configuration is not usable"
    return DoctorReport(
        outcome=Outcome.CONFIG,
        base_url=overrides.get("base_url") or environ.get(ENV_BASE_URL) or None,
        access_key=_mask(str(key)) if key else None,
        timestamp_unit=None,
        clock_skew=None,
        clock_offset=None,
        checks=(
            Check(name="credentials", status=Status.FAIL, detail=detail),
            Check(name="signature", status=Status.SKIPPED, detail=skipped),
            Check(name="clock", status=Status.SKIPPED, detail=skipped),
        ),
        probes=tuple(_probe(ep, None, None, skipped) for ep in reads),
        endpoint_paths=dict(paths) if isinstance(paths, Mapping) else {},
        started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


async def diagnose_env(
    environ: Mapping[str, str] | None = None,
    *,
    probe_timeout: float = DEFAULT_PROBE_TIMEOUT,
    concurrency: int = DEFAULT_CONCURRENCY,
    **overrides: Any,
) -> DoctorReport:
    """:func:`diagnose` with the configuration of :meth:`ClientConfig.from_env`.

    Every missing credential variable is named at once; a missing or invalid configuration
    is a report with outcome ``config`` (nothing is sent), not an exception.
    """
    env = os.environ if environ is None else environ
    fields = (
        ("access_key", ENV_ACCESS_KEY),
        ("access_secret", ENV_ACCESS_SECRET),
        ("user_id", ENV_USER_ID),
    )
    missing = [var for field, var in fields if field not in overrides and not env.get(var)]
    if missing:
        detail = "not set: " + ", ".join(missing) + " (export " + ", ".join(missing) + ")"
        return _config_failure(detail, env, overrides)
    try:
        config = ClientConfig.from_env(env, **overrides)
        resolve_endpoints(config.endpoint_paths)
    except ConfigurationError as exc:
        return _config_failure(str(exc), env, overrides)
    return await diagnose(config, probe_timeout=probe_timeout, concurrency=concurrency)
