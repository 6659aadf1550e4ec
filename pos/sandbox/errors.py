"""Errors the sandbox answers with, in the body shape the real service uses.

Business errors are `{"message": "<text>"}` with the seed's own words; 422 stays FastAPI's
standard `{"detail": [...]}` body, because the real API is a FastAPI application too.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from pos.domain.errors import FiscalRuleError


class ApiError(Exception):
    """An answer other than success: HTTP status and the server's text."""

    def __init__(self, status_code: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.headers = headers


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


NOT_AUTHENTICATED = "Not authenticated"
BAD_TOKEN = "Невірний токен доступу"
BAD_LICENSE = "Невірний ключ ліцензії каси"
BAD_PIN = "Невірний пінкод"
BAD_LOGIN = "Невірний логін або пароль"
NO_CLIENT_NAME = (
    "Ваша версія агенту підпису застаріла та більше не підтримується, оновіть його будь ласка.\n"
    "Оновлення можна отримати на веб-порталі: https://my.checkbox.in.ua/"
)
SHIFT_NOT_OPENED = "Зміну не відкрито"
SHIFT_OPENING = "Зміну не відкрито, потрібно дочекатись завершення відкриття"
SHIFT_TOO_OLD = (
    "Зміну відкрито понад 24 години тому, для продовження роботи закрийте діючу зміну і "
    "відкрийте нову"
)
CASHIER_ALREADY_HERE = "Касир вже працює з даною касою"
CASHIER_ELSEWHERE = "Касир вже працює з іншою касою"
REGISTER_BUSY = "Каса зайнята іншим касиром"
UNFINISHED_TRANSACTIONS = (
    "Знайдено ще неопрацьовані транзакції у рамках поточної зміни. Зачекайте, будь ласка, "
    "завершення обробки та повторіть запит ще раз або якщо помилка повторюється тривалий час "
    "зверніться в техпідтримку"
)
NOT_FISCALISED = (
    "Візуалізація не фіскалізованого чеку неможлива, зачекайте доки чек буде фіскалізовано і "
    "повторіть запит."
)
REPORT_NOT_FISCALISED = "Звіт ще не був фіскалізований в ДПС"
RECEIPT_EXISTS = "Вказаний id чеку вже існує"
RECEIPT_NOT_FOUND = "Receipt not found"
PREVIOUS_MISMATCH = "id попереднього чеку відрізняється від останнього збереженого чеку"
ALREADY_OFFLINE = "Каса вже в режимі оффлайн"
SIGNATURE_INACTIVE = "CheckBox Підпис неактивний, запустіть його, будь ласка"
SMS_NOT_ENABLED = "SMS шлюз не активовано для організації"
MAINTENANCE = "Maintenance work till 3:30 GMT+3. Sorry for the inconvenience."
UNAVAILABLE = (
    "503 Service Temporarily Unavailable. We apologise for the inconvenience. Please try again "
    "in 2 minutes. We work hard to make Checkbox the world's best prro software"
)
TIMEOUT_524 = "524 Timeout Occured"
CASHIER_BLOCKED = "Касира заблоковано: {reason}"
KEY_EXPIRED = "Термін дії ключа закінчився {moment}"
REGISTER_BLOCKED = "Доступ заборонено, оскільки касу заблоковано"
UNPAID = "Для видачі чеків, будь ласка, оплатіть рахунок за користування касами."
OTHER_INTEGRATION = (
    "Зміну відкрито за допомогою CheckBox Kasa, виконання дії через іншу інтеграцію призведе до "
    "непередбачуваних помилок в роботі каси"
)
CODES_ONLY_ONLINE = "Codes can be asked only if cash register is online!"
MANUAL_OFFLINE_ONLY = "Cash register should be in manual offline mode!"
OFFLINE_TOO_LONG = (
    "Зі вказаною міткою часу час перебування в офлайн режимі є більшим ніж дозволено (36 год.)"
)
FIRST_SHIFT_ONLINE = "Перше відкриття зміни обов'язково має виконуватись в онлайн режимі"
RECEIPT_CREATING = "Вказаний чек створюється, повторіть запит пізніше"
TOO_MANY_ATTEMPTS = "Максимальну кількість спроб перевищено, повторіть через {seconds} секунд"
CODES_REQUESTS_BLOCKED = (
    "Запити офлайн кодів заблоковано: серед останніх 10 транзакцій каси 6 є запитами кодів"
)
TAX_SERVICE_TIMEOUT = (
    "_InactiveRpcError: <_InactiveRpcError of RPC that terminated with:\n"
    "\tstatus = StatusCode.DEADLINE_EXCEEDED\n"
    '\tdetails = "Deadline Exceeded"\n'
    '\tdebug_error_string = "{"description":"Deadline Exceeded","grpc_status":4}"\n'
    ">"
)


def code_used(code: str) -> str:
    return f"[offline_mode_exception#error] Offline code '{code}' was used before!"


def code_unknown(code: str) -> str:
    return f"[offline_mode_exception#error] Offline code '{code}' was not issued to this register"


def date_before(new: str, last: str) -> str:
    return (
        f"Вказана дата транзакції {new} не може бути меншою, ніж дата створення останньої "
        f"транзакції {last}"
    )


def date_in_future(new: str, now: str) -> str:
    return f"Вказана дата транзакції {new} не може бути більшою, ніж поточний час сервера {now}"


def too_often(seconds: int) -> str:
    return f"Занадто часто виконуються запити, повторіть спробу через {seconds} секунд"


def install_handlers(app: FastAPI) -> None:
    """Map ApiError and the domain's FiscalRuleError to `{"message": ...}` bodies."""

    async def api_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return JSONResponse({"message": exc.message}, exc.status_code, headers=exc.headers)

    async def rule_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, FiscalRuleError)
        return JSONResponse({"message": exc.message}, exc.status_code)

    from fastapi.exceptions import RequestValidationError

    from pos.sandbox.body_guard import BodyGuard, validation_error

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(FiscalRuleError, rule_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_middleware(BodyGuard)
