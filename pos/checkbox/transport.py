"""The one place HTTP happens: headers, rate limits, error mapping, safe retries, re-sign-in.

Why: every endpoint must get the same care (required headers, client-side limits, typed
errors, backoff, one transparent re-sign-in), and none of it may be forgotten by one endpoint.
Endpoint coroutines (``client``, ``visualisation``) describe *what* to call; this class decides
*how*. It never resends a request that may have reached the server unless the caller marked it
safe to repeat; creates get exactly-once treatment in ``exactly_once`` instead.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import SecretStr

import pos
from pos.checkbox.errors import (
    AttemptsExceeded,
    CheckboxError,
    CodeRequestsBlocked,
    ConnectionFailed,
    InvalidToken,
    NotAuthenticated,
    RateLimited,
    ReceiptBeingCreated,
    ServiceUnavailable,
    error_from_response,
)
from pos.checkbox.models import AccessToken, SignIn, SignInPinCode
from pos.checkbox.ratelimit import Clock, Limit, RegisterLimiter, Sleep
from pos.checkbox.retry import RetryPolicy
from pos.checkbox.session import PasswordSignIn, PinSignIn, Session

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)


class CheckboxTransport:
    """An ``httpx.AsyncClient`` with Checkbox's headers, limits, errors and retry rules."""

    def __init__(
        self,
        base_url: str,
        session: Session | None = None,
        *,
        client_name: str = pos.CLIENT_NAME,
        client_version: str = pos.__version__,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        rate_limits: bool = True,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        root = base_url.rstrip("/")
        if not root.endswith(API_PREFIX):
            root += API_PREFIX
        self.session = session or Session()
        self.retry = retry or RetryPolicy()
        self.clock = clock
        self.sleep = sleep
        self.limiter = RegisterLimiter(clock, sleep, enabled=rate_limits)
        self._http = httpx.AsyncClient(
            base_url=root,
            transport=transport,
            timeout=timeout,
            headers={
                "X-Client-Name": client_name,
                "X-Client-Version": client_version,
                "Accept": "application/json",
            },
        )
        self._sign_in_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._http.base_url!s}, {self.session!r})"

    async def __aenter__(self) -> CheckboxTransport:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- sign-in ----------------------------------------------------------------------------
    async def sign_in(self) -> AccessToken:
        """Sign in with the session's credentials and keep the token."""
        credentials = self.session.credentials
        if isinstance(credentials, PinSignIn):
            path, body = (
                "/cashier/signinPinCode",
                SignInPinCode(pin_code=credentials.pin_code).to_api(),
            )
        elif isinstance(credentials, PasswordSignIn):
            path = "/cashier/signin"
            body = SignIn(login=credentials.login, password=credentials.password).to_api()
        else:
            raise NotAuthenticated("Not authenticated")
        answer = await self.call("POST", path, json=body, auth=False, safe=True)
        token = AccessToken.model_validate(answer)
        self.session.set_token(token.access_token)
        return token

    async def _re_sign_in(self, rejected: SecretStr | None) -> None:
        async with self._sign_in_lock:
            if self.session.token is not None and self.session.token != rejected:
                return  # another task already signed in again
            log.info("Checkbox rejected the token; signing in again")
            await self.sign_in()

    # --- the call ---------------------------------------------------------------------------
    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int | bool] | None = None,
        limit: Limit = Limit.OTHER,
        safe: bool = False,
        auth: bool = True,
        raw: bool = False,
        accept: str | None = None,
        http_seconds: float | None = None,
    ) -> Any:
        """Send one request; return the decoded JSON (or the response body if ``raw``).

        ``safe`` marks a call that may be repeated after it possibly reached the server (reads,
        sign-in, pings). Any call is repeated when it surely did not reach the server (connect
        failed), after a 429 that names a wait within ``retry.max_rate_wait``, and once after a
        rejected token. ``http_seconds`` replaces the client's own timeout for this call.
        """
        retries = 0
        signed_in_again = False
        while True:
            await self.limiter.acquire(limit)
            token = self.session.token
            try:
                error = await self._send(method, path, json, params, auth, accept, http_seconds)
            finally:
                self.limiter.release()
            if isinstance(error, httpx.Response):
                return _decode(error, raw)
            if isinstance(error, InvalidToken | NotAuthenticated) and auth:
                if not signed_in_again and self.session.can_sign_in:
                    signed_in_again = True
                    await self._re_sign_in(token)
                    continue
                raise error
            if isinstance(error, RateLimited) and not isinstance(error, CodeRequestsBlocked):
                wait = error.retry_after
                if isinstance(error, ReceiptBeingCreated):
                    wait = wait if wait is not None else self.retry.delay(retries)
                else:  # the guide: the register's requests are blocked for that time
                    self.limiter.block(None, wait if wait is not None else 1.0)
                if (
                    not isinstance(error, AttemptsExceeded)
                    and (wait is None or wait <= self.retry.max_rate_wait)
                    and self.retry.allows(retries)
                ):
                    if isinstance(error, ReceiptBeingCreated) or not self.limiter.enabled:
                        await self.sleep(wait if wait is not None else 1.0)
                    retries += 1
                    continue
                raise error
            if isinstance(error, ServiceUnavailable) and self.retry.allows(retries):
                surely_unsent = isinstance(error, ConnectionFailed) and not error.maybe_sent
                if safe or surely_unsent:
                    await self.sleep(self.retry.delay(retries))
                    retries += 1
                    continue
            raise error

    async def _send(
        self,
        method: str,
        path: str,
        json: Any,
        params: Mapping[str, str | int | bool] | None,
        auth: bool,
        accept: str | None,
        http_seconds: float | None = None,
    ) -> httpx.Response | CheckboxError:
        """Send once: the 2xx response, or the failure as a typed error (returned, not raised)."""
        headers = self.session.headers(auth=auth)
        if accept is not None:
            headers["Accept"] = accept
        query = {k: _query_value(v) for k, v in params.items()} if params else None
        try:
            response = await self._http.request(
                method,
                path,
                json=json,
                params=query,
                headers=headers,
                timeout=httpx.USE_CLIENT_DEFAULT if http_seconds is None else http_seconds,
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            return ConnectionFailed(f"Немає з'єднання з Checkbox ({type(exc).__name__})", False)
        except httpx.TransportError as exc:  # read/write errors and timeouts after sending
            return ConnectionFailed(f"Зв'язок з Checkbox перервано ({type(exc).__name__})", True)
        if response.status_code < 400:
            return response
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        error = error_from_response(response.status_code, body, response.headers.get("Retry-After"))
        log.warning("Checkbox %s %s → %s %s", method, path, response.status_code, error.message)
        return error


def _query_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _decode(response: httpx.Response, raw: bool) -> Any:
    if raw:
        return response
    if not response.content:
        return None
    return response.json()
