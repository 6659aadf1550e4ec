"""The Checkbox sandbox: an embedded emulator of the Checkbox PRRO API with a simulated tax service.

It is the backend of training mode, of every integration test and of the benchmarks, and it is
strict: what the real service rejects, it rejects with the same status code and text. Only
`pos.domain` is imported from the rest of the project.

Where the seed is silent the sandbox chooses, and says so here:
- List routes (`/cash-registers`, `/shifts`) answer a bare JSON array, as the seed's general
  rules describe list answers.
- A missing `X-License-Key` is treated like a wrong one (401 "Невірний ключ ліцензії каси");
  `X-Client-Version` is optional (the seed's header list calls it optional).
- `GET /receipts/{id}` of an unknown receipt answers 400 "Receipt not found" (the error table).
- A code request blocked by the 6-of-10 rule answers 200 `{"status": "ERROR", "error": …}`
  (the table lists that row as a 200); the texts for a code this register never received, for an
  empty pool, for a cashier with a shift on another register and for a first shift opened offline
  are the sandbox's own (see `errors.py` and `offline.py`).
- Signing is simulated by a delay (default 0.2 s, plus the tax service's latency); states move
  lazily on the next request, so nothing runs in the background.
- `go-offline` on a register in automatic offline mode switches it to manual mode (accepted), so a
  client can upload its own offline period after the server went offline by itself.
- Automatic offline mode ends on `go-online` or `ping-tax-service` once the tax service is up.
- The receipt's `/png` is the QR code of its check link (no image library draws text here).
"""
