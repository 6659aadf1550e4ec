"""Catalogue lookups and the CSV/XLSX import: all errors reported, nothing half-imported."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from pos.cli import main
from pos.domain.barcodes import ean13_check_digit
from pos.journal import Journal
from pos.journal.catalogue_import import CatalogueFileError, check_file, import_catalogue
from pos.journal.records import CatalogueItem

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo_catalogue.csv"
HEADER = "code,barcode,name,price,tax,unit\n"


def write(tmp_path: Path, text: str, name: str = "goods.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def test_ukrainian_name_search_is_case_insensitive_and_by_prefix(journal: Journal) -> None:
    journal.catalogue.upsert(
        [
            CatalogueItem(
                "1", "Молоко Галичина 2,5% 900 г", 4690, (5,), barcodes=("4820001000016",)
            ),
            CatalogueItem("2", "Йогурт молочний", 3550, (5,)),
            CatalogueItem("3", "Пиво Оболонь", 3690, (1,), is_excise=True),
            CatalogueItem("4", "М'ясо свиняче", 27900, (5,), "кг", is_weighed=True),
        ],
        T0,
    )
    assert {i.code for i in journal.catalogue.search("моло")} == {"1", "2"}
    assert [i.code for i in journal.catalogue.search("МОЛОКО гал")] == ["1"]
    assert [i.code for i in journal.catalogue.search("йогурт")] == ["2"]
    assert [i.code for i in journal.catalogue.search("м'ясо")] == ["4"]
    assert journal.catalogue.search("  ,. ") == []
    assert journal.catalogue.search('"OR*') == []  # FTS syntax is quoted away
    item = journal.catalogue.find_by_barcode("4820001000016")
    assert item is not None
    assert (item.code, item.price, item.tax_codes) == ("1", 4690, (5,))
    assert journal.catalogue.find_by_barcode("4820001000023") is None
    weighed = journal.catalogue.find_by_code("4")
    assert weighed is not None
    assert weighed.is_weighed
    assert journal.catalogue.count() == 4


def test_demo_catalogue_imports_cleanly(journal: Journal) -> None:
    report = import_catalogue(journal, DEMO, T0)
    assert report.errors == ()
    assert report.applied
    assert report.imported == report.rows == journal.catalogue.count() >= 280
    vodka = journal.catalogue.search("горілка хортиця")
    assert vodka[0].is_excise
    assert vodka[0].tax_codes == (1,)
    bananas = journal.catalogue.search("банани")[0]
    assert (bananas.unit, bananas.is_weighed) == ("кг", True)
    assert bananas.barcodes[0].startswith("20")
    assert bananas.barcodes[0][2:7] == bananas.code  # a scale label finds its good by code
    label = f"20{bananas.code}01250"
    scanned = journal.catalogue.find_by_scan(label + str(ean13_check_digit(label)))
    assert scanned is not None
    assert (scanned.item.code, scanned.quantity) == (bananas.code, 1250)
    bread = journal.catalogue.find_by_scan("4820001000016")
    assert bread is not None
    assert (bread.item.code, bread.quantity) == ("1001", None)
    assert journal.catalogue.find_by_scan("4820001000023") is None


def test_every_bad_row_is_reported_and_nothing_is_imported(
    journal: Journal, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "code;barcode;name;price;tax;unit\n"  # ';' delimiter detected
        "1;4820001000016;Хліб;34,90;Є;шт\n"
        ";4820001000023;Без коду;10;Є;шт\n"
        "1;;Дубль коду;10;Є;шт\n"
        "4;4820001000017;Поганий штрихкод;10;Є;шт\n"
        "5;4820001000016;Той самий штрихкод;10;Є;шт\n"
        f"6;;{'Я' * 129};10;Є;шт\n"
        "7;;Нульова ціна;0;Є;шт\n"
        "8;;Ціна текстом;десять;Є;шт\n"
        "9;;Забагато копійок;1.999;Є;шт\n"
        "10;;Податок;10;Q;шт\n"
        "11;;Одиниця;10;Є;ящик\n"
        "12;;Дорого;100000.01;Є;шт\n"
        "\n"
        "13;;Гарний товар;15.5;А;кг\n",
        bom=True,
    )
    report = import_catalogue(journal, path, T0)
    found = {(e.row, e.field, e.reason) for e in report.errors}
    assert found == {
        (3, "code", "missing"),
        (4, "code", "duplicate"),
        (5, "barcode", "invalid_barcode"),
        (6, "barcode", "duplicate_barcode"),
        (7, "name", "too_long"),
        (8, "price", "not_positive"),
        (9, "price", "invalid_price"),
        (10, "price", "invalid_price"),
        (11, "tax", "unknown_tax"),
        (12, "unit", "unknown_unit"),
        (13, "price", "too_large"),
    }
    assert all(e.message for e in report.errors)
    assert "рядку 2" in next(e.message for e in report.errors if e.reason == "duplicate")
    assert not report.applied
    assert report.rows == 13
    assert journal.catalogue.count() == 0


def test_skip_bad_rows_imports_the_good_ones(journal: Journal, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "1,,Хліб,34.90,Є,шт\n2,,Погано,-1,Є,шт\n3,,Сир,389,Є,кг\n")
    report = import_catalogue(journal, path, T0, skip_bad_rows=True)
    assert (report.imported, report.applied, len(report.errors)) == (2, True, 1)
    assert journal.catalogue.find_by_code("3") is not None


def test_reimport_updates_by_code_and_moves_barcodes(journal: Journal, tmp_path: Path) -> None:
    first = write(tmp_path, HEADER + "1,4820001000016,Хліб,34.90,Є,шт\n2,,Батон,29.90,5,шт\n")
    import_catalogue(journal, first, T0)
    second = write(
        tmp_path,
        HEADER + '1,,"Хліб, житній",36.50,Є,шт\n2,4820001000016|4820002000022,Батон,29.90,Є,2009\n',
        "second.csv",
    )
    report = import_catalogue(journal, second, T0)
    assert report.errors == ()
    assert journal.catalogue.count() == 2
    bread = journal.catalogue.find_by_code("1")
    assert bread is not None
    assert (bread.name, bread.price, bread.barcodes) == ("Хліб, житній", 3650, ())
    moved = journal.catalogue.find_by_barcode("4820001000016")
    assert moved is not None
    assert moved.code == "2"
    assert moved.barcodes == ("4820001000016", "4820002000022")
    assert [i.code for i in journal.catalogue.search("житній")] == ["1"]
    assert journal.catalogue.search("хліб")[0].name == "Хліб, житній"


def test_taxes_units_and_barcodes_in_their_many_spellings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "unit,tax,price,name,barcode,code\n"  # any column order
        "кг,1,10,Ковбаса,2000101000006,00101\n"
        "ШТ.,АЄ,10,Набір,96385074,A\n"
        "л,1+5,10,Сік,036000291452,B\n"
        "г,,10,Спеції,INT-77,C\n"
        "0101,З,10,Мотузка,,D\n",
    )
    report = check_file(path)
    assert report.errors == ()
    by_code = {item.code: item for item in report.items}
    assert by_code["00101"].is_weighed
    assert by_code["00101"].is_excise
    assert by_code["A"].tax_codes == (1, 5)
    assert by_code["B"].barcodes == ("0036000291452",)  # UPC-A widened to EAN-13
    assert by_code["B"].is_weighed
    assert by_code["C"].barcodes == ("INT-77",)
    assert by_code["C"].tax_codes == ()
    assert by_code["D"].unit == "м"


def test_xlsx_is_imported_like_csv(journal: Journal, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "barcode", "name", "price", "tax", "unit"])
    sheet.append([1001, 4820001000016, "Хліб", 34.9, "Є", "шт"])
    sheet.append(["1002", None, "Цукор", "34,90", 5, "кг"])
    sheet.append(["1003", None, "", 0, "Є", "шт"])
    path = tmp_path / "goods.xlsx"
    workbook.save(path)
    report = import_catalogue(journal, path, T0)
    assert {(e.row, e.field) for e in report.errors} == {(4, "name"), (4, "price")}
    assert journal.catalogue.count() == 0
    report = import_catalogue(journal, path, T0, skip_bad_rows=True)
    bread = journal.catalogue.find_by_barcode("4820001000016")
    assert bread is not None
    assert (bread.code, bread.price) == ("1001", 3490)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"code,barcode,name,price,tax,unit\n", "no_rows"),
        ("код,назва,ціна\n1,Хліб,10\n".encode(), "bad_header"),
        (b"code,barcode,name,price,tax,unit,colour\n1,,x,1,1,pc,red\n", "bad_header"),
        (bytes(range(256)) * 4, "binary"),
        (b"PK\x03\x04garbage that is not a zip", "bad_header"),
    ],
)
def test_a_broken_file_gives_one_clear_error(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "goods.csv"
    path.write_bytes(content)
    with pytest.raises(CatalogueFileError) as caught:
        check_file(path)
    assert caught.value.reason == reason
    assert caught.value.message


def test_a_broken_xlsx_and_a_missing_file(tmp_path: Path) -> None:
    fake = tmp_path / "goods.xlsx"
    fake.write_bytes(b"not a workbook")
    with pytest.raises(CatalogueFileError, match="XLSX"):
        check_file(fake)
    with pytest.raises(CatalogueFileError) as caught:
        check_file(tmp_path / "absent.csv")
    assert caught.value.reason == "not_found"


def test_cp1251_file_from_excel(tmp_path: Path) -> None:
    path = tmp_path / "goods.csv"
    path.write_bytes((HEADER + "1,,Хліб житній,34.90,Є,шт\n").encode("cp1251"))
    report = check_file(path)
    assert report.items[0].name == "Хліб житній"


def test_command_line_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, HEADER + "1,,Хліб,34.90,Є,шт\n")
    bad = write(tmp_path, HEADER + "1,,Хліб,ноль,Є,шт\n", "bad.csv")
    data = tmp_path / "data"
    assert main(["catalogue", "import", str(good), "--data", str(data)]) == 0
    assert "Імпортовано товарів: 1 з 1" in capsys.readouterr().out
    assert (data / "journal-default.sqlite").is_file()

    assert main(["catalogue", "import", str(bad), "--data", str(data), "--json"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["applied"] is False
    assert body["errors"] == [
        {
            "row": 2,
            "field": "price",
            "reason": "invalid_price",
            "message": body["errors"][0]["message"],
        }
    ]

    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\x00\x01\x02")
    assert main(["catalogue", "import", str(garbage), "--data", str(data)]) == 2
    captured = capsys.readouterr()
    assert "Помилка" in captured.err
    assert "Traceback" not in captured.err
