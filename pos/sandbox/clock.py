"""The sandbox's notion of "now": real UTC time plus an offset that tests move.

A shift older than 24 h or an offline period longer than 36 h is reached by moving this clock
through `POST /sandbox/clock`, never by sleeping. Every timestamp the sandbox writes comes
from here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from pos.domain.offline_limits import KYIV as KYIV  # the one Kyiv zone, re-exported


class Clock(Protocol):
    """Anything that tells the time; tests may pass their own."""

    def now(self) -> datetime: ...


class SandboxClock:
    """Real UTC now, shifted by `offset_seconds` (settable at run time)."""

    def __init__(self, offset_seconds: float = 0.0) -> None:
        self.offset_seconds = offset_seconds

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset_seconds)


def parse_datetime(text: str) -> datetime:
    """ISO 8601 with or without fractional seconds or offset; a naive value is taken as UTC.

    Accepts the seed's "2023-11-29T06:14:20+0200" (offset without a colon) as well.
    """
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    if len(value) > 5 and value[-5] in "+-" and value[-4:].isdigit() and value[-3] != ":":
        value = value[:-2] + ":" + value[-2:]
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def iso(moment: datetime | None) -> str | None:
    """The API's notation: "2023-11-29T12:07:27.008327+00:00" (no fraction when it is zero)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat()


def from_iso(text: str | None) -> datetime | None:
    return None if text is None else parse_datetime(text)
