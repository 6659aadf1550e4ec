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
- `go-offline` is refused with 400 "Каса вже в режимі оффлайн" while the register is offline in
  either mode (the error table); `sell-offline` needs manual offline mode.
- Automatic offline mode ends on `go-online` or `ping-tax-service` once the tax service is up
  (nothing runs in the background). Its end (the OFFLINE_END transaction) is dated just after the
  last transaction of the automatic period, not when the tax service was noticed back: the seed
  does not date it, and a client that lost Checkbox meanwhile can then go offline dated at the
  start of its own period (its receipts are dated after the server's last one). A manual period
  ends when go-online is taken. Risk, stated for the integrator: a real server dating it "now"
  would refuse such an upload; `POST /sandbox/config {"auto_offline_end": "now"}` dates it so,
  and the register then keeps every printed receipt as printed and sets the period aside for the
  manager with a CONFLICT note naming the refused go-offline, each code and date
  (tests/scenarios/test_auto_offline_end_dated_now.py).
- Any request of a register (license key, else the cashier token's register): more than 2 in a
  second → 429 "Занадто часто…"; the register is blocked 1 s (5 s when the request creates a
  receipt, like the receipt limit). The seed names no block length. Requests with neither header
  (visualisations) are counted per receipt only.
- Bodies: unparsable JSON, NaN/Infinity and integers beyond signed 64 bits → 400 "There was an
  error parsing the body"; bodies over 1 MiB → 413 "Request body too large"; unknown fields on
  receipt, shift and go-offline bodies → 422 `extra_forbidden`; bounds on sums, quantities and
  string lengths are listed in `receipt_models.py`.
- An offline transaction dated more than 60 s after the server's now is refused (own text: "Вказана
  дата транзакції … не може бути більшою, ніж поточний час сервера …"). Two transactions the server
  dates itself never share a timestamp (each is at least 1 µs after the register's last, so the
  automatic OFFLINE_BEGIN is 1 µs after the receipt that found the tax service down, and dates
  follow the serial/hash-chain order); a client's offline transaction may equal the last date,
  as the seed says "не може бути меншою".
- The ask rule is checked against the latest `ask-offline-codes` call of the register.
- More than 36 h in automatic offline: new online receipts are refused with the 36 h text.
- A shift is past its end when 24 h have passed or Kyiv's calendar day has changed since it
  opened: receipts get 400 "Зміну відкрито понад 24 години тому…" (the seed's text covers both);
  its close (Z-report) is still accepted.
- Service receipts take no fiscal fields and no card data; a cash withdrawal must be a CASHLESS
  payment with `card_mask`, `auth_code`, `rrn` and `terminal`.
- `delivery.phone` is refused with 400 "SMS шлюз не активовано для організації" unless
  `POST /sandbox/config {"sms_enabled": true}`; a phone must be "380" and 9 digits.
- The periodical report's header shows Kyiv calendar days.
- Scheduled faults (`POST /sandbox/faults`, see `faults.py`) are kept in memory only; 524 is
  answered after the request was processed (the answer is lost, the receipt exists); a refused
  transaction's `response_error_message` text is the sandbox's own unless `reason` is given.
- Control routes validate their input (a clock offset beyond ten years → 422).
- The world is touched only by the event loop's thread: every route and dependency is `async`, so
  requests are served one at a time between awaits (no thread shares the SQLite connection).
- The receipt's `/png` is the QR code of its check link (no image library draws text here).
- Prepayment receipts (`/prepayment-receipts…`) are not in the guide at all; what the sandbox
  took from public sources and what it refuses is listed in `prepayment_routes.py`. In short: no
  chain receipt in offline mode; one prepayment receipt per chain; the after-payment
  (`POST /prepayment-receipts/{relation_id}`) must pay at least what is left, else 400 "Сума
  оплати менша за залишок до сплати (<left, kopecks>)" (our text): nothing public documents a
  second advance in a chain, so none is accepted.
"""
