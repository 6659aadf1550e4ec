"""The paper receipt: what a Ukrainian fiscal receipt must say, at 80 mm and 58 mm widths."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from pos.domain.check_link import tax_check_url
from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.receipt import Line, Payment, PaymentType
from pos.journal.records import Receipt, ReceiptLine, ReceiptState
from pos.printing.layout import (
    NOT_FISCALISED_MARK,
    PAPER_58MM,
    PAPER_80MM,
    TRAINING_MARK,
    VOID_MARK,
    ReceiptHeader,
    qr_payload,
    receipt_lines,
    receipt_taxes,
    receipt_text,
    render_lines,
)

from .builders import (
    BREAD,
    CHEESE,
    HEADER,
    MAC,
    T0,
    TRAINING_HEADER,
    WINE,
    WINE_2,
    build_receipt,
    service_receipt,
)

CARD = {
    "card_mask": "XXXXXXXXXXXX6734",
    "rrn": "305817547111",
    "auth_code": "078111",
    "payment_system": "VISA",
}


def pair(lines: list[str], label: str) -> str:
    """The right-hand value of the first line starting with `label` (whitespace-split)."""
    for line in lines:
        if line.startswith(label) and line[len(label) :][:1] == " ":
            return line[len(label) :].strip()
    raise AssertionError(f"no line starts with {label!r}:\n" + "\n".join(lines))


def seed_sale(**kwargs: Any) -> Receipt:
    """The seed's sell example: two wines, 50.00 off the receipt, paid by card."""
    return build_receipt(
        [Line(WINE, 1000), Line(WINE_2, 1000)],
        [Payment(PaymentType.CASHLESS, 56300, "Картка")],
        discounts=[Discount(DiscountType.DISCOUNT, DiscountMode.VALUE, 5000, "Знижка", (1,))],
        card_details=CARD,
        **kwargs,
    )


def mixed_sale() -> Receipt:
    """Weighed cheese with 10 % off its line, bread, 50.00 off the receipt; card + cash, rounded."""
    return build_receipt(
        [
            Line(WINE, 1000),
            Line(
                CHEESE,
                1250,
                discounts=(Discount(DiscountType.DISCOUNT, DiscountMode.PERCENT, Decimal(10)),),
            ),
            Line(BREAD, 1000),
        ],
        [
            Payment(PaymentType.CASHLESS, 10000, "Картка"),
            Payment(PaymentType.CASH, 20000, "Готівка"),
        ],
        discounts=[Discount(DiscountType.DISCOUNT, DiscountMode.VALUE, 5000, "Знижка")],
        rounding=True,
        card_details=CARD,
    )


def test_sale_with_discount_mixed_payment_change_and_rounding() -> None:
    receipt = mixed_sale()
    assert receipt.round_sum != 0
    assert receipt.rest > 0
    lines = receipt_lines(receipt, HEADER)
    text = "\n".join(lines)

    assert "ТОВ «Тестовий магазин»" in text
    assert "ФН ПРРО TEST551151" in text
    assert "КАСОВИЙ ЧЕК" in text
    assert "Вино ігристе біле" in text
    assert pair(lines, "  Знижка 10%") == "-11.24"
    assert pair(lines, "Знижка") == "-50.00"
    assert pair(lines, "СУМА") == f"{receipt.total_sum // 100}.{receipt.total_sum % 100:02d} грн"
    assert pair(lines, "ЗАОКРУГЛЕННЯ") == f"{receipt.round_sum / 100:.2f}"
    assert pair(lines, "КАРТКА") == "100.00"
    assert pair(lines, "ГОТІВКА") == "200.00"
    assert pair(lines, "РЕШТА") == f"{receipt.rest / 100:.2f}"
    assert pair(lines, "  НОМЕР КАРТКИ") == "XXXXXXXXXXXX6734"
    assert pair(lines, "  RRN") == "305817547111"
    assert pair(lines, "  КОД АВТОРИЗАЦІЇ") == "078111"
    assert pair(lines, "  ПЛАТІЖНА СИСТЕМА") == "VISA"
    assert pair(lines, "ФН чека") == "TEST-e11111"
    assert pair(lines, "Дата") == "29.11.2023 16:07:28"  # Kyiv time of 14:07:28 UTC
    assert lines[-1].strip() == "ФІСКАЛЬНИЙ ЧЕК"
    for absent in ("ОФЛАЙН", "НАВЧАЛЬНИЙ", NOT_FISCALISED_MARK):
        assert absent not in text
    assert all(len(line) <= PAPER_80MM for line in lines)


def test_taxes_per_letter_match_the_domain() -> None:
    lines = receipt_lines(seed_sale(), HEADER)
    # pos.domain.receipt: VAT 9730 − 794 = 8936 and excise 2919 − 238 = 2681 on the seed's sale.
    assert pair(lines, "ПДВ А 20%") == "89.36"
    assert pair(lines, "АКЦИЗ А 5%") == "26.81"
    assert pair(lines, "СУМА") == "563.00 грн"
    assert "  1 × 195.00" in "\n".join(lines)


def test_mixed_letters_each_get_their_tax_line() -> None:
    lines = receipt_lines(mixed_sale(), HEADER)
    labels = [line.split("  ")[0] for line in lines]
    assert {"ПДВ А 20%", "АКЦИЗ А 5%", "ПДВ Є 20%", "БЕЗ ПДВ З"} <= set(labels)
    assert pair(lines, "БЕЗ ПДВ З") == "0.00"


def test_weighed_line_in_kilograms_with_three_decimals() -> None:
    lines = receipt_lines(mixed_sale(), HEADER)
    cheese = next(line for line in lines if "89.90" in line)
    assert cheese.strip().startswith("1.250 кг × 89.90")
    assert cheese.endswith("= 112.38 Є")


def test_units_from_the_catalogue_decide_whole_kilograms() -> None:
    receipt = build_receipt([Line(CHEESE, 2000)], [Payment(PaymentType.CASH, 20000)])
    assert "  2 × 89.90" in receipt_text(receipt, HEADER)
    weighed = receipt_text(receipt, HEADER, units={CHEESE.code: "кг"})
    assert "  2.000 кг × 89.90" in weighed


def test_offline_receipt_shows_fiscal_code_offline_mark_and_check_link() -> None:
    receipt = seed_sale(
        state=ReceiptState.OFFLINE_ISSUED,
        is_offline=True,
        fiscal_code="TEST-iA5fmb",
        server_response={"transaction": {"previous_hash": MAC}},
    )
    lines = receipt_lines(receipt, HEADER)
    assert pair(lines, "ФН чека") == "TEST-iA5fmb"
    assert "ОФЛАЙН" in [line.strip() for line in lines]
    assert qr_payload(receipt, HEADER) == (
        "https://cabinet.tax.gov.ua/cashregs/check?id=TEST-iA5fmb&date=20231129"
        f"&time=16%3A07%3A28&fn=TEST551151&sm=563.00&mac={MAC}"
    )


def test_offline_link_without_a_known_mac() -> None:
    receipt = seed_sale(
        state=ReceiptState.OFFLINE_ISSUED, is_offline=True, fiscal_code="TEST-iA5fmb"
    )
    expected = tax_check_url("TEST-iA5fmb", T0, "TEST551151", 56300, "")
    assert qr_payload(receipt, HEADER) == expected
    assert (qr_payload(receipt, HEADER, mac="abc") or "").endswith("&mac=abc")


def test_server_tax_url_wins_and_online_receipt_without_it_has_no_link() -> None:
    url = "https://cabinet.tax.gov.ua/cashregs/check?id=TEST-e11111&mac=xyz"
    assert qr_payload(seed_sale(server_response={"tax_url": url}), HEADER) == url
    assert qr_payload(seed_sale(server_response={"tax_url": None}), HEADER) is None


def test_server_serial_and_control_number_are_printed() -> None:
    receipt = seed_sale(server_response={"serial": 93, "control_number": "9933"})
    lines = receipt_lines(receipt, HEADER)
    assert pair(lines, "ЧЕК №") == "93"
    assert pair(lines, "Контрольне число") == "9933"


@pytest.mark.parametrize(
    "receipt",
    [
        seed_sale(),
        service_receipt("SERVICE_IN", 10000),
        seed_sale(state=ReceiptState.COMMITTED),
        seed_sale(state=ReceiptState.OFFLINE_ISSUED, is_offline=True),
    ],
    ids=["sale", "service", "not-fiscalised", "offline"],
)
@pytest.mark.parametrize("width", [PAPER_80MM, PAPER_58MM])
def test_training_mark_on_top_and_bottom_of_every_receipt(receipt: Receipt, width: int) -> None:
    lines = receipt_lines(receipt, TRAINING_HEADER, width)
    frame = "*" * width
    assert lines[0] == frame
    assert lines[-1] == frame
    top = " ".join(line.strip() for line in lines[1 : lines.index(frame, 1)])
    bottom_start = len(lines) - 2 - lines[-2::-1].index(frame)
    bottom = " ".join(line.strip() for line in lines[bottom_start + 1 : -1])
    assert top == TRAINING_MARK
    assert bottom == TRAINING_MARK
    assert "ФІСКАЛЬНИЙ ЧЕК" not in [line.strip() for line in lines]


def test_training_mark_fits_one_line_on_80mm() -> None:
    lines = receipt_lines(seed_sale(), TRAINING_HEADER)
    assert lines[1].strip() == TRAINING_MARK
    assert lines[-2].strip() == TRAINING_MARK


@pytest.mark.parametrize(
    "state", [ReceiptState.COMMITTED, ReceiptState.SENDING, ReceiptState.FAILED]
)
def test_receipt_not_yet_fiscalised_is_marked(state: ReceiptState) -> None:
    receipt = seed_sale(state=state, fiscal_code=None)
    text = receipt_text(receipt, HEADER)
    assert text.count(NOT_FISCALISED_MARK) == 2  # top and bottom
    assert "ФІСКАЛЬНИЙ ЧЕК\n" not in text.replace(f"НЕ {NOT_FISCALISED_MARK}", "")
    assert "ФН чека" not in text
    assert qr_payload(receipt, HEADER) is None


@pytest.mark.parametrize(
    "state", [ReceiptState.DONE, ReceiptState.OFFLINE_ISSUED, ReceiptState.UPLOADED]
)
def test_fiscalised_receipt_is_not_marked(state: ReceiptState) -> None:
    text = receipt_text(seed_sale(state=state), HEADER)
    assert NOT_FISCALISED_MARK not in text


def test_return_receipt() -> None:
    receipt = build_receipt(
        [Line(WINE, 1000, is_return=True)], [Payment(PaymentType.CASH, 19500, "Готівка")]
    )
    receipt = replace(receipt, related_receipt_id="7c4ad1f1-3a0e-4b55-9d0c-5d1a4f3c2b10")
    lines = receipt_lines(receipt, HEADER)
    stripped = [line.strip() for line in lines]
    assert stripped.index("ВИДАТКОВИЙ ЧЕК") + 1 == stripped.index("ПОВЕРНЕННЯ")
    assert "КАСОВИЙ ЧЕК" not in stripped
    assert pair(lines, "СУМА") == "195.00 грн"
    assert pair(lines, "ПДВ А 20%") == "30.95"  # the seed's 19500 → 3095 + 929
    assert pair(lines, "АКЦИЗ А 5%") == "9.29"
    assert pair(lines, "ГОТІВКА") == "195.00"
    assert "РЕШТА" not in "\n".join(lines)


@pytest.mark.parametrize(
    ("kind", "title"),
    [("SERVICE_IN", "СЛУЖБОВЕ ВНЕСЕННЯ"), ("SERVICE_OUT", "СЛУЖБОВА ВИДАЧА")],
)
def test_service_receipts(kind: str, title: str) -> None:
    receipt = service_receipt(kind, 10000)
    lines = receipt_lines(receipt, HEADER)
    stripped = [line.strip() for line in lines]
    assert title in stripped
    assert pair(lines, "СУМА") == "100.00 грн"
    assert pair(lines, "ГОТІВКА") == "100.00"
    assert stripped[-1] == "СЛУЖБОВИЙ ЧЕК"
    assert "ПДВ" not in "\n".join(lines)
    assert qr_payload(replace(receipt, is_offline=True), HEADER) is None


def test_cash_withdrawal_receipt() -> None:
    receipt = service_receipt("CASH_WITHDRAWAL", 20000)
    receipt = replace(
        receipt,
        payments=(replace(receipt.payments[0], details={"card_mask": "XXXX1111", "rrn": "42"}),),
    )
    lines = receipt_lines(receipt, HEADER)
    assert "ВИДАЧА ГОТІВКИ" in [line.strip() for line in lines]
    assert pair(lines, "ВИДАНО ГОТІВКОЮ") == "200.00 грн"
    assert pair(lines, "  НОМЕР КАРТКИ") == "XXXX1111"
    assert lines[-1].strip() == "ФІСКАЛЬНИЙ ЧЕК"


LONG_WORD = "Надзвичайнодовгаоднословнаназватоварубезжодногопробілу"


@pytest.mark.parametrize(
    "receipt",
    [
        mixed_sale(),
        seed_sale(state=ReceiptState.OFFLINE_ISSUED, is_offline=True),
        seed_sale(state=ReceiptState.FAILED),
        service_receipt("SERVICE_OUT", 123456789),
        service_receipt("CASH_WITHDRAWAL", 20000),
    ],
)
@pytest.mark.parametrize("header", [HEADER, TRAINING_HEADER])
def test_narrow_paper_never_exceeds_its_width(receipt: Receipt, header: ReceiptHeader) -> None:
    long_line = ReceiptLine("9", f"{LONG_WORD} {LONG_WORD}", 999999, 999999, 999998001, (1, 5))
    receipt = replace(receipt, lines=(*receipt.lines, long_line))
    long_header = replace(
        header,
        shop_name="ТОВАРИСТВО З ОБМЕЖЕНОЮ ВІДПОВІДАЛЬНІСТЮ «ДУЖЕ ДОВГА НАЗВА МАГАЗИНУ»",
        cashier_name="Черезплетинногузадирайщенко Петро Васильович",
    )
    lines = receipt_lines(receipt, long_header, PAPER_58MM)
    assert all(len(line) <= PAPER_58MM for line in lines), "\n".join(lines)
    if receipt.type == "SELL":  # service receipts have no goods to print
        assert LONG_WORD[:PAPER_58MM] in lines
    wide = receipt_lines(receipt, long_header, PAPER_80MM)
    assert all(len(line) <= PAPER_80MM for line in wide)


def test_amounts_stay_right_aligned_on_narrow_paper() -> None:
    lines = receipt_lines(mixed_sale(), HEADER, PAPER_58MM)
    assert next(line for line in lines if line.startswith("СУМА")).endswith("грн")
    assert len(next(line for line in lines if line.startswith("СУМА"))) == PAPER_58MM


def test_too_narrow_paper_is_refused() -> None:
    with pytest.raises(ValueError, match="16 columns"):
        render_lines([], 10)


def test_taxes_fall_back_to_line_taxes_when_the_domain_refuses() -> None:
    receipt = seed_sale()
    odd = replace(receipt, lines=(replace(receipt.lines[0], quantity=0, sum=19500),))
    (tax,) = receipt_taxes(odd)
    assert (tax.code, tax.value, tax.extra_value) == (1, 3095, 929)


def test_void_copy_is_marked_and_not_called_fiscal() -> None:
    text = receipt_text(seed_sale(state=ReceiptState.VOID, is_offline=True), HEADER)
    assert VOID_MARK in text
    assert "ФІСКАЛЬНИЙ ЧЕК" not in [line.strip() for line in text.splitlines()]
