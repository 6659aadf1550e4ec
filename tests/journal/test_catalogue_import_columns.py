"""The optional category, weighed and excise columns of a catalogue file (CSV and XLSX)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl

from pos.journal import Journal
from pos.journal.catalogue_import import check_file, import_catalogue

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def write(tmp_path: Path, text: str, name: str = "goods.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_category_weighed_and_excise_columns(journal: Journal, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Code;Barcode;Name;Price;Tax;Unit;Category;WEIGHED;Excise\n"  # header case is free
        "1;;Хліб Дарницький;32,50;Є;шт;  Хліб  ;;\n"
        "2;;Мотузка джутова;12,00;Є;м;Господарські   товари;так;ні\n"
        "3;;Пиво Оболонь;38,90;А;шт;Алкоголь;0;0\n"  # beer: excise tax, no excise stamps
        "4;;Сир в упаковці 1 кг;389,00;Є;кг;Молочні продукти;no;\n"
        "5;;Стіки Heets;132,00;Є;шт;Тютюн;false;Yes\n"
        "6;;Горілка;239,00;А;шт;Алкоголь;;\n"  # empty: the rules of a file without the columns
        "7;;Банани;72,90;Є;кг;;1;0\n",
    )
    report = import_catalogue(journal, path, T0)
    assert report.errors == ()
    found = {
        code: (item.category, item.is_weighed, item.is_excise)
        for code in "1234567"
        if (item := journal.catalogue.find_by_code(code)) is not None
    }
    assert found == {
        "1": ("Хліб", False, False),
        "2": ("Господарські товари", True, False),
        "3": ("Алкоголь", False, False),
        "4": ("Молочні продукти", False, False),
        "5": ("Тютюн", False, True),
        "6": ("Алкоголь", False, True),
        "7": ("", True, False),
    }
    assert journal.catalogue.categories() == [
        ("Алкоголь", 2),
        ("Господарські товари", 1),
        ("Молочні продукти", 1),
        ("Тютюн", 1),
        ("Хліб", 1),
    ]


def test_bad_flags_and_categories_are_reported_per_row(journal: Journal, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "code,barcode,name,price,tax,unit,category,weighed,excise\n"
        "1,,Хліб,34.90,Є,шт,Хліб,може,\n"
        "2,,Пиво,38.90,А,шт,Алкоголь,,2\n"
        "3,,Батон,29.90,Є,шт,Хліб,1,\n"  # pieces cannot be weighed
        f"4,,Сир,389,Є,кг,{'К' * 65},,\n"
        "5,,Молоко,46.90,Є,шт,Молочні продукти,0,0\n",
    )
    report = import_catalogue(journal, path, T0)
    assert {(e.row, e.field, e.reason) for e in report.errors} == {
        (2, "weighed", "invalid_flag"),
        (3, "excise", "invalid_flag"),
        (4, "weighed", "weighed_piece"),
        (5, "category", "too_long"),
    }
    assert all(e.message for e in report.errors)
    assert not report.applied
    assert journal.catalogue.count() == 0

    report = import_catalogue(journal, path, T0, skip_bad_rows=True)
    assert (report.imported, report.applied) == (1, True)
    assert journal.catalogue.categories() == [("Молочні продукти", 1)]


def test_reimport_moves_a_good_to_another_category(journal: Journal, tmp_path: Path) -> None:
    header = "code,barcode,name,price,tax,unit,category\n"
    import_catalogue(journal, write(tmp_path, header + "1,,Кава Jacobs,239,Є,шт,Бакалія\n"), T0)
    import_catalogue(
        journal, write(tmp_path, header + "1,,Кава Jacobs,239,Є,шт,Напої\n", "b.csv"), T0
    )
    assert journal.catalogue.categories() == [("Напої", 1)]
    # A file without the column leaves goods without a category.
    plain = "code,barcode,name,price,tax,unit\n1,,Кава Jacobs,239,Є,шт\n"
    import_catalogue(journal, write(tmp_path, plain, "c.csv"), T0)
    assert journal.catalogue.categories() == []


def test_xlsx_with_category_and_flag_cells(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        ["code", "barcode", "name", "price", "tax", "unit", "Category", "weighed", "excise"]
    )
    sheet.append(["1", None, "Мотузка", 12, "Є", "м", "Господарські", True, False])
    sheet.append(["2", None, "Пиво", 38.9, "А", "шт", "Алкоголь", 0, 0])
    sheet.append(["3", None, "Банани", 72.9, "Є", "кг", "Овочі та фрукти", None, None])
    sheet.append(["4", None, "Батон", 29.9, "Є", "шт", None, "Так", "НІ"])
    path = tmp_path / "goods.xlsx"
    workbook.save(path)
    report = check_file(path)
    assert [(e.row, e.field, e.reason) for e in report.errors] == [(5, "weighed", "weighed_piece")]
    by_code = {item.code: item for item in report.items}
    assert (by_code["1"].category, by_code["1"].is_weighed, by_code["1"].is_excise) == (
        "Господарські",
        True,
        False,
    )
    assert (by_code["2"].is_excise, by_code["2"].tax_codes) == (False, (1,))
    assert (by_code["3"].category, by_code["3"].is_weighed) == ("Овочі та фрукти", True)
