"""Request signing: the pure ``sign()`` function, nonces, the clock and the aiohttp middleware.

The signature rule (spec §1; the order of the three signed values comes from two
independent public clients, not from the manual text, so the signer is a
swappable pure function)::

    signature = UPPER(HEX(MD5(utf8(access_key + timestamp + nonce_str + access_secret))))

``user-id`` travels as a header but is not signed; body, path and query are not signed.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import secrets
import string
import time
from collections.abc import Callable
from typing import Literal

from aiohttp import ClientHandlerType, ClientRequest, ClientResponse

__all__ = ["Clock", "Signer", "SigningMiddleware", "make_nonce", "sign"]

#: A signer takes (access_key, timestamp, nonce, access_secret) and returns the signature.
Signer = Callable[[str, str, str, str], str]

_NONCE_ALPHABET = string.ascii_letters + string.digits
NONCE_LENGTH = 32
#: Learn a clock offset from the server's ``Date`` header only past this many seconds.
SKEW_THRESHOLD_S = 30.0
#: The largest offset a clock learns by default (24 h): beyond it, the server's Date is broken.
MAX_LEARNED_OFFSET_S = 24 * 3600.0

logger = logging.getLogger("xportcn_async")


def sign(access_key: str, timestamp: str, nonce: str, access_secret: str) -> str:
    """Return the request signature: upper-case hex MD5 of the plain concatenation.

    >>> sign("58c0201dfdf148eca63cbf6bb5e7cf03", "1715669977",
    ...      "abcdefghijklmnopqrstuvwxyz012345", "0123456789abcdef0123456789abcdef")
    'B383614A0A83CA4AC8B9CB7946305455'
    """
    raw = (access_key + timestamp + nonce + access_secret).encode("utf-8")
    return hashlib.md5(raw, usedforsecurity=False).hexdigest().upper()


# Random bytes 0..247 map to _NONCE_ALPHABET[b % 62] (248 = 4 × 62, so every character is
# equally likely); bytes 248..255 are dropped (rejection sampling: no modulo bias).
_NONCE_ACCEPTED = 4 * len(_NONCE_ALPHABET)
_NONCE_TABLE = (_NONCE_ALPHABET * 5)[:256].encode("ascii")
_NONCE_REJECTED = bytes(range(_NONCE_ACCEPTED, 256))


def make_nonce(length: int = NONCE_LENGTH) -> str:
    """Return a fresh random ``[A-Za-z0-9]`` string from :mod:`secrets` (32 chars by default).

    Each character is uniform over the 62 letters and digits: bytes from
    ``secrets.token_bytes`` are mapped onto the alphabet and the few that would bias
    it are rejected (one system call per nonce, instead of 32 ``secrets.choice``).
    """
    out = b""
    while len(out) < length:
        raw = secrets.token_bytes(length - len(out) + 8)
        out += raw.translate(_NONCE_TABLE, _NONCE_REJECTED)
    return out[:length].decode("ascii")


class Clock:
    """Wall clock plus an offset, so a machine with a wrong clock still signs valid timestamps.

    The server refuses timestamps more than 600 s away from real time. With
    ``offset=None`` the clock learns the offset from the ``Date`` header of
    responses whenever local time and server time differ by more than 30 s, up to
    ``max_offset`` seconds either way (a larger skew is logged once as a WARNING and
    not adopted); an explicit ``offset`` (seconds to add to local time) is kept as given.
    """

    __slots__ = (
        "_date_text",
        "_date_value",
        "_learn",
        "_max_offset",
        "_offset",
        "_refused",
        "_time",
    )

    def __init__(
        self,
        offset: float | None = None,
        *,
        time_func: Callable[[], float] = time.time,
        max_offset: float = MAX_LEARNED_OFFSET_S,
    ) -> None:
        self._learn = offset is None
        self._offset = offset or 0.0
        self._time = time_func
        self._max_offset = max_offset
        self._refused = ""
        # The last Date header parsed: it changes once a second, answers come far more often.
        self._date_text = ""
        self._date_value = 0.0

    @property
    def offset(self) -> float:
        """Seconds added to local time when signing."""
        return self._offset

    def now(self) -> float:
        """Corrected Unix time in seconds."""
        return self._time() + self._offset

    def timestamp(self, unit: Literal["s", "ms"] = "s") -> str:
        """The ``timestamp`` header value: decimal Unix seconds (or milliseconds)."""
        now = self.now()
        return str(int(now * 1000)) if unit == "ms" else str(int(now))

    def observe_date_header(self, value: str | None) -> bool:
        """Learn the offset from an HTTP ``Date`` header; True when the offset changed."""
        if not self._learn or not value:
            return False
        if value == self._date_text:
            server = self._date_value
        else:
            try:
                server = email.utils.parsedate_to_datetime(value).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
            self._date_text, self._date_value = value, server
        skew = server - self._time()
        # Date has a one-second resolution: below the threshold, trust the local clock.
        learned = skew if abs(skew) > SKEW_THRESHOLD_S else 0.0
        if abs(learned) > self._max_offset:
            if value != self._refused:
                self._refused = value
                logger.warning(
                    "the server's Date header (%s) is %.0f s away from this machine's clock, "
                    "more than the %.0f s a clock may learn: not adopted",
                    value,
                    skew,
                    self._max_offset,
                )
            return False
        changed = abs(learned - self._offset) > SKEW_THRESHOLD_S
        self._offset = learned
        return changed


class SigningMiddleware:
    """aiohttp client middleware that adds the five system headers to every attempt.

    It runs once per HTTP attempt (retries included), so every attempt gets a
    fresh nonce and a current timestamp. It also feeds response ``Date`` headers
    to the :class:`Clock`.
    """

    __slots__ = ("_access_key", "_clock", "_secret", "_signer", "_unit", "_user_id")

    def __init__(
        self,
        *,
        access_key: str,
        access_secret: str,
        user_id: str,
        clock: Clock,
        timestamp_unit: Literal["s", "ms"] = "s",
        signer: Signer = sign,
    ) -> None:
        self._access_key = access_key
        self._secret = access_secret
        self._user_id = user_id
        self._clock = clock
        self._unit = timestamp_unit
        self._signer = signer

    def __repr__(self) -> str:
        return f"SigningMiddleware(access_key={self._access_key!r}, user_id={self._user_id!r})"

    def headers(self) -> dict[str, str]:
        """A fresh set of system headers (new nonce, current timestamp)."""
        timestamp = self._clock.timestamp(self._unit)
        nonce = make_nonce()
        return {
            "access-key": self._access_key,
            "timestamp": timestamp,
            "nonce-str": nonce,
            "user-id": self._user_id,
            "signature": self._signer(self._access_key, timestamp, nonce, self._secret),
        }

    async def __call__(self, request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        request.headers.update(self.headers())
        response = await handler(request)
        self._clock.observe_date_header(response.headers.get("Date"))
        return response
