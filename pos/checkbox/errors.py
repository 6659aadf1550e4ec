"""Every failure the Checkbox API can answer, as a typed exception.

Why: the register layer decides what to do from the *kind* of failure (re-sign-in, wait, go
offline, burn an offline code, show the cashier the text), never by parsing strings itself. The
mapping below follows the seed's error table, status code and text; the text a cashier sees is
always the server's own (``message``). Exception texts never contain secrets: they are built from
the server's message only, and the server never echoes a token, PIN or license key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


class CheckboxError(Exception):
    """A failure answered by Checkbox (or by the way to it). ``message`` is the server's text."""

    def __init__(self, message: str, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body

    def __str__(self) -> str:
        return self.message


# --- families -------------------------------------------------------------------------------
class AuthError(CheckboxError):
    """The cashier is not (or no longer) signed in, or the credentials are wrong."""


class LicenseError(CheckboxError):
    """The register's license key is wrong."""


class BlockedError(CheckboxError):
    """The cashier, the register or the organisation is blocked, frozen or deactivated."""


class ShiftError(CheckboxError):
    """The shift is not in a state that allows the request."""


class OfflineError(CheckboxError):
    """A rule of offline mode or offline fiscal codes was broken."""


class ReceiptError(CheckboxError):
    """A receipt request was refused."""


class PaymentRuleError(ReceiptError):
    """The payments do not fit the receipt total (the seed's payment-sum rules)."""


class ReturnRuleError(ReceiptError):
    """A return does not fit the sale it refers to."""


class OrderError(CheckboxError):
    """An order (``order_id``) problem."""


class ConflictError(CheckboxError):
    """409: another integration or device owns the shift/register."""


class RequestRejected(CheckboxError):
    """Any other 4xx the table does not name specially."""


class RateLimited(CheckboxError):
    """The server says wait: ``retry_after`` seconds (None if it named no time)."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status, body)
        self.retry_after = retry_after


class ServiceUnavailable(CheckboxError):
    """503/524 or no connection: Checkbox itself is unreachable or busy. Safe calls are retried."""


# --- auth and license -----------------------------------------------------------------------
class InvalidToken(AuthError):
    """401 "Невірний токен доступу": sign in again."""


class NotAuthenticated(AuthError):
    """403 "Not authenticated": no (valid) token was sent."""


class InvalidPin(AuthError):
    """403 "Невірний пінкод"."""


class InvalidCredentials(AuthError):
    """403 "Невірний логін або пароль"."""


class InvalidAccessKey(AuthError):
    """403 "Невірний ключ доступу" (integration key)."""


class TestCashierOnRealRegister(AuthError):
    """403 "Тестовий касир не може працювати з реальною касою"."""

    __test__ = False  # not a pytest class


class CashierKeyExpired(AuthError):
    """403 "Термін дії ключа закінчився …"."""


class InvalidLicenseKey(LicenseError):
    """401 "Невірний ключ ліцензії каси"."""


class CashierDeactivated(BlockedError):
    """403 "Доступ заборонено, оскільки касира деактивовано"."""


class CashierBlocked(BlockedError):
    """403 "Касира заблоковано: <причина>"."""


class RegisterBlocked(BlockedError):
    """403 "Доступ заборонено, оскільки касу заблоковано"."""


class RegisterFrozen(BlockedError):
    """403 "Касу заблоковано через відсутність чеків за попередній період …"."""


class InvoiceUnpaid(BlockedError):
    """403 "Для видачі чеків, будь ласка, оплатіть рахунок за користування касами."."""


class ClientOutdated(CheckboxError):
    """405: X-Client-Name missing or the signing agent is outdated."""


# --- shift ----------------------------------------------------------------------------------
class ShiftNotOpen(ShiftError):
    """400 "Зміну не відкрито"."""


class ShiftOpening(ShiftError):
    """400 "Зміну не відкрито, потрібно дочекатись завершення відкриття": wait and retry."""


class ShiftTooOld(ShiftError):
    """400 "Зміну відкрито понад 24 години тому …": close it (Z report) and open a new one."""


class CashierAlreadyWorking(ShiftError):
    """400 "Касир вже працює з даною касою": a shift is already open."""


class CashierOnOtherRegister(ShiftError):
    """400 "Касир вже працює з іншою касою"."""


class RegisterBusy(ShiftError):
    """400 "Каса зайнята іншим касиром"."""


class UnfinishedTransactions(ShiftError):
    """400 "Знайдено ще неопрацьовані транзакції …": wait and retry."""


class FirstShiftOnline(ShiftError):
    """400: the first shift of a register must be opened online."""


class SignatureInactive(ShiftError):
    """400 "CheckBox Підпис неактивний, запустіть його, будь ласка"."""


class ShiftOpenedElsewhere(ConflictError):
    """409 "Зміну відкрито за допомогою CheckBox Kasa …"."""


class DeviceConflict(ConflictError):
    """409 "Каса вже використовується іншим ID агента …"."""


# --- offline --------------------------------------------------------------------------------
class AlreadyOffline(OfflineError):
    """400 "Каса вже в режимі оффлайн"."""


class CodesOnlyOnline(OfflineError):
    """400 "Codes can be asked only if cash register is online!"."""


class NotManualOffline(OfflineError):
    """400 "Cash register should be in manual offline mode!" (sell-offline while online)."""


class OfflineCodeUsed(OfflineError):
    """400 "Offline code '<code>' was used before!": burn ``code`` and take the next one."""

    @property
    def code(self) -> str | None:
        match = re.search(r"Offline code '([^']*)'", self.message)
        return match.group(1) if match else None


class OfflineCodeUnknown(OfflineError):
    """400: the offline code was never issued to this register."""


class FiscalDateTooEarly(OfflineError):
    """400 "Вказана дата транзакції … не може бути меншою, ніж дата … останньої транзакції …"."""


class OfflineLimitExceeded(OfflineError):
    """400: with that fiscal date the offline period would exceed 36 h."""


class CodeRequestsBlocked(OfflineError, RateLimited):
    """6 of the last 10 transactions were code requests: code requests are blocked."""


class TaxServiceUnavailable(OfflineError):
    """The tax service (ДПС) did not answer (gRPC "Deadline Exceeded")."""


# --- receipts -------------------------------------------------------------------------------
class ReceiptIdExists(ReceiptError):
    """400 "Вказаний id чеку вже існує": the server already has this receipt."""


class NotFound(RequestRejected):
    """404: no object with that id."""


class ReceiptNotFound(ReceiptError, NotFound):
    """400 "Receipt not found" (or 404 for an unknown id)."""


class PreviousReceiptMismatch(ReceiptError):
    """400 "id попереднього чеку відрізняється від останнього збереженого чеку"."""


class NotFiscalisedYet(ReceiptError):
    """400: visualisation of a receipt (or report) that is not yet DONE/fiscalised."""


class NotEnoughCash(ReceiptError):
    """400 "Неможливо виконати операцію, оскільки в касі недостатньо коштів …"."""


class PaymentsLessThanTotal(PaymentRuleError):
    """400 "Сума платежів не може бути меншою ніж сума чеку"."""


class ReturnPaymentsMismatch(PaymentRuleError):
    """400 "Сума платежів повинна дорівнювати сумі чеку повернення (…)"."""


class TotalNotPositive(PaymentRuleError):
    """400 "Загальна сума чеку має бути більшою нуля"."""


class ChangeOnCashless(PaymentRuleError):
    """400 "Решта не може бути використана для безготівкової оплати (…)"."""


class MixedReceipt(ReturnRuleError):
    """400 "Неможливо створювати чеки змішаного типу (одночасний продаж та повернення)"."""


class UnknownReturnGoods(ReturnRuleError):
    """400 "Товарів з кодами: … не існує у чеку продажу"."""


class ReturnExceedsSale(ReturnRuleError):
    """400 "Товарів з кодами: … більше, ніж у чеку продажу"."""


class AlreadyFullyReturned(ReturnRuleError):
    """400 "Товари чеку вже були повністю повернені"."""


class CurrencyExchangeOnly(ReceiptError):
    """400: this receipt type needs a currency-exchange register (or a rate is not set)."""


class SmsGatewayInactive(ReceiptError):
    """400 "SMS шлюз не активовано для організації"."""


class UnknownOrder(OrderError):
    """400 "Вказано невідомий ідентифікатор замовлення"."""


class OrderClosed(OrderError):
    """400: the order was cancelled, is already done, or cannot be closed without a receipt."""


class StockError(ReceiptError):
    """400 "Облік товарів: …" (stock accounting on the Checkbox side)."""


class OrganisationMismatch(RequestRejected):
    """400 "Організація касира не відноситься до переданих організацій"."""


class BodyNotParsed(RequestRejected):
    """400 "There was an error parsing the body"."""


class AttemptsExceeded(RateLimited):
    """400 "Максимальну кількість спроб перевищено, повторіть через N секунд"."""


class ReceiptBeingCreated(RateLimited):
    """429 "Вказаний чек створюється, повторіть запит пізніше" on GET /receipts/{id}."""


class ValidationFailed(CheckboxError):
    """422: the body did not validate; ``details`` is FastAPI's list of problems."""

    @property
    def details(self) -> list[dict[str, Any]]:
        if isinstance(self.body, dict) and isinstance(self.body.get("detail"), list):
            return [item for item in self.body["detail"] if isinstance(item, dict)]
        return []


class Maintenance(ServiceUnavailable):
    """503 "Maintenance work till …"."""


class GatewayTimeout(ServiceUnavailable):
    """524 "524 Timeout Occured": the server may or may not have processed the request."""


class ConnectionFailed(ServiceUnavailable):
    """No answer at all: connect refused, connection dropped, or timed out.

    ``maybe_sent`` is False only when the request surely never left (connect failed); then a
    resend is safe even for a create call.
    """

    def __init__(self, message: str, maybe_sent: bool) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent


class AmbiguousOutcome(CheckboxError):
    """A create request may or may not have reached Checkbox and Checkbox cannot be asked.

    The register layer fiscalises offline under the same ``object_id`` (DESIGN, "The ambiguous
    receipt"); at upload "id already exists" settles it in the server's favour.
    """

    def __init__(self, object_id: str, cause: BaseException | None = None) -> None:
        super().__init__(f"Невідомо, чи дійшов запит до Checkbox (id {object_id})")
        self.object_id = object_id
        self.cause = cause


# --- mapping --------------------------------------------------------------------------------
Match = Callable[[str], bool]


def _is(text: str) -> Match:
    return lambda message: message.strip().rstrip("'").rstrip(".") == text.rstrip(".")


def _starts(text: str) -> Match:
    return lambda message: message.startswith(text)


def _has(text: str) -> Match:
    return lambda message: text in message


_TABLE: list[tuple[frozenset[int], Match, type[CheckboxError]]] = [
    # 401 / 403 / 405 / 409
    (frozenset({401}), _has("ключ ліцензії"), InvalidLicenseKey),
    (frozenset({401, 403}), _has("Невірний токен доступу"), InvalidToken),
    (frozenset({401, 403}), _is("Not authenticated"), NotAuthenticated),
    (frozenset({403}), _has("Невірний пінкод"), InvalidPin),
    (frozenset({403}), _has("Тестовий касир не може"), TestCashierOnRealRegister),
    (frozenset({403}), _has("Невірний логін або пароль"), InvalidCredentials),
    (frozenset({403}), _has("Невірний ключ доступу"), InvalidAccessKey),
    (frozenset({403}), _starts("Термін дії ключа закінчився"), CashierKeyExpired),
    (frozenset({403}), _has("касира деактивовано"), CashierDeactivated),
    (frozenset({403}), _starts("Касира заблоковано"), CashierBlocked),
    (frozenset({403}), _has("оскільки касу заблоковано"), RegisterBlocked),
    (frozenset({403}), _starts("Касу заблоковано через відсутність чеків"), RegisterFrozen),
    (frozenset({403}), _has("оплатіть рахунок"), InvoiceUnpaid),
    (frozenset({409}), _has("CheckBox Kasa"), ShiftOpenedElsewhere),
    (frozenset({409}), _has("іншим ID агента"), DeviceConflict),
    # 400: offline
    (frozenset({400}), _is("Каса вже в режимі оффлайн"), AlreadyOffline),
    (frozenset({400}), _has("Codes can be asked only if cash register is online"), CodesOnlyOnline),
    (frozenset({400}), _has("should be in manual offline mode"), NotManualOffline),
    (frozenset({400}), _has("was used before"), OfflineCodeUsed),
    (frozenset({400}), _has("[offline_mode_exception#error] Offline code"), OfflineCodeUnknown),
    (frozenset({400}), _starts("Вказана дата транзакції"), FiscalDateTooEarly),
    (frozenset({400}), _has("більшим ніж дозволено"), OfflineLimitExceeded),
    (frozenset({400, 429}), _starts("Запити офлайн кодів заблоковано"), CodeRequestsBlocked),
    (frozenset({400, 502, 504}), _has("DEADLINE_EXCEEDED"), TaxServiceUnavailable),
    # 400: shift
    (frozenset({400}), _is("Зміну не відкрито"), ShiftNotOpen),
    (frozenset({400}), _has("дочекатись завершення відкриття"), ShiftOpening),
    (frozenset({400}), _has("понад 24 години"), ShiftTooOld),
    (frozenset({400}), _is("Касир вже працює з даною касою"), CashierAlreadyWorking),
    (frozenset({400}), _is("Касир вже працює з іншою касою"), CashierOnOtherRegister),
    (frozenset({400}), _is("Каса зайнята іншим касиром"), RegisterBusy),
    (frozenset({400}), _starts("Знайдено ще неопрацьовані транзакції"), UnfinishedTransactions),
    (frozenset({400}), _starts("Перше відкриття зміни"), FirstShiftOnline),
    (frozenset({400}), _starts("CheckBox Підпис неактивний"), SignatureInactive),
    # 400: receipts and reports
    (frozenset({400}), _starts("Візуалізація не фіскалізованого чеку"), NotFiscalisedYet),
    (frozenset({400}), _starts("Звіт ще не був фіскалізований"), NotFiscalisedYet),
    (frozenset({400}), _has("недостатньо коштів"), NotEnoughCash),
    (frozenset({400}), _is("Вказаний id чеку вже існує"), ReceiptIdExists),
    (frozenset({400, 404}), _is("Receipt not found"), ReceiptNotFound),
    (frozenset({400}), _starts("id попереднього чеку відрізняється"), PreviousReceiptMismatch),
    (frozenset({400}), _starts("Сума платежів не може бути меншою"), PaymentsLessThanTotal),
    (frozenset({400}), _starts("Сума платежів повинна дорівнювати"), ReturnPaymentsMismatch),
    (frozenset({400}), _starts("Загальна сума чеку має бути більшою нуля"), TotalNotPositive),
    (frozenset({400}), _starts("Решта не може бути використана"), ChangeOnCashless),
    (frozenset({400}), _has("не існує у чеку продажу"), UnknownReturnGoods),
    (frozenset({400}), _has("більше, ніж у чеку продажу"), ReturnExceedsSale),
    (frozenset({400}), _starts("Неможливо створювати чеки змішаного типу"), MixedReceipt),
    (frozenset({400}), _starts("Товари чеку вже були повністю повернені"), AlreadyFullyReturned),
    (frozenset({400}), _has("ПРРО обміну валют"), CurrencyExchangeOnly),
    (frozenset({400}), _starts("Курс для валюти"), CurrencyExchangeOnly),
    (frozenset({400}), _starts("SMS шлюз не активовано"), SmsGatewayInactive),
    (frozenset({400}), _starts("Вказано невідомий ідентифікатор замовлення"), UnknownOrder),
    (frozenset({400}), _starts("Вказане замовлення"), OrderClosed),
    (frozenset({400}), _starts("Замовлення не можна закрити"), OrderClosed),
    (frozenset({400}), _starts("Облік товарів"), StockError),
    (frozenset({400}), _starts("Організація касира не відноситься"), OrganisationMismatch),
    (frozenset({400}), _has("error parsing the body"), BodyNotParsed),
    (frozenset({400}), _starts("Максимальну кількість спроб перевищено"), AttemptsExceeded),
    (frozenset({429}), _starts("Вказаний чек створюється"), ReceiptBeingCreated),
]

_SECONDS = re.compile(r"через\s+(\d+(?:[.,]\d+)?)\s*секунд")


def message_of(body: Any, fallback: str) -> str:
    """The server's text from an error body: ``message``, or a string ``detail``."""
    if isinstance(body, dict):
        for key in ("message", "detail"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
        if isinstance(body.get("detail"), list):
            return "; ".join(
                str(item.get("msg", item)) if isinstance(item, dict) else str(item)
                for item in body["detail"]
            )
    if isinstance(body, str) and body.strip():
        return body.strip()
    return fallback


def retry_after_of(message: str, header: str | None) -> float | None:
    """Seconds to wait: from the message ("через N секунд") or a Retry-After header."""
    match = _SECONDS.search(message)
    if match:
        return float(match.group(1).replace(",", "."))
    if header:
        try:
            return float(header)
        except ValueError:
            return None
    return None


def error_from_response(
    status: int, body: Any, retry_after_header: str | None = None
) -> CheckboxError:
    """The typed exception for an error answer (status ≥ 400) and its decoded body."""
    message = message_of(body, fallback=f"HTTP {status}")
    for statuses, matches, kind in _TABLE:
        if status in statuses and matches(message):
            if issubclass(kind, RateLimited):
                return kind(message, status, body, retry_after_of(message, retry_after_header))
            return kind(message, status, body)
    if status == 422:
        return ValidationFailed(message, status, body)
    if status == 429:
        return RateLimited(message, status, body, retry_after_of(message, retry_after_header))
    if status == 524:
        return GatewayTimeout(message, status, body)
    if status == 503:
        if message.startswith("Maintenance"):
            return Maintenance(message, status, body)
        return ServiceUnavailable(message, status, body)
    if status in (502, 504):
        return ServiceUnavailable(message, status, body)
    if status == 401:
        return AuthError(message, status, body)
    if status == 403:
        return BlockedError(message, status, body)
    if status == 404:
        return NotFound(message, status, body)
    if status == 405:
        return ClientOutdated(message, status, body)
    if status == 409:
        return ConflictError(message, status, body)
    if status >= 500:
        return ServiceUnavailable(message, status, body)
    return RequestRejected(message, status, body)
