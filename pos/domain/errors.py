"""Receipt rules broken before anything is sent, each with the Checkbox error table's own text.

The cashier sees the same words whether the POS or the server caught the mistake, and the sandbox
answers with exactly these messages.
"""

from __future__ import annotations

from collections.abc import Iterable

from pos.domain.money import format_money


class FiscalRuleError(Exception):
    """A rule of the seed's error table; `message` is the server's exact text."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PaymentsLessThanTotal(FiscalRuleError):
    def __init__(self) -> None:
        super().__init__("Сума платежів не може бути меншою ніж сума чеку")


class ChangeOnCashless(FiscalRuleError):
    def __init__(self, rest: int) -> None:
        super().__init__(
            "Решта не може бути використана для безготівкової оплати "
            f"(решта = {format_money(rest)})"
        )
        self.rest = rest


class MixedReceipt(FiscalRuleError):
    def __init__(self) -> None:
        # The trailing apostrophe is in the seed's table; the server's words are kept as they are.
        super().__init__(
            "Неможливо створювати чеки змішаного типу (одночасний продаж та повернення)'"
        )


class TotalNotPositive(FiscalRuleError):
    def __init__(self) -> None:
        super().__init__("Загальна сума чеку має бути більшою нуля")


class ReturnPaymentsMismatch(FiscalRuleError):
    def __init__(self, total: int) -> None:
        super().__init__(
            f"Сума платежів повинна дорівнювати сумі чеку повернення ({format_money(total)})"
        )
        self.total = total


def _codes(codes: Iterable[str]) -> str:
    return ", ".join(sorted(codes))


class UnknownReturnGoods(FiscalRuleError):
    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = tuple(sorted(codes))
        super().__init__(f"Товарів з кодами: {_codes(self.codes)} не існує у чеку продажу")


class ReturnExceedsSale(FiscalRuleError):
    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = tuple(sorted(codes))
        super().__init__(f"Товарів з кодами: {_codes(self.codes)} більше, ніж у чеку продажу")


class AlreadyFullyReturned(FiscalRuleError):
    def __init__(self) -> None:
        super().__init__("Товари чеку вже були повністю повернені")


class NotEnoughCash(FiscalRuleError):
    def __init__(self, wanted: int, available: int) -> None:
        super().__init__(
            "Неможливо виконати операцію, оскільки в касі недостатньо коштів "
            f"({format_money(wanted)} > {format_money(available)})"
        )
        self.wanted = wanted
        self.available = available


class InvalidReceipt(FiscalRuleError):
    """Input that cannot make a receipt at all (no lines, zero quantity, negative price).

    The real service answers such bodies with 422; the text here is ours, in Ukrainian.
    """

    status_code = 422
