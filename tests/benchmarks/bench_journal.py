"""How fast the journal is on a shop-sized catalogue, and what durability costs per sale.

Builds a 200,000-item catalogue CSV in a temporary directory and prints: import time (read +
validate, and the one-transaction write), barcode lookup and name search latency (p50/p99), and
the latency of committing a sale (receipt + 3 lines + payment + discount, synchronous=FULL) through
the journal versus a raw sqlite3 INSERT+COMMIT of the same rows with the same pragmas.
Not a test: it prints figures. Not collected by pytest (the file name has no test_ prefix).

    python tests/benchmarks/bench_journal.py [--items 200000] [--sales 300]
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pos.domain.barcodes import ean13_check_digit
from pos.journal import Journal
from pos.journal.catalogue_import import check_file
from pos.journal.engine import apply_pragmas
from pos.journal.records import (
    NewReceipt,
    ReceiptDiscount,
    ReceiptLine,
    ReceiptPayment,
)

GOODS = [
    "Молоко",
    "Кефір",
    "Ряжанка",
    "Йогурт",
    "Сметана",
    "Сир",
    "Масло",
    "Хліб",
    "Батон",
    "Печиво",
    "Вафлі",
    "Цукерки",
    "Шоколад",
    "Чай",
    "Кава",
    "Сік",
    "Вода",
    "Пиво",
    "Вино",
    "Горілка",
    "Ковбаса",
    "Сосиски",
    "Шинка",
    "Сало",
    "Рис",
    "Гречка",
    "Борошно",
    "Цукор",
    "Олія",
    "Макарони",
    "Мило",
    "Шампунь",
    "Паста",
    "Серветки",
    "Порошок",
    "Губки",
    "Яблука",
    "Банани",
    "Апельсини",
    "Картопля",
    "Морква",
]
MAKERS = [
    "Галичина",
    "Яготинське",
    "Ферма",
    "Рошен",
    "Світоч",
    "Оболонь",
    "Хортиця",
    "Моршинська",
    "Сандора",
    "Чумак",
    "Торчин",
    "Київмлин",
    "Щедрий",
    "Олейна",
    "Їжачок",
    "Зірка",
    "Ічня",
    "Лагідна",
    "Подільська",
    "Карпатська",
    "Веселка",
    "Бджілка",
]
KINDS = [
    "класичний",
    "домашній",
    "преміум",
    "легкий",
    "ніжний",
    "витриманий",
    "гострий",
    "солодкий",
]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(action: Callable[[], object], repeat: list[object]) -> list[float]:
    samples = []
    for _ in repeat:
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float]) -> float:
    p50, p99 = statistics.median(samples), percentile(samples, 0.99)
    print(f"{label:<34} p50 {p50:8.3f} ms   p99 {p99:8.3f} ms   (n={len(samples)})")
    return p50


def make_catalogue(path: Path, count: int, rng: random.Random) -> list[str]:
    barcodes = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "barcode", "name", "price", "tax", "unit"])
        for n in range(1, count + 1):
            first12 = f"482{n:09d}"
            barcode = first12 + str(ean13_check_digit(first12))
            barcodes.append(barcode)
            name = f"{rng.choice(GOODS)} {rng.choice(MAKERS)} {rng.choice(KINDS)} {n % 997} г"
            price = f"{rng.randint(500, 200000) // 100}.{rng.randint(0, 99):02d}"
            tax, unit = rng.choice((("Є", "шт"), ("А", "шт"), ("З", "шт"), ("Є", "кг")))
            writer.writerow([str(n), barcode, name, price, tax, unit])
    return barcodes


def sale(now: datetime) -> NewReceipt:
    lines = (
        ReceiptLine("1", "Молоко Галичина", 4690, 2000, 9380, (5,), "4820000000014"),
        ReceiptLine("2", "Хліб Український", 3490, 1000, 3490, (5,), "4820000000021"),
        ReceiptLine("3", "Пиво Оболонь", 3690, 1000, 3690, (1,), "4820000000038"),
    )
    return NewReceipt(
        id=str(uuid.uuid4()),
        type="SELL",
        total_sum=16060,
        created_at=now,
        lines=lines,
        payments=(ReceiptPayment("CASH", 16100, "Готівка"),),
        discounts=(ReceiptDiscount("DISCOUNT", "VALUE", 500, 500, "Знижка", 1, (5,)),),
        discounts_sum=500,
        total_payment=16100,
        rest=40,
    )


def raw_commit(connection: sqlite3.Connection, receipt: NewReceipt, stamp: int) -> None:
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "INSERT INTO receipt (id, type, state, total_sum, discounts_sum, total_payment, rest, "
        "created_at, updated_at) VALUES (?, ?, 'committed', ?, ?, ?, ?, ?, ?)",
        (
            receipt.id,
            receipt.type,
            receipt.total_sum,
            receipt.discounts_sum,
            receipt.total_payment,
            receipt.rest,
            stamp,
            stamp,
        ),
    )
    connection.executemany(
        "INSERT INTO receipt_line (receipt_id, position, code, name, barcode, price, quantity, "
        "sum, tax_codes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (receipt.id, i, li.code, li.name, li.barcode, li.price, li.quantity, li.sum, "5")
            for i, li in enumerate(receipt.lines, start=1)
        ],
    )
    connection.execute(
        "INSERT INTO receipt_payment (receipt_id, position, type, value, label) "
        "VALUES (?, 1, 'CASH', ?, 'Готівка')",
        (receipt.id, 16100),
    )
    connection.execute(
        "INSERT INTO receipt_discount (receipt_id, position, line_position, type, mode, value, "
        "sum, name, tax_codes) VALUES (?, 1, 1, 'DISCOUNT', 'VALUE', 500, 500, 'Знижка', '5')",
        (receipt.id,),
    )
    connection.execute("COMMIT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--sales", type=int, default=300)
    parser.add_argument("--lookups", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(2026)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        csv_path = root / "catalogue.csv"
        start = time.perf_counter()
        barcodes = make_catalogue(csv_path, args.items, rng)
        print(
            f"catalogue CSV of {args.items} goods written in {time.perf_counter() - start:.1f} s"
            f" ({csv_path.stat().st_size / 1e6:.1f} MB)"
        )

        journal = Journal.open(root / "journal-bench.sqlite")
        start = time.perf_counter()
        checked = check_file(csv_path)
        read_s = time.perf_counter() - start
        assert not checked.errors, checked.errors[:3]
        start = time.perf_counter()
        journal.catalogue.upsert(checked.items, now)
        write_s = time.perf_counter() - start
        print(
            f"import: read+validate {read_s:.1f} s, write (one transaction) {write_s:.1f} s, "
            f"total {read_s + write_s:.1f} s ({args.items / (read_s + write_s):,.0f} goods/s)"
        )
        start = time.perf_counter()
        journal.catalogue.upsert(checked.items, now)
        print(f"re-import (update by code): write {time.perf_counter() - start:.1f} s")

        picks = [rng.choice(barcodes) for _ in range(args.lookups)]
        it = iter(picks)
        report(
            "barcode lookup (hit)",
            timed(lambda: journal.catalogue.find_by_barcode(next(it)), picks),
        )
        misses = [f"{rng.randint(10**12, 10**13 - 1)}" for _ in range(args.lookups)]
        it = iter(misses)
        report(
            "barcode lookup (miss)",
            timed(lambda: journal.catalogue.find_by_barcode(next(it)), misses),
        )
        queries = [rng.choice(GOODS)[: rng.randint(3, 6)].lower() for _ in range(500)]
        queries += [f"{rng.choice(GOODS)[:4]} {rng.choice(MAKERS)[:3]}".lower() for _ in range(500)]
        qi = iter(queries)
        report(
            "name search (50 best, prefix)",
            timed(lambda: journal.catalogue.search(next(qi)), queries),
        )
        qi = iter(queries)
        report(
            "name search (10 best, prefix)",
            timed(lambda: journal.catalogue.search(next(qi), 10), queries),
        )

        sales = list(range(args.sales))
        orm = report(
            "sale commit via journal", timed(lambda: journal.receipts.commit(sale(now)), sales)
        )
        journal.codes.add([(f"BENCH-{n}", n) for n in range(args.sales + 1)], now)
        report(
            "offline sale commit via journal",
            timed(lambda: journal.receipts.commit(sale(now), offline_at=datetime.now(UTC)), sales),
        )
        journal.close()

        raw = sqlite3.connect(root / "journal-bench.sqlite")
        apply_pragmas(raw)
        stamp = int(now.timestamp() * 1_000_000)
        baseline = report(
            "sale commit raw sqlite3", timed(lambda: raw_commit(raw, sale(now), stamp), sales)
        )
        raw.close()
        print(f"journal / raw sqlite3 commit latency (p50): {orm / baseline:.2f}x")


if __name__ == "__main__":
    main()
