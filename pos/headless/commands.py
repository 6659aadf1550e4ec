"""`pos register …`: the register service as one process per command, for kiosks and scripts.

Each command opens the journal in ``--data DIR`` (default: the platformdirs data directory),
signs in with what ``pos register login`` stored, does its work and exits: 0 done, 1 refused or
failed (the reason on stderr, or in the JSON with ``--json``), 2 not set up / bad arguments.
Settings and secrets live beside the journal (secrets in a file only the owner may read).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from pos import config as app_config
from pos.app import RunningRegister, open_register
from pos.domain.money import MoneyFormatError, format_money, parse_money, parse_quantity
from pos.domain.receipt import PaymentType
from pos.domain.rounding import round_cash
from pos.journal.errors import JournalError
from pos.journal.records import Receipt, ReceiptState
from pos.journal.writer_lock import JournalInUseError
from pos.register.cart import Cart, Tender
from pos.register.errors import Refusal, RegisterError
from pos.secret_store import SecretStore

SubParsers = Any

CREDENTIALS = "credentials.json"
ENV_LICENSE_KEY = "POS_LICENSE_KEY"
ENV_PIN = "POS_PIN"
ENV_PASSWORD = "POS_PASSWORD"


class UsageError(Exception):
    """Bad arguments or a register that was never set up (exit status 2)."""


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("register", help="work the register without a window")
    actions = parser.add_subparsers(dest="register_command", metavar="ACTION")

    def action(name: str, help_text: str, run: Callable[[argparse.Namespace], Any]) -> Any:
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--data", type=Path, metavar="DIR", help="data directory")
        sub.add_argument("--json", action="store_true", help="print a machine-readable result")
        sub.set_defaults(handler=lambda args: _main(args, run))
        return sub

    login = action("login", "sign in and store the settings for later commands", _login)
    login.add_argument("--api", required=True, metavar="URL", help="Checkbox API address")
    secret_help = "or '-' to read it from stdin; or set $%s (never visible in `ps`)"
    login.add_argument("--license-key", metavar="KEY", help=secret_help % ENV_LICENSE_KEY)
    login.add_argument("--pin", metavar="PIN", help="cashier PIN, " + secret_help % ENV_PIN)
    login.add_argument("--login", metavar="LOGIN", help="cashier login (with --password)")
    login.add_argument("--password", metavar="PASSWORD", help=secret_help % ENV_PASSWORD)
    login.add_argument(
        "--backoffice",
        metavar="URL",
        help="the shop's back-office database (postgresql://…), kept with the secrets",
    )
    action("open-shift", "open a shift", _open_shift).add_argument(
        "--float", dest="opening_float", default="0", metavar="AMOUNT", help="opening cash"
    )
    closing = action("close-shift", "close the shift with the Z-report", _close_shift)
    closing.add_argument("--counted", metavar="AMOUNT", help="cash counted in the drawer")
    closing.add_argument(
        "--collect",
        metavar="AMOUNT|all|counted",
        help="cash collection (інкасація) taken out before the Z: an amount, the whole balance "
        "('all') or what was counted ('counted'); the rest is the next shift's float",
    )
    action("x-report", "the X-report of the open shift", _x_report)
    sell = action("sell", "sell goods", _sell)
    sell.add_argument("--item", action="append", required=True, metavar="CODE[:QTY]")
    sell.add_argument("--pay", action="append", required=True, metavar="cash|card[:AMOUNT]")
    sell.add_argument(
        "--email", metavar="ADDRESS", help="send the receipt by e-mail (several: comma-separated)"
    )
    sell.add_argument("--phone", metavar="380XXXXXXXXX", help="send the receipt by SMS/Viber")
    sell.add_argument(
        "--id",
        dest="receipt_id",
        metavar="UUID",
        help="idempotency key: the same id twice fiscalises once and prints the first result",
    )
    receipt = action("receipt", "what became of a receipt: state, fiscal code, date", _receipt)
    receipt.add_argument("receipt", metavar="ID", help="receipt id (or its unique start)")
    ret = action("return", "return goods of an earlier sale", _return)
    ret.add_argument("--receipt", required=True, metavar="ID", help="the sale's id or fiscal code")
    ret.add_argument("--item", action="append", required=True, metavar="CODE[:QTY]")
    action("status", "connectivity, queue, codes and limits", _status)
    action(
        "confirm-clock",
        "the time is right: allow offline receipts again after a clock warning",
        _confirm_clock,
    )
    sync = action("sync", "upload what is queued", _sync)
    sync.add_argument("--wait", action="store_true", help="until online with an empty queue")
    sync.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS")
    parser.set_defaults(handler=lambda args: _help(parser))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


# --- plumbing ------------------------------------------------------------------------------------


def _dirs(args: argparse.Namespace) -> tuple[Path, Path]:
    """(data dir, settings dir): both the given --data, or the platformdirs defaults."""
    if args.data is not None:
        return args.data, args.data
    return app_config.data_dir(), app_config.config_dir()


def _main(args: argparse.Namespace, run: Callable[[argparse.Namespace], Any]) -> int:
    try:
        result = asyncio.run(run(args))
    except UsageError as error:
        return _fail(args, str(error), 2)
    except RegisterError as error:
        return _fail(args, _refusal_text(error), 1, error.refusal.value)
    except MoneyFormatError as error:
        return _fail(args, str(error), 2)
    except JournalInUseError as error:
        return _fail(args, str(error), 1, "journal_in_use")
    except JournalError as error:  # damaged, missing, too new: the message names the file
        return _fail(args, str(error), 1, "journal")
    except OSError as error:
        return _fail(args, f"cannot use the data directory: {error}", 2)
    _print(args, result)
    return 0


def _fail(args: argparse.Namespace, message: str, status: int, reason: str = "") -> int:
    if args.json:
        print(json.dumps({"ok": False, "error": message, "reason": reason}, ensure_ascii=False))
    else:
        print(f"pos register {args.register_command}: {message}", file=sys.stderr)
    return status


def _print(args: argparse.Namespace, result: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps({"ok": True, **result}, ensure_ascii=False, default=str))
        return
    for key, value in result.items():
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False, default=str)
        print(f"{key}: {value}")


REFUSALS = {
    Refusal.NOT_SIGNED_IN: "not signed in: run `pos register login` first",
    Refusal.SIGN_IN_FAILED: "sign-in failed",
    Refusal.NO_SHIFT: "no open shift: run `pos register open-shift`",
    Refusal.SHIFT_CLOSING: "the Z-report is not confirmed by Checkbox yet: run `pos register sync`",
    Refusal.SHIFT_ALREADY_OPEN: "a shift is already open",
    Refusal.SHIFT_EXPIRED: "the shift is 24 hours old: close it (`pos register close-shift`)",
    Refusal.OFFLINE_PERIOD_LIMIT: "the 36-hour offline limit is reached: reconnect and sync",
    Refusal.OFFLINE_MONTH_LIMIT: "the 168-hour monthly offline limit is reached",
    Refusal.NO_OFFLINE_CODES: "no offline fiscal codes left: reconnect and sync",
    Refusal.RECOVERING: "unfinished receipts from the last run are being settled",
    Refusal.UPLOAD_PENDING: "offline transactions must be uploaded first: run `pos register sync`",
    Refusal.FISCAL_RULE: "the receipt breaks a fiscal rule",
    Refusal.SERVER_REJECTED: "Checkbox refused it",
    Refusal.UNREACHABLE: "Checkbox cannot be reached",
    Refusal.NOT_FOUND: "not found",
    Refusal.BAD_INPUT: "bad input",
    Refusal.MANAGER_ONLY: "a manager must do this",
    Refusal.JOURNAL_BEHIND: "the journal may be behind Checkbox; no offline receipts until it "
    "has reconciled online (reconnect and run `pos register sync`)",
    Refusal.CODES_UNRECONCILED: "Checkbox used offline codes on its own; no offline receipts "
    "until the code pool is reconciled online",
    Refusal.DISK_FULL: "too little free disk space for the journal; free some space first",
    Refusal.CLOCK_UNTRUSTED: "this PC's clock differs from Checkbox's (seconds); confirm the time "
    "before offline receipts",
    Refusal.AWAITING_CHECKBOX: "receipts of this shift were being sent when the register stopped "
    "and await Checkbox's answer; the Z-report waits for them (reconnect and run "
    "`pos register sync`)",
    Refusal.OFFLINE_AWAITING_CHECKBOX: "receipts were being sent when the register stopped and "
    "Checkbox may have used one of its offline codes for them; no offline receipts until "
    "Checkbox has answered (reconnect and run `pos register sync`)",
}


def _refusal_text(error: RegisterError) -> str:
    text = REFUSALS.get(error.refusal, error.refusal.value)
    return f"{text}: {error.detail}" if error.detail else text


def _settings(args: argparse.Namespace) -> tuple[app_config.AppConfig, dict[str, Any]]:
    data, settings_dir = _dirs(args)
    config = app_config.load(settings_dir)
    for problem in config.problems:  # named, the default used; the command goes on
        print(f"pos register: warning: {problem}", file=sys.stderr)
    method = app_config.read_private(settings_dir / CREDENTIALS).get("method")
    if config.training or not config.api_url or method not in ("pin", "login"):
        raise UsageError("the register is not set up: run `pos register login` first")
    config.data = data
    store = SecretStore(settings_dir)
    credentials: dict[str, Any]
    if method == "pin":
        pin = os.environ.get(ENV_PIN) or store.get("pin")
        if not pin:
            raise UsageError(f"no PIN kept ({store.describe()}): set ${ENV_PIN}")
        credentials = {"pin": pin}
    else:
        login, password = store.get("login"), os.environ.get(ENV_PASSWORD) or store.get("password")
        if not login or not password:
            raise UsageError(f"no login kept ({store.describe()}): set ${ENV_PASSWORD}")
        credentials = {"login": login, "password": password}
    return config, credentials


async def _with_register(
    args: argparse.Namespace, work: Callable[[RunningRegister], Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    config, credentials = _settings(args)
    data, _ = _dirs(args)
    async with open_register(config, worker=False, token_dir=data) as running:
        await running.service.resume_session(**credentials)
        result = await work(running)
    if config.backoffice_url is not None:
        from pos.backoffice.push import push_journal

        url = config.backoffice_url.get_secret_value()
        path = running.journal.path
        result["backoffice"] = await asyncio.to_thread(push_journal, path, url, config.shop_name)
    return result


# --- commands ----------------------------------------------------------------------------------


def _secret(value: str | None, env: str, name: str) -> str | None:
    """A secret from its option ('-' reads one line of stdin) or its environment variable."""
    if value == "-":
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise UsageError(f"{name}: nothing on stdin")
        return line
    if value is not None:
        return value
    return os.environ.get(env) or None


async def _login(args: argparse.Namespace) -> dict[str, Any]:
    args.license_key = _secret(args.license_key, ENV_LICENSE_KEY, "--license-key")
    if args.login is None:
        args.pin = _secret(args.pin, ENV_PIN, "--pin")
    else:
        args.password = _secret(args.password, ENV_PASSWORD, "--password")
    if not args.license_key:
        raise UsageError(f"give --license-key (or '-' for stdin, or ${ENV_LICENSE_KEY})")
    if args.pin is None and (args.login is None or args.password is None):
        raise UsageError("give --pin, or --login with --password")
    data, settings_dir = _dirs(args)
    config = app_config.load(settings_dir)
    config.training = False
    config.api_url = args.api
    config.license_key = SecretStr(args.license_key)
    if args.backoffice:
        from pos.backoffice.database import BackofficeUrlError, check_url

        try:
            check_url(args.backoffice)
        except BackofficeUrlError as error:
            raise UsageError(str(error)) from None
        config.backoffice_url = SecretStr(args.backoffice)
    config.data = data
    credentials: dict[str, Any] = (
        {"pin": args.pin}
        if args.pin is not None
        else {"login": args.login, "password": args.password}
    )
    async with open_register(config, worker=False, token_dir=data) as running:
        await running.service.sign_in(**credentials)
        app_config.save(config, settings_dir)
        store = SecretStore(settings_dir)
        for name, value in credentials.items():  # the OS keyring, never a plain-text file
            store.set(name, value)
        method = "pin" if "pin" in credentials else "login"
        app_config.write_private(settings_dir / CREDENTIALS, {"method": method})
        status = running.service.status()
        return {"cashier": status.cashier_name, "secrets": store.describe(), **status.as_json()}


async def _open_shift(args: argparse.Namespace) -> dict[str, Any]:
    amount = parse_money(args.opening_float)

    async def work(running: RunningRegister) -> dict[str, Any]:
        shift = await running.service.open_shift(amount)
        return {
            "shift_id": shift.id,
            "state": shift.state.value,
            "offline": shift.is_offline,
            "serial": shift.serial,
        }

    return await _with_register(args, work)


def _report(view: Any) -> dict[str, Any]:
    return {
        "shift_id": None if view.shift is None else view.shift.id,
        "local": view.local,
        "server": view.server,
        "expected_cash": view.expected_cash,
        "counted_cash": view.counted_cash,
        "difference": view.difference,
        "pending": view.pending,
    }


async def _x_report(args: argparse.Namespace) -> dict[str, Any]:
    async def work(running: RunningRegister) -> dict[str, Any]:
        return _report(await running.service.x_report())

    return await _with_register(args, work)


async def _close_shift(args: argparse.Namespace) -> dict[str, Any]:
    counted = None if args.counted is None else parse_money(args.counted)

    collect_text = (args.collect or "").strip().lower()
    if collect_text == "counted" and counted is None:
        raise UsageError("--collect counted needs --counted AMOUNT")

    async def work(running: RunningRegister) -> dict[str, Any]:
        service = running.service
        collect = 0
        shift = service.current_shift()
        if collect_text == "all" and shift is not None:
            collect = max(int(service.local_report(shift)[0].get("balance", 0)), 0)
        elif collect_text == "counted":
            collect = counted or 0
        elif collect_text:
            collect = parse_money(collect_text)
        view = await service.close_shift(counted, collect=collect)
        return {
            **_report(view),
            "collected": collect,
            "left_for_next_shift": view.expected_cash,
            "offline": view.shift is not None and view.shift.is_offline,
        }

    return await _with_register(args, work)


def _item_spec(text: str) -> tuple[str, str | None]:
    code, _, qty = text.partition(":")
    if not code:
        raise UsageError(f"--item '{text}': give CODE or CODE:QTY")
    return code, qty or None


def receipt_json(receipt: Receipt) -> dict[str, Any]:
    return {
        "id": receipt.id,
        "type": receipt.type,
        "fiscal_code": receipt.fiscal_code,
        "fiscal_date": None if receipt.fiscal_date is None else receipt.fiscal_date.isoformat(),
        "offline": receipt.is_offline,
        "total": receipt.total_sum,
        "total_text": format_money(receipt.total_sum),
        "rest": receipt.rest,
        "round_sum": receipt.round_sum,
        "state": receipt.state.value,
    }


def _uuid(text: str) -> str:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise UsageError(f"--id '{text}': give a UUID") from None


async def _sell(args: argparse.Namespace) -> dict[str, Any]:
    specs = [_item_spec(text) for text in args.item]
    receipt_id = None if args.receipt_id is None else _uuid(args.receipt_id)

    async def work(running: RunningRegister) -> dict[str, Any]:
        service = running.service
        if receipt_id is not None:
            first = service.receipt(receipt_id)
            if first is not None:  # sold before (maybe by a run that was killed): its result
                return receipt_json(first)
        cart = Cart()
        for code, qty in specs:
            item = service.item(code)
            if item is None:
                raise UsageError(f"no goods with code '{code}' in the catalogue")
            quantity = None if qty is None else parse_quantity(qty)
            if quantity is not None and not item.is_weighed and quantity % 1000:
                raise UsageError(f"'{code}' is sold in whole pieces, not {qty}")
            cart.add(item, quantity)
        tenders = _tenders(args.pay, cart.total)
        sold = await service.sell(
            cart, tenders, email=args.email, phone=args.phone, receipt_id=receipt_id
        )
        return receipt_json(sold)

    return await _with_register(args, work)


def _tenders(specs: list[str], total: int) -> list[Tender]:
    """cash[:AMOUNT] / card[:AMOUNT]; a payment without an amount takes what is left to pay
    (cash rounded by the NBU rule)."""
    tenders: list[Tender] = []
    paid = 0
    for spec in specs:
        kind, _, amount = spec.partition(":")
        kind = kind.strip().lower()
        if kind not in ("cash", "card"):
            raise UsageError(f"--pay '{spec}': give cash[:AMOUNT] or card[:AMOUNT]")
        ptype = PaymentType.CASH if kind == "cash" else PaymentType.CASHLESS
        if amount:
            value = parse_money(amount)
        else:
            left = max(total - paid, 0)
            value = round_cash(left) if ptype is PaymentType.CASH else left
        tenders.append(Tender(ptype, value))
        paid += value
    return tenders


async def _return(args: argparse.Namespace) -> dict[str, Any]:
    specs = [_item_spec(text) for text in args.item]

    async def work(running: RunningRegister) -> dict[str, Any]:
        service = running.service
        sale = _one_sale(service, args.receipt)
        left = service.returnable(sale.id)
        wanted: dict[int, int] = {}
        for code, qty in specs:
            positions = [p for p, li in enumerate(sale.lines, start=1) if li.code == code]
            if not positions:
                raise UsageError(f"'{code}' is not on receipt {sale.id}")
            quantity = (
                parse_quantity(qty) if qty is not None else sum(left.get(p, 0) for p in positions)
            )
            for position in positions:
                take = min(quantity, left.get(position, 0))
                if take:
                    wanted[position] = wanted.get(position, 0) + take
                    quantity -= take
            if quantity > 0:
                raise RegisterError(Refusal.FISCAL_RULE, f"'{code}': more than was sold")
        return receipt_json(await service.refund(sale.id, wanted))

    return await _with_register(args, work)


def _one_sale(service: Any, text: str) -> Receipt:
    """The sale ``--receipt`` names: empty or ambiguous is refused, never guessed."""
    text = text.strip()
    if not text:
        raise UsageError("--receipt: give the sale's id or fiscal code")
    found = service.find_receipts(text)
    if not found:
        raise RegisterError(Refusal.NOT_FOUND, text)
    if len(found) > 1:
        ids = ", ".join(r.id for r in found[:5])
        raise UsageError(f"--receipt '{text}' matches {len(found)} sales ({ids}): give more of it")
    sale: Receipt = found[0]
    return sale


async def _receipt(args: argparse.Namespace) -> dict[str, Any]:
    text = args.receipt.strip().lower()
    if not text:
        raise UsageError("give a receipt id")

    async def work(running: RunningRegister) -> dict[str, Any]:
        journal = running.journal
        exact = journal.receipts.get(text)
        if exact is not None:
            return _receipt_state(exact)
        if len(text) < 4:
            raise UsageError("give at least 4 characters of the receipt id")
        recent = journal.receipts.list(newest_first=True, limit=5000)
        found = [r for r in recent if r.id.startswith(text)]
        if not found:
            raise RegisterError(Refusal.NOT_FOUND, text)
        if len(found) > 1:
            raise UsageError(f"'{text}' matches {len(found)} receipts: give more of the id")
        return _receipt_state(found[0])

    return await _with_register(args, work)


def _receipt_state(receipt: Receipt) -> dict[str, Any]:
    """``pos register receipt``: as printed, with the manager's note; for a conflict (Checkbox
    fiscalised the receipt's online attempt under its own code) Checkbox's code beside it."""
    answer = receipt.server_response or {}
    server_code = answer.get("fiscal_code")
    beside = (
        {} if server_code in (None, receipt.fiscal_code) else {"checkbox_fiscal_code": server_code}
    )
    awaiting = (
        {"awaiting_checkbox": True, "note": AWAITING_NOTE}
        if receipt.state is ReceiptState.SENDING
        else {}
    )
    return {**receipt_json(receipt), "error": receipt.error, **beside, **awaiting}


AWAITING_NOTE = (
    "sent to Checkbox, its answer not in: only Checkbox knows whether it is fiscalised; the "
    "register asks Checkbox at every sync and never issues it offline (do not sell it again)"
)


async def _confirm_clock(args: argparse.Namespace) -> dict[str, Any]:
    async def work(running: RunningRegister) -> dict[str, Any]:
        running.service.confirm_clock()
        return running.service.status().as_json()

    return await _with_register(args, work)


async def _status(args: argparse.Namespace) -> dict[str, Any]:
    async def work(running: RunningRegister) -> dict[str, Any]:
        return running.service.status().as_json()

    return await _with_register(args, work)


async def _sync(args: argparse.Namespace) -> dict[str, Any]:
    async def work(running: RunningRegister) -> dict[str, Any]:
        status = await running.service.sync(wait=args.wait, give_up_after=args.timeout)
        return status.as_json()

    return await _with_register(args, work)


__all__ = ["receipt_json", "register"]
