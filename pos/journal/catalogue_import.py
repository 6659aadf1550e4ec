"""Catalogue import from CSV or XLSX: every row checked, and nothing half-imported.

The shop's goods usually come from an accounting program's export or a hand-kept spreadsheet. Every
row is validated and ALL problems are reported at once (row number as the spreadsheet shows it, the
field, a machine key and a Ukrainian message), because fixing one error per run is miserable. If any
row is bad nothing is imported, unless the caller explicitly asks to import the good rows; the
import itself is one transaction, and re-importing updates goods by code.

File format: a header row naming the columns ``code,barcode,name,price,tax,unit`` (any order,
case-insensitive; optional ``uktzed``, ``category``, ``weighed`` and ``excise`` columns), CSV in
UTF-8 with or without BOM (Windows-1251 accepted as a fallback, as Ukrainian Excel writes it) with
``;`` or ``,`` detected, or an XLSX workbook (first sheet).
- price: hryvnias with up to two decimals ("42,50"); above zero and at most 100 000 грн;
- tax: letters or codes ("А", "1", "АЄ", "1,5" or empty for none);
- unit: шт, кг, г, л, м or their codes (2009, 0301, 0303, 0138, 0101); кг, г and л are weighed;
- barcode: empty, or several separated by "|" or spaces; digits must form a valid EAN-8, UPC-A,
  EAN-13 (incl. 2x scale codes) or GTIN-14; codes with letters are the shop's internal codes;
- category: the shelf shown as a button on the selling screen (up to 64 characters, may be empty);
- weighed, excise: 1/0, так/ні, yes/no, true/false, or empty. Empty keeps the rule a file without
  the column gets: weighed if the unit is кг, г or л; excise if a tax carries excise (А, Б). A
  value overrides it (beer taxed А but sold without excise stamps: excise 0; rope sold by the metre:
  weighed 1); only a good sold in pieces (шт) cannot be weighed.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pos.domain.barcodes import BarcodeError, normalize_barcode
from pos.domain.money import MoneyFormatError, format_money, parse_money
from pos.domain.taxes import DEFAULT_TAXES, Tax, UnknownTaxError, resolve_tax
from pos.journal.errors import JournalError
from pos.journal.journal import Journal
from pos.journal.records import CatalogueItem

REQUIRED_COLUMNS = ("code", "barcode", "name", "price", "tax", "unit")
OPTIONAL_COLUMNS = ("uktzed", "category", "weighed", "excise")
MAX_PRICE = 100_000_00  # kopecks: no single good in a grocery costs more than 100 000 грн
MAX_NAME = 128  # seed: a good's name is at most 128 characters
MAX_CODE = 64
MAX_CATEGORY = 64  # the schema's CHECK; longer would not fit a button anyway
FLAGS: dict[str, bool] = {
    "1": True,
    "0": False,
    "так": True,
    "ні": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
}
UNITS: dict[str, str] = {
    "шт": "шт",
    "2009": "шт",
    "кг": "кг",
    "0301": "кг",
    "г": "г",
    "0303": "г",
    "л": "л",
    "0138": "л",
    "м": "м",
    "0101": "м",
}
WEIGHED_UNITS = frozenset({"кг", "г", "л"})
_INTERNAL_CODE = re.compile(r"^[0-9A-Za-z._-]{1,32}$")
_TAX_SEPARATORS = re.compile(r"[\s,;+/]+")
_BARCODE_SEPARATORS = re.compile(r"[\s|]+")


class CatalogueFileError(JournalError):
    """The file as a whole cannot be read as a catalogue (one clear message, no traceback)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # as the spreadsheet shows it: the header is row 1
    field: str
    reason: str  # a stable English key, e.g. "not_positive"
    message: str  # for the person fixing the file, in Ukrainian

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "field": self.field,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ImportReport:
    rows: int  # data rows read (blank rows are not counted)
    imported: int  # goods inserted or updated
    errors: tuple[RowError, ...] = ()
    applied: bool = False  # False: nothing was written
    items: tuple[CatalogueItem, ...] = field(default=(), repr=False)
    item_rows: tuple[int, ...] = field(default=(), repr=False)  # file row of each item

    @property
    def ok(self) -> bool:
        return not self.errors


# ---- reading ------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path: Path) -> Iterator[list[str]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise CatalogueFileError(
            "unreadable_xlsx", f"Файл XLSX пошкоджений або не є книгою Excel ({error})"
        ) from error
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise CatalogueFileError("binary", "Файл не є текстовим CSV (містить двійкові дані)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1251", errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    if "\ufffd" in text or controls > len(text) // 100:
        raise CatalogueFileError("binary", "Файл не є текстовим CSV (невідоме кодування)")
    return text


def _read_csv(path: Path) -> Iterator[list[str]]:
    text = _decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [cell.strip() for cell in record]
    except csv.Error as error:
        raise CatalogueFileError("bad_csv", f"Файл CSV пошкоджений ({error})") from error


def read_table(path: Path) -> Iterator[list[str]]:
    """The file's rows as lists of text cells, header first."""
    if not path.is_file():
        raise CatalogueFileError("not_found", f"Файл не знайдено: {path}")
    if zipfile.is_zipfile(path):
        return _read_xlsx(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise CatalogueFileError("unreadable_xlsx", "Файл XLSX пошкоджений або не є книгою Excel")
    return _read_csv(path)


# ---- validation ---------------------------------------------------------------------------------


def _header_map(header: Sequence[str]) -> dict[str, int]:
    names = [name.strip().lower().lstrip("\ufeff") for name in header]
    while names and not names[-1]:
        names.pop()
    unknown = [n for n in names if n not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    missing = [n for n in REQUIRED_COLUMNS if n not in names]
    if missing or unknown or len(set(names)) != len(names):
        raise CatalogueFileError(
            "bad_header",
            "Перший рядок має містити заголовок code,barcode,name,price,tax,unit "
            "і за потреби uktzed,category,weighed,excise "
            f"(знайдено: {','.join(names)[:200]})",
        )
    return {name: index for index, name in enumerate(names)}


def parse_taxes(text: str, taxes: Sequence[Tax] = DEFAULT_TAXES) -> tuple[Tax, ...]:
    """ "А", "1", "АЄ", "1,5", "А+Є" → the taxes; raises UnknownTaxError."""
    refs: list[str] = []
    for token in _TAX_SEPARATORS.split(text.strip()):
        if not token:
            continue
        refs.extend(token if token.isalpha() and len(token) > 1 else [token])
    found: dict[int, Tax] = {}
    for ref in refs:
        tax = resolve_tax(ref, taxes)
        found[tax.code] = tax
    return tuple(found.values())


def parse_barcodes(text: str) -> tuple[str, ...]:
    """Zero or more barcodes; raises BarcodeError with the reason for a bad one."""
    result: list[str] = []
    for token in _BARCODE_SEPARATORS.split(text.strip()):
        if not token:
            continue
        if token.isdigit():
            result.append(normalize_barcode(token))
        elif _INTERNAL_CODE.match(token):
            result.append(token)
        else:
            raise BarcodeError(f"'{token}' is neither a barcode nor an internal code")
    return tuple(dict.fromkeys(result))


def has_control_characters(text: str) -> bool:
    """C0/C1 control characters (tabs and line breaks inside a cell included): they break the
    receipt's layout, the printer and the tax office's XML."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


class _RowChecker:
    def __init__(self, columns: dict[str, int], taxes: Sequence[Tax]) -> None:
        self.columns = columns
        self.taxes = taxes
        self.codes: dict[str, int] = {}
        self.barcodes: dict[str, int] = {}

    def check(
        self, number: int, cells: Sequence[str]
    ) -> tuple[CatalogueItem | None, list[RowError]]:
        def cell(name: str) -> str:
            index = self.columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        errors: list[RowError] = []

        def fail(field_name: str, reason: str, message: str) -> None:
            errors.append(RowError(number, field_name, reason, message))

        code = cell("code")
        if not code:
            fail("code", "missing", "Код товару не вказано")
        elif len(code) > MAX_CODE:
            fail("code", "too_long", f"Код товару довший за {MAX_CODE} символи")
        elif code in self.codes:
            fail("code", "duplicate", f"Код {code} уже є в рядку {self.codes[code]}")
        else:
            self.codes[code] = number

        barcodes: tuple[str, ...] = ()
        try:
            barcodes = parse_barcodes(cell("barcode"))
        except BarcodeError as error:
            fail("barcode", "invalid_barcode", f"Неправильний штрихкод: {error}")
        for barcode in barcodes:
            if barcode in self.barcodes:
                fail(
                    "barcode",
                    "duplicate_barcode",
                    f"Штрихкод {barcode} уже є в рядку {self.barcodes[barcode]}",
                )
            else:
                self.barcodes[barcode] = number

        for field_name in ("code", "name", "category"):
            if has_control_characters(cell(field_name)):
                fail(
                    field_name,
                    "control_characters",
                    "Текст містить керівні (невидимі) символи: приберіть їх",
                )
        name = " ".join(cell("name").split())
        if not name:
            fail("name", "missing", "Назву товару не вказано")
        elif len(name) > MAX_NAME:
            fail("name", "too_long", f"Назва довша за {MAX_NAME} символів ({len(name)})")

        price = 0
        price_text = cell("price")
        if not price_text:
            fail("price", "missing", "Ціну не вказано")
        else:
            try:
                price = parse_money(price_text)
            except MoneyFormatError:
                fail("price", "invalid_price", f"Ціна «{price_text}» не є сумою в гривнях (42,50)")
            else:
                if price <= 0:
                    fail("price", "not_positive", "Ціна має бути більшою за нуль")
                elif price > MAX_PRICE:
                    fail("price", "too_large", "Ціна більша за 100 000,00 грн")

        taxes: tuple[Tax, ...] = ()
        try:
            taxes = parse_taxes(cell("tax"), self.taxes)
        except UnknownTaxError:
            fail("tax", "unknown_tax", f"Невідомий податок «{cell('tax')}» (А, Б, Є, З або код)")

        unit_text = cell("unit").lower().rstrip(".")
        unit = UNITS.get(unit_text)
        if unit is None:
            fail("unit", "unknown_unit", f"Невідома одиниця «{cell('unit')}» (шт, кг, г, л, м)")

        uktzed = cell("uktzed") or None
        if uktzed is not None and not (uktzed.isdigit() and len(uktzed) <= 10):
            fail("uktzed", "invalid_uktzed", "Код УКТЗЕД має містити до 10 цифр")

        category = " ".join(cell("category").split())
        if len(category) > MAX_CATEGORY:
            fail("category", "too_long", f"Категорія довша за {MAX_CATEGORY} символи")

        def flag(field_name: str, label: str) -> bool | None:
            text = cell(field_name).lower()
            if not text:
                return None
            value = FLAGS.get(text)
            if value is None:
                fail(
                    field_name,
                    "invalid_flag",
                    f"{label} «{cell(field_name)}»: напишіть 1 або 0 (так/ні)",
                )
            return value

        weighed = flag("weighed", "Ваговий")
        excise = flag("excise", "Акцизний")
        if weighed and unit == "шт":
            fail("weighed", "weighed_piece", "Товар у штуках (шт) не може бути ваговим")

        if errors or unit is None:
            return None, errors
        item = CatalogueItem(
            code=code,
            name=name,
            price=price,
            tax_codes=tuple(tax.code for tax in taxes),
            unit=unit,
            is_weighed=unit in WEIGHED_UNITS if weighed is None else weighed,
            is_excise=any(tax.extra_rate for tax in taxes) if excise is None else excise,
            barcodes=barcodes,
            uktzed=uktzed,
            category=category,
        )
        return item, []


GOOD_FIELDS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


def check_good(
    cells: Mapping[str, str], taxes: Sequence[Tax] = DEFAULT_TAXES
) -> tuple[CatalogueItem | None, list[RowError]]:
    """One good typed by hand (the goods editor), checked exactly as an import row is, with the
    same messages: ``cells`` by column name (``GOOD_FIELDS``), as a spreadsheet would hold them.
    Errors carry row 0 (there is no file)."""
    columns = {name: index for index, name in enumerate(GOOD_FIELDS)}
    checker = _RowChecker(columns, taxes)
    return checker.check(0, [cells.get(name, "") for name in GOOD_FIELDS])


def tax_letters(codes: Sequence[int], taxes: Sequence[Tax] = DEFAULT_TAXES) -> str:
    """A good's tax codes as the letters a file (and the editor) writes them: "АЄ"."""
    symbols = {tax.code: tax.symbol for tax in taxes}
    return "".join(symbols.get(code, str(code)) for code in codes)


def check_file(path: Path, taxes: Sequence[Tax] = DEFAULT_TAXES) -> ImportReport:
    """Read and validate the whole file without writing anything."""
    rows = read_table(path)
    header: list[str] | None = None
    for candidate in rows:
        if any(candidate):
            header = candidate
            break
    if header is None:
        raise CatalogueFileError("empty", "Файл порожній: немає ні заголовка, ні товарів")
    checker = _RowChecker(_header_map(header), taxes)
    items: list[CatalogueItem] = []
    item_rows: list[int] = []
    errors: list[RowError] = []
    count = 0
    for number, cells in enumerate(rows, start=2):
        if not any(cells):
            continue
        count += 1
        item, row_errors = checker.check(number, cells)
        errors.extend(row_errors)
        if item is not None:
            items.append(item)
            item_rows.append(number)
    if count == 0:
        raise CatalogueFileError("no_rows", "У файлі є заголовок, але немає жодного товару")
    return ImportReport(
        rows=count,
        imported=0,
        errors=tuple(errors),
        items=tuple(items),
        item_rows=tuple(item_rows),
    )


def import_catalogue(
    journal: Journal,
    path: Path,
    now: datetime,
    *,
    skip_bad_rows: bool = False,
    taxes: Sequence[Tax] = DEFAULT_TAXES,
    move_barcodes: bool = False,
) -> ImportReport:
    """Validate ``path`` and, if every row is good (or ``skip_bad_rows``), upsert its goods in one
    transaction. Raises CatalogueFileError for a file that is not a catalogue at all. A barcode
    another good already holds is a row error unless ``move_barcodes`` (scanning it would sell
    the other good otherwise, silently)."""
    report = check_file(path, taxes)
    if not move_barcodes:
        report = _refuse_takeovers(journal, report)
    if report.errors and not skip_bad_rows:
        return ImportReport(rows=report.rows, imported=0, errors=report.errors)
    if report.items:
        journal.catalogue.upsert(report.items, now)
    return ImportReport(
        rows=report.rows,
        imported=len(report.items),
        errors=report.errors,
        applied=bool(report.items),
    )


def _refuse_takeovers(journal: Journal, report: ImportReport) -> ImportReport:
    """Rows whose barcode belongs to another good in the catalogue become row errors. A good the
    same file re-imports gets exactly the file's barcodes, so taking one from it is the file's
    explicit word, not a takeover."""
    owners = journal.catalogue.barcode_owners(b for item in report.items for b in item.barcodes)
    in_file = {item.code for item in report.items}
    owners = {b: code for b, code in owners.items() if code not in in_file}
    if not owners:
        return report
    kept: list[CatalogueItem] = []
    rows: list[int] = []
    errors = list(report.errors)
    for item, row in zip(report.items, report.item_rows, strict=True):
        taken = [(b, owners[b]) for b in item.barcodes if owners.get(b, item.code) != item.code]
        if not taken:
            kept.append(item)
            rows.append(row)
            continue
        for barcode, owner in taken:
            errors.append(
                RowError(
                    row,
                    "barcode",
                    "barcode_taken",
                    f"Штрихкод {barcode} уже належить товару з кодом {owner}; щоб перенести "
                    "його, імпортуйте з --move-barcodes",
                )
            )
    errors.sort(key=lambda e: e.row)
    return ImportReport(
        rows=report.rows,
        imported=0,
        errors=tuple(errors),
        items=tuple(kept),
        item_rows=tuple(rows),
    )


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (CSV injection)."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def export_catalogue(journal: Journal, path: Path) -> int:
    """The catalogue as CSV in the import's own columns; formula prefixes neutralised."""
    items = journal.catalogue.all()
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*REQUIRED_COLUMNS, "category", "weighed", "excise"])
        for item in items:
            writer.writerow(
                [
                    spreadsheet_safe(cell)
                    for cell in (
                        item.code,
                        "|".join(item.barcodes),
                        item.name,
                        format_money(item.price),
                        ",".join(str(t) for t in item.tax_codes),
                        item.unit,
                        item.category,
                        "1" if item.is_weighed else "0",
                        "1" if item.is_excise else "0",
                    )
                ]
            )
    return len(items)
