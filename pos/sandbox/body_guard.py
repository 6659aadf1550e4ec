"""Request bodies the real service cannot parse are refused before any route sees them.

The seed's error table: a body the server cannot parse → 400 "There was an error parsing the
body" (`{"message": …}`); a body that parses but fails validation → FastAPI's 422. Python's JSON
reader accepts what JSON does not (NaN, Infinity) and integers of any size, which would reach the
routes and fail later as a 500; here they are a parse error. Where the seed is silent the sandbox
chooses, conservatively: NaN/±Infinity and integers outside the signed 64-bit range are parse
errors (400); a body over 1 MiB is refused with 413 "Request body too large"; an API body that is
not JSON at all is a parse error whatever its content type.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PARSE_ERROR = "There was an error parsing the body"
TOO_LARGE = "Request body too large"
MAX_BODY = 1 << 20
_INT64 = 1 << 63


class _NotJson(ValueError):
    pass


def _constant(name: str) -> Any:
    raise _NotJson(name)


def _integer(text: str) -> int:
    value = int(text)
    if not -_INT64 <= value < _INT64:
        raise _NotJson("integer out of range")
    return value


def parses(body: bytes) -> bool:
    """Whether the real service could read `body` as JSON."""
    try:
        json.loads(body, parse_constant=_constant, parse_int=_integer)
    except (ValueError, RecursionError):
        return False
    return True


class BodyGuard:
    """ASGI middleware: buffer an API (or control) request body; refuse it unparsed, else
    replay it to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not path.startswith(("/api/", "/sandbox/")):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # disconnected: let the app see it
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                await JSONResponse({"message": TOO_LARGE}, 413)(scope, receive, send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        if body.strip() and not parses(body):
            await JSONResponse({"message": PARSE_ERROR}, 400)(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def validation_error(request: Request, exc: Exception) -> Response:
    """FastAPI's own 422, except a body it could not decode, which is the seed's 400."""
    assert isinstance(exc, RequestValidationError)
    if any(e.get("type") == "json_invalid" for e in exc.errors()):
        return JSONResponse({"message": PARSE_ERROR}, 400)
    return await request_validation_exception_handler(request, exc)
