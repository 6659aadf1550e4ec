"""Case "carts survive a restart", its other half: a cart that was sold never comes back.

Before, the selling screen cleared its saved open cart only after the sale returned, so a kill
between "sale committed" and "cart cleared" restored goods already sold (the cashier would ring
them up twice). Now the sale's commit deletes the saved open cart it sells, in its own
transaction, online and offline; a different open cart, and every parked one, stays.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from scenarios.harness import CATALOGUE, SimClock, exact_tender

from pos.domain.receipt import PaymentType
from pos.journal.records import CatalogueItem, ReceiptState
from pos.register import held_carts
from pos.register.cart import Cart
from pos.sandbox.server import RunningSandbox

from .conftest import TillFactory

BREAD, MILK = CATALOGUE[0], CATALOGUE[4]


def cart_of(*items: CatalogueItem) -> Cart:
    cart = Cart()
    for item in items:
        cart.add(item)
    return cart


async def test_a_sold_cart_is_cleared_by_the_sales_commit_and_others_stay(
    box: RunningSandbox, clock: SimClock, tills: TillFactory, tmp_path: Path
) -> None:
    path = tmp_path / "data/journal.sqlite"
    till = await tills(path, marks=tmp_path / "marks")
    await till.sign_in()
    await till.service.open_shift()
    now = datetime.now(UTC)
    parked = [held_carts.ParkedCartRecord(1, now, cart_of(MILK))]
    for offline in (False, True):
        if offline:
            till.cut()
        cart = cart_of(BREAD, BREAD)
        till.service.save_carts_soon(held_carts.held(cart, parked))  # the window, each scan
        # The window is killed right after the sale's commit: it never clears the cart itself.
        sold = await till.service.sell(cart, [exact_tender(cart.total, PaymentType.CASHLESS)])
        expected = ReceiptState.OFFLINE_ISSUED if offline else ReceiptState.DONE
        assert sold.state is expected
        restored, kept = held_carts.restore(till.journal)
        assert restored.is_empty, "goods already sold came back after a restart"
        assert [(p.number, [li.item.code for li in p.cart.lines]) for p in kept] == [(1, ["5"])]

    # A sale of another cart (or a cash-in) while goods wait in the open cart leaves it there.
    waiting = cart_of(MILK, BREAD)
    till.service.save_carts_soon(held_carts.held(waiting, parked))
    await till.sell_bread()
    restored, kept = held_carts.restore(till.journal)
    assert [li.item.code for li in restored.lines] == ["5", "1"]
    assert len(kept) == 1
