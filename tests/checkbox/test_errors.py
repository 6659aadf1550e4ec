"""Every status code and text of the seed's error table maps to its typed exception."""

from __future__ import annotations

import pytest

from pos.checkbox import errors as e

TABLE: list[tuple[int, str, type[e.CheckboxError]]] = [
    (400, "CheckBox Підпис неактивний, запустіть його, будь ласка", e.SignatureInactive),
    (400, "Каса вже в режимі оффлайн", e.AlreadyOffline),
    (400, "Codes can be asked only if cash register is online!", e.CodesOnlyOnline),
    (
        400,
        "Вказана дата транзакції 2023-11-01 не може бути меншою, ніж дата створення останньої "
        "транзакції 2023-11-02",
        e.FiscalDateTooEarly,
    ),
    (
        400,
        "[offline_mode_exception#error] Offline code 'lRvyZSJLrC4' was used before!",
        e.OfflineCodeUsed,
    ),
    (
        400,
        "Зі вказаною міткою часу час перебування в офлайн режимі є більшим ніж дозволено (36 год.)",
        e.OfflineLimitExceeded,
    ),
    (400, "Зміну не відкрито", e.ShiftNotOpen),
    (400, "Зміну не відкрито, потрібно дочекатись завершення відкриття", e.ShiftOpening),
    (
        400,
        "Зміну відкрито понад 24 години тому, для продовження роботи закрийте діючу зміну і "
        "відкрийте нову",
        e.ShiftTooOld,
    ),
    (400, "Касир вже працює з даною касою", e.CashierAlreadyWorking),
    (
        400,
        "Знайдено ще неопрацьовані транзакції у рамках поточної зміни. Зачекайте, будь ласка, "
        "завершення обробки та повторіть запит ще раз або якщо помилка повторюється тривалий час "
        "зверніться в техпідтримку",
        e.UnfinishedTransactions,
    ),
    (
        400,
        "Візуалізація не фіскалізованого чеку неможлива, зачекайте доки чек буде фіскалізовано і "
        "повторіть запит.",
        e.NotFiscalisedYet,
    ),
    (400, "Звіт ще не був фіскалізований в ДПС", e.NotFiscalisedYet),
    (
        400,
        "Неможливо виконати операцію, оскільки в касі недостатньо коштів (100.00 > 50.00)",
        e.NotEnoughCash,
    ),
    (400, "Вказано невідомий ідентифікатор замовлення", e.UnknownOrder),
    (400, "Вказаний id чеку вже існує", e.ReceiptIdExists),
    (400, "Receipt not found", e.ReceiptNotFound),
    (
        400,
        "id попереднього чеку відрізняється від останнього збереженого чеку",
        e.PreviousReceiptMismatch,
    ),
    (400, "Максимальну кількість спроб перевищено, повторіть через 300 секунд", e.AttemptsExceeded),
    (400, "Сума платежів не може бути меншою ніж сума чеку", e.PaymentsLessThanTotal),
    (
        400,
        "Сума платежів повинна дорівнювати сумі чеку повернення (4544.00)",
        e.ReturnPaymentsMismatch,
    ),
    (400, "Загальна сума чеку має бути більшою нуля", e.TotalNotPositive),
    (
        400,
        "Решта не може бути використана для безготівкової оплати (решта = 560.00)",
        e.ChangeOnCashless,
    ),
    (400, "Товарів з кодами: 500 не існує у чеку продажу", e.UnknownReturnGoods),
    (400, "Товарів з кодами: 500 більше, ніж у чеку продажу", e.ReturnExceedsSale),
    (
        400,
        "Неможливо створювати чеки змішаного типу (одночасний продаж та повернення)'",
        e.MixedReceipt,
    ),
    (400, "Товари чеку вже були повністю повернені", e.AlreadyFullyReturned),
    (
        400,
        "Організація касира не відноситься до переданих організацій",
        e.OrganisationMismatch,
    ),
    (400, "There was an error parsing the body", e.BodyNotParsed),
    (400, "Каса зайнята іншим касиром", e.RegisterBusy),
    (
        400,
        "Даний тип чеку можна створювати тільки на ПРРО обміну валют",
        e.CurrencyExchangeOnly,
    ),
    (400, "Курс для валюти 'UAH' не встановлено", e.CurrencyExchangeOnly),
    (400, "Вказане замовлення відмінено", e.OrderClosed),
    (400, "Вказане замовлення вже виконано", e.OrderClosed),
    (400, "Замовлення не можна закрити без фіскалізації", e.OrderClosed),
    (400, "Облік товарів: task not found", e.StockError),
    (400, "Облік товарів: Не знайдено поставок для виконання операції", e.StockError),
    (400, "SMS шлюз не активовано для організації", e.SmsGatewayInactive),
    (400, "Cash register should be in manual offline mode!", e.NotManualOffline),
    (401, "Невірний ключ ліцензії каси", e.InvalidLicenseKey),
    (401, "Невірний токен доступу", e.InvalidToken),
    (403, "Невірний пінкод", e.InvalidPin),
    (403, "Тестовий касир не може працювати з реальною касою", e.TestCashierOnRealRegister),
    (403, "Невірний логін або пароль", e.InvalidCredentials),
    (403, "Невірний ключ доступу", e.InvalidAccessKey),
    (403, "Термін дії ключа закінчився 2024-01-01 00:00:00", e.CashierKeyExpired),
    (403, "Доступ заборонено, оскільки касира деактивовано", e.CashierDeactivated),
    (403, "Касира заблоковано: сертифікат відкликано", e.CashierBlocked),
    (403, "Доступ заборонено, оскільки касу заблоковано", e.RegisterBlocked),
    (
        403,
        "Касу заблоковано через відсутність чеків за попередній період, необхідно сплатити за "
        "послуги користування касою для автоматичного розблокування або залишити заявку на "
        "веб-порталі https://my.checkbox.in.ua",
        e.RegisterFrozen,
    ),
    (
        403,
        "Для видачі чеків, будь ласка, оплатіть рахунок за користування касами.",
        e.InvoiceUnpaid,
    ),
    (403, "Not authenticated", e.NotAuthenticated),
    (
        405,
        "Ваша версія агенту підпису застаріла та більше не підтримується, оновіть його будь ласка."
        "\nОновлення можна отримати на веб-порталі: https://my.checkbox.in.ua/",
        e.ClientOutdated,
    ),
    (
        409,
        "Зміну відкрито за допомогою CheckBox Kasa, виконання дії через іншу інтеграцію призведе "
        "до непередбачуваних помилок в роботі каси",
        e.ShiftOpenedElsewhere,
    ),
    (
        409,
        "Каса вже використовується іншим ID агента. Ймовірно запит виконано з каси дублікату. "
        "Зверніться до підтримки",
        e.DeviceConflict,
    ),
    (429, "Занадто часто виконуються запити, повторіть спробу через 5 секунд", e.RateLimited),
    (429, "Вказаний чек створюється, повторіть запит пізніше", e.ReceiptBeingCreated),
    (503, "Maintenance work till 3:30 GMT+3. Sorry for the inconvenience.", e.Maintenance),
    (
        503,
        "503 Service Temporarily Unavailable. We apologise for the inconvenience. Please try "
        "again in 2 minutes. We work hard to make Checkbox the world's best prro software",
        e.ServiceUnavailable,
    ),
    (524, "524 Timeout Occured", e.GatewayTimeout),
]


@pytest.mark.parametrize(("status", "message", "kind"), TABLE)
def test_table_row_maps_to_its_exception(
    status: int, message: str, kind: type[e.CheckboxError]
) -> None:
    error = e.error_from_response(status, {"message": message})
    assert type(error) is kind
    assert error.message == message  # the cashier sees the server's own text
    assert str(error) == message
    assert error.status == status


def test_plain_text_bodies_are_read_too() -> None:
    error = e.error_from_response(524, "524 Timeout Occured")
    assert isinstance(error, e.GatewayTimeout)
    assert error.message == "524 Timeout Occured"


def test_rate_limit_carries_its_wait() -> None:
    limited = e.error_from_response(
        429, {"message": "Занадто часто виконуються запити, повторіть спробу через 5 секунд"}
    )
    assert isinstance(limited, e.RateLimited)
    assert limited.retry_after == 5
    attempts = e.error_from_response(
        400, {"message": "Максимальну кількість спроб перевищено, повторіть через 300 секунд"}
    )
    assert isinstance(attempts, e.RateLimited)
    assert attempts.retry_after == 300
    header = e.error_from_response(429, {"message": "slow down"}, retry_after_header="7")
    assert isinstance(header, e.RateLimited)
    assert header.retry_after == 7


def test_validation_error_keeps_fastapi_details() -> None:
    body = {
        "detail": [
            {"loc": ["body", "goods", 0, "quantity"], "msg": "field required", "type": "missing"}
        ]
    }
    error = e.error_from_response(422, body)
    assert isinstance(error, e.ValidationFailed)
    assert error.details[0]["loc"] == ["body", "goods", 0, "quantity"]
    assert "field required" in error.message


def test_used_offline_code_is_named() -> None:
    error = e.error_from_response(
        400,
        {"message": "[offline_mode_exception#error] Offline code 'lRvyZSJLrC4' was used before!"},
    )
    assert isinstance(error, e.OfflineCodeUsed)
    assert error.code == "lRvyZSJLrC4"


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, e.RequestRejected),
        (401, e.AuthError),
        (403, e.BlockedError),
        (404, e.NotFound),
        (409, e.ConflictError),
        (500, e.ServiceUnavailable),
    ],
)
def test_unknown_texts_fall_back_by_status(status: int, kind: type[e.CheckboxError]) -> None:
    assert type(e.error_from_response(status, {"message": "щось нове"})) is kind


def test_families_let_callers_catch_broadly() -> None:
    assert issubclass(e.ChangeOnCashless, e.PaymentRuleError)
    assert issubclass(e.ReceiptNotFound, e.NotFound)
    assert issubclass(e.GatewayTimeout, e.ServiceUnavailable)
    assert issubclass(e.CodeRequestsBlocked, e.RateLimited)
    ambiguous = e.AmbiguousOutcome("abc")
    assert ambiguous.object_id == "abc"
