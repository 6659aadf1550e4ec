"""The cart table is told only what changed: a scan appends one row, one more piece of the last
good changes one row, a removal removes one; no reset (which makes the view ask for every cell
of every row again on the cashier's Enter). The cart is priced once per change."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from pos.journal.records import CatalogueItem
from pos.register.cart import PIECE, Cart
from pos.ui.cart_table import NAME, PRICE, QUANTITY, SUM, CartModel, CartTable

BREAD = CatalogueItem("1001", "Хліб", 3490, (1,))
MILK = CatalogueItem("1002", "Молоко", 5990, (1,))


def _signals(model: CartModel) -> dict[str, list[Any]]:
    seen: dict[str, list[Any]] = {"reset": [], "inserted": [], "removed": [], "changed": []}
    model.modelReset.connect(lambda: seen["reset"].append(True))
    model.rowsInserted.connect(lambda _p, first, last: seen["inserted"].append((first, last)))
    model.rowsRemoved.connect(lambda _p, first, last: seen["removed"].append((first, last)))
    model.dataChanged.connect(
        lambda top, bottom, _roles: seen["changed"].append((top.row(), bottom.row()))
    )
    return seen


def test_a_scan_inserts_one_row_and_one_more_piece_changes_one(qtbot: QtBot) -> None:
    cart = Cart()
    model = CartModel(cart)
    table = CartTable(model)
    qtbot.addWidget(table)
    seen = _signals(model)

    cart.add(BREAD)
    model.refresh()
    cart.add(MILK)
    model.refresh()
    assert seen == {"reset": [], "inserted": [(0, 0), (1, 1)], "removed": [], "changed": []}

    cart.add(MILK)  # the same good again: the last line's quantity
    model.refresh()
    assert seen["changed"] == [(1, 1)]
    assert model.data(model.index(1, QUANTITY)) == "2 шт"
    assert model.data(model.index(1, SUM)) == "119.80"
    assert model.data(model.index(0, NAME)) == "Хліб"
    assert model.data(model.index(0, PRICE)) == "34.90"

    cart.remove(0)
    model.refresh()
    assert seen["removed"] == [(0, 0)]
    assert seen["reset"] == []
    assert model.rowCount() == 1
    assert model.data(model.index(0, NAME)) == "Молоко"


def test_the_cart_is_priced_once_per_change() -> None:
    cart = Cart()
    cart.add(BREAD)
    first = cart.priced()
    assert cart.priced() is first  # the table, the totals and the total check share it
    assert cart.total == 3490
    cart.set_quantity(0, 3 * PIECE)
    assert cart.priced() is not first
    assert cart.priced().total_sum == 3 * 3490
