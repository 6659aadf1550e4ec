"""What every part of the register service holds: the service (its guards, its one way to
fiscalise), and the context, journal and client they share. One base, so a part is only its job."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos.checkbox import CheckboxClient
    from pos.journal import Journal
    from pos.register.context import RegisterContext
    from pos.register.service import RegisterService


class RegisterPart:
    """A part of ``RegisterService`` (sales, returns, cash, shifts, the worker)."""

    def __init__(self, service: RegisterService) -> None:
        self.service = service
        self.ctx: RegisterContext = service.ctx
        self.journal: Journal = service.journal
        self.client: CheckboxClient = service.client
