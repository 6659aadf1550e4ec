"""Receipts, reports and test pages on an ESC/POS thermal printer, through python-escpos.

Why the document is rendered first and sent in one write: python-escpos builds the bytes (code
page switch, bold/centre, the printer's own QR command, cut, drawer pulse) on its ``Dummy``
printer, and only then is the connection (USB, serial, network or a device/plain file) opened and
the whole job written at once. A printer that is off or unplugged then fails before anything is
printed, tests see exactly the bytes a printer would get, and a half-sent receipt is not left
in the printer's buffer by our own code.

python-escpos (with Pillow, qrcode and python-barcode behind it) is imported when a document is
first rendered, not when the program starts.

The text comes from ``pos.printing.layout`` rows (any document: receipt, X/Z report, an order's
prepayment, the test page), so paper, preview and PDF say the same thing.

Cyrillic: a printer knows a handful of code pages, listed in its python-escpos profile. Ukrainian
needs І, Ї, Є and Ґ: CP1125 (the Ukrainian DOS page) and CP1251 have them all, CP866 lacks І/і
and Ґ/ґ, which are then printed as their look-alikes (Latin I/i, Г/г). ``auto`` takes the best
page the profile has; a profile without any Cyrillic page refuses with ``NoCyrillicCodePage`` so
the settings can say so and the manager chooses another profile or the system printer.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pos.printing.layout import PAPER_58MM, PAPER_80MM, Row, RowKind, render_lines

if TYPE_CHECKING:
    from pos.config import AppConfig

log = logging.getLogger(__name__)

CYRILLIC_CODE_PAGES: tuple[str, ...] = ("CP1125", "CP1251", "CP866")
"""Code pages that print Ukrainian, best first (CP866 needs look-alikes for І and Ґ)."""

AUTO = "auto"
DEFAULT_PROFILE = "default"
DRAWER_PINS = (2, 5)
NETWORK_PORT = 9100
NETWORK_TIMEOUT_S = 8.0
PAPER_QUERY_TIMEOUT_S = 1.5
"""How long a network printer may take to answer "is there paper?" (DLE EOT 4); one that does
not answer at all is printed to anyway."""
USB_TIMEOUT_MS = 8000
SERIAL_BAUDRATE = 19200

_CP866_LOOKALIKES = str.maketrans({"І": "I", "і": "i", "Ґ": "Г", "ґ": "г"})
_TYPOGRAPHY = str.maketrans({"«": '"', "»": '"', "—": "-", "–": "-", "’": "'", "×": "x", "№": "N"})
"""Characters no thermal code page has, as the plain ones every page has."""


class Connection(enum.StrEnum):
    """How the printer is attached; the address's form depends on it."""

    USB = "usb"  # "04b8:0202" (vendor:product, hex)
    SERIAL = "serial"  # "/dev/ttyUSB0" or "COM3", optionally "@baudrate"
    NETWORK = "network"  # "192.168.1.50" or "192.168.1.50:9100"
    FILE = "file"  # a device or plain file: "/dev/usb/lp0", or a file the bytes are saved to


class Trouble(enum.StrEnum):
    """What kind of trouble the printer has, for the window to say in the cashier's language."""

    NOT_CONNECTED = "not_connected"  # unplugged, switched off, wrong port or address
    NO_ANSWER = "no_answer"  # connected but silent: out of paper, cover open, busy
    NO_PAPER = "no_paper"  # the printer says so (its paper sensor, asked before each job)
    ADDRESS = "address"  # the settings' address cannot be right
    CODE_PAGE = "code_page"  # the profile cannot print Ukrainian
    OTHER = "other"


class PrinterProblem(RuntimeError):
    """The printer could not take the job; ``reason`` is the detail (English, for the log and
    support), ``trouble`` its kind (translated by the window)."""

    def __init__(self, reason: str, trouble: Trouble = Trouble.OTHER) -> None:
        super().__init__(reason)
        self.reason = reason
        self.trouble = trouble


class NoCyrillicCodePage(PrinterProblem):
    """The printer profile has no code page that prints Ukrainian (or not the one chosen)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, Trouble.CODE_PAGE)


@dataclass(frozen=True, slots=True)
class EscposSettings:
    """Where the thermal printer is and how it prints (from the settings)."""

    connection: Connection
    address: str
    profile: str = DEFAULT_PROFILE
    code_page: str = AUTO
    paper_width_mm: int = 80
    cut: bool = True
    drawer_pin: int = 2

    @property
    def columns(self) -> int:
        return PAPER_58MM if self.paper_width_mm == 58 else PAPER_80MM

    @property
    def qr_module(self) -> int:
        """Dots per QR module: the tax link (about 120 characters) fits either roll."""
        return 4 if self.paper_width_mm == 58 else 6

    def describe(self) -> str:
        """For the printer's state line and the logs (no secret in it)."""
        return f"{self.connection.value}:{self.address}"


@dataclass(frozen=True, slots=True)
class CodePageChoice:
    name: str  # as python-escpos names it: "CP1125"
    number: int  # the ESC t n the profile gives it

    def prepare(self, text: str) -> str:
        text = text.translate(_TYPOGRAPHY)
        return text.translate(_CP866_LOOKALIKES) if self.name == "CP866" else text


def profile_names() -> list[str]:
    """The printer models python-escpos knows, "default" first."""
    from escpos.capabilities import CAPABILITIES

    return sorted(
        CAPABILITIES["profiles"], key=lambda name: (name != DEFAULT_PROFILE, name.lower())
    )


def cyrillic_code_pages(profile: str) -> list[str]:
    """The Ukrainian-capable code pages of a profile, best first (may be empty)."""
    from escpos.capabilities import get_profile

    pages = get_profile(profile).get_code_pages()
    return [name for name in CYRILLIC_CODE_PAGES if name in pages]


def choose_code_page(profile: str, wanted: str = AUTO) -> CodePageChoice:
    """The code page to print Ukrainian with; NoCyrillicCodePage when the profile has none
    (or lacks the one chosen)."""
    from escpos.capabilities import get_profile

    try:
        pages = get_profile(profile).get_code_pages()
    except Exception as error:  # an unknown profile name
        raise PrinterProblem(f"unknown printer profile {profile!r}", Trouble.CODE_PAGE) from error
    candidates = cyrillic_code_pages(profile)
    if wanted != AUTO:
        if wanted not in pages:
            raise NoCyrillicCodePage(
                f"the printer profile {profile!r} has no code page {wanted}; "
                f"it has {', '.join(candidates) or 'no Cyrillic code page'}"
            )
        return CodePageChoice(wanted, int(pages[wanted]))
    if not candidates:
        raise NoCyrillicCodePage(
            f"the printer profile {profile!r} has no Cyrillic code page (CP1125, CP1251, CP866)"
        )
    return CodePageChoice(candidates[0], int(pages[candidates[0]]))


def settings_from(config: AppConfig) -> EscposSettings | None:
    """The thermal printer of the settings, or None when none is set."""
    if config.receipt_printer not in {c.value for c in Connection}:
        return None
    return EscposSettings(
        Connection(config.receipt_printer),
        config.receipt_printer_address,
        profile=config.printer_profile or DEFAULT_PROFILE,
        code_page=config.printer_code_page or AUTO,
        paper_width_mm=58 if config.paper_width_mm == 58 else 80,
    )


# --- rendering -----------------------------------------------------------------------------------


def _write_rows(
    printer: Any, rows: Sequence[Row], page: CodePageChoice, columns: int, qr: int
) -> None:
    for row in rows:
        if row.kind is RowKind.QR:
            printer.set(align="center")
            printer.qr(row.left, native=True, size=qr, ec=1)  # 1 = QR_ECLEVEL_M
            printer.set(align="left")
            continue
        centred = row.kind in (RowKind.CENTER, RowKind.TITLE)
        bold = row.kind in (RowKind.TITLE, RowKind.MARK)
        # Centred rows are wrapped as plain text and centred by the printer (ESC a 1).
        source = Row(RowKind.TEXT, row.left) if centred else row
        lines = render_lines(
            [Row(source.kind, page.prepare(source.left), page.prepare(source.right))], columns
        )
        printer.set(align="center" if centred else "left", bold=bold)
        for line in lines:
            printer.textln(line)
    printer.set(align="left", bold=False)


def render_document(
    rows: Sequence[Row],
    settings: EscposSettings,
    *,
    open_drawer: bool = False,
    printer: Any = None,
) -> bytes:
    """The document's ESC/POS bytes: initialise, code page, the rows (QR by the printer's own
    command), feed and cut, then the drawer pulse when asked. ``printer`` (a python-escpos
    ``Dummy``) is written to when given, else a new one; its bytes are returned."""
    from escpos.printer import Dummy

    page = choose_code_page(settings.profile, settings.code_page)
    target = printer if printer is not None else Dummy(profile=settings.profile)
    target.hw("INIT")
    target.charcode(page.name)
    _write_rows(target, rows, page, settings.columns, settings.qr_module)
    if settings.cut:
        target.cut()
    else:
        target.ln(4)
    if open_drawer:
        target.cashdraw(settings.drawer_pin)
    data: bytes = target.output
    return data


def drawer_pulse(settings: EscposSettings) -> bytes:
    """Only the drawer's kick (the "open drawer" action prints nothing)."""
    from escpos.printer import Dummy

    target = Dummy(profile=settings.profile)
    target.cashdraw(settings.drawer_pin)
    data: bytes = target.output
    return data


# --- sending -------------------------------------------------------------------------------------


def _usb_ids(address: str) -> tuple[int, int]:
    vendor, sep, product = address.strip().partition(":")
    try:
        if not sep:
            raise ValueError(address)
        return int(vendor, 16), int(product, 16)
    except ValueError as error:
        raise PrinterProblem(
            f"a USB printer's address is vendor:product in hex, e.g. 04b8:0202 (not {address!r})",
            Trouble.ADDRESS,
        ) from error


def open_device(settings: EscposSettings) -> Any:
    """A python-escpos printer for the connection (opened lazily by python-escpos)."""
    address = settings.address.strip()
    if not address:
        raise PrinterProblem("no printer address is set", Trouble.ADDRESS)
    profile = settings.profile
    if settings.connection is Connection.USB:
        from escpos.printer import Usb

        vendor, product = _usb_ids(address)
        return Usb(vendor, product, timeout=USB_TIMEOUT_MS, profile=profile)
    if settings.connection is Connection.SERIAL:
        from escpos.printer import Serial

        port, _, baud = address.partition("@")
        return Serial(port, baudrate=int(baud or SERIAL_BAUDRATE), timeout=2, profile=profile)
    if settings.connection is Connection.NETWORK:
        from escpos.printer import Network

        host, _, port = address.rpartition(":") if address.count(":") == 1 else (address, "", "")
        return Network(host, int(port or NETWORK_PORT), timeout=NETWORK_TIMEOUT_S, profile=profile)
    from escpos.printer import File

    return File(address, profile=profile)


def _append(path: str, data: bytes) -> None:
    """A device (/dev/usb/lp0) or a plain file gets the job appended, so jobs saved to a file
    (the self-test, a shop without a printer yet) follow each other instead of replacing."""
    try:
        with open(path, "ab") as target:
            target.write(data)
    except OSError as error:
        raise PrinterProblem(
            f"the printer is not connected or switched off ({error.strerror or error}: {path})",
            Trouble.NOT_CONNECTED,
        ) from error


def send(settings: EscposSettings, data: bytes) -> None:
    """Write a rendered job to the printer in one go; PrinterProblem says why it did not go.
    Blocking (a network printer may take seconds to refuse): never call it on the GUI thread."""
    if settings.connection is Connection.FILE:
        if not settings.address.strip():
            raise PrinterProblem("no printer address is set", Trouble.ADDRESS)
        _append(settings.address.strip(), data)
        return
    from escpos.exceptions import Error as EscposError

    device = open_device(settings)
    try:
        device.open()
        _refuse_without_paper(device, settings)
        device._raw(data)
    except PrinterProblem:
        raise
    except (EscposError, OSError, ValueError, RuntimeError) as error:
        log.warning("printer %s refused the job: %s", settings.describe(), error)
        raise PrinterProblem(*_reason(error)) from error
    except Exception as error:  # pyusb / pyserial errors have their own hierarchies
        log.warning("printer %s failed: %r", settings.describe(), error)
        raise PrinterProblem(*_reason(error)) from error
    finally:
        try:
            device.close()
        except Exception as error:  # closing a dead connection must not hide why it died
            log.debug("closing the printer: %r", error)


def _refuse_without_paper(device: Any, settings: EscposSettings) -> None:
    """Ask a two-way (network, serial) printer's paper sensor before the job: a printer out of
    paper would otherwise swallow the receipt into its buffer. No answer: print anyway."""
    from escpos.exceptions import Error as EscposError

    if settings.connection not in (Connection.NETWORK, Connection.SERIAL):
        return
    network = settings.connection is Connection.NETWORK
    try:
        if network:
            device.device.settimeout(PAPER_QUERY_TIMEOUT_S)
        paper = device.paper_status()
    except (OSError, EscposError, ValueError) as error:
        log.debug("printer %s does not report its paper: %r", settings.describe(), error)
        return
    finally:
        if network and device.device is not None:
            device.device.settimeout(NETWORK_TIMEOUT_S)
    if paper == 0:
        raise PrinterProblem("the printer is out of paper", Trouble.NO_PAPER)


def _reason(error: BaseException) -> tuple[str, Trouble]:
    text = str(error).strip().splitlines()
    first = text[0] if text else type(error).__name__
    lowered = first.lower()
    if "not found" in lowered or "could not open" in lowered or "refused" in lowered:
        return f"the printer is not connected or switched off ({first})", Trouble.NOT_CONNECTED
    if "timed out" in lowered or "timeout" in lowered:
        return (
            f"the printer does not answer: out of paper, cover open or switched off ({first})",
            Trouble.NO_ANSWER,
        )
    return first, Trouble.OTHER


def print_rows(rows: Sequence[Row], settings: EscposSettings, *, open_drawer: bool = False) -> None:
    """Render and send one document (blocking; see ``send``)."""
    send(settings, render_document(rows, settings, open_drawer=open_drawer))


def printer_test_page(settings: EscposSettings, version: str) -> list[Row]:
    """What "print test page" prints: the code page, both alphabets, the width, a QR code."""
    page = choose_code_page(settings.profile, settings.code_page)
    return [
        Row(RowKind.TITLE, "ТЕСТОВА СТОРІНКА"),
        Row(RowKind.CENTER, f"POS {version}"),
        Row(RowKind.RULE),
        Row(RowKind.PAIR, "Принтер", settings.describe()),
        Row(RowKind.PAIR, "Профіль", settings.profile),
        Row(RowKind.PAIR, "Кодова сторінка", page.name),
        Row(RowKind.PAIR, "Ширина", f"{settings.paper_width_mm} мм, {settings.columns} симв."),
        Row(RowKind.RULE),
        Row(RowKind.TEXT, "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"),
        Row(RowKind.TEXT, "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"),
        Row(RowKind.TEXT, "ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789"),
        Row(RowKind.TEXT, "1234567890" * (settings.columns // 10 + 1)),
        Row(RowKind.QR, "https://cabinet.tax.gov.ua/cashregs/check"),
        Row(RowKind.CENTER, "Якщо букви і QR-код читаються, принтер налаштовано."),
    ]
