"""NBU cash rounding in both of the API's modes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.rounding import RoundingMode, round_cash


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (16400, 16400),
        (16401, 16400),
        (16424, 16400),
        (16425, 16450),
        (16449, 16450),
        (16450, 16450),
        (16451, 16450),
        (16474, 16450),
        (16475, 16500),
        (16499, 16500),
        (24, 0),
        (25, 50),
    ],
)
def test_round_50_boundaries(amount: int, expected: int) -> None:
    assert round_cash(amount, RoundingMode.ROUND_50) == expected


def test_round_50_is_the_default() -> None:
    assert round_cash(16424) == 16400


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(16417, 16420), (16414, 16410), (16415, 16420), (16410, 16410), (16419, 16420)],
)
def test_round_10_seed_rule(amount: int, expected: int) -> None:
    assert round_cash(amount, RoundingMode.ROUND_10) == expected


@given(st.integers(-(10**9), 10**9), st.sampled_from(list(RoundingMode)))
def test_rounding_is_idempotent_and_close(amount: int, mode: RoundingMode) -> None:
    once = round_cash(amount, mode)
    assert round_cash(once, mode) == once
    assert abs(once - amount) <= (25 if mode is RoundingMode.ROUND_50 else 5)
    assert round_cash(-amount, mode) == -once
