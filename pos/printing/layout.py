"""Receipts and X/Z reports laid out as a Ukrainian paper receipt, for any paper width.

Why rows first, text second: the same layout feeds the plain-text printout (ESC/POS, the 48- or
32-column paper roll) and the HTML preview/print (`pos.printing.html`), so the two can never
disagree about what a receipt says. `receipt_rows`/`report_rows` decide *what* is printed;
`render_lines` decides how it fits a width. The receipt is a fiscal document in Ukraine, so its
text is Ukrainian whatever the UI language is.

Choices the inputs leave open (written down here so they are not rediscovered):

* Taxes are recomputed from the lines and discounts with `pos.domain.receipt.price_receipt`, the
  same rule the register priced the receipt with. The server may print a kopeck less on excise in
  the seed's own example (2680 vs 2681); the domain's docstring explains why its value is kept.
* `ReceiptDiscount.line_position` counts lines from 1 (as `pos.register.bodies` writes it);
  its `sum` is printed as a magnitude with the sign the discount type gives, because line and
  receipt records do not agree on the sign of `sum`.
* `ReceiptLine` has no unit. A line is printed in kilograms when `units` (good code → unit, from
  the catalogue) says so, or when its quantity is not a whole number of pieces.
* Service cash-in/out receipts are not fiscal (the seed: not sent to the tax service) and end in
  "СЛУЖБОВИЙ ЧЕК"; sales, returns and cash withdrawals end in "ФІСКАЛЬНИЙ ЧЕК" once fiscalised,
  never in training mode.
"""

from __future__ import annotations

import enum
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos.domain.check_link import tax_check_url
from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.errors import FiscalRuleError
from pos.domain.money import QUANTITY_UNIT, format_money, format_quantity
from pos.domain.offline_limits import KYIV
from pos.domain.receipt import Good, Line, ReceiptTax, price_receipt
from pos.domain.taxes import DEFAULT_TAXES, Tax, UnknownTaxError, resolve_tax, tax_of_amount
from pos.journal.records import Receipt, ReceiptDiscount, ReceiptLine, ReceiptState

PAPER_80MM = 48
"""Characters in one line of an 80 mm receipt roll."""

PAPER_58MM = 32
"""Characters in one line of a 58 mm receipt roll."""

TRAINING_MARK = "НАВЧАЛЬНИЙ РЕЖИМ — НЕ ФІСКАЛЬНИЙ ЧЕК"
TRAINING_REPORT_MARK = "НАВЧАЛЬНИЙ РЕЖИМ — НЕ ФІСКАЛЬНИЙ ЗВІТ"
NOT_FISCALISED_MARK = "НЕ ФІСКАЛІЗОВАНО"
VOID_MARK = "АНУЛЬОВАНО"
OFFLINE_MARK = "ОФЛАЙН"

PERCENT_SCALE = 1000
"""The journal keeps a percentage discount in thousandths of a percent."""

TITLES: Mapping[str, tuple[str, ...]] = {
    "SELL": ("КАСОВИЙ ЧЕК",),
    "RETURN": ("ВИДАТКОВИЙ ЧЕК", "ПОВЕРНЕННЯ"),
    "SERVICE_IN": ("СЛУЖБОВЕ ВНЕСЕННЯ",),
    "SERVICE_OUT": ("СЛУЖБОВА ВИДАЧА",),
    "CASH_WITHDRAWAL": ("ВИДАЧА ГОТІВКИ",),
}

_SERVICE_TYPES = frozenset({"SERVICE_IN", "SERVICE_OUT"})
_NOT_FISCALISED = frozenset({ReceiptState.COMMITTED, ReceiptState.SENDING, ReceiptState.FAILED})
_WEIGHT_UNITS = frozenset({"кг", "kg", "г", "g", "л", "l"})

# Card payment details as the API names them, in print order.
_CARD_DETAILS: tuple[tuple[str, str], ...] = (
    ("payment_system", "ПЛАТІЖНА СИСТЕМА"),
    ("card_mask", "НОМЕР КАРТКИ"),
    ("auth_code", "КОД АВТОРИЗАЦІЇ"),
    ("rrn", "RRN"),
    ("terminal", "ТЕРМІНАЛ"),
)


@dataclass(frozen=True, slots=True)
class ReceiptHeader:
    """What the paper says about the shop and the register, besides the receipt itself.

    `taxes` are the register's rates (letters, percentages) used to print the tax block.
    """

    shop_name: str
    shop_address: str
    register_fiscal_number: str
    cashier_name: str
    training: bool
    taxes: tuple[Tax, ...] = DEFAULT_TAXES


class RowKind(enum.StrEnum):
    """How a row is placed on paper; HTML styles the same kinds."""

    TEXT = "text"  # left-aligned, wrapped
    CENTER = "center"  # centred, wrapped
    TITLE = "title"  # centred, emphasised
    MARK = "mark"  # a warning framed so nobody misses it (training, not fiscalised)
    PAIR = "pair"  # label on the left, amount on the right
    RULE = "rule"  # a dashed separator
    QR = "qr"  # the check-link QR code (`left` is its payload); plain text leaves it out


@dataclass(frozen=True, slots=True)
class Row:
    kind: RowKind
    left: str = ""
    right: str = ""


def _pair(left: str, right: str) -> Row:
    return Row(RowKind.PAIR, left, right)


# --- rendering rows as text --------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    """Words to lines; a phrase that does not fit breaks after its dash first
    ("НАВЧАЛЬНИЙ РЕЖИМ —" / "НЕ ФІСКАЛЬНИЙ ЧЕК" rather than a lone "ЧЕК")."""
    if len(text) > width and " — " in text:
        head, _, tail = text.partition(" — ")
        return _wrap(f"{head} —", width) + _wrap(tail, width)
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _render_pair(left: str, right: str, width: int) -> list[str]:
    if len(left) + 1 + len(right) <= width:
        return [left + " " * (width - len(left) - len(right)) + right]
    indent = len(left) - len(left.lstrip(" "))
    lines = textwrap.wrap(left, width, subsequent_indent=" " * indent, break_on_hyphens=False) or [
        ""
    ]
    if len(lines[-1]) + 1 + len(right) <= width:
        last = lines.pop()
        return [*lines, last + " " * (width - len(last) - len(right)) + right]
    return lines + [part.rjust(width) for part in _wrap(right, width)]


def render_lines(rows: Sequence[Row], width: int = PAPER_80MM) -> list[str]:
    """Rows as lines of at most `width` characters (QR rows are left to the printer)."""
    if width < 16:
        raise ValueError("a receipt needs at least 16 columns")
    out: list[str] = []
    for row in rows:
        if row.kind is RowKind.TEXT:
            out += _wrap(row.left, width)
        elif row.kind in (RowKind.CENTER, RowKind.TITLE):
            out += [line.center(width).rstrip() for line in _wrap(row.left, width)]
        elif row.kind is RowKind.MARK:
            frame = "*" * width
            out += [frame, *(line.center(width).rstrip() for line in _wrap(row.left, width)), frame]
        elif row.kind is RowKind.PAIR:
            out += _render_pair(row.left, row.right, width)
        elif row.kind is RowKind.RULE:
            out.append("-" * width)
    return out


# --- small formatting helpers ------------------------------------------------------------------


def kyiv_time(moment: datetime) -> str:
    """An instant as the tax service prints it: Kyiv local time, dd.mm.yyyy hh:mm:ss."""
    if moment.tzinfo is None:
        raise ValueError("the moment must be timezone-aware")
    return moment.astimezone(KYIV).strftime("%d.%m.%Y %H:%M:%S")


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _is_weighed(line: ReceiptLine, units: Mapping[str, str] | None) -> bool:
    unit = (units or {}).get(line.code)
    if unit is not None:
        return unit.strip().lower() in _WEIGHT_UNITS
    return line.quantity % QUANTITY_UNIT != 0


def _quantity_text(line: ReceiptLine, units: Mapping[str, str] | None) -> str:
    if _is_weighed(line, units):
        unit = (units or {}).get(line.code) or "кг"
        return f"{format_quantity(line.quantity)} {unit}"
    return str(line.quantity // QUANTITY_UNIT)


def _letters(codes: Sequence[int], taxes: Sequence[Tax]) -> str:
    letters = []
    for code in codes:
        try:
            letters.append(resolve_tax(code, taxes).symbol)
        except UnknownTaxError:
            letters.append(str(code))
    return "".join(letters)


def _discount_row(d: ReceiptDiscount, *, indent: str) -> Row:
    is_charge = d.type == DiscountType.EXTRA_CHARGE
    name = d.name or ("Надбавка" if is_charge else "Знижка")
    if d.mode == DiscountMode.PERCENT:
        name = f"{name} {_percent(Decimal(d.value) / PERCENT_SCALE)}"
    sign = "+" if is_charge else "-"
    return _pair(f"{indent}{name}", f"{sign}{format_money(abs(d.sum))}")


# --- taxes -------------------------------------------------------------------------------------


def _domain_discount(d: ReceiptDiscount) -> Discount:
    value: int | Decimal = (
        d.value if d.mode == DiscountMode.VALUE else Decimal(d.value) / PERCENT_SCALE
    )
    return Discount(DiscountType(d.type), DiscountMode(d.mode), value, d.name, d.tax_codes)


def _fallback_taxes(receipt: Receipt, taxes: Sequence[Tax]) -> tuple[ReceiptTax, ...]:
    """Line taxes alone, for a receipt the domain refuses to price (a printout must not fail)."""
    acc: dict[int, list[int]] = {}
    for position, line in enumerate(receipt.lines, start=1):
        net = line.sum
        for d in receipt.discounts:
            if d.line_position == position:
                net += abs(d.sum) if d.type == DiscountType.EXTRA_CHARGE else -abs(d.sum)
        for code in line.tax_codes:
            try:
                amount = tax_of_amount(net, resolve_tax(code, taxes))
            except UnknownTaxError:
                continue
            entry = acc.setdefault(code, [0, 0, 0])
            entry[0] += amount.value
            entry[1] += amount.extra_value
            entry[2] += net
    return tuple(ReceiptTax(code, v, e, t) for code, (v, e, t) in acc.items())


def receipt_taxes(receipt: Receipt, taxes: Sequence[Tax] = DEFAULT_TAXES) -> tuple[ReceiptTax, ...]:
    """The tax of each rate on a sale or return, by the domain's pricing rule."""
    if not receipt.lines:
        return ()
    by_line: dict[int, list[Discount]] = {}
    for d in receipt.discounts:
        if d.line_position is not None:
            by_line.setdefault(d.line_position, []).append(_domain_discount(d))
    lines = [
        Line(
            Good(li.code, li.name, li.price, li.tax_codes, li.barcode),
            li.quantity,
            is_return=li.is_return,
            discounts=tuple(by_line.get(position, ())),
        )
        for position, li in enumerate(receipt.lines, start=1)
    ]
    on_receipt = [_domain_discount(d) for d in receipt.discounts if d.line_position is None]
    try:
        return price_receipt(lines, on_receipt, taxes).taxes
    except (FiscalRuleError, UnknownTaxError, ValueError):
        return _fallback_taxes(receipt, taxes)


def _tax_rows(receipt_tax: ReceiptTax, taxes: Sequence[Tax]) -> list[Row]:
    try:
        tax = resolve_tax(receipt_tax.code, taxes)
    except UnknownTaxError:
        return [_pair(f"ПОДАТОК {receipt_tax.code}", format_money(receipt_tax.total))]
    rows = []
    if tax.no_vat:
        rows.append(_pair(f"БЕЗ ПДВ {tax.symbol}", format_money(receipt_tax.value)))
    elif tax.rate:
        rows.append(
            _pair(f"ПДВ {tax.symbol} {_percent(tax.rate)}", format_money(receipt_tax.value))
        )
    if tax.extra_rate:
        rows.append(
            _pair(
                f"АКЦИЗ {tax.symbol} {_percent(tax.extra_rate)}",
                format_money(receipt_tax.extra_value),
            )
        )
    return rows


def tax_rows(
    receipt_taxes: Sequence[ReceiptTax], taxes: Sequence[Tax] = DEFAULT_TAXES
) -> list[Row]:
    """The tax rows of given tax sums (an advance's share, say), as on a sale."""
    return [row for receipt_tax in receipt_taxes for row in _tax_rows(receipt_tax, taxes)]


# --- the receipt -------------------------------------------------------------------------------


def _server(receipt: Receipt, key: str) -> Any:
    return (receipt.server_response or {}).get(key)


def qr_payload(receipt: Receipt, header: ReceiptHeader, *, mac: str | None = None) -> str | None:
    """What the receipt's QR code encodes: the tax service's check link, or None.

    The server's `tax_url` wins. An offline receipt the server has not seen gets the link built
    locally; its `mac` is the transaction's previous hash, taken from `mac`, else from the
    server's `transaction.previous_hash`, else left empty (the POS may not know it yet).
    Service receipts are not sent to the tax service, so they get no link.
    """
    url = _server(receipt, "tax_url")
    if isinstance(url, str) and url:
        return url
    if receipt.type in _SERVICE_TYPES or not receipt.is_offline:
        return None
    if not receipt.fiscal_code or receipt.fiscal_date is None:
        return None
    if mac is None:
        transaction = _server(receipt, "transaction")
        previous = transaction.get("previous_hash") if isinstance(transaction, dict) else None
        mac = previous if isinstance(previous, str) else ""
    return tax_check_url(
        receipt.fiscal_code,
        receipt.fiscal_date,
        header.register_fiscal_number,
        receipt.total_sum,
        mac,
    )


def _header_rows(header: ReceiptHeader, mark: str) -> list[Row]:
    rows = [Row(RowKind.MARK, mark)] if header.training else []
    rows += [
        Row(RowKind.CENTER, header.shop_name),
        Row(RowKind.CENTER, header.shop_address),
        Row(RowKind.CENTER, f"ФН ПРРО {header.register_fiscal_number}"),
    ]
    return [row for row in rows if row.left.strip()]


def _line_rows(
    receipt: Receipt, header: ReceiptHeader, units: Mapping[str, str] | None
) -> list[Row]:
    rows: list[Row] = []
    for position, line in enumerate(receipt.lines, start=1):
        rows.append(Row(RowKind.TEXT, line.name))
        letters = _letters(line.tax_codes, header.taxes)
        amount = f"= {format_money(line.sum)}"
        rows.append(
            _pair(
                f"  {_quantity_text(line, units)} × {format_money(line.price)}",
                f"{amount} {letters}".rstrip(),
            )
        )
        rows += [Row(RowKind.TEXT, f"  АМ {code}") for code in line.excise_barcodes]
        rows += [
            _discount_row(d, indent="  ") for d in receipt.discounts if d.line_position == position
        ]
    return rows


def _payment_rows(receipt: Receipt) -> list[Row]:
    rows: list[Row] = []
    for p in receipt.payments:
        default = "ГОТІВКА" if p.type == "CASH" else "КАРТКА"
        rows.append(_pair((p.label or default).upper(), format_money(p.value)))
        details = p.details or {}
        for key, label in _CARD_DETAILS:
            value = details.get(key)
            if value:
                rows.append(_pair(f"  {label}", str(value)))
    return rows


def _sale_rows(
    receipt: Receipt, header: ReceiptHeader, units: Mapping[str, str] | None
) -> list[Row]:
    rows = _line_rows(receipt, header, units)
    rows.append(Row(RowKind.RULE))
    rows += [_discount_row(d, indent="") for d in receipt.discounts if d.line_position is None]
    rows.append(_pair("СУМА", f"{format_money(receipt.total_sum)} грн"))
    for receipt_tax in receipt_taxes(receipt, header.taxes):
        rows += _tax_rows(receipt_tax, header.taxes)
    rows.append(Row(RowKind.RULE))
    if receipt.round_sum:
        rows.append(_pair("ЗАОКРУГЛЕННЯ", format_money(receipt.round_sum)))
        payable = receipt.total_sum + receipt.round_sum
        due = "ДО ВИПЛАТИ" if receipt.type == "RETURN" else "ДО СПЛАТИ"
        rows.append(_pair(due, f"{format_money(payable)} грн"))
    rows += _payment_rows(receipt)
    if receipt.rest:
        rows.append(_pair("РЕШТА", format_money(receipt.rest)))
    return rows


def _service_rows(receipt: Receipt) -> list[Row]:
    if receipt.type == "CASH_WITHDRAWAL":
        rows = [_pair("ВИДАНО ГОТІВКОЮ", f"{format_money(receipt.total_sum)} грн")]
        return rows + _payment_rows(receipt)
    return [_pair("СУМА", f"{format_money(receipt.total_sum)} грн"), *_payment_rows(receipt)]


def receipt_rows(
    receipt: Receipt,
    header: ReceiptHeader,
    *,
    units: Mapping[str, str] | None = None,
    mac: str | None = None,
) -> list[Row]:
    """A receipt's content top to bottom, independent of the paper width.

    `units` maps good codes to their unit ("кг", "шт"…) when the caller knows them;
    `mac` is passed on to `qr_payload`.
    """
    not_fiscalised = receipt.state in _NOT_FISCALISED
    rows = _header_rows(header, TRAINING_MARK)
    rows += [Row(RowKind.TITLE, title) for title in TITLES.get(receipt.type, (receipt.type,))]
    if not_fiscalised:
        rows.append(Row(RowKind.MARK, NOT_FISCALISED_MARK))
    if receipt.state == ReceiptState.VOID:
        rows.append(Row(RowKind.MARK, VOID_MARK))
    rows.append(Row(RowKind.RULE))
    if receipt.type in ("SELL", "RETURN"):
        rows += _sale_rows(receipt, header, units)
    else:
        rows += _service_rows(receipt)
    rows.append(Row(RowKind.RULE))
    if header.cashier_name:
        rows.append(_pair("Касир", header.cashier_name))
    serial = _server(receipt, "serial")
    if serial is not None:
        rows.append(_pair("ЧЕК №", str(serial)))
    if receipt.fiscal_code:
        rows.append(_pair("ФН чека", receipt.fiscal_code))
    moment = receipt.fiscal_date or receipt.created_at
    rows.append(_pair("Дата", kyiv_time(moment)))
    if receipt.is_offline:
        rows.append(Row(RowKind.TITLE, OFFLINE_MARK))
    control = _server(receipt, "control_number")
    if control:
        rows.append(_pair("Контрольне число", str(control)))
    payload = qr_payload(receipt, header, mac=mac)
    if payload:
        rows.append(Row(RowKind.QR, payload))
    if not_fiscalised:
        rows.append(Row(RowKind.MARK, NOT_FISCALISED_MARK))
    elif header.training:
        pass  # the training mark below says what this paper is
    elif receipt.type in _SERVICE_TYPES:
        rows.append(Row(RowKind.TITLE, "СЛУЖБОВИЙ ЧЕК"))
    elif receipt.fiscal_code and receipt.state != ReceiptState.VOID:
        rows.append(Row(RowKind.TITLE, "ФІСКАЛЬНИЙ ЧЕК"))
    if header.training:
        rows.append(Row(RowKind.MARK, TRAINING_MARK))
    return rows


def receipt_lines(
    receipt: Receipt,
    header: ReceiptHeader,
    width: int = PAPER_80MM,
    *,
    units: Mapping[str, str] | None = None,
) -> list[str]:
    """A receipt as lines of at most `width` characters (48 for 80 mm paper, 32 for 58 mm)."""
    return render_lines(receipt_rows(receipt, header, units=units), width)


def receipt_text(
    receipt: Receipt,
    header: ReceiptHeader,
    width: int = PAPER_80MM,
    *,
    units: Mapping[str, str] | None = None,
) -> str:
    """`receipt_lines` joined, with a final newline."""
    return "\n".join(receipt_lines(receipt, header, width, units=units)) + "\n"


# --- X and Z reports ---------------------------------------------------------------------------


def _int(source: Mapping[str, Any], key: str) -> int:
    value = source.get(key)
    return int(value) if value is not None else 0


def _signed(amount: int) -> str:
    return f"+{format_money(amount)}" if amount > 0 else format_money(amount)


_PAYMENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("sell_sum", "Продаж"),
    ("return_sum", "Повернення"),
    ("service_in", "Службове внесення"),
    ("service_out", "Службова видача"),
    ("cash_withdrawal", "Видача готівки"),
    ("cash_withdrawal_commission", "Комісія за видачу готівки"),
)

_ALWAYS_SHOWN = frozenset({"sell_sum", "return_sum", "service_in", "service_out"})


def _report_tax_title(entry: Mapping[str, Any], taxes: Sequence[Tax]) -> str:
    code = entry.get("code")
    try:
        tax: Tax | None = resolve_tax(int(code), taxes) if code is not None else None
    except (UnknownTaxError, ValueError):
        tax = None
    symbol = entry.get("symbol") or (tax.symbol if tax else str(code))
    no_vat = (
        entry.get("no_vat") if entry.get("no_vat") is not None else (tax.no_vat if tax else False)
    )
    rate = entry.get("rate", tax.rate if tax else None)
    extra = entry.get("extra_rate", tax.extra_rate if tax else None)
    if no_vat:
        return f"БЕЗ ПДВ {symbol}"
    parts = []
    if rate:
        parts.append(f"ПДВ {_percent(Decimal(str(rate)))}")
    if extra:
        parts.append(f"АКЦИЗ {_percent(Decimal(str(extra)))}")
    return f"{symbol} {' + '.join(parts) or entry.get('label') or ''}".rstrip()


def report_rows(
    report: Mapping[str, Any],
    *,
    z: bool,
    header: ReceiptHeader,
    shift_serial: int | None,
    opened_at: datetime | None,
    closed_at: datetime | None,
    counted_cash: int | None = None,
) -> list[Row]:
    """An X or Z report (the API's report fields, kopecks) top to bottom.

    `closed_at` is when the shift closed (Z) or when the X report was made. `counted_cash` is the
    cash the cashier counted at closing; a Z report then shows it and its difference from the
    expected balance (positive: more cash than expected).
    """
    rows = _header_rows(header, TRAINING_REPORT_MARK)
    rows.append(Row(RowKind.TITLE, "Z-ЗВІТ" if z else "X-ЗВІТ"))
    if shift_serial is not None:
        rows.append(_pair("Зміна №", str(shift_serial)))
    if header.cashier_name:
        rows.append(_pair("Касир", header.cashier_name))
    if opened_at is not None:
        rows.append(_pair("Відкрито", kyiv_time(opened_at)))
    if closed_at is not None:
        rows.append(_pair("Закрито" if z else "Сформовано", kyiv_time(closed_at)))
    rows.append(Row(RowKind.RULE))

    for payment in report.get("payments") or ():
        default = "ГОТІВКА" if payment.get("type") == "CASH" else "КАРТКА"
        rows.append(Row(RowKind.TITLE, str(payment.get("label") or default).upper()))
        for key, label in _PAYMENT_FIELDS:
            value = _int(payment, key)
            if value or key in _ALWAYS_SHOWN:
                rows.append(_pair(f"  {label}", format_money(value)))
    rows.append(Row(RowKind.RULE))

    tax_rows: list[Row] = []
    for entry in report.get("taxes") or ():
        amounts = [
            _int(entry, k) for k in ("sales_turnover", "sell_sum", "returns_turnover", "return_sum")
        ]
        if not any(amounts):
            continue
        tax_rows.append(Row(RowKind.TEXT, _report_tax_title(entry, header.taxes)))
        tax_rows += [
            _pair("  Оборот продажу", format_money(amounts[0])),
            _pair("  Податок з продажу", format_money(amounts[1])),
            _pair("  Оборот повернення", format_money(amounts[2])),
            _pair("  Податок з повернення", format_money(amounts[3])),
        ]
    if tax_rows:
        rows += [Row(RowKind.TITLE, "ПОДАТКИ"), *tax_rows, Row(RowKind.RULE)]

    rows += [
        _pair("Чеків продажу", str(_int(report, "sell_receipts_count"))),
        _pair("Чеків повернення", str(_int(report, "return_receipts_count"))),
        _pair("Чеків видачі готівки", str(_int(report, "cash_withdrawal_receipts_count"))),
        _pair("Знижки", format_money(_int(report, "discounts_sum"))),
        _pair("Надбавки", format_money(_int(report, "extra_charge_sum"))),
        Row(RowKind.TEXT, "Заокруглення:"),
        _pair("  продаж, вгору", format_money(_int(report, "sales_round_up"))),
        _pair("  продаж, вниз", format_money(_int(report, "sales_round_down"))),
        _pair("  повернення, вгору", format_money(_int(report, "returns_round_up"))),
        _pair("  повернення, вниз", format_money(_int(report, "returns_round_down"))),
        Row(RowKind.RULE),
        _pair("Початковий залишок", format_money(_int(report, "initial"))),
        _pair("Готівка в касі", format_money(_int(report, "balance"))),
    ]
    if z and counted_cash is not None:
        rows.append(_pair("Фактично в касі", format_money(counted_cash)))
        rows.append(_pair("Різниця", _signed(counted_cash - _int(report, "balance"))))
    fiscal_code = report.get("fiscal_code")
    if fiscal_code:
        rows.append(_pair("ФН звіту", str(fiscal_code)))
    if header.training:
        rows.append(Row(RowKind.MARK, TRAINING_REPORT_MARK))
    return rows


def report_lines(
    report: Mapping[str, Any],
    *,
    z: bool,
    header: ReceiptHeader,
    shift_serial: int | None,
    opened_at: datetime | None,
    closed_at: datetime | None,
    counted_cash: int | None = None,
    width: int = PAPER_80MM,
) -> list[str]:
    """An X or Z report as lines of at most `width` characters (see `report_rows`)."""
    rows = report_rows(
        report,
        z=z,
        header=header,
        shift_serial=shift_serial,
        opened_at=opened_at,
        closed_at=closed_at,
        counted_cash=counted_cash,
    )
    return render_lines(rows, width)
