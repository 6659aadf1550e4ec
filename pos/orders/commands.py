"""`pos order …`: customer orders without the window, the way `pos register …` sells.

Each command opens the register the way `pos register` does (settings and the stored sign-in in
``--data DIR``), does one thing and exits: 0 done, 1 refused (the reason on stderr, or in the JSON
with ``--json``), 2 bad arguments or not set up.

    pos order create --item CODE[:QTY] … [--customer NAME] [--phone P] [--email E]
                     [--due YYYY-MM-DD] [--note TEXT] [--excise CODE:STAMP …]
    pos order pay ORDER --pay cash[:AMOUNT]|card[:AMOUNT]|qr[:AMOUNT] …
    pos order cancel ORDER
    pos order show ORDER
    pos order list [QUERY]
    pos order cash-items ORDER [--amount AMOUNT]
    pos order prepayments [--search TEXT] [--filter EXPR] [--limit N] [--offset N]

`pay` on an open order takes an advance (a prepayment receipt); on a paid or partly paid one it
takes the whole rest and hands the goods over (the after-payment receipt): one advance per order,
since nothing public documents a second one in a Checkbox chain, so paying less than the rest is
refused ("pay the whole rest: N грн") before anything is sent. A payment without an amount takes
what is left to pay.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pos.app import RunningRegister
from pos.domain.money import MoneyFormatError, format_money, parse_money, parse_quantity
from pos.headless.commands import UsageError, _item_spec, _refusal_text, _with_register
from pos.orders.cash_items import CashItemsError, decode, payment_link
from pos.orders.model import Customer, Order, OrderPayment, OrderState, PayMethod
from pos.orders.moysklad import FilterError, ShopContext, documents, query
from pos.register.cart import Cart
from pos.register.errors import RegisterError

SubParsers = Any


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("order", help="customer orders and their advances")
    actions = parser.add_subparsers(dest="order_command", metavar="ACTION")

    def action(name: str, help_text: str, run: Callable[[argparse.Namespace], Any]) -> Any:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--data", type=Path, metavar="DIR", help="data directory")
        sub.add_argument("--json", action="store_true", help="print a machine-readable result")
        sub.set_defaults(handler=lambda args: _main(args, run))
        return sub

    create = action("create", "create an order from goods (nothing is paid yet)", _create)
    create.add_argument("--item", action="append", required=True, metavar="CODE[:QTY]")
    create.add_argument("--customer", default="", metavar="NAME")
    create.add_argument("--phone", default="", metavar="PHONE")
    create.add_argument("--email", default="", metavar="ADDRESS")
    create.add_argument("--due", metavar="YYYY-MM-DD", help="when the customer collects it")
    create.add_argument("--note", default="", metavar="TEXT")
    create.add_argument("--excise", action="append", default=[], metavar="CODE:STAMP")
    pay = action("pay", "take an advance, or the rest (which hands the goods over)", _pay)
    pay.add_argument("order", metavar="ORDER", help="the order's number or id")
    pay.add_argument("--pay", action="append", required=True, metavar="cash|card|qr[:AMOUNT]")
    action("cancel", "cancel an order (its advance is refunded)", _cancel).add_argument(
        "order", metavar="ORDER"
    )
    action("show", "an order, its payments and receipts", _show).add_argument(
        "order", metavar="ORDER"
    )
    listing = action("list", "find orders by number, phone or name", _list)
    listing.add_argument("query", nargs="?", default="", metavar="QUERY")
    links = action("cash-items", "Unitpay cashItems for the order's payment link", _cash_items)
    links.add_argument("order", metavar="ORDER")
    links.add_argument("--amount", metavar="AMOUNT", help="default: what is left to pay")
    export = action("prepayments", "prepayments in MoySklad's `prepayment` shape", _prepayments)
    export.add_argument("--search", metavar="TEXT", help="a part of the prepayment's name")
    export.add_argument("--filter", dest="filter_expression", metavar="EXPR", help="sum>1000;…")
    export.add_argument("--limit", type=int, default=1000)
    export.add_argument("--offset", type=int, default=0)
    parser.set_defaults(handler=lambda args: _help(parser))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _main(args: argparse.Namespace, run: Callable[[argparse.Namespace], Any]) -> int:
    try:
        result = asyncio.run(run(args))
    except UsageError as error:
        return _fail(args, str(error), 2)
    except RegisterError as error:
        if "whole_rest" in error.params:  # said in English too, with the sum to pay
            left = format_money(int(error.params["whole_rest"]))
            text = f"pay the whole rest: {left} грн (one advance per order) — {error.detail}"
            return _fail(args, text, 1, error.refusal.value)
        return _fail(args, _refusal_text(error), 1, error.refusal.value)
    except (CashItemsError, FilterError) as error:
        return _fail(args, str(error), 1, "refused")
    except MoneyFormatError as error:
        return _fail(args, str(error), 2)
    except OSError as error:
        return _fail(args, f"cannot use the data directory: {error}", 2)
    if args.json:
        print(json.dumps({"ok": True, **result}, ensure_ascii=False, default=str))
    else:
        for key, value in result.items():
            if isinstance(value, dict | list):
                value = json.dumps(value, ensure_ascii=False, indent=1, default=str)
            print(f"{key}: {value}")
    return 0


def _fail(args: argparse.Namespace, message: str, status: int, reason: str = "") -> int:
    if args.json:
        print(json.dumps({"ok": False, "error": message, "reason": reason}, ensure_ascii=False))
    else:
        print(f"pos order {args.order_command}: {message}", file=sys.stderr)
    return status


def order_json(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "number": order.label,
        "state": order.state.value,
        "customer": order.customer.name,
        "phone": order.customer.phone,
        "email": order.customer.email,
        "due_date": None if order.due_date is None else order.due_date.isoformat(),
        "note": order.note,
        "total": order.total_sum,
        "total_text": format_money(order.total_sum),
        "paid": order.paid,
        "left_to_pay": order.left_to_pay,
        "relation_id": order.relation_id,
        "lines": [
            {"code": li.code, "name": li.name, "price": li.price, "quantity": li.quantity}
            for li in order.lines
        ],
        "receipts": [
            {
                "id": r.id,
                "kind": r.kind.value,
                "state": r.state.value,
                "sum": r.fiscal.total_sum,
                "cash": r.cash_sum,
                "card": r.card_sum,
                "qr": r.qr_sum,
                "fiscal_code": r.fiscal_code,
                "fiscal_date": None if r.fiscal_date is None else r.fiscal_date.isoformat(),
            }
            for r in order.receipts
        ],
    }


async def _create(args: argparse.Namespace) -> dict[str, Any]:
    specs = [_item_spec(text) for text in args.item]
    due = _date(args.due)
    stamps: dict[str, list[str]] = {}
    for text in args.excise:
        code, _, stamp = text.partition(":")
        if not code or not stamp:
            raise UsageError(f"--excise '{text}': give CODE:STAMP")
        stamps.setdefault(code, []).append(stamp)

    async def work(running: RunningRegister) -> dict[str, Any]:
        service = running.service
        cart = Cart()
        for code, qty in specs:
            item = service.item(code)
            if item is None:
                raise UsageError(f"no goods with code '{code}' in the catalogue")
            quantity = None if qty is None else parse_quantity(qty)
            if quantity is not None and not item.is_weighed and quantity % 1000:
                raise UsageError(f"'{code}' is sold in whole pieces, not {qty}")
            cart.add(item, quantity)
        customer = Customer(args.customer, args.phone, args.email)
        order = service.orders.create(
            cart, customer, due_date=due, note=args.note, excise_codes=stamps
        )
        return order_json(order)

    return await _with_register(args, work)


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise UsageError(f"--due '{text}': give YYYY-MM-DD") from error


def _payments(specs: list[str], left: int) -> list[OrderPayment]:
    out: list[OrderPayment] = []
    paid = 0
    for spec in specs:
        kind, _, amount = spec.partition(":")
        try:
            method = PayMethod(kind.strip().lower())
        except ValueError as error:
            raise UsageError(f"--pay '{spec}': give cash, card or qr [:AMOUNT]") from error
        value = parse_money(amount) if amount else max(left - paid, 0)
        out.append(OrderPayment(method, value))
        paid += value
    return out


async def _pay(args: argparse.Namespace) -> dict[str, Any]:
    async def work(running: RunningRegister) -> dict[str, Any]:
        desk = running.service.orders
        order = desk.lookup(args.order)
        payments = _payments(args.pay, order.left_to_pay)
        if order.state is OrderState.OPEN:
            done = await desk.take_advance(order.id, payments)
        else:  # the whole rest (less is refused before anything is sent)
            done = await desk.pay_rest(order.id, payments)
        return order_json(done)

    return await _with_register(args, work)


async def _cancel(args: argparse.Namespace) -> dict[str, Any]:
    async def work(running: RunningRegister) -> dict[str, Any]:
        desk = running.service.orders
        return order_json(await desk.cancel(desk.lookup(args.order).id))

    return await _with_register(args, work)


async def _show(args: argparse.Namespace) -> dict[str, Any]:
    async def work(running: RunningRegister) -> dict[str, Any]:
        desk = running.service.orders
        order = desk.lookup(args.order)
        await desk.settle(order.id)
        return order_json(desk.get(order.id))

    return await _with_register(args, work)


async def _list(args: argparse.Namespace) -> dict[str, Any]:
    async def work(running: RunningRegister) -> dict[str, Any]:
        return {"orders": [order_json(o) for o in running.service.orders.find(args.query)]}

    return await _with_register(args, work)


async def _cash_items(args: argparse.Namespace) -> dict[str, Any]:
    amount = None if args.amount is None else parse_money(args.amount)

    async def work(running: RunningRegister) -> dict[str, Any]:
        order = running.service.orders.lookup(args.order)
        link = payment_link(order, amount)
        return {
            **link.params(),
            "paymentMethod": link.payment_method,
            "items": decode(link.cash_items),
        }

    return await _with_register(args, work)


async def _prepayments(args: argparse.Namespace) -> dict[str, Any]:
    async def work(running: RunningRegister) -> dict[str, Any]:
        service = running.service
        info = service.ctx.info
        shop = ShopContext(
            cash_register_id=info.cash_register_id or "",
            fiscal_number=info.fiscal_number or "",
            cashier_name=info.cashier_name or "",
        )
        docs = documents(service.orders.all(), shop)
        return query(
            docs,
            search=args.search,
            filter_expression=args.filter_expression,
            limit=args.limit,
            offset=args.offset,
        )

    return await _with_register(args, work)


__all__ = ["order_json", "register"]
