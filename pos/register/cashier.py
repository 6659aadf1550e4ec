"""The cashier's sign-in and sign-out, and the secret that lets a known cashier sell offline.

Why its own part: signing in is more than a token. It caches what the receipt header needs,
adopts a shift Checkbox already has open, notices a journal that is new on a register with
history (case 5), and remembers a digest of the PIN (never the PIN: ``pin_digest``) so that,
with Checkbox unreachable, only a cashier who signed in online before may go on selling.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from pydantic import SecretStr

from pos.checkbox import PasswordSignIn, PinSignIn, Session, TokenStore
from pos.checkbox.errors import AuthError, CheckboxError
from pos.journal.records import ShiftState
from pos.register.code_pool import refill
from pos.register.connectivity import ConnectivityEvent, ConnectivityState
from pos.register.context import JOURNAL_BEHIND, is_unreachable
from pos.register.errors import Refusal, RegisterError, kind_of
from pos.register.pin_digest import make_digest, matches

if TYPE_CHECKING:
    from pos.register.service import RegisterService

log = logging.getLogger(__name__)


class CashierSignIn:
    """One register's cashier session (``RegisterService.sign_in`` / ``sign_out``)."""

    def __init__(
        self,
        service: RegisterService,
        license_key: str | None,
        token_store: TokenStore | None,
        pepper: bytes | None,
    ) -> None:
        self.ctx = service.ctx
        self.journal = service.journal
        self.client = service.client
        self._pepper = pepper
        self._license_key = SecretStr(license_key) if license_key else None
        self._token_store = token_store

    async def sign_in(
        self, pin: str | None, login: str | None, password: str | None, reuse_token: bool
    ) -> None:
        """Sign in with Checkbox, or offline with a secret that signed in online before."""
        credentials = self._credentials(pin, login, password)
        self.client.session = Session(credentials, token_store=self._token_store)
        secret = pin if pin is not None else f"{login}\n{password}"
        try:
            if not reuse_token or self.client.session.token is None:
                await self.client.sign_in()
            await self._after_sign_in()
        except AuthError as error:
            raise RegisterError(
                Refusal.SIGN_IN_FAILED, error.message, kind=kind_of(error)
            ) from error
        except CheckboxError as error:
            if not is_unreachable(error):
                raise RegisterError(
                    Refusal.SIGN_IN_FAILED, error.message, kind=kind_of(error)
                ) from error
            if not self._known_secret(secret):
                raise RegisterError(
                    Refusal.UNREACHABLE, error.message, kind=kind_of(error)
                ) from error
            self.ctx.move(ConnectivityEvent.NETWORK_LOST, "sign-in: Checkbox unreachable")
        else:
            self._remember_secret(secret)

    async def sign_out(self) -> None:
        with contextlib.suppress(CheckboxError):
            await self.client.sign_out()

    def _credentials(
        self, pin: str | None, login: str | None, password: str | None
    ) -> PinSignIn | PasswordSignIn:
        if pin is not None:
            if self._license_key is None:
                raise RegisterError(Refusal.SIGN_IN_FAILED, "no license key configured")
            return PinSignIn(self._license_key, SecretStr(pin))
        if login is not None and password is not None:
            return PasswordSignIn(login, SecretStr(password), self._license_key)
        raise RegisterError(Refusal.BAD_INPUT, "PIN or login and password", field="pin")

    async def _after_sign_in(self) -> None:
        me = await self.client.me()
        info = await self.client.cash_register_info()
        self.ctx.info.cashier_name = me.full_name or ""
        self.ctx.info.fiscal_number = info.fiscal_number
        self.ctx.info.cash_register_id = info.id
        self.ctx.set_setting("cashier_name", me.full_name or "")
        self.ctx.set_setting("fiscal_number", info.fiscal_number or "")
        self.ctx.set_setting("cash_register_id", info.id)
        server_shift = await self.client.cashier_shift()
        await self._check_history(server_shift is not None or info.offline_mode)
        local = self.journal.shifts.current()
        # A shift the journal already has (e.g. closed offline, not yet uploaded) is not adopted.
        known = server_shift is not None and self.journal.shifts.get(server_shift.id) is not None
        if server_shift is not None and local is None and not known:
            now = self.ctx.now()
            self.journal.shifts.open(server_shift.id, now)
            self.journal.shifts.update(
                server_shift.id,
                now,
                state=ShiftState.OPENED,
                serial=server_shift.serial,
                opened_at=server_shift.opened_at,
                server_response=server_shift.model_dump(mode="json", exclude_none=True),
            )
        if self.ctx.state is ConnectivityState.ONLINE and info.offline_mode:
            self.ctx.move(ConnectivityEvent.TAX_SERVICE_LOST, "register offline on Checkbox")
        with contextlib.suppress(CheckboxError):
            await refill(self.ctx)

    async def _check_history(self, server_knows: bool) -> None:
        """A journal with no history of its own on a register Checkbox already has history of
        (deleted, recreated, or a new PC, with no backup and no mark to tell): an earlier
        journal's offline documents may be unsent, so nothing is issued offline until this
        one has reconciled online, and status and the screen say why (case 5)."""
        if self.ctx.behind or self.journal.shifts.list(limit=1):
            return
        if self.journal.receipts.list(limit=1):
            return
        if not server_knows:
            with contextlib.suppress(CheckboxError):
                server_knows = bool(await self.client.shifts(limit=1))
        if server_knows:
            reason = (
                f"the journal {self.journal.path} is new, but Checkbox already has this "
                "register's history (an earlier journal lost or left on another PC?)"
            )
            log.warning("journal behind Checkbox: %s", reason)
            self.ctx.set_setting(JOURNAL_BEHIND, reason)

    def _known_secret(self, secret: str) -> bool:
        stored = self.ctx.setting("cashier_secret_hash")
        return bool(stored) and matches(stored or "", secret, self._pepper)

    def _remember_secret(self, secret: str) -> None:
        self.ctx.set_setting("cashier_secret_hash", make_digest(secret, self._pepper))
