"""The tax-service check link, pinned to the seed's offline receipt."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos.domain.check_link import tax_check_url

MAC = "5db006ff9126fcb39146c017f4f8d7e8668dee4220dce5136ff795716c483f73"


def test_seed_offline_receipt_link() -> None:
    url = tax_check_url(
        "TEST-iA5fmb", datetime(2023, 11, 29, 14, 7, 28, tzinfo=UTC), "TEST551151", 56300, MAC
    )
    assert url == (
        "https://cabinet.tax.gov.ua/cashregs/check?id=TEST-iA5fmb&date=20231129"
        f"&time=16%3A07%3A28&fn=TEST551151&sm=563.00&mac={MAC}"
    )


def test_naive_fiscal_date_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        tax_check_url("X", datetime(2023, 11, 29, 14, 7, 28), "FN", 100, "m")
