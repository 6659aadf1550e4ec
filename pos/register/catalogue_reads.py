"""What the till reads of its catalogue: a scanned code, a search, a good, the shelves.

Why one module: the register service answers these on its own thread, and the window's look-up
thread answers them over a read-only connection of its own (``pos.ui.lookups``); both call these
functions, so a scan means the same (the barcode normalised, a malformed one refused the same
way) whichever thread answers it.
"""

from __future__ import annotations

from pos.domain.barcodes import BarcodeError, normalize_barcode
from pos.journal.catalogue import Catalogue, ScannedItem
from pos.journal.records import CatalogueItem
from pos.register.errors import Refusal, RegisterError


def scan(catalogue: Catalogue, text: str) -> ScannedItem | None:
    """A scanned or typed barcode (EAN-8/13, UPC, scale label); BAD_INPUT if malformed."""
    try:
        code = normalize_barcode(text)
    except BarcodeError as error:
        raise RegisterError(Refusal.BAD_INPUT, str(error), field="barcode") from error
    return catalogue.find_by_scan(code)


def search(catalogue: Catalogue, text: str, limit: int = 50) -> list[CatalogueItem]:
    """Goods by name, code or barcode; nothing for an empty text."""
    return catalogue.search(text, limit) if text.strip() else []


def item(catalogue: Catalogue, code: str) -> CatalogueItem | None:
    return catalogue.find_by_code(code)


def barcode_owner(catalogue: Catalogue, barcode: str) -> CatalogueItem | None:
    """The good that has exactly this barcode (the goods editor's check before it saves)."""
    return catalogue.find_by_barcode(barcode)


def categories(catalogue: Catalogue) -> list[tuple[str, int]]:
    """(category, number of goods) for the selling screen's buttons."""
    return catalogue.categories()


def in_category(catalogue: Catalogue, name: str, limit: int = 200) -> list[CatalogueItem]:
    return catalogue.in_category(name, limit)
