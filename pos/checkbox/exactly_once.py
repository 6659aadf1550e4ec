"""Exactly-once creation of receipts and shift transitions, and waiting for their final status.

Why: the two worst failures of a fiscal integration are a duplicate receipt after a retried
request and a receipt lost after a timeout (DESIGN invariant 2). The caller generates the UUID
once and stores it before calling; this module guarantees:

* a resend always carries the same id and body;
* a request that may have reached the server (connection dropped after sending, read timeout,
  503/524) is never resent blindly: the object is first looked up by id — found → returned;
  "not found" → the same request is sent again;
* "Вказаний id чеку вже існує" means the server has it: it is fetched and returned;
* when Checkbox cannot be asked either (the lookup fails too), the outcome is genuinely unknown:
  ``AmbiguousOutcome(object_id)`` is raised so the register layer can fiscalise offline under the
  same id; at upload, "id already exists" settles it for the server's copy.

A request that surely never left (connect refused, on every try) raises ``ConnectionFailed`` with
``maybe_sent`` False: nothing was created, nothing is ambiguous.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pos.checkbox.errors import (
    AmbiguousOutcome,
    CashierAlreadyWorking,
    CheckboxError,
    ConnectionFailed,
    NotFound,
    ReceiptBeingCreated,
    ReceiptIdExists,
    ServiceUnavailable,
    ShiftNotOpen,
)
from pos.checkbox.models import CloseShift, OpenShift, Receipt, Shift
from pos.checkbox.models.shift import SHIFT_CLOSED, SHIFT_CLOSING
from pos.checkbox.ratelimit import Limit

if TYPE_CHECKING:
    from pos.checkbox.client import CheckboxClient

T = TypeVar("T")

RESEND_ROUNDS = 3
"""How many times a create is sent in all when each lookup says "not there"."""

FIRST_POLL_DELAY = 0.05
"""The seed: ask about a receipt no earlier than 50 ms after Checkbox received it."""


async def _look_up(fetch: Callable[[], Awaitable[T]], object_id: str) -> T | None:
    """The object if the server has it, None if it surely has not; else AmbiguousOutcome."""
    try:
        return await fetch()
    except NotFound:
        return None
    except ServiceUnavailable as exc:
        raise AmbiguousOutcome(object_id, exc) from exc


async def _create(
    client: CheckboxClient,
    path: str,
    object_id: str,
    body: dict[str, Any],
    limit: Limit,
    fetch: Callable[[], Awaitable[T]],
    parse: Callable[[Any], T],
    already_there: tuple[type[CheckboxError], ...],
) -> T:
    last: CheckboxError | None = None
    for round_ in range(RESEND_ROUNDS):
        if round_:
            await client.sleep(client.retry.delay(round_ - 1))
        try:
            return parse(await client.call("POST", path, json=body, limit=limit))
        except already_there as exc:
            # The server has it (perhaps from our own earlier, unanswered attempt).
            await client.sleep(FIRST_POLL_DELAY)
            found = await _look_up(fetch, object_id)
            if found is not None:
                return found
            raise exc
        except ConnectionFailed as exc:
            if not exc.maybe_sent:
                raise  # surely never sent, on every retry: nothing exists, nothing ambiguous
            last = exc
        except ServiceUnavailable as exc:  # 503 / 524 after sending: it may have been done
            last = exc
        await client.sleep(FIRST_POLL_DELAY)
        found = await _look_up(fetch, object_id)
        if found is not None:
            return found
    assert last is not None
    raise last


async def create_receipt(
    client: CheckboxClient, path: str, receipt_id: str, body: dict[str, Any]
) -> Receipt:
    """POST a receipt body exactly once under ``receipt_id``.

    The lookup after a lost answer is one brief GET (``client.LOOKUP_SECONDS``): a customer
    waits. So a sale waits at most, per round, the POST's timeout + 50 ms + LOOKUP_SECONDS, and
    a further round only when Checkbox said "not there" (``RESEND_ROUNDS`` in all); a lookup
    that fails ends it at once with ``AmbiguousOutcome``."""
    return await _create(
        client,
        path,
        receipt_id,
        body,
        Limit.RECEIPT,
        fetch=lambda: client.receipt(receipt_id, brief=True),
        parse=Receipt.model_validate,
        already_there=(ReceiptIdExists,),
    )


async def open_shift(client: CheckboxClient, body: OpenShift) -> Shift:
    """POST /shifts exactly once under ``body.id``."""
    return await _create(
        client,
        "/shifts",
        body.id,
        body.to_api(),
        Limit.TRANSACTION,
        fetch=lambda: client.shift(body.id),
        parse=Shift.model_validate,
        already_there=(CashierAlreadyWorking,),
    )


async def close_shift(client: CheckboxClient, shift_id: str, body: CloseShift) -> Shift:
    """POST /shifts/close exactly once: a lost answer is settled by the shift's own status."""

    async def closing_or_closed() -> Shift:
        shift = await client.shift(shift_id)
        if shift.status in (SHIFT_CLOSING, SHIFT_CLOSED):
            return shift
        raise NotFound(f"shift {shift_id} is {shift.status}", 404)

    return await _create(
        client,
        "/shifts/close",
        shift_id,
        body.to_api(),
        Limit.TRANSACTION,
        fetch=closing_or_closed,
        parse=Shift.model_validate,
        already_there=(ShiftNotOpen,),
    )


async def _poll(
    client: CheckboxClient,
    fetch: Callable[[], Awaitable[T]],
    done: Callable[[T], bool],
    what: str,
    give_up_after: float,
) -> T:
    deadline = client.clock() + give_up_after
    delay = FIRST_POLL_DELAY
    await client.sleep(delay)
    while True:
        try:
            current = await fetch()
        except ReceiptBeingCreated:
            current = None
        if current is not None and done(current):
            return current
        if client.clock() + delay > deadline:
            raise TimeoutError(f"{what} has no final status after {give_up_after:.0f} s")
        delay = min(delay * 2, 2.0)
        await client.sleep(delay)


async def wait_receipt(
    client: CheckboxClient, receipt_id: str, give_up_after: float = 60.0
) -> Receipt:
    """Poll GET /receipts/{id} (first after 50 ms, then backing off) until a final status."""
    return await _poll(
        client, lambda: client.receipt(receipt_id), lambda r: r.is_final, "receipt", give_up_after
    )


async def wait_shift(
    client: CheckboxClient, shift_id: str, until: frozenset[str], give_up_after: float = 60.0
) -> Shift:
    """Poll GET /shifts/{id} until its status is in ``until`` (e.g. {"OPENED", "CLOSED"})."""
    return await _poll(
        client, lambda: client.shift(shift_id), lambda s: s.status in until, "shift", give_up_after
    )
