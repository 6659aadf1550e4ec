"""The demo catalogue is what training mode sells from: it must import cleanly, fill the category
buttons, and its weighed goods must be found by the scale labels a shop prints."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from journal.make_demo_catalogue import HEADER, OUT, rows
from pos.domain.barcodes import ean13_check_digit, is_valid_ean13
from pos.journal import Journal
from pos.journal.catalogue_import import import_catalogue

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CATEGORIES = {
    "Хліб",
    "Молочні продукти",
    "М'ясо і ковбаси",
    "Овочі та фрукти",
    "Бакалія",
    "Напої",
    "Алкоголь",
    "Тютюн",
    "Солодощі",
    "Побутова хімія",
    "Преса",
}


def label(code: str, grams: int) -> str:
    first12 = f"20{code}{grams:05d}"
    return first12 + str(ean13_check_digit(first12))


def test_the_committed_file_is_what_the_generator_writes() -> None:
    with Path(OUT).open(encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0] == list(HEADER)
    assert written[1:] == rows()


def test_demo_goods_fill_the_category_buttons(journal: Journal) -> None:
    report = import_catalogue(journal, OUT, T0)
    assert report.errors == ()
    assert 280 <= report.imported <= 330
    categories = dict(journal.catalogue.categories())
    assert set(categories) == CATEGORIES
    assert all(count >= 8 for count in categories.values())
    assert sum(categories.values()) == report.imported  # every good is on some shelf
    for name in CATEGORIES:
        goods = journal.catalogue.in_category(name)
        assert len(goods) == categories[name]
        assert {good.category for good in goods} == {name}


def test_demo_weighed_alcohol_and_tobacco(journal: Journal) -> None:
    import_catalogue(journal, OUT, T0)
    produce = journal.catalogue.in_category("Овочі та фрукти")
    for good in produce:
        assert (good.unit, good.is_weighed, len(good.code)) == ("кг", True, 5), good
        scanned = journal.catalogue.find_by_scan(label(good.code, 1250))
        assert scanned is not None
        assert (scanned.item.code, scanned.quantity) == (good.code, 1250)
    for shelf in ("Алкоголь", "Тютюн"):
        for good in journal.catalogue.in_category(shelf):
            assert (good.is_excise, good.tax_codes, good.is_weighed) == (True, (1,), False), good
    soft = journal.catalogue.search("пиво безалкогольне")[0]
    assert (soft.category, soft.is_excise, soft.tax_codes) == ("Напої", False, (5,))
    press = journal.catalogue.in_category("Преса")
    assert {good.tax_codes for good in press} == {(8,)}


def test_demo_goods_other_tests_sell_stay_put(journal: Journal) -> None:
    """tests/gui, tests/dialogs and tests/headless sell these by code or barcode."""
    import_catalogue(journal, OUT, T0)
    expected = {
        "1001": ("Хліб Український житньо-пшеничний 700 г", 3490, "шт", ("4820001000016",)),
        "1002": ("Хліб Дарницький 650 г", 3250, "шт", ("4820002000022",)),
        "1005": ("Хліб Бородинський 400 г", 3820, "шт", ("4820005000050",)),
        "00101": ("Ковбаса Лікарська варена", 28900, "кг", ("2000101000006",)),
        "00112": ("Сир Бринза овеча", 29900, "кг", ("2000112000002",)),
    }
    for code, (name, price, unit, barcodes) in expected.items():
        item = journal.catalogue.find_by_code(code)
        assert item is not None
        assert (item.name, item.price, item.unit, item.barcodes) == (name, price, unit, barcodes)
    assert journal.catalogue.find_by_barcode("4820001000023") is None
    assert journal.catalogue.search("Батон")


def test_demo_barcodes_are_valid_and_pieces_are_not_scale_codes() -> None:
    for row in rows():
        code, barcode, unit = row[0], row[1], row[5]
        assert is_valid_ean13(barcode), row
        if unit == "кг":
            assert (barcode[:2], barcode[2:7]) == ("20", code), row
        else:
            assert barcode.startswith("482"), row
