"""Cashier sign-in bodies, the token answer and the cashier profile.

Why separate: these are the only models that carry secrets (PIN, password, token). Each secret
is a ``SecretStr`` so it never shows in a repr, a log line or an exception; it is revealed only
when the body is serialised for the wire.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, PlainSerializer, SecretStr

from pos.checkbox.models.base import ApiDateTime, ApiModel, RequestModel

WireSecret = Annotated[
    SecretStr, PlainSerializer(lambda secret: secret.get_secret_value(), when_used="json")
]
"""A secret that stays hidden in reprs but goes on the wire (and into a round-trip dump)."""


class SignInPinCode(RequestModel):
    """Body of POST /cashier/signinPinCode (the register's license key goes in a header)."""

    pin_code: WireSecret


class SignIn(RequestModel):
    """Body of POST /cashier/signin."""

    login: str
    password: WireSecret


class AccessToken(ApiModel):
    """Answer of both sign-in methods."""

    type: str | None = None
    token_type: str | None = None
    access_token: WireSecret


class CashierPermissions(ApiModel):
    """What the cashier may do; every flag optional, unknown ones kept."""

    sales: bool | None = None
    returns: bool | None = None
    service_in: bool | None = None
    service_out: bool | None = None
    card_payment: bool | None = None
    cash_payment: bool | None = None


class Cashier(ApiModel):
    """The cashier as GET /cashier/me and the shift/receipt blocks describe them."""

    id: str
    full_name: str | None = None
    nin: str | None = None
    key_id: str | None = None
    signature_type: str | None = None
    permissions: CashierPermissions | None = None
    created_at: ApiDateTime | None = None
    updated_at: ApiDateTime | None = None
    certificate_end: ApiDateTime | None = None
    blocked: str | None = Field(default=None)
