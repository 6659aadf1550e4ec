"""One offline transaction the server refuses does not block the rest: it is set aside with the
server's own text for the manager, and the upload goes on (issue: Upload)."""

from __future__ import annotations

from datetime import UTC, datetime

from pos.checkbox.network_switch import NetworkSwitch
from pos.journal.records import NewReceipt, ReceiptLine, ReceiptPayment, ReceiptState
from pos.register.connectivity import ConnectivityState
from pos.register.fiscalise import ensure_go_offline, offline_payload
from pos.register.service import RegisterService

from .conftest import sell_bread


async def test_a_refused_offline_receipt_is_set_aside_and_the_rest_uploaded(
    offline_register: tuple[RegisterService, NetworkSwitch],
) -> None:
    service, switch = offline_register
    first = await sell_bread(service)
    # A receipt that slipped past the local checks (paid less than its total), issued offline.
    shift = service.current_shift()
    assert shift is not None
    broken = NewReceipt(
        id="0c6b8d3e-6a55-4f7e-9b0e-2d8f0f7a1b11",
        type="SELL",
        total_sum=3490,
        created_at=datetime.now(UTC),
        lines=(ReceiptLine("1", "Хліб", 3490, 1000, 3490, (8,)),),
        payments=(ReceiptPayment("CASHLESS", 100, "Картка"),),
        total_payment=100,
        shift_id=shift.id,
    )
    ensure_go_offline(service.ctx)
    service.journal.receipts.commit(
        broken, offline_at=datetime.now(UTC), payload=offline_payload(broken, service.ctx)
    )
    last = await sell_bread(service)
    switch.cut = False
    status = await service.sync(wait=True, give_up_after=60)
    assert status.state is ConnectivityState.ONLINE
    assert status.set_aside == 1
    [aside] = service.set_aside()
    assert aside.subject_id == broken.id
    assert aside.error is not None
    assert aside.error.startswith("Сума платежів не може бути меншою")
    refused = service.receipt(broken.id)
    assert refused is not None
    assert refused.state is ReceiptState.FAILED
    code = service.journal.codes.get(aside.fiscal_code or "")
    assert code is not None
    assert code.state.value == "burned"  # it was printed: never used again
    for receipt_id in (first, last):
        receipt = service.receipt(receipt_id)
        assert receipt is not None
        assert receipt.state is ReceiptState.UPLOADED
