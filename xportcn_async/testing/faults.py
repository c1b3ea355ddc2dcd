"""Fault injection for the emulator: deterministic, per endpoint, changeable at runtime.

A :class:`FaultPlan` holds a default :class:`FaultRule` and optional per-endpoint
rules (by catalogue key). Each endpoint key draws from its own
``random.Random(f"{seed}/faults/{key}")``, and every request consumes the same
number of draws whatever happens, so the same seed and plan give the same
sequence of outcomes per endpoint, even when other endpoints are called in between.

Kinds of fault (``FaultRule`` field → what the client sees):

==================  ======================================================================
``reset``           the connection is closed before the request is handled (nothing done)
``reset_after``     the request **is handled** (an order may be created), then the
                    connection is closed without an answer: the "did it happen?" case
``server_error``    HTTP 500/502/503 (``server_statuses``) with a JSON envelope, code = status
``html_error``      HTTP 502/503/504 with an nginx-style HTML page (no JSON at all)
``rate_limit``      HTTP 429 with ``Retry-After: <retry_after>`` and an envelope (code 429);
                    ``rate_limit_burst`` consecutive requests get it once triggered
``business_error``  HTTP 200 with an envelope ``code`` from ``business_codes`` (500…)
``truncate``        HTTP 200 whose JSON body is cut short (Content-Length matches the cut)
``delay``           the answer is sent ``delay_seconds`` late (after handling): client timeouts
==================  ======================================================================

``script`` forces the outcomes of the first requests of an endpoint (kind names or
``"ok"``), before probabilities apply: ``FaultRule(script=("reset", "rate_limit", "ok"))``.

Drift is not an error but a race: with ``drift_per_request=N``, every list request
(``taobao.orders.list``, ``alibaba.orders.list``) first inserts N brand-new orders at
the top of that list, as if customers kept buying while a sync walks the pages.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

__all__ = ["FAULT_KINDS", "FaultDecision", "FaultInjector", "FaultPlan", "FaultRule"]

#: The fault kinds, in the order their probabilities are stacked on one draw.
FAULT_KINDS: tuple[str, ...] = (
    "reset",
    "reset_after",
    "server_error",
    "html_error",
    "rate_limit",
    "business_error",
    "truncate",
    "delay",
)
_EXCLUSIVE = FAULT_KINDS[:-1]  # delay combines with "ok" (and is drawn separately)
DRIFT_ENDPOINTS = frozenset({"taobao.orders.list", "alibaba.orders.list"})


def _probability(instance: Any, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} must be a probability in [0, 1], got {value!r}")


def _non_negative(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value!r}")


def _as_script(value: Iterable[str]) -> tuple[str, ...]:
    # A typed converter: with ``converter=tuple`` the generated ``__init__`` would take an
    # ``Iterable[_T_co]`` that no argument type-checks against.
    return tuple(value)


def _as_endpoint_keys(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)  # typed, like _as_script


def _script(instance: Any, attribute: attrs.Attribute[tuple[str, ...]], value: Any) -> None:
    for item in value:
        if item != "ok" and item not in FAULT_KINDS:
            raise ValueError(
                f"script entries must be 'ok' or one of {', '.join(FAULT_KINDS)}; got {item!r}"
            )


@attrs.frozen(kw_only=True)
class FaultRule:
    """Probabilities (per request) and parameters of each fault kind for one endpoint.

    The exclusive kinds (all but ``delay``) are stacked on one uniform draw, so
    their probabilities must add up to at most 1. ``delay`` is drawn separately
    and can hit a request that otherwise succeeds.
    """

    reset: float = attrs.field(default=0.0, validator=_probability)
    reset_after: float = attrs.field(default=0.0, validator=_probability)
    server_error: float = attrs.field(default=0.0, validator=_probability)
    server_statuses: tuple[int, ...] = (500, 502, 503)
    html_error: float = attrs.field(default=0.0, validator=_probability)
    html_statuses: tuple[int, ...] = (502, 503, 504)
    rate_limit: float = attrs.field(default=0.0, validator=_probability)
    rate_limit_burst: int = attrs.field(default=1, validator=_non_negative)
    #: ``Retry-After`` seconds sent with 429 (0 for fast tests; None sends no header).
    retry_after: float | None = attrs.field(default=0.0, validator=_non_negative)
    business_error: float = attrs.field(default=0.0, validator=_probability)
    business_codes: tuple[int, ...] = (500,)
    truncate: float = attrs.field(default=0.0, validator=_probability)
    delay: float = attrs.field(default=0.0, validator=_probability)
    delay_seconds: float = attrs.field(default=2.0, validator=_non_negative)
    script: tuple[str, ...] = attrs.field(default=(), converter=_as_script, validator=_script)

    def __attrs_post_init__(self) -> None:
        total = sum(getattr(self, kind) for kind in _EXCLUSIVE)
        if total > 1.0 + 1e-9:
            raise ValueError(f"fault probabilities add up to {total:.3f} > 1")

    @property
    def active(self) -> bool:
        """Whether this rule can inject anything."""
        return bool(self.script) or any(getattr(self, kind) for kind in FAULT_KINDS)


def _rules(value: Mapping[str, FaultRule] | None) -> dict[str, FaultRule]:
    return dict(value or {})


@attrs.frozen(kw_only=True)
class FaultPlan:
    """Which faults to inject where. ``FaultPlan()`` injects nothing.

    >>> plan = FaultPlan(default=FaultRule(server_error=0.05, rate_limit=0.02),
    ...                  endpoints={"alibaba.orders.create": FaultRule(reset_after=0.5)},
    ...                  drift_per_request=2)
    """

    default: FaultRule = FaultRule()
    #: Rules by catalogue key; an endpoint listed here ignores ``default``.
    endpoints: dict[str, FaultRule] = attrs.field(factory=dict, converter=_rules, hash=False)
    #: New orders inserted at the top of each list before every list request.
    drift_per_request: int = attrs.field(default=0, validator=_non_negative)
    drift_endpoints: frozenset[str] = attrs.field(
        default=DRIFT_ENDPOINTS, converter=_as_endpoint_keys
    )
    #: Seed of the fault draws (None: the emulator's seed).
    seed: int | None = None

    def rule_for(self, key: str) -> FaultRule:
        """The rule that applies to an endpoint key."""
        return self.endpoints.get(key, self.default)

    @property
    def active(self) -> bool:
        """Whether the plan can inject anything at all."""
        return (
            self.drift_per_request > 0
            or self.default.active
            or any(r.active for r in self.endpoints.values())
        )

    def describe(self) -> str:
        """The compact string form (what :meth:`parse` reads), non-default settings only."""
        parts = _rule_items(self.default, "", FaultRule())
        for key, rule in sorted(self.endpoints.items()):
            parts += _rule_items(rule, key + ":", self.default)
        if self.drift_per_request:
            parts.append(f"drift={self.drift_per_request}")
        if self.seed is not None:
            parts.append(f"seed={self.seed}")
        return ",".join(parts) or "none"

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """Build a plan from a compact string, for command lines.

        Comma-separated ``name=value`` pairs; ``key:name=value`` sets a field of
        one endpoint's rule (starting from the default rule); ``drift=N`` and
        ``seed=N`` set plan fields::

            FaultPlan.parse("server_error=0.05,rate_limit=0.02,retry_after=1,drift=2,"
                            "alibaba.orders.create:reset_after=0.3")
        """
        default: dict[str, Any] = {}
        per_key: dict[str, dict[str, Any]] = {}
        plan: dict[str, Any] = {}
        fields = {f.name: f for f in attrs.fields(FaultRule)}
        for raw in spec.split(","):
            item = raw.strip()
            if not item:
                continue
            name, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"fault spec item {item!r} is not name=value")
            endpoint, _, name = name.strip().rpartition(":")
            if name in ("drift", "drift_per_request"):
                plan["drift_per_request"] = int(value)
                continue
            if name == "seed":
                plan["seed"] = int(value)
                continue
            if name not in fields:
                raise ValueError(f"unknown fault setting {name!r}; known: {', '.join(fields)}")
            target = per_key.setdefault(endpoint, {}) if endpoint else default
            target[name] = _parse_value(name, value.strip())
        base = FaultRule(**default)
        endpoints = {key: attrs.evolve(base, **values) for key, values in per_key.items()}
        return cls(default=base, endpoints=endpoints, **plan)


def _rule_items(rule: FaultRule, prefix: str, base: FaultRule) -> list[str]:
    out = []
    for field in attrs.fields(FaultRule):
        value = getattr(rule, field.name)
        if value == getattr(base, field.name):
            continue
        if isinstance(value, tuple):
            text = "|".join(str(v) for v in value)
        else:
            text = f"{value:g}" if isinstance(value, float) else str(value)
        out.append(f"{prefix}{field.name}={text}")
    return out


def _parse_value(name: str, value: str) -> Any:
    if name in ("server_statuses", "html_statuses", "business_codes"):
        return tuple(int(v) for v in value.split("|") if v)
    if name == "script":
        return tuple(v for v in value.split("|") if v)
    if name == "rate_limit_burst":
        return int(value)
    if name == "retry_after" and value.lower() in ("none", ""):
        return None
    return float(value)


@attrs.frozen(kw_only=True)
class FaultDecision:
    """What happens to one request: ``kind`` is a fault kind or None (answer normally)."""

    kind: str | None = None
    status: int = 200
    code: int = 200
    retry_after: float | None = None
    delay: float = 0.0
    cut: float = 0.5  # fraction of the body kept by ``truncate``

    @property
    def before_handler(self) -> bool:
        """Faults that replace the request entirely (nothing is done)."""
        return self.kind in ("reset", "server_error", "html_error", "rate_limit", "business_error")


OK = FaultDecision()


class FaultInjector:
    """Runtime state of a plan: one RNG, one request counter and one burst counter per key."""

    def __init__(self, plan: FaultPlan, seed: int) -> None:
        self.plan = plan
        self.seed = plan.seed if plan.seed is not None else seed
        self._rngs: dict[str, random.Random] = {}
        self._counts: dict[str, int] = {}
        self._burst: dict[str, int] = {}

    def decide(self, key: str) -> FaultDecision:
        """The outcome for the next request to ``key``."""
        rule = self.plan.rule_for(key)
        if not rule.active:
            return OK
        rng = self._rngs.get(key)
        if rng is None:
            rng = self._rngs[key] = random.Random(f"{self.seed}/faults/{key}")
        n = self._counts.get(key, 0)
        self._counts[key] = n + 1
        # Always three draws, so outcomes never shift when probabilities are zero.
        u_kind, u_delay, u_aux = rng.random(), rng.random(), rng.random()
        kind: str | None = None
        if n < len(rule.script):
            scripted = rule.script[n]
            kind = None if scripted == "ok" else scripted
        elif self._burst.get(key, 0) > 0:
            self._burst[key] -= 1
            kind = "rate_limit"
        else:
            acc = 0.0
            for name in _EXCLUSIVE:
                acc += getattr(rule, name)
                if u_kind < acc:
                    kind = name
                    break
            if kind is None and u_delay < rule.delay:
                kind = "delay"
            if kind == "rate_limit":
                self._burst[key] = max(0, rule.rate_limit_burst - 1)
        return _decision(kind, rule, u_aux)


def _pick(values: tuple[int, ...], u: float, fallback: int) -> int:
    return values[int(u * len(values)) % len(values)] if values else fallback


def _decision(kind: str | None, rule: FaultRule, u: float) -> FaultDecision:
    if kind is None:
        return OK
    if kind == "server_error":
        status = _pick(rule.server_statuses, u, 500)
        return FaultDecision(kind=kind, status=status, code=status)
    if kind == "html_error":
        return FaultDecision(kind=kind, status=_pick(rule.html_statuses, u, 502))
    if kind == "rate_limit":
        return FaultDecision(kind=kind, status=429, code=429, retry_after=rule.retry_after)
    if kind == "business_error":
        return FaultDecision(kind=kind, code=_pick(rule.business_codes, u, 500))
    if kind == "truncate":
        return FaultDecision(kind=kind, cut=0.2 + 0.6 * u)
    if kind == "delay":
        return FaultDecision(kind=kind, delay=rule.delay_seconds)
    return FaultDecision(kind=kind)
