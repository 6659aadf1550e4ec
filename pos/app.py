"""Composition root: settings → (training sandbox) → journal → Checkbox client → register service.

Training mode starts the Checkbox emulator in this process on 127.0.0.1, signs in with its first
seeded register, and fills an empty journal with the demo catalogue; the outage drill switches the
emulator's tax service and pulls the client's ``NetworkSwitch``. Real mode uses the API address
and license key from the settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pos.checkbox import CheckboxClient, MemoryTokenStore
from pos.checkbox.network_switch import NetworkSwitch
from pos.config import AppConfig
from pos.journal import Journal
from pos.journal.catalogue_import import import_catalogue
from pos.journal.chain_marker import ChainMarker
from pos.journal.journal import default_journal_path
from pos.log_files import hide as hide_in_logs
from pos.printing.spooler import ReceiptSpooler
from pos.register.service import RegisterService
from pos.secret_store import KeyringTokenStore, SecretStore

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
DEMO_CATALOGUE = RESOURCES / "demo_catalogue.csv"
TRAINING_REGISTER = "training"
ONE_SHOT_FAULTS = frozenset({"receipt_error", "shift_open_closed", "timeout_524"})
"""Drill faults that hit the next transaction only; the others last until "No fault"."""


@dataclass
class TrainingAccount:
    """The sandbox's seeded cashier (shown on the training sign-in screen)."""

    license_key: str
    pin: str
    login: str
    password: str


@dataclass
class RunningRegister:
    service: RegisterService
    journal: Journal
    client: CheckboxClient
    network: NetworkSwitch
    config: AppConfig
    sandbox: Any = None  # pos.sandbox.server.RunningSandbox in training mode
    training_account: TrainingAccount | None = None
    spooler: ReceiptSpooler = field(default_factory=ReceiptSpooler)  # the receipt printer's queue
    backoffice: Any = None  # pos.backoffice.push.PushWorker when a back-office URL is set

    @property
    def training(self) -> bool:
        return self.sandbox is not None

    async def tax_service(self, up: bool) -> None:
        """Outage drill (training only): the simulated tax service down or up. The sandbox's
        control client is synchronous, so it runs off the loop."""
        if self.sandbox is None:
            raise RuntimeError("the outage drill exists in training mode only")
        body = {"state": "up" if up else "down"}
        await asyncio.to_thread(self.sandbox.control, "POST", "/sandbox/tax-service", body)

    async def checkbox_fault(self, fault: str | None) -> None:
        """Outage drill (training only): schedule one of Checkbox's failures on this register
        (``pos.sandbox.faults``), or clear them all (None)."""
        if self.sandbox is None or self.training_account is None:
            raise RuntimeError("the outage drill exists in training mode only")
        key = self.training_account.license_key
        register = next(r for r in self.sandbox.registers if r.license_key == key)
        if fault is None:
            body: dict[str, Any] = {"register_id": register.cash_register_id}
            await asyncio.to_thread(self.sandbox.control, "POST", "/sandbox/faults/clear", body)
        else:
            body = {"register_id": register.cash_register_id, "fault": fault}
            if fault in ONE_SHOT_FAULTS:
                body["times"] = 1
            await asyncio.to_thread(self.sandbox.control, "POST", "/sandbox/faults", body)
        self.service.look_now()

    def cut_network(self, cut: bool) -> None:
        """Outage drill (training only): pull or plug the simulated network cable."""
        if self.sandbox is None:
            raise RuntimeError("the outage drill exists in training mode only")
        self.network.cut = cut
        self.service.look_now()


@contextlib.contextmanager
def _training_sandbox(data: Path) -> Iterator[Any]:
    from pos.sandbox.server import serve_in_thread

    with serve_in_thread(data / "training-sandbox") as running:
        yield running


def fill_demo_catalogue(journal: Journal) -> None:
    if journal.catalogue.count() == 0 and DEMO_CATALOGUE.exists():
        report = import_catalogue(journal, DEMO_CATALOGUE, datetime.now(UTC), skip_bad_rows=True)
        log.info("demo catalogue: %d goods", report.imported)


def _backoffice_push(config: AppConfig, journal_path: Path) -> Any:
    """The push to the shop database, in a thread of its own, when one is configured (never in
    training mode: training receipts are not the shop's)."""
    if config.training or config.backoffice_url is None:
        return None
    from pos.backoffice.push import PushWorker

    url = config.backoffice_url.get_secret_value()
    hide_in_logs(url)
    return PushWorker(journal_path, url, config.shop_name or "shop")


@contextlib.asynccontextmanager
async def open_register(
    config: AppConfig,
    *,
    worker: bool = True,
    token_dir: Path | None = None,
    sandbox: Any = None,
) -> AsyncIterator[RunningRegister]:
    """Everything the window (or a headless command) needs, started; stopped on exit.
    Training mode starts its own sandbox unless one is given (tests share one)."""
    with contextlib.ExitStack() as stack:
        account = None
        if config.training:
            if sandbox is None:
                sandbox = stack.enter_context(_training_sandbox(config.data))
            seeded = sandbox.registers[0]
            account = TrainingAccount(
                seeded.license_key,
                seeded.cashier_pin,
                seeded.cashier_login,
                seeded.cashier_password,
            )
            api_url, license_key = sandbox.base_url, seeded.license_key
            journal_path = default_journal_path(config.data, TRAINING_REGISTER)
            token_store: Any = MemoryTokenStore()
            pepper = None
        else:
            api_url = config.api_url
            license_key = config.license_key.get_secret_value() if config.license_key else None
            hide_in_logs(license_key)
            journal_path = default_journal_path(config.data)
            store = SecretStore(token_dir or config.data)
            token_store = KeyringTokenStore(store)
            pepper = store.pepper()
            log.info("secrets: %s", store.describe())
        journal = Journal.open(journal_path, exclusive=True)  # one writer (invariant 10)
        stack.callback(journal.close)
        if config.training:
            fill_demo_catalogue(journal)
        network = NetworkSwitch()
        client = CheckboxClient(api_url, transport=network)
        service = RegisterService(
            journal,
            client,
            license_key=license_key,
            thresholds=config.thresholds.to_thresholds(),
            token_store=token_store,
            training=config.training,
            chain=None if config.training else ChainMarker(journal_path),
            pin_pepper=pepper,
        )
        backoffice = _backoffice_push(config, journal_path) if worker else None
        if config.training or config.backoffice_url is None:  # no server: keep no outbox
            from pos.backoffice.outbox import pause_outbox

            await asyncio.to_thread(pause_outbox, journal_path)
        try:
            await service.start(worker=worker)
            if backoffice is not None:
                backoffice.start()
            yield RunningRegister(
                service, journal, client, network, config, sandbox, account, backoffice=backoffice
            )
        finally:
            if backoffice is not None:
                await asyncio.to_thread(backoffice.stop)
            await service.stop()
            await client.aclose()
