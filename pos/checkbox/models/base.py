"""The base every Checkbox model shares: API field names, unknown fields kept, stable JSON.

Why: Checkbox adds fields without notice; a client that rejects them breaks the shop. Every
response model therefore keeps what it does not know (``extra="allow"``) and serialises it back,
so nothing the server said is lost between the client and the journal. Datetimes are timezone
aware (a naive one from the server is taken as UTC) and serialise in ISO 8601 with the offset,
the form the seed uses.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer


def _aware(value: Any) -> Any:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _number(value: Decimal) -> int | float:
    """A tax rate back to the JSON number the server sent (20, not "20")."""
    return int(value) if value == value.to_integral_value() else float(value)


ApiDateTime = Annotated[
    datetime,
    BeforeValidator(_aware),
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
]
"""A datetime as Checkbox writes it; with or without fractional seconds, always with offset."""

Rate = Annotated[Decimal, PlainSerializer(_number, when_used="json")]
"""A percentage (tax rate). Decimal, so 7.5 % stays exact; never money."""


class ApiModel(BaseModel):
    """A Checkbox object: the API's own field names, unknown fields kept."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def to_api(self) -> dict[str, Any]:
        """The JSON body as the API expects it: only fields that were set, aliases applied."""
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)


class RequestModel(BaseModel):
    """A request body we build ourselves: unknown fields are a programming error."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_api(self) -> dict[str, Any]:
        """The JSON body without the optional fields left at None."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)


class TaxRate(ApiModel):
    """A tax rate as the server describes it wherever one appears (receipt line, shift, report)."""

    id: str | None = None
    code: int
    label: str | None = None
    symbol: str | None = None
    rate: Rate | None = None
    extra_rate: Rate | None = None
    included: bool | None = None
    created_at: ApiDateTime | None = None
    updated_at: ApiDateTime | None = None
    no_vat: bool | None = None
    advanced_code: str | None = None
