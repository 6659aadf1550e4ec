"""The goods editor's check is the import's row check: the same refusals, the same words."""

from __future__ import annotations

from pathlib import Path

from pos.journal.catalogue_import import check_file, check_good, tax_letters


def test_a_typed_good_is_checked_as_a_file_row_is(tmp_path: Path) -> None:
    cells = {"code": "9", "barcode": "123", "name": "Сіль", "price": "0", "tax": "Ж", "unit": "шт"}
    item, errors = check_good(cells)
    assert item is None
    path = tmp_path / "goods.csv"
    path.write_text("code,barcode,name,price,tax,unit\n9,123,Сіль,0,Ж,шт\n", encoding="utf-8")
    from_file = check_file(path).errors
    assert [(e.field, e.reason, e.message) for e in errors] == [
        (e.field, e.reason, e.message) for e in from_file
    ]
    assert {e.field for e in errors} == {"barcode", "price", "tax"}


def test_a_good_typed_right_is_the_item_an_import_would_write() -> None:
    cells = {"code": "77", "name": "Горіхи", "price": "320,50", "tax": "Є", "unit": "кг"}
    item, errors = check_good(cells)
    assert errors == []
    assert item is not None
    assert (item.price, item.unit, item.is_weighed) == (32050, "кг", True)
    assert tax_letters(item.tax_codes) == "Є"
