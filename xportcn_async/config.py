"""Client configuration: credentials, base URL, timeouts, pool, retry policy, rate limit.

The access secret is stored on the frozen config but never shown: it is left
out of ``repr``/``str`` and no error message built by the SDK contains it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs

from .errors import ConfigurationError
from .options import DEFAULT_MAX_RESPONSE_BYTES, RetryPolicy
from .options import positive as _positive
from .signing import Signer, sign

__all__ = ["DEFAULT_BASE_URL", "ClientConfig", "CreateRecovery", "RetryPolicy"]

DEFAULT_BASE_URL = "https://www.xportcn.com/api"

ENV_ACCESS_KEY = "XPORTCN_ACCESS_KEY"
ENV_ACCESS_SECRET = "XPORTCN_ACCESS_SECRET"  # noqa: S105 - the variable's name, not a secret
ENV_USER_ID = "XPORTCN_USER_ID"
ENV_BASE_URL = "XPORTCN_BASE_URL"


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


#: What a create whose answer was lost does: see :class:`ClientConfig`.
CreateRecovery = Literal["report", "lookup_and_resend"]


@attrs.frozen(kw_only=True)
class ClientConfig:
    """Everything an :class:`~xportcn_async.XportcnClient` needs; immutable.

    ``access_secret`` is never part of ``repr``/``str``. Timeouts are seconds.
    ``timestamp_unit`` is ``"s"`` (what the docs' own sample sends) or ``"ms"``.
    ``clock_offset`` (seconds added to local time when signing) fixes a wrong
    local clock explicitly; when None the client learns it from the server's
    ``Date`` header, adopting at most ``max_clock_offset`` seconds either way (24 h by
    default; a larger skew is logged as a WARNING and ignored: one answer with a broken
    ``Date`` must not move the clock by years). ``max_response_bytes`` caps every
    response body after decompression (16 MiB by default; per call:
    ``xp.with_options(max_response_bytes=...)``). ``endpoint_paths`` overrides catalogue
    paths by key.
    ``success_codes`` are the envelope codes treated as success (the docs say
    200; some twin endpoints may answer 0 — add it here if yours do).
    ``verify_ssl`` (True by default) checks the server's TLS certificate and host
    name; ``verify_ssl=False`` is the explicit, only way to turn that off (for a
    local test proxy, never in production).

    ``create_recovery`` says what a create whose answer was lost does (money is at
    stake; see ``resources/_recovery.py`` and the README): ``"report"`` (default)
    never sends it again and raises ``OutcomeUnknownError`` carrying the orders
    created around that time (``candidates``); ``"lookup_and_resend"`` — only for an
    account whose echo of your key Xportcn has confirmed *and* whose server refuses a
    duplicate key — returns the order found by your key, or sends the create once
    more with the same key. ``taobao_echo_key`` is the wire key of a listed Taobao
    order that echoes ``seller_order_number`` (no field is known to: GUESS, used only
    by ``"lookup_and_resend"``).
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
    max_response_bytes: int = attrs.field(default=DEFAULT_MAX_RESPONSE_BYTES)
    max_clock_offset: float = attrs.field(
        default=24 * 3600.0, validator=_positive("max_clock_offset")
    )
    create_recovery: CreateRecovery = attrs.field(default="report")
    taobao_echo_key: str = attrs.field(default="sellerOrderNumber")
    signer: Signer = attrs.field(default=sign, eq=False, repr=False)

    @create_recovery.validator
    def _check_recovery(self, _attribute: Any, value: Any) -> None:
        if value not in ("report", "lookup_and_resend"):
            raise ConfigurationError(
                f"create_recovery must be 'report' or 'lookup_and_resend', got {value!r}"
            )

    @taobao_echo_key.validator
    def _check_echo_key(self, _attribute: Any, value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ConfigurationError(f"taobao_echo_key must be a wire key, got {value!r}")

    @pool_size.validator
    def _check_pool(self, _attribute: Any, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigurationError(f"pool_size must be an integer >= 1, got {value!r}")

    @max_response_bytes.validator
    def _check_max_response_bytes(self, _attribute: Any, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigurationError(f"max_response_bytes must be an integer >= 1, got {value!r}")

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

        Keyword arguments override the environment. Missing variables raise one
        :class:`ConfigurationError` naming every one of them.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        missing: list[str] = []
        for field, var in (
            ("access_key", ENV_ACCESS_KEY),
            ("access_secret", ENV_ACCESS_SECRET),
            ("user_id", ENV_USER_ID),
        ):
            if field in overrides:
                continue
            if not env.get(var):
                missing.append(var)
            else:
                values[field] = env[var]
        if missing:
            names = ", ".join(missing)
            raise ConfigurationError(
                f"credentials not set: {names} (export {' '.join(f'{v}=…' for v in missing)})"
            )
        if "base_url" not in overrides and env.get(ENV_BASE_URL):
            values["base_url"] = env[ENV_BASE_URL]
        values.update(overrides)
        return cls(**values)
