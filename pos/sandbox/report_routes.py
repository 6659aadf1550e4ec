"""Report routes: X-report, a report's text/png, and the periodical report over Z-reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response

from pos.domain.money import format_money
from pos.sandbox.auth import CashierDep, RegisterDep, WorldDep
from pos.sandbox.clock import KYIV, iso, parse_datetime
from pos.sandbox.errors import REPORT_NOT_FISCALISED, ApiError, bad_request
from pos.sandbox.render import report_body
from pos.sandbox.shift_routes import open_shift_of
from pos.sandbox.storage import Record
from pos.sandbox.visual import qr_png, report_text
from pos.sandbox.world import World, new_id

router = APIRouter(tags=["reports"])


@router.post("/reports", status_code=201)
async def x_report(world: WorldDep, cashier: CashierDep) -> dict[str, Any]:
    shift = open_shift_of(world, cashier)
    register = world.records["register"][shift["register_id"]]
    register["report_serial"] += 1
    report_id = new_id()
    body = report_body(
        world,
        shift,
        report_id=report_id,
        serial=register["report_serial"],
        is_z=False,
        created_at=iso(world.now()),
    )
    world.save(
        "report",
        {"id": report_id, "body": body, "shift_id": shift["id"], "register_id": register["id"]},
    )
    world.save("register", register)
    return body


def _report(world: World, report_id: str) -> Record:
    report = world.get("report", report_id)
    if report is None:
        raise ApiError(404, "Звіт не знайдено")
    if report["body"]["is_z_report"]:
        shift = world.records["shift"][report["shift_id"]]
        if shift["status"] != "CLOSED":
            raise bad_request(REPORT_NOT_FISCALISED)
    return report


@router.get("/reports/periodical", response_class=PlainTextResponse)
async def periodical(
    world: WorldDep,
    register: RegisterDep,
    from_date: str,
    to_date: str,
    width: int = 42,
    is_short: bool = False,
) -> str:
    try:
        start, end = parse_datetime(from_date), parse_datetime(to_date)
    except ValueError as exc:
        raise ApiError(422, f"Невірний формат дати: {exc}") from exc
    width = max(24, min(width, 80))
    z_reports = [
        r["body"]
        for r in world.all("report")
        if r["register_id"] == register["id"]
        and r["body"]["is_z_report"]
        and start <= parse_datetime(r["body"]["created_at"]) <= end
    ]
    return _periodical_text(register, z_reports, start, end, width, is_short)


def _kyiv_day(moment: datetime) -> str:
    """Fiscal documents show Kyiv's calendar day (00:00+02:00 is still that day, not UTC's eve)."""
    return moment.astimezone(KYIV).date().isoformat()


def _periodical_text(
    register: Record,
    z_reports: list[dict[str, Any]],
    start: datetime,
    end: datetime,
    width: int,
    is_short: bool,
) -> str:
    def pair(left: str, right: str) -> str:
        return f"{left}{' ' * max(1, width - len(left) - len(right))}{right}"

    lines = [
        f"ФН ПРРО {register['fiscal_number']}".center(width).rstrip(),
        ("СКОРОЧЕНИЙ " if is_short else "") + "ПЕРІОДИЧНИЙ ЗВІТ",
        f"з {_kyiv_day(start)} по {_kyiv_day(end)}",
        "-" * width,
        pair("Z-звітів", str(len(z_reports))),
    ]
    totals: dict[str, int] = {}
    for z in z_reports:
        for p in z["payments"]:
            for key in ("sell_sum", "return_sum", "service_in", "service_out"):
                name = f"{p['label']}: {key}"
                totals[name] = totals.get(name, 0) + p[key]
    labels = {
        "sell_sum": "продаж",
        "return_sum": "повернення",
        "service_in": "внесення",
        "service_out": "вилучення",
    }
    for name, value in totals.items():
        label, key = name.split(": ")
        lines.append(pair(f"{label} {labels[key]}", format_money(value)))
    if not is_short:
        for z in z_reports:
            lines.append(pair(f"Z-звіт № {z['serial']}", format_money(z["balance"])))
    return "\n".join(lines) + "\n"


@router.get("/reports/{report_id}")
async def get_report(world: WorldDep, _cashier: CashierDep, report_id: str) -> dict[str, Any]:
    report = world.get("report", report_id)
    if report is None:
        raise ApiError(404, "Звіт не знайдено")
    body: dict[str, Any] = report["body"]
    return body


@router.get("/reports/{report_id}/text", response_class=PlainTextResponse)
async def report_as_text(world: WorldDep, report_id: str, width: int = 42) -> str:
    return report_text(world, _report(world, report_id), max(24, min(width, 80)))


@router.get("/reports/{report_id}/txt", response_class=PlainTextResponse)
async def report_as_txt(world: WorldDep, report_id: str, width: int = 42) -> str:
    return report_text(world, _report(world, report_id), max(24, min(width, 80)))


@router.get("/reports/{report_id}/png")
async def report_as_png(world: WorldDep, report_id: str) -> Response:
    report = _report(world, report_id)
    return Response(qr_png(report_text(world, report)[:1200], scale=2), media_type="image/png")
