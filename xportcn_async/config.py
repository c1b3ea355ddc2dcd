"""Client configuration: credentials, base URL, timeouts, pool, retry policy, rate limit.

The access secret is stored on the frozen config but never shown: it is left
out of ``repr``/``str`` and no error message built by the SDK contains it.
"""

from __future__ import annotations

import asyncio
import math
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal

import attrs

from .errors import ConfigurationError
from .signing import Signer, sign

__all__ = ["DEFAULT_BASE_URL", "ClientConfig", "RetryPolicy"]

DEFAULT_BASE_URL = "https://www.xportcn.com/api"

ENV_ACCESS_KEY = "XPORTCN_ACCESS_KEY"
ENV_ACCESS_SECRET = "XPORTCN_ACCESS_SECRET"  # noqa: S105 - the variable's name, not a secret
ENV_USER_ID = "XPORTCN_USER_ID"
ENV_BASE_URL = "XPORTCN_BASE_URL"


def _positive(name: str) -> Callable[[Any, Any, Any], None]:
    def check(_instance: Any, _attribute: Any, value: Any) -> None:
        if value is None:
            return
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value <= 0
        ):
            raise ConfigurationError(f"{name} must be a positive number, got {value!r}")

    return check


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """When and how long to wait before trying a request again.

    Defaults: 3 attempts in all, full-jitter exponential backoff (a random wait
    between 0 and ``min(backoff_cap, backoff_base * 2**(attempt-1))``), and
    ``Retry-After`` honoured up to ``retry_after_cap`` seconds; a 429 asking
    for a longer wait is raised at once instead of hanging.

    Retried: :class:`~xportcn_async.TransportError` (which includes a JSON body
    cut short in transit), :class:`~xportcn_async.ServerError`,
    :class:`~xportcn_async.RateLimitError`. Never: 4xx, authentication, decode
    errors (a complete body that is not an envelope or does not fit the model),
    cancellation. A non-idempotent call (create, pay, refund, upload…) is retried
    only when the request provably never reached the server; order creations
    with the caller's key recover by looking the order up (see the resources).
    ``sleep`` is injectable so tests can drive time without sleeping.
    """

    attempts: int = attrs.field(default=3)
    backoff_base: float = attrs.field(default=0.5, validator=_positive("backoff_base"))
    backoff_cap: float = attrs.field(default=8.0, validator=_positive("backoff_cap"))
    retry_after_cap: float = attrs.field(default=60.0, validator=_positive("retry_after_cap"))
    sleep: Callable[[float], Awaitable[None]] = attrs.field(
        default=asyncio.sleep, eq=False, repr=False
    )

    @attempts.validator
    def _check_attempts(self, _attribute: Any, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigurationError(f"retry attempts must be an integer >= 1, got {value!r}")

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that never retries (one attempt)."""
        return cls(attempts=1)


def _credential(name: str) -> Callable[[Any, Any, Any], None]:
    def check(_instance: Any, _attribute: Any, value: Any) -> None:
        if not isinstance(value, str):
            raise ConfigurationError(f"{name} must be a string, got {type(value).__name__}")
        if not value.strip():
            raise ConfigurationError(f"{name} must not be empty")

    return check


def _strip_trailing_slash(url: Any) -> Any:
    return url.rstrip("/") if isinstance(url, str) else url


def _check_base_url(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ConfigurationError(f"base_url must be an http(s) URL, got {value!r}")


@attrs.frozen(kw_only=True)
class ClientConfig:
    """Everything an :class:`~xportcn_async.XportcnClient` needs; immutable.

    ``access_secret`` is never part of ``repr``/``str``. Timeouts are seconds.
    ``timestamp_unit`` is ``"s"`` (what the docs' own sample sends) or ``"ms"``.
    ``clock_offset`` (seconds added to local time when signing) fixes a wrong
    local clock explicitly; when None the client learns it from the server's
    ``Date`` header. ``endpoint_paths`` overrides catalogue paths by key.
    ``success_codes`` are the envelope codes treated as success (the docs say
    200; some twin endpoints may answer 0 — add it here if yours do).
    ``verify_ssl`` (True by default) checks the server's TLS certificate and host
    name; ``verify_ssl=False`` is the explicit, only way to turn that off (for a
    local test proxy, never in production).
    """

    access_key: str = attrs.field(validator=_credential("access_key"))
    access_secret: str = attrs.field(validator=_credential("access_secret"), repr=False)
    user_id: str = attrs.field(validator=_credential("user_id"))
    base_url: str = attrs.field(
        default=DEFAULT_BASE_URL,
        converter=_strip_trailing_slash,
        validator=_check_base_url,
    )
    connect_timeout: float = attrs.field(default=10.0, validator=_positive("connect_timeout"))
    total_timeout: float = attrs.field(default=60.0, validator=_positive("total_timeout"))
    pool_size: int = attrs.field(default=100)
    retry: RetryPolicy = attrs.field(factory=RetryPolicy)
    max_requests_per_second: float | None = attrs.field(
        default=None, validator=_positive("max_requests_per_second")
    )
    timestamp_unit: Literal["s", "ms"] = attrs.field(default="s")
    clock_offset: float | None = None
    endpoint_paths: Mapping[str, str] = attrs.field(factory=dict)
    verify_ssl: bool = attrs.field(default=True)
    success_codes: frozenset[int] = frozenset({200})
    signer: Signer = attrs.field(default=sign, eq=False, repr=False)

    @pool_size.validator
    def _check_pool(self, _attribute: Any, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigurationError(f"pool_size must be an integer >= 1, got {value!r}")

    @verify_ssl.validator
    def _check_verify_ssl(self, _attribute: Any, value: Any) -> None:
        # Only an explicit False turns certificate checks off ("no", 0 or None do not).
        if not isinstance(value, bool):
            raise ConfigurationError(f"verify_ssl must be True or False, got {value!r}")

    @timestamp_unit.validator
    def _check_unit(self, _attribute: Any, value: Any) -> None:
        if value not in ("s", "ms"):
            raise ConfigurationError(f"timestamp_unit must be 's' or 'ms', got {value!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> ClientConfig:
        """Build a config from ``XPORTCN_ACCESS_KEY``, ``XPORTCN_ACCESS_SECRET``,
        ``XPORTCN_USER_ID`` and (optional) ``XPORTCN_BASE_URL``.

        Keyword arguments override the environment. A missing variable raises
        :class:`ConfigurationError` naming it.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for field, var in (
            ("access_key", ENV_ACCESS_KEY),
            ("access_secret", ENV_ACCESS_SECRET),
            ("user_id", ENV_USER_ID),
        ):
            if field in overrides:
                continue
            if not env.get(var):
                raise ConfigurationError(f"{field} is not set: export {var}")
            values[field] = env[var]
        if "base_url" not in overrides and env.get(ENV_BASE_URL):
            values["base_url"] = env[ENV_BASE_URL]
        values.update(overrides)
        return cls(**values)
