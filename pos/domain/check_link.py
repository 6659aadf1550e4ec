"""The tax service's check link printed as a QR code on every fiscal receipt.

Online the server supplies it; an offline receipt is printed before the server has seen it, so the
POS builds the same link itself — and the sandbox must build it the same way. Date and time are
Kyiv local time, the sum has two decimals, and `mac` is the transaction's previous hash (as in the
seed's examples).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from pos.domain.money import format_money
from pos.domain.offline_limits import KYIV

TAX_CHECK_URL = "https://cabinet.tax.gov.ua/cashregs/check"


def tax_check_url(
    fiscal_code: str, fiscal_date: datetime, fiscal_number: str, total: int, mac: str
) -> str:
    """`…/cashregs/check?id=…&date=YYYYMMDD&time=HH:MM:SS&fn=…&sm=563.00&mac=…`."""
    if fiscal_date.tzinfo is None:
        raise ValueError("the fiscal date must be timezone-aware")
    local = fiscal_date.astimezone(KYIV)
    query = urlencode(
        {
            "id": fiscal_code,
            "date": local.strftime("%Y%m%d"),
            "time": local.strftime("%H:%M:%S"),
            "fn": fiscal_number,
            "sm": format_money(total),
            "mac": mac,
        }
    )
    return f"{TAX_CHECK_URL}?{query}"
