"""Integer pricing gives the very kopecks the exact fractions gave.

The taxes' and percent discounts' arithmetic moved from ``fractions.Fraction`` to integer ratios
(the cart re-prices on every scan); a fiscal sum must not move by a kopeck. The old code is kept
here, as it was, as the oracle.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain import taxes as taxes_module
from pos.domain.discounts import Discount, DiscountMode, DiscountType
from pos.domain.errors import InvalidReceipt, TotalNotPositive
from pos.domain.money import div_round_half_up
from pos.domain.receipt import Good, Line, PricedReceipt, price_receipt
from pos.domain.taxes import DEFAULT_TAXES, Tax, tax_of_amount


def _old_part(amount: int, rate: Decimal, *, included: bool) -> int:
    if not rate:
        return 0
    fraction = Fraction(rate)
    ratio = fraction / (100 + fraction) if included else fraction / 100
    return div_round_half_up(amount * ratio.numerator, ratio.denominator)


def _old_amount_of(self: Discount, base: int) -> int:
    if self.mode is DiscountMode.VALUE:
        return int(self.value)
    percent = Fraction(self.value)
    share = percent * base / 100
    return div_round_half_up(share.numerator, share.denominator)


@contextmanager
def fractions() -> Iterator[None]:
    """Pricing as it was: the exact fractions."""
    with (
        mock.patch.object(taxes_module, "_part", _old_part),
        mock.patch.object(Discount, "amount_of", _old_amount_of),
    ):
        yield


rates = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
amounts = st.integers(min_value=-10_000_000_00, max_value=10_000_000_00)
percents = st.decimals(
    min_value=Decimal("0.01"), max_value=100, places=3, allow_nan=False, allow_infinity=False
)

TAXES: tuple[Tax, ...] = (
    *DEFAULT_TAXES,
    Tax(7, "Д", "ПДВ 7%", Decimal(7)),
    Tax(9, "Ж", "ПДВ 14% зверху", Decimal(14), included=False),
    Tax(10, "И", "Акциз 2.5 + ПДВ 20 зверху", Decimal(20), Decimal("2.5"), included=False),
)


@given(amount=amounts, rate=rates, extra=st.one_of(st.none(), rates), included=st.booleans())
def test_a_tax_part_is_the_fractions_one(
    amount: int, rate: Decimal, extra: Decimal | None, included: bool
) -> None:
    tax = Tax(1, "А", "t", rate, extra, included=included)
    new = tax_of_amount(amount, tax)
    with fractions():
        assert tax_of_amount(amount, tax) == new


@given(base=amounts, percent=percents)
def test_a_percent_discount_is_the_fractions_one(base: int, percent: Decimal) -> None:
    discount = Discount(DiscountType.DISCOUNT, DiscountMode.PERCENT, percent)
    new = discount.amount_of(base)
    with fractions():
        assert discount.amount_of(base) == new


def discounts(kind: st.SearchStrategy[DiscountType]) -> st.SearchStrategy[Discount]:
    absolute = st.builds(
        Discount, kind, st.just(DiscountMode.VALUE), st.integers(min_value=1, max_value=50_000)
    )
    percent = st.builds(Discount, kind, st.just(DiscountMode.PERCENT), percents)
    return st.one_of(absolute, percent)


any_discount = discounts(st.sampled_from(DiscountType))


@st.composite
def lines(draw: st.DrawFn) -> Line:
    weighed = draw(st.booleans())
    quantity = (
        draw(st.integers(min_value=1, max_value=50_000))
        if weighed
        else 1000 * draw(st.integers(min_value=1, max_value=50))
    )
    codes = draw(st.lists(st.sampled_from([t.code for t in TAXES]), max_size=2, unique=True))
    good = Good(
        code=str(draw(st.integers(min_value=1, max_value=99))),
        name="товар",
        price=draw(st.integers(min_value=0, max_value=2_000_000)),
        tax_codes=tuple(codes),
    )
    own = draw(st.lists(any_discount, max_size=2))
    return Line(good, quantity, discounts=tuple(own))


def priced(cart: list[Line], receipt: list[Discount]) -> PricedReceipt | type[Exception]:
    try:
        return price_receipt(cart, receipt, TAXES)
    except (InvalidReceipt, TotalNotPositive) as error:
        return type(error)


@settings(max_examples=300, deadline=None)
@given(
    cart=st.lists(lines(), min_size=1, max_size=12),
    receipt=st.lists(any_discount, max_size=2),
)
def test_a_whole_receipt_prices_to_the_kopeck_as_with_fractions(
    cart: list[Line], receipt: list[Discount]
) -> None:
    new = priced(cart, receipt)
    with fractions():
        assert priced(cart, receipt) == new
