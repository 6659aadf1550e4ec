"""Receipts and reports as a Ukrainian fiscal receipt is laid out, and the check-link QR code.

Text follows the paper receipt: register and fiscal numbers at the top, lines with quantity ×
price and the tax letter, discounts, the sum, taxes by letter, payments and change, the fiscal
code and date, and "ОФЛАЙН" for receipts made offline. The QR code (PNG, by segno) encodes the
tax service's check link; the receipt's /png is that QR code alone, since no image library for
drawing text is installed.
"""

from __future__ import annotations

import html
import io
from typing import Any

import segno

from pos.domain.money import format_money, format_quantity
from pos.sandbox.clock import KYIV, parse_datetime
from pos.sandbox.storage import Record
from pos.sandbox.world import World

TITLES = {
    "SELL": "ФІСКАЛЬНИЙ ЧЕК",
    "RETURN": "ВИДАТКОВИЙ ЧЕК (ПОВЕРНЕННЯ)",
    "SERVICE_IN": "СЛУЖБОВЕ ВНЕСЕННЯ",
    "SERVICE_OUT": "СЛУЖБОВЕ ВИЛУЧЕННЯ",
    "CASH_WITHDRAWAL": "ВИДАЧА ГОТІВКИ",
}


def _pair(left: str, right: str, width: int) -> str:
    space = max(1, width - len(left) - len(right))
    return f"{left}{' ' * space}{right}"


def _center(text: str, width: int) -> str:
    return text.center(width).rstrip()


def _kyiv(text: str | None) -> str:
    if not text:
        return ""
    return parse_datetime(text).astimezone(KYIV).strftime("%d.%m.%Y %H:%M:%S")


def receipt_lines(world: World, receipt: Record, width: int = 42) -> list[str]:
    register = world.records["register"][receipt["register_id"]]
    cashier = world.records["cashier"][receipt["cashier_id"]]
    rule = "-" * width
    out = [
        _center("ТОВ «ПІСОЧНИЦЯ CHECKBOX»", width),
        _center(register["address"], width),
        _center(f"ФН ПРРО {register['fiscal_number']}", width),
    ]
    if receipt.get("header"):
        out.append(_center(str(receipt["header"]), width))
    out += [_center(TITLES.get(receipt["type"], str(receipt["type"])), width), rule]
    for item in receipt["goods"]:
        good = item["good"]
        letters = "".join(t["symbol"] for t in item["taxes"])
        out.append(good["name"][:width])
        qty = f"{format_quantity(item['quantity'])} x {format_money(good['price'])}"
        out.append(_pair(qty, f"{format_money(item['sum'])} {letters}".rstrip(), width))
        for d in item["discounts"]:
            out.append(_pair(f"  {d['name'] or 'Знижка'}", format_money(d["sum"]), width))
    for d in receipt["discounts"]:
        out.append(_pair(d["name"] or "Знижка", format_money(d["sum"]), width))
    if receipt["goods"]:
        out.append(rule)
    out.append(_pair("СУМА", f"{format_money(receipt['total_sum'])} ГРН", width))
    for tax in receipt["taxes"]:
        label = f"{tax['symbol']} {tax['label']}"
        out.append(_pair(label, format_money(tax["value"]), width))
        if tax.get("extra_value"):
            out.append(
                _pair(f"{tax['symbol']} акцизний збір", format_money(tax["extra_value"]), width)
            )
    for p in receipt["payments"]:
        out.append(_pair(str(p["label"]).upper(), format_money(p["value"]), width))
    if receipt.get("round_sum"):
        out.append(_pair("ЗАОКРУГЛЕННЯ", format_money(receipt["round_sum"]), width))
    if receipt.get("rest"):
        out.append(_pair("РЕШТА", format_money(receipt["rest"]), width))
    out.append(rule)
    out.append(_pair("Касир", cashier["full_name"], width))
    out.append(
        _pair(
            f"ЧЕК № {receipt['serial']}",
            _kyiv(receipt["fiscal_date"] or receipt["created_at"]),
            width,
        )
    )
    if receipt["fiscal_code"]:
        out.append(_pair("ФН ЧЕКА", receipt["fiscal_code"], width))
    if receipt["is_created_offline"]:
        out.append(_center("ОФЛАЙН", width))
        if receipt.get("control_number"):
            out.append(_pair("КОНТРОЛЬНЕ ЧИСЛО", receipt["control_number"], width))
    if receipt.get("footer"):
        out.append(_center(str(receipt["footer"]), width))
    out.append(_center("ФІСКАЛЬНИЙ ЧЕК" if receipt["fiscal_code"] else "СЛУЖБОВИЙ ЧЕК", width))
    out.append(_center("ПІСОЧНИЦЯ: НЕ Є ФІСКАЛЬНИМ ДОКУМЕНТОМ", width))
    return out


def receipt_text(world: World, receipt: Record, width: int = 42) -> str:
    return "\n".join(receipt_lines(world, receipt, width)) + "\n"


def receipt_html(world: World, receipt: Record) -> str:
    text = html.escape(receipt_text(world, receipt))
    qr = ""
    if receipt["tax_url"]:
        qr = segno.make(receipt["tax_url"], error="m").svg_inline(scale=3)
        link = html.escape(receipt["tax_url"])
        qr = f'<div class="qr">{qr}</div><p><a href="{link}">Перевірити чек</a></p>'
    return (
        '<!DOCTYPE html><html lang="uk"><head><meta charset="utf-8">'
        f"<title>Чек {html.escape(receipt['id'])}</title></head>"
        f'<body><pre class="receipt">{text}</pre>{qr}</body></html>'
    )


def qr_png(data: str, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def report_lines(world: World, report: Record, width: int = 42) -> list[str]:
    body: dict[str, Any] = report["body"]
    register = world.records["register"][report["register_id"]]
    rule = "-" * width
    title = "Z-ЗВІТ" if body["is_z_report"] else "X-ЗВІТ"
    out = [
        _center(f"ФН ПРРО {register['fiscal_number']}", width),
        _center(f"{title} № {body['serial']}", width),
        _center(_kyiv(body["created_at"]), width),
        rule,
    ]
    for p in body["payments"]:
        out.append(p["label"].upper())
        for key, label in (
            ("sell_sum", "Продаж"),
            ("return_sum", "Повернення"),
            ("service_in", "Службове внесення"),
            ("service_out", "Службове вилучення"),
            ("cash_withdrawal", "Видача готівки"),
        ):
            out.append(_pair(f"  {label}", format_money(p[key]), width))
    out.append(rule)
    for t in body["taxes"]:
        out.append(f"{t['symbol']} {t['label']}")
        out.append(_pair("  Податок продаж", format_money(t["sell_sum"]), width))
        out.append(_pair("  Податок повернення", format_money(t["return_sum"]), width))
        out.append(_pair("  Оборот продаж", format_money(t["sales_turnover"]), width))
        out.append(_pair("  Оборот повернення", format_money(t["returns_turnover"]), width))
    out.append(rule)
    out.append(_pair("Чеків продажу", str(body["sell_receipts_count"]), width))
    out.append(_pair("Чеків повернення", str(body["return_receipts_count"]), width))
    out.append(_pair("Чеків видачі готівки", str(body["cash_withdrawal_receipts_count"]), width))
    out.append(_pair("Знижки", format_money(body["discounts_sum"]), width))
    out.append(_pair("Заокруглення продаж +", format_money(body["sales_round_up"]), width))
    out.append(_pair("Заокруглення продаж -", format_money(body["sales_round_down"]), width))
    out.append(_pair("Початковий залишок", format_money(body["initial"]), width))
    out.append(_pair("Готівка в касі", format_money(body["balance"]), width))
    out.append(rule)
    out.append(_center("ПІСОЧНИЦЯ: НЕ Є ФІСКАЛЬНИМ ДОКУМЕНТОМ", width))
    return out


def report_text(world: World, report: Record, width: int = 42) -> str:
    return "\n".join(report_lines(world, report, width)) + "\n"
