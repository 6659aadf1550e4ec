"""Money and quantity arithmetic: integers only, half-up rounding, strict parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.money import (
    MoneyFormatError,
    div_round_half_up,
    format_money,
    format_quantity,
    line_sum,
    parse_money,
    parse_quantity,
)


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [(5, 2, 3), (4, 2, 2), (-5, 2, -3), (7, 3, 2), (8, 3, 3), (5, -2, -3), (0, 7, 0)],
)
def test_div_round_half_up(num: int, den: int, expected: int) -> None:
    assert div_round_half_up(num, den) == expected


def test_line_sum_rounds_weighed_goods_half_up() -> None:
    assert line_sum(19500, 1000) == 19500
    assert line_sum(20900, 2000) == 41800
    # 1.255 kg at 33.33 UAH/kg = 41.82915 UAH → 4183 kopecks
    assert line_sum(3333, 1255) == 4183
    # exactly half a kopeck rounds up: 100 g at 5 kopecks/kg = 0.5 kopeck → 1
    assert line_sum(5, 100) == 1


@given(st.integers(-(10**12), 10**12), st.integers(1, 10**6))
def test_div_round_half_up_is_nearest(num: int, den: int) -> None:
    q = div_round_half_up(num, den)
    assert abs(num - q * den) * 2 <= den


def test_format_and_parse_money() -> None:
    assert format_money(56300) == "563.00"
    assert format_money(-5) == "-0.05"
    assert parse_money("563") == 56300
    assert parse_money("563,5") == 56350
    assert parse_money(" 1 234.56 ") == 123456
    assert parse_money(".5") == 50


@pytest.mark.parametrize("text", ["", "abc", "1.234", "1e5", "12,3,4", "--1", "99999999999"])
def test_parse_money_refuses_garbage(text: str) -> None:
    with pytest.raises(MoneyFormatError):
        parse_money(text)


def test_quantities() -> None:
    assert parse_quantity("1.250") == 1250
    assert parse_quantity("2") == 2000
    assert format_quantity(1250) == "1.250"
    with pytest.raises(MoneyFormatError):
        parse_quantity("0.0001")
    with pytest.raises(MoneyFormatError):
        parse_quantity("1000000")


@given(st.integers(-(10**9), 10**9))
def test_money_round_trip(kopecks: int) -> None:
    assert parse_money(format_money(kopecks)) == kopecks
