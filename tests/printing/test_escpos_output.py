"""ESC/POS bytes of a receipt, an X-report and a test page, as python-escpos's Dummy printer
receives them: the code page switch, the text in that code page, the printer's own QR command
carrying the tax-service link, the cut and the drawer pulse."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from escpos.printer import Dummy

from pos.domain.receipt import Line, Payment, PaymentType
from pos.journal.records import Receipt, ReceiptState
from pos.printing.escpos_output import (
    Connection,
    EscposSettings,
    NoCyrillicCodePage,
    PrinterProblem,
    Trouble,
    choose_code_page,
    cyrillic_code_pages,
    drawer_pulse,
    print_rows,
    printer_test_page,
    profile_names,
    render_document,
)
from pos.printing.layout import (
    ReceiptHeader,
    qr_payload,
    receipt_lines,
    receipt_rows,
    report_rows,
)

from .builders import BREAD, HEADER, MAC, SEED_Z_REPORT, WINE, build_receipt

ESC, GS = b"\x1b", b"\x1d"
INIT = ESC + b"@"
FULL_CUT = GS + b"V\x00"
DRAWER_PIN_2 = ESC + b"p\x00"  # ESC p m t1 t2, pin 2 is m = 0


def settings(**changes: object) -> EscposSettings:
    base: dict[str, object] = {"connection": Connection.FILE, "address": "/dev/null"}
    base.update(changes)
    return EscposSettings(**base)  # type: ignore[arg-type]


def qr_store_command(payload: str) -> bytes:
    """GS ( k pL pH 49 80 48 data: store the QR symbol's data (the printer draws it)."""
    data = payload.encode("utf-8")
    size = len(data) + 3
    return GS + b"(k" + bytes([size % 256, size // 256]) + b"1P0" + data


def offline_receipt() -> Receipt:
    return build_receipt(
        [Line(WINE, 1000), Line(BREAD, 2000)],
        [Payment(PaymentType.CASH, 30000)],
        is_offline=True,
        state=ReceiptState.OFFLINE_ISSUED,
        fiscal_code="TEST-OFF-777",
    )


def test_receipt_bytes_have_code_page_fiscal_code_qr_cut_and_drawer() -> None:
    receipt = offline_receipt()
    rows = receipt_rows(receipt, HEADER, mac=MAC)
    link = qr_payload(receipt, HEADER, mac=MAC)
    assert link
    assert link.startswith("https://cabinet.tax.gov.ua/cashregs/check")
    dummy = Dummy()
    data = render_document(rows, settings(), open_drawer=True, printer=dummy)
    assert data == dummy.output
    assert data.startswith(INIT)
    # The default profile's best Ukrainian page is CP1125 (ESC t 44).
    assert ESC + b"t" + bytes([44]) in data
    assert "ФІСКАЛЬНИЙ ЧЕК".encode("cp1125") in data
    assert b"TEST-OFF-777" in data
    assert "ФН ПРРО TEST551151".encode("cp1125") in data
    assert qr_store_command(link) in data, "the QR is the printer's own command, not an image"
    assert GS + b"(k\x03\x001Q0" in data, "and the printer is told to print the stored symbol"
    assert GS + b"v0" not in data, "no raster image anywhere"
    cut = data.index(FULL_CUT)
    assert data.index(DRAWER_PIN_2) > cut, "the drawer opens after the paper is cut"


def test_card_receipt_without_drawer_and_58mm_lines_fit() -> None:
    receipt = build_receipt([Line(BREAD, 1000)], [Payment(PaymentType.CASHLESS, 2999)])
    narrow = settings(paper_width_mm=58)
    data = render_document(receipt_rows(receipt, HEADER), narrow)
    assert ESC + b"p" not in data
    total = next(line for line in receipt_lines(receipt, HEADER, 32) if line.startswith("СУМА"))
    assert len(total) == 32
    assert total.encode("cp1125") + b"\n" in data, "pairs are laid out for 32 columns"


def test_x_report_bytes() -> None:
    rows = report_rows(
        SEED_Z_REPORT,
        z=False,
        header=HEADER,
        shift_serial=43,
        opened_at=datetime(2023, 11, 29, 6, 0, tzinfo=UTC),
        closed_at=datetime(2023, 11, 29, 14, 0, tzinfo=UTC),
    )
    data = render_document(rows, settings())
    assert "X-ЗВІТ".encode("cp1125") in data
    assert "Готівка в касі".encode("cp1125") in data
    assert b"64.20" in data
    assert data.endswith(FULL_CUT)
    assert ESC + b"E\x01" in data, "titles are bold"


def test_test_page_shows_both_alphabets_and_the_code_page() -> None:
    page = settings(profile="TM-T88V")
    data = render_document(printer_test_page(page, "1.2.3"), page)
    # TM-T88V has no CP1125: the next best, CP1251 (ESC t 46).
    assert ESC + b"t" + bytes([46]) in data
    assert "ҐЄІЇ".encode("cp1251") in data or "АБВГҐДЕЄЖЗИІЇ".encode("cp1251") in data
    assert b"CP1251" in data
    assert FULL_CUT in data


def test_cp866_prints_i_and_g_as_look_alikes() -> None:
    page = settings(profile="TM-T88IV")  # only CP866 (ESC t 17)
    data = render_document(printer_test_page(page, "1"), page)
    assert ESC + b"t" + bytes([17]) in data
    assert "АБВГГДЕЄЖЗИIЇЙ".encode("cp866") in data
    assert "ї".encode("cp866") in data


def test_a_profile_without_cyrillic_is_refused_clearly() -> None:
    assert cyrillic_code_pages("simple") == []
    with pytest.raises(NoCyrillicCodePage, match="no Cyrillic code page"):
        render_document(printer_test_page(settings(), "1"), settings(profile="simple"))
    with pytest.raises(NoCyrillicCodePage, match="CP1125"):
        choose_code_page("TM-T88V", "CP1125")
    assert choose_code_page("TM-T88V", "CP866").number == 17
    assert profile_names()[0] == "default"


def test_drawer_pulse_alone() -> None:
    assert drawer_pulse(settings()) == ESC + b"p\x00\x32\x32"
    assert drawer_pulse(settings(drawer_pin=5)) == ESC + b"p\x01\x32\x32"


def test_file_connection_writes_the_job_and_a_missing_device_is_a_problem(tmp_path: Path) -> None:
    target = tmp_path / "paper.bin"
    receipt = build_receipt([Line(BREAD, 1000)], [Payment(PaymentType.CASH, 3000)])
    rows = receipt_rows(receipt, ReceiptHeader("Магазин", "", "FN1", "Касир", training=False))
    print_rows(rows, settings(address=str(target)), open_drawer=True)
    written = target.read_bytes()
    assert b"TEST-e11111" in written
    assert DRAWER_PIN_2 in written
    with pytest.raises(PrinterProblem, match="not connected or switched off"):
        print_rows(rows, settings(address=str(tmp_path / "no" / "such" / "lp0")))
    with pytest.raises(PrinterProblem, match="vendor:product"):
        print_rows(rows, settings(connection=Connection.USB, address="epson"))
    with pytest.raises(PrinterProblem, match="not connected or switched off"):
        print_rows(rows, settings(connection=Connection.NETWORK, address="127.0.0.1:9"))


class FakeNetworkPrinter:
    """A TCP printer on 127.0.0.1 that answers the paper query (DLE EOT 4) with ``paper`` (None:
    it never answers) and keeps what it is sent."""

    def __init__(self, paper: int | None) -> None:
        self.paper = paper
        self.received = b""
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.server.accept()
        with connection:
            connection.settimeout(5)
            while True:
                try:
                    chunk = connection.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.received += chunk
                if chunk.endswith(b"\x10\x04\x04") and self.paper is not None:
                    connection.sendall(bytes([self.paper]))

    def close(self) -> None:
        self.thread.join(timeout=10)
        self.server.close()


@pytest.mark.parametrize(
    ("paper", "prints"), [(0x12, True), (None, True), (0x72, False)], ids=["paper", "mute", "empty"]
)
def test_network_printer_is_asked_for_paper_first(paper: int | None, prints: bool) -> None:
    printer = FakeNetworkPrinter(paper)
    page = settings(connection=Connection.NETWORK, address=f"127.0.0.1:{printer.port}")
    rows = printer_test_page(page, "1")
    try:
        if prints:
            print_rows(rows, page)
        else:
            with pytest.raises(PrinterProblem, match="out of paper") as caught:
                print_rows(rows, page)
            assert caught.value.trouble is Trouble.NO_PAPER
    finally:
        printer.close()
    assert printer.received.startswith(b"\x10\x04\x04")
    assert (FULL_CUT in printer.received) is prints
