"""Re-importing a catalogue rewrites only the goods that changed, and every field can change."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from pos.journal import Journal
from pos.journal.instants import to_micros
from pos.journal.records import CatalogueItem

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
BREAD = CatalogueItem("1", "Хліб Дарницький", 3250, (5,), barcodes=("4820002000022",))


def updated_at(journal: Journal, code: str) -> int:
    with journal.engine.connect() as connection:
        value = connection.exec_driver_sql(
            "SELECT updated_at FROM catalogue_item WHERE code = ?", (code,)
        ).scalar_one()
    return int(value)


def test_an_unchanged_good_is_left_alone(journal: Journal) -> None:
    journal.catalogue.upsert([BREAD], T0)
    journal.catalogue.upsert([BREAD], T0 + timedelta(days=1))
    assert updated_at(journal, "1") == to_micros(T0)
    assert journal.catalogue.find_by_code("1") == BREAD
    assert [i.code for i in journal.catalogue.search("хліб")] == ["1"]


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Хліб Житній"},
        {"price": 3390},
        {"tax_codes": (8,)},
        {"unit": "кг", "is_weighed": True},
        {"is_excise": True},
        {"uktzed": "1905909000"},
        {"category": "Хліб"},
    ],
)
def test_each_field_change_is_written(journal: Journal, change: dict[str, object]) -> None:
    journal.catalogue.upsert([BREAD], T0)
    later = T0 + timedelta(days=1)
    changed = dataclasses.replace(BREAD, **change)  # type: ignore[arg-type]
    journal.catalogue.upsert([changed], later)
    assert journal.catalogue.find_by_code("1") == changed
    assert updated_at(journal, "1") == to_micros(later)
    if "name" in change:
        assert [i.code for i in journal.catalogue.search("хліб жит")] == ["1"]
        assert journal.catalogue.search("дарницький") == []
    if "category" in change:
        assert [i.code for i in journal.catalogue.in_category("Хліб")] == ["1"]
