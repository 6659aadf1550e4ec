"""Pure parts of the register: offline-limit warnings/refusals and the cart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos.domain.discounts import DiscountMode, DiscountType
from pos.journal.records import CatalogueItem, ConnectivityTransition
from pos.register.cart import Cart, discount
from pos.register.connectivity import ConnectivityState as S
from pos.register.errors import Refusal, RegisterError
from pos.register.limits import Level, Limit, Thresholds, limit_state, offline_periods

T0 = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
BREAD = CatalogueItem("1", "Хліб", 3490, (8,))
CHEESE = CatalogueItem("2", "Сир", 45990, (5,), unit="кг", is_weighed=True)


def went_offline(at: datetime) -> list[ConnectivityTransition]:
    return [ConnectivityTransition(at, S.ONLINE.value, S.LOCAL_OFFLINE.value, "cable")]


def state(now: datetime, *, codes: int = 100, opened: datetime | None = None) -> object:
    return limit_state(
        now=now,
        state=S.LOCAL_OFFLINE,
        transitions=went_offline(T0),
        shift_opened_at=opened,
        free_codes=codes,
        thresholds=Thresholds(),
    )


def test_offline_periods_come_from_the_transition_log() -> None:
    log = [
        ConnectivityTransition(T0, "ONLINE", "LOCAL_OFFLINE"),
        ConnectivityTransition(T0 + timedelta(hours=1), "LOCAL_OFFLINE", "UPLOADING"),
        ConnectivityTransition(T0 + timedelta(hours=2), "UPLOADING", "ONLINE"),
        ConnectivityTransition(T0 + timedelta(hours=3), "ONLINE", "SERVER_OFFLINE"),
    ]
    periods = offline_periods(log)
    assert [(p.started_at, p.ended_at) for p in periods] == [
        (T0, T0 + timedelta(hours=2)),
        (T0 + timedelta(hours=3), None),
    ]


def test_warning_then_refusal_before_36_hours() -> None:
    calm = limit_state(
        now=T0 + timedelta(hours=1),
        state=S.LOCAL_OFFLINE,
        transitions=went_offline(T0),
        shift_opened_at=None,
        free_codes=100,
        thresholds=Thresholds(),
    )
    assert calm.warnings == ()
    assert calm.offline_seconds_left == 35 * 3600
    late = state(T0 + timedelta(hours=33))
    assert late.stop(Limit.OFFLINE_PERIOD) is None  # type: ignore[attr-defined]
    assert any(w.limit is Limit.OFFLINE_PERIOD for w in late.warnings)  # type: ignore[attr-defined]
    edge = state(T0 + timedelta(hours=36) - timedelta(minutes=4))
    stop = edge.stop(Limit.OFFLINE_PERIOD)  # type: ignore[attr-defined]
    assert stop is not None
    assert stop.left == 4 * 60


def test_shift_age_and_code_pool() -> None:
    now = T0 + timedelta(hours=1)
    aged = state(now, opened=now - timedelta(hours=23, minutes=56))
    assert aged.stop(Limit.SHIFT_AGE) is not None  # type: ignore[attr-defined]
    few = state(now, codes=10)
    assert [w.level for w in few.warnings if w.limit is Limit.OFFLINE_CODES] == [  # type: ignore[attr-defined]
        Level.WARNING
    ]
    reserve = state(now, codes=2)
    assert reserve.stop(Limit.OFFLINE_CODES) is not None  # type: ignore[attr-defined]


def test_cart_merges_pieces_weighs_and_prices() -> None:
    cart = Cart()
    cart.add(BREAD)
    cart.add(BREAD)
    cart.add(CHEESE, 1250)
    assert [li.quantity for li in cart.lines] == [2000, 1250]
    assert cart.total == 6980 + 57488
    cart.set_line_discount(1, discount(DiscountType.DISCOUNT, DiscountMode.PERCENT, 10))
    assert cart.total == 6980 + 57488 - 5749
    cart.set_receipt_discount(discount(DiscountType.DISCOUNT, DiscountMode.VALUE, 100))
    assert cart.total == 6980 + 57488 - 5749 - 100


@pytest.mark.parametrize("quantity", [0, -1000, 1500, 10**12])
def test_cart_refuses_absurd_quantities(quantity: int) -> None:
    cart = Cart()
    with pytest.raises(RegisterError) as refused:
        cart.add(BREAD, quantity)
    assert refused.value.refusal is Refusal.BAD_INPUT
    assert cart.is_empty


def test_cart_refuses_a_discount_above_the_line() -> None:
    cart = Cart()
    cart.add(BREAD)
    with pytest.raises(RegisterError):
        cart.set_line_discount(0, discount(DiscountType.DISCOUNT, DiscountMode.VALUE, 999_999))
    assert cart.lines[0].discount is None
