"""The manager's settings: connection, printer, language, limits, manager PIN, problems.

Why it edits a copy: nothing changes for the running register until every field is valid and
the settings file is written (``pos.config.save``); then the copy's values go into the running
``AppConfig``. What the register read at start (training or real, API address, license key,
warning thresholds) takes effect after a restart, and the dialog says so. Secrets are never put
back into a field: the license key field is empty with "stored" as its hint, and a typed key or
PIN is masked.

Settings this version of ``AppConfig`` cannot keep (paper width, sign-in method) are shown
disabled, with the reason, rather than pretending to save them.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import SecretStr
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import pos.config
from pos.config import DEFAULT_MANAGER_PIN, AppConfig, ThresholdSettings
from pos.printing.escpos_output import (
    CYRILLIC_CODE_PAGES,
    Connection,
    EscposSettings,
    PrinterProblem,
    choose_code_page,
    cyrillic_code_pages,
    printer_test_page,
    profile_names,
)
from pos.printing.qt_output import available_printers
from pos.ui.asyncio_qt import spawn
from pos.ui.receipt_dialog import (
    ERROR_STYLE,
    OK_STYLE,
    WARN_STYLE,
    KeyDialog,
    buttons_row,
)
from pos.ui.set_aside import SetAsideList

if TYPE_CHECKING:
    from pos.app import RunningRegister

LICENSE_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
"""Checkbox license keys are 20–30 letters and digits ("test3a544a54373a9cb3f2711111")."""

PIN = re.compile(r"\d{4,8}")
USB_ADDRESS = re.compile(r"[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}")
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LANGUAGES = (("uk", "Українська"), ("en", "English"))  # each in its own language, not translated
PAPER_WIDTHS = (80, 58)


class SettingsDialog(KeyDialog):
    """Tabs: Connection, Printer, Language, Limits, Manager PIN, Problems. Enter saves (when all
    is valid), Esc cancels. ``settings_saved(config)`` is emitted after a successful save."""

    settings_saved = Signal(object)

    def __init__(self, running: RunningRegister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._running = running
        self._config = running.config
        self._saved = False
        self.setWindowTitle(self.tr("Settings"))
        self.resize(820, 620)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._connection_tab(), self.tr("Connection"))
        self.tabs.addTab(self._printer_tab(), self.tr("Printer"))
        self.tabs.addTab(self._language_tab(), self.tr("Language"))
        self.tabs.addTab(self._limits_tab(), self.tr("Limits"))
        self.tabs.addTab(self._pin_tab(), self.tr("Manager PIN"))
        self.tabs.addTab(self._problems_tab(), self.tr("Problems"))

        self.save_button = self.key_button(self.tr("Save"), Qt.Key.Key_Return, self.save)
        self.cancel_button = self.key_button(self.tr("Cancel"), Qt.Key.Key_Escape, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.notice)
        layout.addLayout(buttons_row(self.save_button, self.cancel_button))

    # --- tabs ------------------------------------------------------------------------------

    def _connection_tab(self) -> QWidget:
        config = self._config
        page = QWidget()
        self.training = QCheckBox(
            self.tr("Training mode: a built-in test server, nothing is fiscal")
        )
        self.training.setChecked(config.training)
        self.training.toggled.connect(lambda _on: self._show_mode_note())
        self.api_url = QLineEdit(config.api_url)
        self.api_url.setPlaceholderText("https://api.checkbox.ua")
        self.license_key = QLineEdit()
        self.license_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.license_key.setPlaceholderText(
            self.tr("stored; type a new key to replace it")
            if config.license_key is not None
            else self.tr("not set")
        )
        # The shop's back-office database: its URL may hold a password, so it is shown masked
        # and kept with the secrets; empty keeps what is stored.
        self.backoffice_url = QLineEdit()
        self.backoffice_url.setObjectName("backofficeUrl")
        self.backoffice_url.setEchoMode(QLineEdit.EchoMode.Password)
        self.backoffice_url.setPlaceholderText(
            self.tr("stored; type a new address to replace it")
            if config.backoffice_url is not None
            else self.tr("optional: postgresql://user:password@host/shop")
        )
        self.sign_in_pin = QRadioButton(self.tr("Cashier's PIN"))
        self.sign_in_login = QRadioButton(self.tr("Login and password"))
        self.sign_in_group = QButtonGroup(page)
        self.sign_in_group.addButton(self.sign_in_pin)
        self.sign_in_group.addButton(self.sign_in_login)
        method = config.sign_in_method
        (self.sign_in_login if method == "login" else self.sign_in_pin).setChecked(True)
        method_box = QWidget()
        method_row = QVBoxLayout(method_box)
        method_row.setContentsMargins(0, 0, 0, 0)
        method_row.addWidget(self.sign_in_pin)
        method_row.addWidget(self.sign_in_login)
        self.mode_note = QLabel()
        self.mode_note.setWordWrap(True)
        self.mode_note.setStyleSheet(WARN_STYLE)
        form = QFormLayout(page)
        form.addRow(self.training)
        form.addRow(self.tr("API address:"), self.api_url)
        form.addRow(self.tr("License key:"), self.license_key)
        form.addRow(self.tr("Cashier signs in with:"), method_box)
        form.addRow(self.tr("Back-office database:"), self.backoffice_url)
        form.addRow(self.mode_note)
        self._show_mode_note()
        return page

    def _printer_tab(self) -> QWidget:
        config = self._config
        page = QWidget()
        self.printer = QComboBox()
        self.printer.addItem(self.tr("Ask every time (or save as PDF)"), "")
        for name in available_printers():
            self.printer.addItem(name, name)
        if config.printer and self.printer.findData(config.printer) < 0:
            self.printer.addItem(
                self.tr("{name} (not found)").format(name=config.printer), config.printer
            )
        self.printer.setCurrentIndex(max(self.printer.findData(config.printer), 0))
        self.paper_80 = QRadioButton(self.tr("80 mm"))
        self.paper_58 = QRadioButton(self.tr("58 mm"))
        self.paper_group = QButtonGroup(page)
        self.paper_group.addButton(self.paper_80)
        self.paper_group.addButton(self.paper_58)
        width = config.paper_width_mm
        (self.paper_58 if width == 58 else self.paper_80).setChecked(True)
        paper_box = QWidget()
        paper_row = QVBoxLayout(paper_box)
        paper_row.setContentsMargins(0, 0, 0, 0)
        paper_row.addWidget(self.paper_80)
        paper_row.addWidget(self.paper_58)
        self.shop_name = QLineEdit(config.shop_name)
        self.shop_address = QLineEdit(config.shop_address)
        form = QFormLayout(page)
        self._thermal_rows(form)
        form.addRow(self.tr("System printer:"), self.printer)
        form.addRow(self.tr("Paper width:"), paper_box)
        form.addRow(self.tr("Shop name on receipts:"), self.shop_name)
        form.addRow(self.tr("Shop address on receipts:"), self.shop_address)
        return page

    def _thermal_rows(self, form: QFormLayout) -> None:
        """The ESC/POS receipt printer: connection, address, model, code page, test page."""
        config = self._config
        self.connection = QComboBox()
        self.connection.setObjectName("printerConnection")
        for text, value in (
            (self.tr("None: the system printer below, or PDF"), ""),
            (self.tr("USB (vendor:product)"), "usb"),
            (self.tr("Serial port"), "serial"),
            (self.tr("Network (IP address:port)"), "network"),
            (self.tr("Device or file (/dev/usb/lp0)"), "file"),
        ):
            self.connection.addItem(text, value)
        current = config.receipt_printer
        self.connection.setCurrentIndex(max(self.connection.findData(current), 0))
        self.address = QLineEdit(config.receipt_printer_address)
        self.address.setObjectName("printerAddress")
        self.profile = QComboBox()
        self.profile.setObjectName("printerProfile")
        for name in profile_names():
            self.profile.addItem(name, name)
        profile = config.printer_profile or "default"
        self.profile.setCurrentIndex(max(self.profile.findData(profile), 0))
        self.code_page = QComboBox()
        self.code_page.setObjectName("printerCodePage")
        self.code_page.addItem(self.tr("Automatic (best Ukrainian code page)"), "auto")
        for name in CYRILLIC_CODE_PAGES:
            self.code_page.addItem(name, name)
        wanted = config.printer_code_page or "auto"
        self.code_page.setCurrentIndex(max(self.code_page.findData(wanted), 0))
        self.code_page_note = QLabel()
        self.code_page_note.setObjectName("codePageNote")
        self.code_page_note.setWordWrap(True)
        self.auto_print = QCheckBox(self.tr("Print every receipt at once after the sale"))
        self.auto_print.setChecked(config.auto_print)
        self.cash_drawer = QCheckBox(self.tr("Open the cash drawer on cash payments"))
        self.cash_drawer.setChecked(config.cash_drawer)
        self.test_page_button = self.key_button(
            self.tr("Print test page"), Qt.Key.Key_F6, self.print_test_page
        )
        self.test_page_button.setObjectName("printTestPage")
        for widget in (self.connection, self.profile, self.code_page):
            widget.currentIndexChanged.connect(lambda _i: self._show_printer_fields())
        form.addRow(self.tr("Receipt printer:"), self.connection)
        form.addRow(self.tr("Address:"), self.address)
        form.addRow(self.tr("Printer model:"), self.profile)
        form.addRow(self.tr("Code page:"), self.code_page)
        form.addRow(self.code_page_note)
        form.addRow(self.auto_print)
        form.addRow(self.cash_drawer)
        form.addRow(buttons_row(self.test_page_button))
        self._show_printer_fields()

    def _show_printer_fields(self) -> None:
        kind = str(self.connection.currentData() or "")
        hints = {
            "usb": "04b8:0202",
            "serial": "COM3 / /dev/ttyUSB0@19200",
            "network": "192.168.1.50:9100",
            "file": "/dev/usb/lp0",
        }
        self.address.setPlaceholderText(hints.get(kind, ""))
        for widget in (self.address, self.profile, self.code_page, self.cash_drawer):
            widget.setEnabled(bool(kind))
        self.test_page_button.setEnabled(bool(kind))
        self.auto_print.setEnabled(bool(kind) or self.printer.currentData() != "")
        profile = str(self.profile.currentData())
        pages = cyrillic_code_pages(profile)
        wanted = str(self.code_page.currentData())
        if not pages:
            text = self.tr(
                "The model {profile} has no Cyrillic code page: receipts cannot be printed in "
                "Ukrainian. Choose “default” (most ESC/POS printers) or another model, or use "
                "the system printer."
            ).format(profile=profile)
            style = ERROR_STYLE
        elif wanted != "auto" and wanted not in pages:
            text = self.tr("The model {profile} has no {page}; it has {pages}.").format(
                profile=profile, page=wanted, pages=", ".join(pages)
            )
            style = ERROR_STYLE
        else:
            chosen = pages[0] if wanted == "auto" else wanted
            text = self.tr("Prints with {page}.").format(page=chosen)
            if chosen == "CP866":
                text += " " + self.tr("CP866 has no І and Ґ: they print as I and Г.")
            style = ""
        self.code_page_note.setText(text)
        self.code_page_note.setStyleSheet(style)

    def printer_problem(self) -> str | None:
        """Why the receipt printer's settings cannot work, or None."""
        kind = str(self.connection.currentData() or "")
        if not kind:
            return None
        address = self.address.text().strip()
        if not address:
            return self.tr("Enter the receipt printer's address.")
        if kind == "usb" and not USB_ADDRESS.fullmatch(address):
            return self.tr("A USB printer's address is vendor:product in hex, e.g. 04b8:0202.")
        try:
            choose_code_page(str(self.profile.currentData()), str(self.code_page.currentData()))
        except PrinterProblem:
            return self.code_page_note.text()
        return None

    def edited_printer(self) -> EscposSettings | None:
        kind = str(self.connection.currentData() or "")
        if not kind:
            return None
        return EscposSettings(
            Connection(kind),
            self.address.text().strip(),
            profile=str(self.profile.currentData()),
            code_page=str(self.code_page.currentData()),
            paper_width_mm=58 if self.paper_58.isChecked() else 80,
        )

    def print_test_page(self) -> None:
        """F6: a test page on the printer as it is set here (saved or not)."""
        problem = self.printer_problem()
        settings = self.edited_printer()
        if problem or settings is None:
            self._refuse(1, self.address, problem or "")
            return
        self.show_notice(self.tr("Printing the test page…"))
        spawn(self._test_page(settings))

    async def _test_page(self, settings: EscposSettings) -> None:
        import pos

        rows = printer_test_page(settings, pos.__version__)
        ok = await self._running.spooler.print_rows("test-page", rows, settings)
        if ok:
            self.show_notice(self.tr("The test page was printed."), OK_STYLE)
        else:
            from pos.ui.printer_output import ReceiptPrinting

            reason = ReceiptPrinting(self._running, self).trouble_text(self._running.spooler.status)
            self._running.spooler.forget("test-page")
            self.show_notice(
                self.tr("The test page did not print: {reason}").format(reason=reason),
                ERROR_STYLE,
            )

    def _language_tab(self) -> QWidget:
        page = QWidget()
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(self._config.language), 0))
        note = QLabel(self.tr("Receipts and reports are always printed in Ukrainian."))
        note.setWordWrap(True)
        form = QFormLayout(page)
        form.addRow(self.tr("Interface language:"), self.language)
        form.addRow(note)
        return page

    def _limits_tab(self) -> QWidget:
        limits = self._config.thresholds
        page = QWidget()

        def hours(value: float, top: float) -> QDoubleSpinBox:
            box = QDoubleSpinBox()
            box.setDecimals(1)
            box.setRange(0.5, top)
            box.setSingleStep(0.5)
            box.setSuffix(" " + self.tr("h"))
            box.setValue(value)
            return box

        def whole(value: float, low: int, top: int, suffix: str) -> QSpinBox:
            box = QSpinBox()
            box.setRange(low, top)
            box.setSuffix(suffix)
            box.setValue(int(value))
            return box

        self.offline_warning = hours(limits.offline_warning_hours, 35.0)
        self.month_warning = hours(limits.month_warning_hours, 167.0)
        self.shift_warning = whole(limits.shift_warning_minutes, 5, 23 * 60, " " + self.tr("min"))
        self.codes_warning = whole(limits.codes_warning, 1, 5000, "")
        self.codes_low_water = whole(limits.codes_low_water, 10, 5000, "")
        note = QLabel(self.tr("The register reads these at start: they apply after a restart."))
        note.setWordWrap(True)
        form = QFormLayout(page)
        form.addRow(self.tr("Warn when the offline period (36 h) has left:"), self.offline_warning)
        form.addRow(
            self.tr("Warn when the month's offline time (168 h) has left:"), self.month_warning
        )
        form.addRow(self.tr("Warn when the shift (24 h) has left:"), self.shift_warning)
        form.addRow(self.tr("Warn when offline codes fall to:"), self.codes_warning)
        form.addRow(self.tr("Keep at least this many offline codes:"), self.codes_low_water)
        form.addRow(note)
        return page

    def _pin_tab(self) -> QWidget:
        page = QWidget()

        def pin_field() -> QLineEdit:
            field = QLineEdit()
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(8)
            field.setValidator(QRegularExpressionValidator(r"\d{0,8}", field))
            return field

        self.pin_current = pin_field()
        self.pin_new = pin_field()
        self.pin_repeat = pin_field()
        note = QLabel(self.tr("Leave empty to keep the PIN. A new PIN has 4 to 8 digits."))
        note.setWordWrap(True)
        form = QFormLayout(page)
        form.addRow(self.tr("Current PIN:"), self.pin_current)
        form.addRow(self.tr("New PIN:"), self.pin_new)
        form.addRow(self.tr("New PIN again:"), self.pin_repeat)
        form.addRow(note)
        return page

    def _problems_tab(self) -> QWidget:
        page = QWidget()
        self.problems = SetAsideList(self._running)
        refresh = self.key_button(self.tr("Refresh"), Qt.Key.Key_F5, self.problems.refresh)
        layout = QVBoxLayout(page)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons_row(refresh))
        return page

    def _show_mode_note(self) -> None:
        if self.training.isChecked() != self._config.training:
            self.mode_note.setText(
                self.tr("Switching between training and real work takes effect after a restart.")
            )
        else:
            self.mode_note.setText("")

    # --- validation ------------------------------------------------------------------------

    def url_problem(self, text: str, *, required: bool) -> str | None:
        """Why the API address cannot be used, or None."""
        if not text:
            return (
                self.tr("Enter the API address, e.g. https://api.checkbox.ua") if required else None
            )
        if any(ch.isspace() for ch in text):
            return self.tr("The API address must not contain spaces.")
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https"):
            return self.tr("The API address must start with https://")
        if not parts.hostname:
            return self.tr("The API address has no server name.")
        if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
            return self.tr("Use https://: the license key must not travel unencrypted.")
        if parts.query or parts.fragment:
            return self.tr("The API address must not contain ? or #.")
        return None

    def key_problem(self, text: str, *, required: bool) -> str | None:
        """Why the typed license key cannot be right, or None (the key itself is never shown)."""
        if not text:
            if required and self._config.license_key is None:
                return self.tr("Enter the register's license key (from the Checkbox cabinet).")
            return None
        if not LICENSE_KEY.fullmatch(text):
            return self.tr(
                "A license key is 16 to 64 Latin letters and digits, without spaces. "
                "Copy it again from the Checkbox cabinet."
            )
        return None

    def pin_problem(self) -> str | None:
        current, new, repeat = (f.text() for f in (self.pin_current, self.pin_new, self.pin_repeat))
        if not (current or new or repeat):
            return None
        if not self._config.check_manager_pin(current):
            return self.tr("The current manager PIN is not right.")
        if not PIN.fullmatch(new):
            return self.tr("The new PIN must have 4 to 8 digits.")
        if new == DEFAULT_MANAGER_PIN:
            return self.tr("Choose a manager PIN other than 0000.")
        if new != repeat:
            return self.tr("The new PIN and its repetition differ.")
        return None

    def _refuse(self, tab: int, field: QWidget, message: str) -> None:
        self.tabs.setCurrentIndex(tab)
        field.setFocus()
        self.show_notice(message, ERROR_STYLE)

    # --- saving ----------------------------------------------------------------------------

    def enter_pressed(self) -> None:
        self.save()

    def edited(self) -> AppConfig | None:
        """A copy of the settings with the dialog's values, or None (with the reason shown)."""
        real = not self.training.isChecked()
        url = self.api_url.text().strip()
        key = self.license_key.text().strip()
        problem = self.url_problem(url, required=real)
        if problem:
            self._refuse(0, self.api_url, problem)
            return None
        problem = self.key_problem(key, required=real)
        if problem:
            self._refuse(0, self.license_key, problem)
            return None
        problem = self.pin_problem()
        if problem:
            self._refuse(4, self.pin_current, problem)
            return None
        if real and not self._config.manager_pin_hash and not self.pin_new.text():
            message = self.tr("Before real work, set a new manager PIN (not 0000).")
            self._refuse(4, self.pin_new, message)
            return None
        problem = self.printer_problem()
        if problem:
            self._refuse(1, self.address, problem)
            return None
        backoffice = self.backoffice_url.text().strip()
        if backoffice:
            from pos.backoffice.database import BackofficeUrlError, check_url

            try:
                check_url(backoffice)
            except BackofficeUrlError:
                message = self.tr("The back-office database must be a postgresql:// address.")
                self._refuse(0, self.backoffice_url, message)
                return None
        config = copy.deepcopy(self._config)
        config.training = self.training.isChecked()
        config.api_url = url.rstrip("/")
        if key:
            config.license_key = SecretStr(key)
        if backoffice:
            config.backoffice_url = SecretStr(backoffice)
        config.printer = str(self.printer.currentData() or "")
        config.receipt_printer = str(self.connection.currentData() or "")
        config.receipt_printer_address = self.address.text().strip()
        config.printer_profile = str(self.profile.currentData())
        config.printer_code_page = str(self.code_page.currentData())
        config.auto_print = self.auto_print.isChecked()
        config.cash_drawer = self.cash_drawer.isChecked()
        config.shop_name = self.shop_name.text().strip()
        config.shop_address = self.shop_address.text().strip()
        config.language = str(self.language.currentData())
        config.thresholds = ThresholdSettings(
            offline_warning_hours=self.offline_warning.value(),
            month_warning_hours=self.month_warning.value(),
            shift_warning_minutes=float(self.shift_warning.value()),
            codes_warning=self.codes_warning.value(),
            codes_low_water=self.codes_low_water.value(),
        )
        config.paper_width_mm = 58 if self.paper_58.isChecked() else 80
        config.sign_in_method = "login" if self.sign_in_login.isChecked() else "pin"
        if self.pin_new.text():
            config.set_manager_pin(self.pin_new.text())
        return config

    def _needs_restart(self, new: AppConfig) -> bool:
        old = self._config
        key_changed = (new.license_key is not None) and (
            old.license_key is None
            or new.license_key.get_secret_value() != old.license_key.get_secret_value()
        )
        return (
            new.training != old.training
            or new.api_url != old.api_url
            or key_changed
            or _secret(new.backoffice_url) != _secret(old.backoffice_url)
            or new.thresholds != old.thresholds
            or new.sign_in_method != old.sign_in_method
        )

    def save(self) -> None:
        if self._saved:
            self.accept()
            return
        new = self.edited()
        if new is None:
            return
        try:
            pos.config.save(new)
        except OSError as error:
            self.show_notice(
                self.tr("The settings could not be written: {reason}").format(
                    reason=error.strerror or str(error)
                ),
                ERROR_STYLE,
            )
            return
        restart = self._needs_restart(new)
        for name, value in vars(new).items():
            setattr(self._config, name, value)
        fields = (self.pin_current, self.pin_new, self.pin_repeat, self.license_key)
        for field in (*fields, self.backoffice_url):
            field.clear()
        self.settings_saved.emit(self._config)
        if not restart:
            self.accept()
            return
        self._saved = True
        self.save_button.setText(self.tr("Close") + " (Enter)")
        self.show_notice(
            self.tr("Saved. Restart the program for the new connection and limits to apply."),
            OK_STYLE,
        )


def _secret(value: SecretStr | None) -> str | None:
    return None if value is None else value.get_secret_value()
