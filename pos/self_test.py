"""``pos --self-test``: proof that an installed bundle works, without a screen or a shop.

Why these steps: they touch everything a bundle can lose — Qt and its platform plugin
(offscreen), the translations and the theme, the embedded sandbox (training mode: FastAPI and
uvicorn on 127.0.0.1), SQLite, the register's fiscal path, python-escpos with its printer
profiles, and Qt's print support (a PDF). The window opens on a temporary data folder, the
training cashier signs in, opens a shift, sells the first good of the demo catalogue for cash;
the receipt is auto-printed to an ESC/POS "file" printer and saved as a PDF; the window closes.
Exit 0 only when the printed bytes carry the receipt's fiscal code, the QR command and the cut.
The figures (start time to the sign-in screen, the whole run) are printed as one JSON line and
written to ``self-test.json`` in the output folder (a windowed Windows bundle has no stdout).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STARTED = time.monotonic()
STEP_TIMEOUT = 60.0
QR_STORE = b"\x1d(k"
CUT = b"\x1dV"


def run(output: Path | None = None) -> int:
    """Run the self-test; ``output`` keeps the printed files (else a temporary folder)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pos.config import AppConfig
    from pos.ui.app import main as window_main

    with tempfile.TemporaryDirectory(prefix="pos-self-test-") as scratch:
        folder = output or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        paper = folder / "receipt.escpos"
        paper.unlink(missing_ok=True)
        config = AppConfig(training=True, data=Path(scratch) / "data", language="uk")
        config.receipt_printer = "file"
        config.receipt_printer_address = str(paper)
        figures: dict[str, Any] = {"ok": False}
        tasks: list[asyncio.Task[None]] = []

        def ready(window: Any) -> None:
            figures["sign_in_screen_s"] = round(time.monotonic() - STARTED, 2)
            tasks.append(asyncio.ensure_future(_drive(window, paper, folder, figures)))

        try:
            window_main(["pos"], config=config, ready=ready)
        except Exception as error:  # the figures say what broke
            figures["error"] = f"{type(error).__name__}: {error}"
        figures["total_s"] = round(time.monotonic() - STARTED, 2)
        line = json.dumps(figures, ensure_ascii=False)
        (folder / "self-test.json").write_text(line + "\n", encoding="utf-8")
        if sys.stdout is not None:  # a windowed Windows bundle has no stdout
            print(line)
        return 0 if figures.get("ok") else 1


async def _wait(condition: Any, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STEP_TIMEOUT
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"self-test: {what} did not happen in {STEP_TIMEOUT:.0f} s")
        await asyncio.sleep(0.05)


async def _drive(window: Any, paper: Path, folder: Path, figures: dict[str, Any]) -> None:
    from pos.domain.receipt import PaymentType
    from pos.printing.html import receipt_html
    from pos.printing.qt_output import save_pdf
    from pos.register.cart import Cart, Tender
    from pos.ui.receipt_dialog import receipt_header

    running = window.running
    try:
        figures["page"] = window.page_name
        account = running.training_account
        await running.service.sign_in(pin=account.pin)
        await running.service.open_shift(10000)
        window.refresh_status()
        await _wait(lambda: window.page_name == "selling", "the selling screen")
        item = running.service.search("")[:1] or running.service.search("Хліб")[:1]
        if not item:
            raise RuntimeError("self-test: the demo catalogue is empty")
        cart = Cart()
        cart.add(item[0])
        total = cart.priced().total_sum
        receipt = await running.service.sell(cart, [Tender(PaymentType.CASH, total + 10000)])
        window.selling._paid(receipt)
        code = (receipt.fiscal_code or "").encode()
        await _wait(lambda: paper.exists() and CUT in paper.read_bytes(), "printing")
        data = await asyncio.to_thread(paper.read_bytes)
        pdf = save_pdf(receipt_html(receipt, receipt_header(running)), folder / "receipt.pdf")
        pdf_bytes = len(await asyncio.to_thread(pdf.read_bytes))
        figures.update(
            receipt=receipt.fiscal_code,
            state=str(receipt.state.value),
            printed_bytes=len(data),
            pdf_bytes=pdf_bytes,
            qr=QR_STORE in data,
            ok=bool(code) and code in data and QR_STORE in data and pdf_bytes > 0,
        )
    except Exception as error:
        figures["error"] = f"{type(error).__name__}: {error}"
    finally:
        window.close()


if __name__ == "__main__":
    sys.exit(run())
