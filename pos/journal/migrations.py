"""Numbered schema migrations of the journal file.

A desktop journal is one SQLite file that a shop may keep for years and upgrade across many program
versions, with no DBA around. We use ``PRAGMA user_version`` and an ordered list of migration
functions instead of Alembic: no extra tooling or version table to ship, each step runs in one
``BEGIN IMMEDIATE`` transaction (SQLite DDL is transactional, and so is ``user_version``), and a
backup copy of the file is made before an existing journal is touched. The DDL of every released
version is frozen here as text: never edit a released step, add a new one.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from pos.journal.errors import JournalTooNewError

Migration = Callable[[sqlite3.Connection], None]

# ---- version 1 (frozen) ---------------------------------------------------------------------
_V1: tuple[str, ...] = (
    # Catalogue. Prices in kopecks; tax codes as "1" or "1,5"; unit as the shop writes it (шт, кг…).
    """CREATE TABLE catalogue_item (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
        price INTEGER NOT NULL CHECK (typeof(price) = 'integer' AND price > 0),
        tax_codes TEXT NOT NULL DEFAULT '',
        unit TEXT NOT NULL,
        is_weighed INTEGER NOT NULL DEFAULT 0 CHECK (is_weighed IN (0, 1)),
        is_excise INTEGER NOT NULL DEFAULT 0 CHECK (is_excise IN (0, 1)),
        updated_at INTEGER NOT NULL
    )""",
    """CREATE TABLE item_barcode (
        barcode TEXT PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES catalogue_item(id) ON DELETE CASCADE
    ) WITHOUT ROWID""",
    "CREATE INDEX item_barcode_item ON item_barcode(item_id)",
    # Name search: unicode61 folds case for Cyrillic too ("моло" finds "Молоко").
    """CREATE VIRTUAL TABLE catalogue_name USING fts5(
        name, content='catalogue_item', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER catalogue_item_ai AFTER INSERT ON catalogue_item BEGIN
        INSERT INTO catalogue_name(rowid, name) VALUES (new.id, new.name);
    END""",
    """CREATE TRIGGER catalogue_item_ad AFTER DELETE ON catalogue_item BEGIN
        INSERT INTO catalogue_name(catalogue_name, rowid, name) VALUES ('delete', old.id, old.name);
    END""",
    """CREATE TRIGGER catalogue_item_au AFTER UPDATE OF name ON catalogue_item BEGIN
        INSERT INTO catalogue_name(catalogue_name, rowid, name) VALUES ('delete', old.id, old.name);
        INSERT INTO catalogue_name(rowid, name) VALUES (new.id, new.name);
    END""",
    # Shifts.
    """CREATE TABLE shift (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('opening', 'opened', 'closing', 'closed', 'failed')),
        serial INTEGER,
        is_offline INTEGER NOT NULL DEFAULT 0 CHECK (is_offline IN (0, 1)),
        initial_balance INTEGER NOT NULL DEFAULT 0 CHECK (typeof(initial_balance) = 'integer'),
        opened_at INTEGER,
        closed_at INTEGER,
        open_fiscal_code TEXT,
        open_fiscal_date INTEGER,
        close_fiscal_code TEXT,
        close_fiscal_date INTEGER,
        z_report TEXT,
        server_response TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    )""",
    "CREATE INDEX shift_created ON shift(created_at)",
    # Receipts; every amount an INTEGER in kopecks, quantities in thousandths.
    """CREATE TABLE receipt (
        id TEXT PRIMARY KEY,
        shift_id TEXT REFERENCES shift(id),
        type TEXT NOT NULL CHECK (type IN
            ('SELL', 'RETURN', 'SERVICE_IN', 'SERVICE_OUT', 'CASH_WITHDRAWAL')),
        state TEXT NOT NULL CHECK (state IN ('committed', 'sending', 'done', 'offline_issued',
            'uploaded', 'failed', 'void')),
        is_offline INTEGER NOT NULL DEFAULT 0 CHECK (is_offline IN (0, 1)),
        fiscal_code TEXT,
        fiscal_date INTEGER,
        total_sum INTEGER NOT NULL CHECK (typeof(total_sum) = 'integer'),
        discounts_sum INTEGER NOT NULL DEFAULT 0 CHECK (typeof(discounts_sum) = 'integer'),
        extra_charge_sum INTEGER NOT NULL DEFAULT 0 CHECK (typeof(extra_charge_sum) = 'integer'),
        round_sum INTEGER NOT NULL DEFAULT 0 CHECK (typeof(round_sum) = 'integer'),
        total_payment INTEGER NOT NULL DEFAULT 0 CHECK (typeof(total_payment) = 'integer'),
        rest INTEGER NOT NULL DEFAULT 0 CHECK (typeof(rest) = 'integer'),
        related_receipt_id TEXT REFERENCES receipt(id),
        server_response TEXT,
        error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    )""",
    "CREATE INDEX receipt_created ON receipt(created_at)",
    "CREATE INDEX receipt_shift ON receipt(shift_id)",
    "CREATE INDEX receipt_state ON receipt(state)",
    "CREATE INDEX receipt_fiscal_code ON receipt(fiscal_code)",
    """CREATE TABLE receipt_line (
        receipt_id TEXT NOT NULL REFERENCES receipt(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        barcode TEXT,
        price INTEGER NOT NULL CHECK (typeof(price) = 'integer'),
        quantity INTEGER NOT NULL CHECK (typeof(quantity) = 'integer' AND quantity > 0),
        sum INTEGER NOT NULL CHECK (typeof(sum) = 'integer'),
        tax_codes TEXT NOT NULL DEFAULT '',
        is_return INTEGER NOT NULL DEFAULT 0 CHECK (is_return IN (0, 1)),
        PRIMARY KEY (receipt_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE receipt_payment (
        receipt_id TEXT NOT NULL REFERENCES receipt(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('CASH', 'CASHLESS')),
        value INTEGER NOT NULL CHECK (typeof(value) = 'integer'),
        label TEXT NOT NULL DEFAULT '',
        details TEXT,
        PRIMARY KEY (receipt_id, position)
    ) WITHOUT ROWID""",
    # value: kopecks for mode VALUE, thousandths of a percent for mode PERCENT; sum: kopecks.
    """CREATE TABLE receipt_discount (
        receipt_id TEXT NOT NULL REFERENCES receipt(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        line_position INTEGER,
        type TEXT NOT NULL CHECK (type IN ('DISCOUNT', 'EXTRA_CHARGE')),
        mode TEXT NOT NULL CHECK (mode IN ('VALUE', 'PERCENT')),
        value INTEGER NOT NULL CHECK (typeof(value) = 'integer'),
        sum INTEGER NOT NULL CHECK (typeof(sum) = 'integer'),
        name TEXT NOT NULL DEFAULT '',
        tax_codes TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (receipt_id, position)
    ) WITHOUT ROWID""",
    # Offline fiscal codes: free -> reserved -> used -> uploaded, or burned; never back to free
    # once used or burned (the trigger below makes that a database rule, not a convention).
    """CREATE TABLE offline_code (
        fiscal_code TEXT PRIMARY KEY,
        serial INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'free' CHECK (state IN
            ('free', 'reserved', 'used', 'uploaded', 'burned')),
        used_by TEXT,
        added_at INTEGER NOT NULL,
        changed_at INTEGER NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX offline_code_state ON offline_code(state, serial)",
    """CREATE TRIGGER offline_code_transition BEFORE UPDATE OF state ON offline_code
    WHEN old.state <> new.state AND NOT (
           (old.state = 'free' AND new.state IN ('reserved', 'used', 'burned'))
        OR (old.state = 'reserved' AND new.state IN ('free', 'used', 'burned'))
        OR (old.state = 'used' AND new.state IN ('uploaded', 'burned'))
    )
    BEGIN
        SELECT RAISE(ABORT, 'offline code state cannot go back');
    END""",
    """CREATE TRIGGER offline_code_keep BEFORE DELETE ON offline_code
    WHEN old.state <> 'free'
    BEGIN
        SELECT RAISE(ABORT, 'an offline code that was used or burned is kept forever');
    END""",
    # Offline transactions in issue order; seq never reused (AUTOINCREMENT).
    """CREATE TABLE offline_queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN
            ('go_offline', 'shift_open', 'shift_close', 'receipt', 'go_online')),
        subject_id TEXT NOT NULL,
        fiscal_code TEXT REFERENCES offline_code(fiscal_code),
        fiscal_date INTEGER NOT NULL,
        payload TEXT,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'set_aside')),
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        enqueued_at INTEGER NOT NULL,
        finished_at INTEGER
    )""",
    "CREATE INDEX offline_queue_state ON offline_queue(state, seq)",
    """CREATE TABLE connectivity_transition (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        cause TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX connectivity_transition_at ON connectivity_transition(at)",
    """CREATE TABLE fiscal_clock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_instant INTEGER NOT NULL
    )""",
    """CREATE TABLE setting (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID""",
)

# ---- version 2 (frozen): what the seed's goods carry besides name and price ----------------------
_V2: tuple[str, ...] = (
    # УКТЗЕД code of excise goods (seed: "uktzed": "2204109300").
    "ALTER TABLE catalogue_item ADD COLUMN uktzed TEXT",
    # Excise stamps scanned for a line (seed: "excise_barcodes"), as a JSON array of strings.
    "ALTER TABLE receipt_line ADD COLUMN excise_barcodes TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE receipt_line ADD COLUMN uktzed TEXT",
)


# ---- version 3 (frozen): categories for the selling screen, and prefix search on names --------
_TOP_V3 = "\U0010ffff"  # above every other character
_KEY_V3 = str.maketrans(
    {
        "\u2019": None,  # apostrophes: typographic, modifier letter, ASCII, backtick, acute
        "\u02bc": None,
        "\u2018": None,
        "'": None,
        "`": None,
        "\u00b4": None,
        "ґ": "г" + _TOP_V3,  # after every г…, before д
        "є": "е" + _TOP_V3,  # after every е…, before ж
        "і": "и" + _TOP_V3,  # after every и…
        "ї": "и" + _TOP_V3 + _TOP_V3,  # after every і…, before й
    }
)


def name_key_v3(name: str) -> str:
    """The ``name_key`` of schema 3, a comparison key (not for display) with two jobs:

    - "starts with": a name starts with a typed query exactly when its key lies in
      ``[key(query), key(query) + U+10FFFF)``: NFKC, case folded (SQLite's lower() leaves Cyrillic
      alone), apostrophes dropped ("мясо" finds "М’ясо"), single spaces;
    - order: code-point order of keys is the Ukrainian alphabet's (ґ after г, є after е, і and ї
      after и), which Unicode's is not, so SQL can ORDER BY it and cut a page with LIMIT.

    Frozen with the schema: a different key needs a new migration that recomputes the column."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_KEY_V3)
    return " ".join(folded.split())


_V3: tuple[str, ...] = (
    # The shelf a good belongs to ('' = none), for the selling screen's category buttons.
    "ALTER TABLE catalogue_item ADD COLUMN category TEXT NOT NULL DEFAULT '' "
    "CHECK (length(category) <= 64)",
    # name_key_v3(name), written by the program (SQL cannot fold Cyrillic case).
    "ALTER TABLE catalogue_item ADD COLUMN name_key TEXT NOT NULL DEFAULT ''",
    "UPDATE catalogue_item SET name_key = pos_name_key_v3(name)",
    # "Names starting with ..." is a range scan; a category's first page is an index walk. Both
    # run per keystroke or button press; the price, paid at import, is about twice the write time
    # of a 200,000-good catalogue (FTS included).
    "CREATE INDEX catalogue_item_name_key ON catalogue_item(name_key)",
    "CREATE INDEX catalogue_item_category ON catalogue_item(category, name_key)",
)


# ---- version 4 (frozen): what the manager reports (pos.reports) read, kept by the database ----
# A month of a million-receipt year must be counted, summed and paged by an index alone, so four
# derived columns are kept by triggers (never by the program, so no writer can forget them):
# doc_number, the journal's own number of the document (its rowid: the order of commits, never
# reused since receipts are never deleted); report_at, the receipt's report date (its fiscal date,
# or its commit time while it has none); cash_paid and cashless_paid, the sums of its payments by
# type. Nothing fiscal is derived from them. The covering index answers the receipts report's
# filters, totals and date order (report date, then number: a page is read in index order with no
# sort); the second one numbers a receipt within its shift.
_V4_REPORTS: tuple[str, ...] = (
    "ALTER TABLE receipt ADD COLUMN doc_number INTEGER",
    "ALTER TABLE receipt ADD COLUMN report_at INTEGER",
    "ALTER TABLE receipt ADD COLUMN cash_paid INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE receipt ADD COLUMN cashless_paid INTEGER NOT NULL DEFAULT 0",
    """UPDATE receipt SET
        doc_number = rowid,
        report_at = coalesce(fiscal_date, created_at),
        cash_paid = (SELECT coalesce(sum(value), 0) FROM receipt_payment
                     WHERE receipt_id = receipt.id AND type = 'CASH'),
        cashless_paid = (SELECT coalesce(sum(value), 0) FROM receipt_payment
                         WHERE receipt_id = receipt.id AND type = 'CASHLESS')""",
    """CREATE TRIGGER receipt_report_at_ai AFTER INSERT ON receipt BEGIN
        UPDATE receipt SET doc_number = new.rowid,
            report_at = coalesce(new.fiscal_date, new.created_at)
        WHERE rowid = new.rowid;
    END""",
    """CREATE TRIGGER receipt_report_at_au AFTER UPDATE OF fiscal_date ON receipt BEGIN
        UPDATE receipt SET report_at = coalesce(new.fiscal_date, new.created_at)
        WHERE rowid = new.rowid;
    END""",
    """CREATE TRIGGER receipt_payment_paid_ai AFTER INSERT ON receipt_payment BEGIN
        UPDATE receipt SET
            cash_paid = cash_paid + (CASE WHEN new.type = 'CASH' THEN new.value ELSE 0 END),
            cashless_paid = cashless_paid
                + (CASE WHEN new.type = 'CASHLESS' THEN new.value ELSE 0 END)
        WHERE id = new.receipt_id;
    END""",
    """CREATE TRIGGER receipt_payment_paid_ad AFTER DELETE ON receipt_payment BEGIN
        UPDATE receipt SET
            cash_paid = cash_paid - (CASE WHEN old.type = 'CASH' THEN old.value ELSE 0 END),
            cashless_paid = cashless_paid
                - (CASE WHEN old.type = 'CASHLESS' THEN old.value ELSE 0 END)
        WHERE id = old.receipt_id;
    END""",
    """CREATE TRIGGER receipt_payment_paid_au AFTER UPDATE OF type, value ON receipt_payment BEGIN
        UPDATE receipt SET
            cash_paid = cash_paid - (CASE WHEN old.type = 'CASH' THEN old.value ELSE 0 END),
            cashless_paid = cashless_paid
                - (CASE WHEN old.type = 'CASHLESS' THEN old.value ELSE 0 END)
        WHERE id = old.receipt_id;
        UPDATE receipt SET
            cash_paid = cash_paid + (CASE WHEN new.type = 'CASH' THEN new.value ELSE 0 END),
            cashless_paid = cashless_paid
                + (CASE WHEN new.type = 'CASHLESS' THEN new.value ELSE 0 END)
        WHERE id = new.receipt_id;
    END""",
    """CREATE INDEX receipt_report ON receipt(report_at, doc_number, state, type, total_sum, rest,
        cash_paid, cashless_paid)""",
    "CREATE INDEX receipt_shift_report ON receipt(shift_id, report_at, state)",
)


# ---- version 6: the back office's durable outbox (pos.backoffice) -----------------------------
# Every committed change of a document the shop database copies (a receipt of any type, a shift,
# an offline queue entry: offline periods and set-aside uploads) leaves a row here in the same
# transaction, by trigger, so no code path that commits a document can forget it. The push reads
# rows in seq order, copies each subject's current state and deletes the rows it copied (by seq,
# so a change made meanwhile, which re-inserts its row with a higher seq, waits for the next round).
_V6_BACKOFFICE_OUTBOX: tuple[str, ...] = (
    """CREATE TABLE backoffice_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('receipt', 'shift', 'offline_queue')),
        subject_id TEXT NOT NULL
    )""",
    # One row per document: a later change moves it to the end instead of adding a row, so the
    # outbox stays as small as the number of documents not yet copied.
    "CREATE INDEX backoffice_outbox_subject ON backoffice_outbox(kind, subject_id)",
    """CREATE TRIGGER backoffice_outbox_receipt_ai AFTER INSERT ON receipt BEGIN
        DELETE FROM backoffice_outbox WHERE kind = 'receipt' AND subject_id = new.id;
        INSERT INTO backoffice_outbox(kind, subject_id) VALUES ('receipt', new.id);
    END""",
    """CREATE TRIGGER backoffice_outbox_receipt_au AFTER UPDATE ON receipt BEGIN
        DELETE FROM backoffice_outbox WHERE kind = 'receipt' AND subject_id = new.id;
        INSERT INTO backoffice_outbox(kind, subject_id) VALUES ('receipt', new.id);
    END""",
    """CREATE TRIGGER backoffice_outbox_shift_ai AFTER INSERT ON shift BEGIN
        DELETE FROM backoffice_outbox WHERE kind = 'shift' AND subject_id = new.id;
        INSERT INTO backoffice_outbox(kind, subject_id) VALUES ('shift', new.id);
    END""",
    """CREATE TRIGGER backoffice_outbox_shift_au AFTER UPDATE ON shift BEGIN
        DELETE FROM backoffice_outbox WHERE kind = 'shift' AND subject_id = new.id;
        INSERT INTO backoffice_outbox(kind, subject_id) VALUES ('shift', new.id);
    END""",
    """CREATE TRIGGER backoffice_outbox_queue_ai AFTER INSERT ON offline_queue BEGIN
        DELETE FROM backoffice_outbox WHERE kind = 'offline_queue' AND subject_id = new.seq;
        INSERT INTO backoffice_outbox(kind, subject_id) VALUES ('offline_queue', new.seq);
    END""",
    """CREATE TRIGGER backoffice_outbox_queue_au AFTER UPDATE ON offline_queue BEGIN
        DELETE FROM backoffice_outbox WHERE kind = 'offline_queue' AND subject_id = new.seq;
        INSERT INTO backoffice_outbox(kind, subject_id) VALUES ('offline_queue', new.seq);
    END""",
    # Documents committed before this version: copied once, in commit order.
    """INSERT INTO backoffice_outbox(kind, subject_id)
        SELECT 'shift', id FROM shift ORDER BY rowid""",
    """INSERT INTO backoffice_outbox(kind, subject_id)
        SELECT 'receipt', id FROM receipt ORDER BY rowid""",
    """INSERT INTO backoffice_outbox(kind, subject_id)
        SELECT 'offline_queue', seq FROM offline_queue ORDER BY seq""",
)


def _statements(statements: Sequence[str]) -> Migration:
    def migrate(connection: sqlite3.Connection) -> None:
        for statement in statements:
            connection.execute(statement)

    return migrate


def _v3(connection: sqlite3.Connection) -> None:
    """Version 3 backfills name_key with Python's case folding, lent to SQL for the step."""
    connection.create_function("pos_name_key_v3", 1, name_key_v3, deterministic=True)
    try:
        _statements(_V3)(connection)
    finally:
        connection.create_function("pos_name_key_v3", 1, None)


# ---- version 5: customer orders and their prepayment chains (issue 15) -------------------------
_V5_ORDERS: tuple[str, ...] = (
    # A customer order: who, what (lines as JSON, priced again from them), when it is due, and
    # where it stands. `pending_action` is journaled before a chain's return is sent.
    """CREATE TABLE customer_order (
        id TEXT PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE CHECK (number > 0),
        state TEXT NOT NULL CHECK (state IN
            ('open', 'partly_paid', 'paid', 'handed_over', 'cancelled')),
        customer_name TEXT NOT NULL DEFAULT '' CHECK (length(customer_name) <= 255),
        phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 32),
        email TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 255),
        due_date TEXT,
        note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 4096),
        lines TEXT NOT NULL,
        discount TEXT,
        total_sum INTEGER NOT NULL CHECK (typeof(total_sum) = 'integer' AND total_sum > 0),
        relation_id TEXT UNIQUE,
        pending_action TEXT CHECK (pending_action IS NULL OR pending_action = 'return'),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX customer_order_phone ON customer_order(phone)",
    "CREATE INDEX customer_order_state ON customer_order(state, created_at)",
    # The fiscal receipts of an order's chain, committed before they are sent. `fiscal` is what
    # the X/Z counts (pos.domain.prepayment), `methods` the cash / card / QR split for MoySklad.
    """CREATE TABLE order_receipt (
        id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL REFERENCES customer_order(id),
        kind TEXT NOT NULL CHECK (kind IN ('prepayment', 'after_payment', 'return')),
        state TEXT NOT NULL CHECK (state IN ('committed', 'sending', 'done', 'failed')),
        shift_id TEXT,
        body TEXT NOT NULL,
        fiscal TEXT NOT NULL,
        cash_sum INTEGER NOT NULL DEFAULT 0,
        card_sum INTEGER NOT NULL DEFAULT 0,
        qr_sum INTEGER NOT NULL DEFAULT 0,
        fiscal_code TEXT,
        fiscal_date TEXT,
        error TEXT,
        server_response TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX order_receipt_order ON order_receipt(order_id, created_at)",
    "CREATE INDEX order_receipt_shift ON order_receipt(shift_id)",
    # The worker looks for unconfirmed chain receipts every round: partial indexes keep it cheap.
    "CREATE INDEX order_receipt_unsettled ON order_receipt(order_id) WHERE state = 'sending'",
    "CREATE INDEX customer_order_pending ON customer_order(id) WHERE pending_action IS NOT NULL",
)


# ---- version 7 (frozen): the reports find a page's receipts by their document number ------------
# (version 4 left doc_number unindexed on its own: reading a page's details scanned the table).
_V7_REPORTS_DOC_NUMBER: tuple[str, ...] = (
    "CREATE UNIQUE INDEX receipt_doc_number ON receipt(doc_number)",
)

# ---- version 8: orders in the back office's outbox, and no outbox without a back office -------
# Customer orders and their chain receipts are copied to the shop database like receipts (the
# back office's MoySklad prepayments read them), and so are the catalogue (the shop's sales by
# shelf; a deleted good is entered too, so that its copy goes) and the connectivity log (the
# shop's offline periods). The outbox's kinds are checked by the table, so
# it is rebuilt (its rows and its AUTOINCREMENT counter kept). Every trigger now stands still
# while the setting `backoffice_outbox` is 'paused': a register with no back office configured
# (pos.backoffice.outbox.pause_outbox) keeps no outbox at all, and configuring one refills it with
# every document (resume_outbox) before the first push, so nothing is missed.
_OUTBOX_SUBJECTS_V8: tuple[tuple[str, str], ...] = (
    ("receipt", "id"),
    ("shift", "id"),
    ("offline_queue", "seq"),
    ("customer_order", "id"),
    ("order_receipt", "id"),
    ("catalogue_item", "id"),
    ("connectivity_transition", "id"),
)


def _outbox_trigger_v8(table: str, key: str, event: str) -> str:
    suffix = {"INSERT": "ai", "UPDATE": "au", "DELETE": "ad"}[event]
    row = "old" if event == "DELETE" else "new"
    return f"""CREATE TRIGGER backoffice_outbox_{table}_{suffix} AFTER {event} ON {table}
        WHEN NOT EXISTS (
            SELECT 1 FROM setting WHERE key = 'backoffice_outbox' AND value = 'paused')
        BEGIN
        DELETE FROM backoffice_outbox WHERE kind = '{table}' AND subject_id = {row}.{key};
        INSERT INTO backoffice_outbox(kind, subject_id) VALUES ('{table}', {row}.{key});
    END"""


_V8_BACKOFFICE_ORDERS: tuple[str, ...] = (
    *(
        f"DROP TRIGGER backoffice_outbox_{name}_{event}"
        for name in ("receipt", "shift", "queue")
        for event in ("ai", "au")
    ),
    """CREATE TABLE backoffice_outbox_v8 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('receipt', 'shift', 'offline_queue',
            'customer_order', 'order_receipt', 'catalogue_item', 'connectivity_transition')),
        subject_id TEXT NOT NULL
    )""",
    """INSERT INTO backoffice_outbox_v8(seq, kind, subject_id)
        SELECT seq, kind, subject_id FROM backoffice_outbox ORDER BY seq""",
    # seq never goes back, even when the outbox was empty (a push in flight compares seqs).
    "DELETE FROM sqlite_sequence WHERE name = 'backoffice_outbox_v8'",
    """INSERT INTO sqlite_sequence(name, seq)
        SELECT 'backoffice_outbox_v8', MAX(seq) FROM (
            SELECT seq FROM sqlite_sequence WHERE name = 'backoffice_outbox'
            UNION ALL SELECT seq FROM backoffice_outbox_v8)
        HAVING MAX(seq) IS NOT NULL""",
    "DROP TABLE backoffice_outbox",
    "ALTER TABLE backoffice_outbox_v8 RENAME TO backoffice_outbox",
    "CREATE INDEX backoffice_outbox_subject ON backoffice_outbox(kind, subject_id)",
    *(
        _outbox_trigger_v8(table, key, event)
        for table, key in _OUTBOX_SUBJECTS_V8
        for event in ("INSERT", "UPDATE")
    ),
    _outbox_trigger_v8("catalogue_item", "id", "DELETE"),
    # What was committed before this version: copied once, in commit order.
    *(
        f"""INSERT INTO backoffice_outbox(kind, subject_id)
        SELECT '{table}', {key} FROM {table} ORDER BY rowid"""
        for table, key in _OUTBOX_SUBJECTS_V8[3:]
    ),
)


# ---- version 9: who made each document (issue 12's cashier filter) -----------------------------
# The cashier signed in when a document is committed is the one in the `cashier_name` setting (the
# register writes it at every sign-in), so triggers record it on every new shift, receipt and
# order receipt without any code path having to remember. Existing rows: a shift gets the cashier
# of Checkbox's answer to it, where kept; a receipt or order receipt the cashier of its shift.
_V9_CASHIERS: tuple[str, ...] = (
    "ALTER TABLE shift ADD COLUMN cashier TEXT",
    "ALTER TABLE receipt ADD COLUMN cashier TEXT",
    "ALTER TABLE order_receipt ADD COLUMN cashier TEXT",
    """UPDATE shift SET cashier = nullif(json_extract(server_response, '$.cashier.full_name'), '')
        WHERE json_valid(server_response)""",
    "UPDATE receipt SET cashier = (SELECT cashier FROM shift WHERE shift.id = receipt.shift_id)",
    """UPDATE order_receipt SET cashier =
        (SELECT cashier FROM shift WHERE shift.id = order_receipt.shift_id)""",
    """CREATE TRIGGER shift_cashier_ai AFTER INSERT ON shift WHEN new.cashier IS NULL BEGIN
        UPDATE shift SET cashier = (SELECT nullif(value, '') FROM setting
                                    WHERE key = 'cashier_name')
        WHERE rowid = new.rowid;
    END""",
    """CREATE TRIGGER receipt_cashier_ai AFTER INSERT ON receipt WHEN new.cashier IS NULL BEGIN
        UPDATE receipt SET cashier = coalesce(
            (SELECT nullif(value, '') FROM setting WHERE key = 'cashier_name'),
            (SELECT cashier FROM shift WHERE shift.id = new.shift_id))
        WHERE rowid = new.rowid;
    END""",
    """CREATE TRIGGER order_receipt_cashier_ai AFTER INSERT ON order_receipt
    WHEN new.cashier IS NULL BEGIN
        UPDATE order_receipt SET cashier = coalesce(
            (SELECT nullif(value, '') FROM setting WHERE key = 'cashier_name'),
            (SELECT cashier FROM shift WHERE shift.id = new.shift_id))
        WHERE rowid = new.rowid;
    END""",
    # The reports filter by cashier within a period.
    "CREATE INDEX receipt_cashier_report ON receipt(cashier, report_at)",
)


# ---- version 10: where the electronic copy of a receipt goes (the guide's ``delivery``) ----------
# JSON {"emails": [...], "phone": "380…"} or NULL: kept with the receipt, so a resend after a
# restart or an offline upload still delivers it.
_V10_RECEIPT_DELIVERY: tuple[str, ...] = ("ALTER TABLE receipt ADD COLUMN delivery TEXT",)


# ---- version 11: the open and parked carts, so that they survive a restart ---------------------
_V11_HELD_CARTS: tuple[str, ...] = (
    # Carts not yet sold (slot 0 the open one, 1… parked), as JSON: they survive a restart.
    """CREATE TABLE held_cart (
        slot INTEGER PRIMARY KEY CHECK (slot >= 0),
        body TEXT NOT NULL,
        parked_at INTEGER,
        saved_at INTEGER NOT NULL
    )""",
)


# ---- version 12: the reports' speed on a million receipts (issue 12) ---------------------------
# shift_position, a fiscal receipt's position among its shift's fiscal receipts by report date (the
# receipts report's ``number``, less the chain receipts before it, which the report adds), is kept
# by triggers instead of being counted for every row shown: any change of a receipt's fiscal
# state, report date or shift recounts that shift's other receipts from the earlier of its old and
# new report dates (at a sale: none) and gives it the position after the receipt before it (one
# index step, not a count of the shift: 0.8 ms in a shift of 2,700). NULL for a receipt that is
# not a fiscal document or has no shift. Existing rows are numbered once, with the outbox's update
# trigger set aside meanwhile (numbering is not a change the back office copies). The index
# serves the report sorted by amount: a page is read in index order, not sorted from the period.
# receipt_hour_total: the fiscal receipts' count and sums per UTC hour of report date, type, state
# and offline flag, kept by triggers as each receipt moves (the old row's figures out, the new
# row's in), so a month's totals add up a few thousand rows instead of a hundred thousand (a Kyiv
# day starts on a UTC hour; a period's partial hours are read from the receipts). Every key
# column is NOT NULL in receipt, so no trigger can fail a sale.
_NOT_FISCAL_V12 = "('committed', 'sending', 'failed', 'void')"
_POSITION_V12 = f"""UPDATE receipt SET shift_position = (
            SELECT count(*) FROM receipt AS earlier
            WHERE earlier.shift_id = receipt.shift_id AND earlier.report_at <= receipt.report_at
              AND earlier.state NOT IN {_NOT_FISCAL_V12})"""
# The changed receipt's own position, without counting its shift: the position of the fiscal
# receipt just before it (the others are right by then), plus one unless their dates are equal.
_OWN_POSITION_V12 = f"""UPDATE receipt SET shift_position = coalesce((
            SELECT earlier.shift_position + (earlier.report_at < receipt.report_at)
            FROM receipt AS earlier
            WHERE earlier.shift_id = receipt.shift_id AND earlier.report_at <= receipt.report_at
              AND earlier.state NOT IN {_NOT_FISCAL_V12} AND earlier.rowid <> receipt.rowid
            ORDER BY earlier.report_at DESC LIMIT 1), 1)"""


def _hour_v12(row: str) -> str:
    return f"(coalesce({row}.report_at, {row}.fiscal_date, {row}.created_at) / 3600000000)"


def _hour_add_v12(row: str, sign: int) -> str:
    minus = "-" if sign < 0 else ""
    return f"""INSERT INTO receipt_hour_total
        SELECT {_hour_v12(row)}, {row}.type, {row}.state, {row}.is_offline, {sign},
            {minus}{row}.total_sum, {minus}({row}.cash_paid - {row}.rest),
            {minus}{row}.cashless_paid
        WHERE {row}.state NOT IN {_NOT_FISCAL_V12}
        ON CONFLICT (hour, type, state, is_offline) DO UPDATE SET
            receipts = receipts + excluded.receipts, total_sum = total_sum + excluded.total_sum,
            cash = cash + excluded.cash, cashless = cashless + excluded.cashless;"""


def _hour_total_v12(row: str, sign: int, event: str, *, also_new: bool = False) -> str:
    name = {"AFTER INSERT": "ai", "AFTER DELETE": "ad", "AFTER UPDATE": "au"}[event[:12]]
    body = _hour_add_v12(row, sign) + ("\n        " + _hour_add_v12("new", 1) if also_new else "")
    return f"""CREATE TRIGGER receipt_hour_total_{name} {event} BEGIN
        {body}
    END"""


HOUR_TOTALS_V12 = f"""INSERT INTO receipt_hour_total
    SELECT {_hour_v12("receipt")}, type, state, is_offline, count(*), sum(total_sum),
        sum(cash_paid - rest), sum(cashless_paid)
    FROM receipt WHERE state NOT IN {_NOT_FISCAL_V12} GROUP BY 1, 2, 3, 4"""
"""The hour totals of the receipts already there (migration 12; the benchmark's bulk journal)."""

_V12_REPORT_SPEED: tuple[str, ...] = (
    "ALTER TABLE receipt ADD COLUMN shift_position INTEGER",
    "DROP TRIGGER backoffice_outbox_receipt_au",
    f"""UPDATE receipt SET shift_position = numbered.position FROM (
        SELECT rowid AS number, count(*) OVER (PARTITION BY shift_id ORDER BY report_at) AS position
        FROM receipt WHERE shift_id IS NOT NULL AND state NOT IN {_NOT_FISCAL_V12}
    ) AS numbered WHERE receipt.rowid = numbered.number""",
    _outbox_trigger_v8("receipt", "id", "UPDATE"),
    f"""CREATE TRIGGER receipt_shift_position_ai AFTER INSERT ON receipt
    WHEN new.shift_id IS NOT NULL AND new.state NOT IN {_NOT_FISCAL_V12} BEGIN
        {_POSITION_V12}
        WHERE shift_id = new.shift_id
          AND report_at >= coalesce(new.report_at, new.fiscal_date, new.created_at)
          AND state NOT IN {_NOT_FISCAL_V12} AND rowid <> new.rowid;
        {_OWN_POSITION_V12}
        WHERE rowid = new.rowid;
    END""",
    f"""CREATE TRIGGER receipt_shift_position_au AFTER UPDATE ON receipt
    WHEN (old.state NOT IN {_NOT_FISCAL_V12} OR new.state NOT IN {_NOT_FISCAL_V12})
     AND ((old.state NOT IN {_NOT_FISCAL_V12}) <> (new.state NOT IN {_NOT_FISCAL_V12})
          OR old.report_at IS NOT new.report_at OR old.shift_id IS NOT new.shift_id) BEGIN
        {_POSITION_V12}
        WHERE shift_id IN (old.shift_id, new.shift_id)
          AND report_at >= min(coalesce(old.report_at, new.report_at),
                               coalesce(new.report_at, old.report_at))
          AND state NOT IN {_NOT_FISCAL_V12} AND rowid <> new.rowid;
        {_OWN_POSITION_V12}
        WHERE rowid = new.rowid AND shift_id IS NOT NULL AND state NOT IN {_NOT_FISCAL_V12};
        UPDATE receipt SET shift_position = NULL
        WHERE rowid = new.rowid AND shift_position IS NOT NULL
          AND (new.shift_id IS NULL OR new.state IN {_NOT_FISCAL_V12});
    END""",
    """CREATE INDEX receipt_report_total ON receipt(total_sum DESC, report_at, doc_number, state,
        type, rest, cash_paid, cashless_paid)""",
    """CREATE TABLE receipt_hour_total (
        hour INTEGER NOT NULL,
        type TEXT NOT NULL,
        state TEXT NOT NULL,
        is_offline INTEGER NOT NULL,
        receipts INTEGER NOT NULL,
        total_sum INTEGER NOT NULL,
        cash INTEGER NOT NULL,
        cashless INTEGER NOT NULL,
        PRIMARY KEY (hour, type, state, is_offline)
    ) WITHOUT ROWID""",
    HOUR_TOTALS_V12,
    _hour_total_v12("new", 1, f"AFTER INSERT ON receipt WHEN new.state NOT IN {_NOT_FISCAL_V12}"),
    _hour_total_v12("old", -1, f"AFTER DELETE ON receipt WHEN old.state NOT IN {_NOT_FISCAL_V12}"),
    _hour_total_v12(
        "old",
        -1,
        f"""AFTER UPDATE ON receipt
    WHEN (old.state NOT IN {_NOT_FISCAL_V12} OR new.state NOT IN {_NOT_FISCAL_V12})
     AND (old.state IS NOT new.state OR old.type IS NOT new.type
          OR old.is_offline IS NOT new.is_offline OR old.total_sum IS NOT new.total_sum
          OR old.rest IS NOT new.rest OR old.cash_paid IS NOT new.cash_paid
          OR old.cashless_paid IS NOT new.cashless_paid
          OR {_hour_v12("old")} IS NOT {_hour_v12("new")})""",
        also_new=True,
    ),
)


# MIGRATIONS[n] brings a journal from user_version n to n + 1.
MIGRATIONS: tuple[Migration, ...] = (
    _statements(_V1),
    _statements(_V2),
    _v3,
    _statements(_V4_REPORTS),
    _statements(_V5_ORDERS),
    _statements(_V6_BACKOFFICE_OUTBOX),
    _statements(_V7_REPORTS_DOC_NUMBER),
    _statements(_V8_BACKOFFICE_ORDERS),
    _statements(_V9_CASHIERS),
    _statements(_V10_RECEIPT_DELIVERY),
    _statements(_V11_HELD_CARTS),
    _statements(_V12_REPORT_SPEED),
)
LATEST_VERSION = len(MIGRATIONS)


def schema_version(connection: sqlite3.Connection) -> int:
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def backup_file(connection: sqlite3.Connection, path: Path, version: int) -> Path:
    """A consistent copy (SQLite online backup, correct under WAL) next to the journal."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    with sqlite3.connect(target) as copy:
        connection.backup(copy)
    copy.close()
    return target


def migrate(
    connection: sqlite3.Connection,
    path: Path | None,
    target: int = LATEST_VERSION,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> int:
    """Bring the file to ``target``; returns the version it had. The connection must be in
    autocommit mode (``isolation_level = None``) so that our BEGIN/COMMIT are the real ones."""
    current = schema_version(connection)
    if current > len(migrations):
        raise JournalTooNewError(
            f"journal schema version {current} is newer than this program knows "
            f"({len(migrations)}); update the program"
        )
    if current >= target:
        return current
    if current > 0 and path is not None:
        backup_file(connection, path, current)
    for version in range(current, target):
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the lock: another process may have migrated meanwhile.
            if schema_version(connection) != version:
                connection.execute("ROLLBACK")
                continue
            migrations[version](connection)
            connection.execute(f"PRAGMA user_version = {version + 1}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return current
