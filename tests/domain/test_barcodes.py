"""Barcode checks and scale-label decoding."""

from __future__ import annotations

import pytest

from pos.domain.barcodes import (
    BarcodeError,
    ScaleBarcode,
    ean13_check_digit,
    is_valid_ean13,
    normalize_barcode,
    parse_scale_barcode,
)


def test_seed_barcodes() -> None:
    assert is_valid_ean13("5000281025360")
    # The seed's wine carries an in-store code whose check digit is not EAN-13's.
    assert not is_valid_ean13("2000000000009")
    assert ean13_check_digit("482000000001") == 7


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("48200A0000017", "only digits"),
        ("4820000000018", "check digit"),
        ("12345", "5 digits"),
    ],
)
def test_malformed_barcodes_say_why(text: str, reason: str) -> None:
    with pytest.raises(BarcodeError, match=reason):
        normalize_barcode(text)


def test_normalize_widens_upc_a() -> None:
    assert normalize_barcode(" 036000291452 ") == "0036000291452"
    assert normalize_barcode("96385074") == "96385074"


def test_scale_labels() -> None:
    body = "2012345" + "01250"
    weight = body + str(ean13_check_digit(body))
    assert parse_scale_barcode(weight) == ScaleBarcode("12345", quantity=1250)
    body = "2612345" + "04999"
    price = body + str(ean13_check_digit(body))
    assert parse_scale_barcode(price) == ScaleBarcode("12345", price=4999)
    assert parse_scale_barcode("5000281025360") is None
    assert parse_scale_barcode("2012345012509") is None or is_valid_ean13("2012345012509")
