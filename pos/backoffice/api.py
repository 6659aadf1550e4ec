"""The read-only back-office API: the receipts report as the OFD seed's
``POST /v1/docs/aggregations/receipts``, and the prepayments as MoySklad's ``prepayment`` entity
(seed 002: ``GET /api/remap/1.2/entity/prepayment`` with ``limit``/``offset``/``search``/
``filter``/``order``, one by id, its positions), for the tools accountants already connect.

Every request needs a key (``X-OFD-Key: …`` as in the seed, or ``Authorization: Bearer …``);
the key names one shop, and the report's sources are that shop's registers only: no filter in
the body can widen it. The seed's ``company_ids`` and ``retail_point_ids`` are accepted when
they name the key's own shop (its id or name), and refused with 403 otherwise. Money is given
as the seed gives it, in currency units (hryvnias, two decimals, from integer kopecks); a bad
query gets 400 with the message of :class:`ReportInputError`, which names the field.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from pos.backoffice import prepayments
from pos.backoffice.keys import KeyOwner, owner_of
from pos.backoffice.sources import shop_sources
from pos.reports.periods import ReportInputError
from pos.reports.receipts import ReceiptsQuery, receipts_report

MONEY_FIELDS = (
    "totalSum",
    "cashTotalSum",
    "ecashTotalSum",
    "prepaidSum",
    "creditSum",
    "provisionSum",
)
_SHOP_FILTERS = ("company_ids", "retail_point_ids")
PREPAYMENT = "/api/remap/1.2/entity/prepayment"
# MoySklad's list parameters this endpoint answers; `expand` is accepted and changes nothing
# (positions are always expanded). Any other parameter is refused, naming it.
_LIST_PARAMETERS = ("limit", "offset", "search", "filter", "order", "expand")
_POSITION_PARAMETERS = ("limit", "offset", "expand")


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _key_of(request: Request) -> str | None:
    key = request.headers.get("x-ofd-key")
    if key:
        return key.strip()
    authorization = request.headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _hryvnias(kopecks: int) -> float:
    return round(kopecks / 100, 2)


def _shop_filters(body: dict[str, Any], owner: KeyOwner) -> None:
    for name in _SHOP_FILTERS:
        values = body.pop(name, None)
        if values is None:
            continue
        if not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
            raise ReportInputError(f"{name} must be a list of strings, got {values!r}")
        for value in values:
            if str(value) not in (str(owner.shop_id), owner.shop):
                raise _Refused(403, f"{name}: {value!r} is not this key's shop")


def receipts_answer(engine: Engine, owner: KeyOwner, body: dict[str, Any]) -> dict[str, Any]:
    _shop_filters(body, owner)
    query = ReceiptsQuery.from_mapping(body)
    with shop_sources(engine, [owner.shop]) as sources:
        answer = receipts_report(sources, query, with_totals=False)
    data = []
    for row in answer.data:
        for name in MONEY_FIELDS:
            row[name] = _hryvnias(int(row[name]))
        data.append(row)
    return {"data": data, "total": answer.total}


def create_app(engine: Engine) -> FastAPI:
    app = FastAPI(title="POS back office", docs_url=None, redoc_url=None, openapi_url=None)

    def authenticate(request: Request) -> KeyOwner:
        key = _key_of(request)
        if key is None:
            raise _Refused(401, "an API key is required: X-OFD-Key or Authorization: Bearer")
        with engine.connect() as connection:
            owner = owner_of(connection, key)
        if owner is None:
            raise _Refused(401, "the API key is not known")
        return owner

    @app.exception_handler(_Refused)
    async def refused(request: Request, error: _Refused) -> JSONResponse:
        return JSONResponse({"error": error.message}, status_code=error.status)

    @app.exception_handler(ReportInputError)
    async def bad_query(request: Request, error: ReportInputError) -> JSONResponse:
        return JSONResponse({"error": str(error)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def bad_body(request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "the body must be a JSON object"}, status_code=400)

    @app.exception_handler(prepayments.PrepaymentQueryError)
    async def bad_prepayment_query(
        request: Request, error: prepayments.PrepaymentQueryError
    ) -> JSONResponse:
        return JSONResponse({"error": str(error)}, status_code=400)

    def parameters(request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
        for name in request.query_params:
            if name not in allowed:
                raise prepayments.PrepaymentQueryError(f"{name}: not a parameter of this list")
        return dict(request.query_params)

    def read(work: Any, *args: Any, **kwargs: Any) -> Any:
        with engine.connect() as connection:
            return work(connection, *args, **kwargs)

    def not_found(what: str) -> JSONResponse:
        return JSONResponse({"error": f"{what} is not known"}, status_code=404)

    @app.get(PREPAYMENT)
    async def prepayment_list(request: Request) -> JSONResponse:
        owner = await run_in_threadpool(authenticate, request)
        given = parameters(request, _LIST_PARAMETERS)
        answer = await run_in_threadpool(
            read,
            prepayments.prepayment_list,
            owner.shop_id,
            search=given.get("search"),
            filter_expression=given.get("filter"),
            order=given.get("order"),
            limit=given.get("limit"),
            offset=given.get("offset"),
        )
        return JSONResponse(answer)

    @app.get(PREPAYMENT + "/{receipt_id}")
    async def prepayment(request: Request, receipt_id: str) -> JSONResponse:
        owner = await run_in_threadpool(authenticate, request)
        parameters(request, ("expand",))
        found = await run_in_threadpool(read, prepayments.one_prepayment, owner.shop_id, receipt_id)
        return not_found(f"prepayment {receipt_id}") if found is None else JSONResponse(found)

    @app.get(PREPAYMENT + "/{receipt_id}/positions")
    async def prepayment_positions(request: Request, receipt_id: str) -> JSONResponse:
        owner = await run_in_threadpool(authenticate, request)
        given = parameters(request, _POSITION_PARAMETERS)
        found = await run_in_threadpool(
            read,
            prepayments.positions,
            owner.shop_id,
            receipt_id,
            limit=given.get("limit"),
            offset=given.get("offset"),
        )
        return not_found(f"prepayment {receipt_id}") if found is None else JSONResponse(found)

    @app.get(PREPAYMENT + "/{receipt_id}/positions/{position_id}")
    async def prepayment_position(
        request: Request, receipt_id: str, position_id: str
    ) -> JSONResponse:
        owner = await run_in_threadpool(authenticate, request)
        parameters(request, ("expand",))
        found = await run_in_threadpool(
            read, prepayments.one_position, owner.shop_id, receipt_id, position_id
        )
        if found is None:
            return not_found(f"position {position_id} of prepayment {receipt_id}")
        return JSONResponse(found)

    @app.post("/v1/docs/aggregations/receipts")
    async def receipts(request: Request) -> JSONResponse:
        owner = await run_in_threadpool(authenticate, request)
        try:
            body = await request.json()
        except ValueError:
            raise _Refused(400, "the body must be a JSON object") from None
        if not isinstance(body, dict):
            raise _Refused(400, "the body must be a JSON object")
        answer = await run_in_threadpool(receipts_answer, engine, owner, body)
        return JSONResponse(answer)

    return app
