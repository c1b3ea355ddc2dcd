"""The exception hierarchy.

Everything the SDK raises on purpose derives from :class:`XportcnError`, except
``ValueError`` for bad arguments to a call (raised before anything is sent)::

    XportcnError
    ├── ConfigurationError        bad credentials / options, unknown endpoint key
    ├── TransportError            connection refused, reset, timeout, JSON cut short: no answer
    ├── ResponseDecodeError       not JSON, not an envelope, or data that does not fit the model
    │   └── ResponseTooLargeError a body over ``max_response_bytes`` (after decompression)
    └── APIError                  the server answered with an error (HTTP status or envelope code)
        ├── AuthenticationError   401 / 403
        ├── RateLimitError        429 (``retry_after`` in seconds, or None)
        ├── ServerError           5xx
        └── InvalidRequestError   other 4xx

No message ever contains the access secret or a signature: errors are built from
the server's answer and the request's method, path and endpoint key only.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIError",
    "AuthenticationError",
    "ConfigurationError",
    "InvalidRequestError",
    "OutcomeUnknownError",
    "RateLimitError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "ServerError",
    "StorageError",
    "TransportError",
    "XportcnError",
]


class XportcnError(Exception):
    """Base class of every error the SDK raises on purpose."""


class ConfigurationError(XportcnError, ValueError):
    """The client was configured wrongly (missing credential, bad option, unknown endpoint key)."""


class StorageError(XportcnError):
    """The local database could not be opened, read or written (not a database, locked,
    disk full, read-only). What was committed before is kept; the sync resumes from it."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class TransportError(XportcnError):
    """No usable HTTP answer: connection refused or reset, DNS failure, timeout, or a
    JSON body cut short in transit (the answer was lost on the way, like a reset).

    ``request_sent`` is False only when the request provably never left this
    machine (connection refused, DNS failure, connect timeout); only then is a
    non-idempotent call (an order creation, a payment) retried.
    """

    def __init__(
        self,
        message: str,
        *,
        endpoint: str | None = None,
        request_sent: bool = True,
    ) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.request_sent = request_sent


class OutcomeUnknownError(TransportError):
    """A non-idempotent call (create, pay, refund…) failed after the request was sent.

    The server may or may not have acted on it: the SDK does not retry, because
    a retry could create a second order. Look the object up before trying again.

    After a lost *create* answer, ``candidates`` holds the orders the SDK found
    created around that time (typed orders of the platform's list, newest first;
    empty when none was found or the lookup failed — ``candidates_error`` then says
    why): check whether one of them is yours before creating it again.
    """

    def __init__(
        self,
        message: str,
        *,
        endpoint: str | None = None,
        request_sent: bool = True,
        candidates: list[Any] | None = None,
        candidates_error: str | None = None,
    ) -> None:
        super().__init__(message, endpoint=endpoint, request_sent=request_sent)
        self.candidates: list[Any] = list(candidates or [])
        self.candidates_error = candidates_error


class ResponseDecodeError(XportcnError):
    """The answer could not be read: not JSON, not an envelope, or data that does not fit.

    ``errors`` lists readable field paths when the envelope was fine but the
    ``data`` did not fit the model (``data.subOrderVOS[0].subOrderResult: …``).
    """

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        body_excerpt: str = "",
        request_id: str | None = None,
        endpoint: str | None = None,
        errors: list[str] | None = None,
    ) -> None:
        prefix = f"{request_id}: " if request_id else ""
        super().__init__(prefix + message)
        self.http_status = http_status
        self.body_excerpt = body_excerpt
        self.request_id = request_id
        self.endpoint = endpoint
        self.errors = errors or []


class ResponseTooLargeError(ResponseDecodeError):
    """The body grew past ``max_response_bytes`` (counted after decompression, so a gzip
    bomb hits the same cap); the connection was dropped. Never retried: the same answer
    would be as large again. Raise the limit for one call with
    ``xp.with_options(max_response_bytes=...)`` if the answer is legitimately that big.
    """

    def __init__(self, message: str, *, limit: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.limit = limit


class APIError(XportcnError):
    """The server answered with an error: an HTTP error status or an envelope ``code`` != 200.

    ``str(error)`` starts with the request id when the server sent one, so a log
    line is enough to ask Xportcn support about the call.
    """

    def __init__(
        self,
        msg: str,
        *,
        code: int | None = None,
        request_id: str | None = None,
        http_status: int | None = None,
        endpoint: str | None = None,
        body: Any = None,
    ) -> None:
        self.msg = msg
        self.code = code
        self.request_id = request_id
        self.http_status = http_status
        self.endpoint = endpoint
        self.body = body
        super().__init__(self._render())

    def _render(self) -> str:
        parts = []
        if self.request_id:
            parts.append(f"{self.request_id}:")
        if self.endpoint:
            parts.append(f"[{self.endpoint}]")
        if self.code is not None:
            parts.append(f"code {self.code}")
        msg = " ".join(str(self.msg or "").split()) or "(no message)"
        parts.append(msg)
        if self.http_status is not None and f"HTTP {self.http_status}" not in msg:
            parts.append(f"(HTTP {self.http_status})")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, msg={self.msg!r}, "
            f"request_id={self.request_id!r}, http_status={self.http_status!r}, "
            f"endpoint={self.endpoint!r})"
        )


class AuthenticationError(APIError):
    """401 / 403: wrong access key or secret, bad signature, stale timestamp, reused nonce.

    ``clock_corrected`` is True when this answer's ``Date`` header taught the client's
    clock a new offset: the call is then re-signed and sent once more by itself.
    """

    clock_corrected: bool = False


class RateLimitError(APIError):
    """429: too many requests. ``retry_after``: the server's ``Retry-After`` in seconds, or None."""

    def __init__(self, msg: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(msg, **kwargs)


class ServerError(APIError):
    """5xx: the server failed. Retried by default (reads always; writes only when safe)."""


class InvalidRequestError(APIError):
    """Other 4xx: the request was refused as invalid. Never retried."""
