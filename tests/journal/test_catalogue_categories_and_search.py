"""Category buttons and the ranking of name search: what the selling screen shows, in what order."""

from __future__ import annotations

from datetime import UTC, datetime

from pos.journal import Journal
from pos.journal.catalogue import name_key
from pos.journal.migrations import name_key_v3
from pos.journal.records import CatalogueItem

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def good(code: str, name: str, category: str = "", *barcodes: str) -> CatalogueItem:
    return CatalogueItem(code, name, 1000, (5,), barcodes=barcodes, category=category)


def codes(items: list[CatalogueItem]) -> list[str]:
    return [item.code for item in items]


def test_categories_count_goods_in_alphabet_order_without_the_empty_one(journal: Journal) -> None:
    journal.catalogue.upsert(
        [
            good("1", "Хліб Дарницький", "Хліб"),
            good("2", "Батон Нарізний", "Хліб"),
            good("3", "Молоко 2,5%", "Молочні продукти"),
            good("4", "Сигарети LD", "Тютюн"),
            good("5", "Їжачок печиво", "Їжа для тварин"),  # Ї sorts after И, not before А
            good("6", "Ґудзики", "Галантерея"),
            good("7", "Пакет-майка"),  # no category
            good("8", "Засіб для скла", "Побутова хімія"),
            good("9", "Гель для душу", "Гігієна"),
        ],
        T0,
    )
    assert journal.catalogue.categories() == [
        ("Галантерея", 1),
        ("Гігієна", 1),
        ("Їжа для тварин", 1),
        ("Молочні продукти", 1),
        ("Побутова хімія", 1),
        ("Тютюн", 1),
        ("Хліб", 2),
    ]


def test_in_category_lists_its_goods_by_name_and_follows_updates(journal: Journal) -> None:
    journal.catalogue.upsert(
        [
            good("1", "Хліб Український", "Хліб"),
            good("2", "батон нарізний", "Хліб"),
            good("3", "Багет", "Хліб"),
            good("4", "Єгипетський хліб", "Хліб"),  # Є after Е, before Ж
            good("5", "Житній хліб", "Хліб"),
            good("6", "Евкаліптовий хліб", "Хліб"),
            good("7", "Молоко", "Молочні продукти"),
        ],
        T0,
    )
    assert codes(journal.catalogue.in_category("Хліб")) == ["3", "2", "6", "4", "5", "1"]
    assert codes(journal.catalogue.in_category("Хліб", limit=2)) == ["3", "2"]
    assert journal.catalogue.in_category("хліб") == []  # a category is matched exactly
    assert journal.catalogue.in_category("") == []
    assert journal.catalogue.in_category("Немає") == []
    bread = journal.catalogue.in_category("Хліб")[0]
    assert bread.category == "Хліб"

    journal.catalogue.upsert([good("3", "Багет", "Випічка")], T0)  # re-import moves a good
    assert codes(journal.catalogue.in_category("Випічка")) == ["3"]
    assert dict(journal.catalogue.categories())["Хліб"] == 5


def test_search_puts_exact_code_then_barcode_then_names_starting_with_the_query(
    journal: Journal,
) -> None:
    journal.catalogue.upsert(
        [
            good("10", "Йогурт молочний"),
            good("11", "Молоко Яготинське 2,6%"),
            good("12", "Молоко Галичина 2,5%"),
            good("13", "Шоколад молочний"),
            good("14", "Молочний коктейль"),
            good("15", "Сир кисломолочний", "", "4820000000014"),
            good("4820000000014", "Код як штрихкод"),
            good("16", "Кава американська", "", "0036000291452"),
        ],
        T0,
    )
    # Names starting with "моло" first (in alphabet order), then the other word matches.
    assert codes(journal.catalogue.search("моло")) == ["12", "11", "14", "10", "13"]
    assert codes(journal.catalogue.search("МОЛО", limit=2)) == ["12", "11"]
    # An exact code wins, then the good whose barcode it is, then name matches.
    assert codes(journal.catalogue.search("4820000000014")) == ["4820000000014", "15"]
    assert codes(journal.catalogue.search(" 13 ")) == ["13"]
    # UPC-A typed as 12 digits finds its EAN-13.
    assert codes(journal.catalogue.search("036000291452")) == ["16"]
    assert journal.catalogue.search("моло", limit=0) == []


def test_with_several_words_names_starting_with_the_first_one_rank_first(
    journal: Journal,
) -> None:
    journal.catalogue.upsert(
        [
            good("1", "Сир молочний Галичина"),
            good("2", "Молоко Галичина 2,5%"),
            good("3", "Молоко згущене Галичина"),
            good("4", "Масло Галичина молочне"),
        ],
        T0,
    )
    # "молоко гал" starts only "Молоко Галичина"; then names starting with "молоко"; then others.
    assert codes(journal.catalogue.search("молоко гал")) == ["2", "3"]
    found = codes(journal.catalogue.search("мол гал"))
    assert (set(found[:2]), set(found[2:])) == ({"2", "3"}, {"1", "4"})


def test_search_folds_case_apostrophes_and_spaces_like_the_stored_key(journal: Journal) -> None:
    journal.catalogue.upsert(
        [
            good("1", "М’ЯСО  свиняче"),  # typographic apostrophe, double space
            good("2", "Мясорубка"),
            good("3", "Ґрунт для розсади"),
            good("4", "ЇЖАК іграшка"),
        ],
        T0,
    )
    assert codes(journal.catalogue.search("м'ясо с")) == ["1"]
    assert codes(journal.catalogue.search("мʼясо")) == ["1", "2"]
    assert codes(journal.catalogue.search("мясо")) == ["1", "2"]  # typed without apostrophe
    assert codes(journal.catalogue.search("ґрунт")) == ["3"]
    assert codes(journal.catalogue.search("їжак")) == ["4"]


def test_keys_and_alphabet_order() -> None:
    assert name_key is name_key_v3
    assert name_key("  Молоко\tГАЛИЧИНА ") == "молоко галичина"
    assert name_key("М`ясо") == name_key("м’ясо") == name_key("МЯСО") == "мясо"
    assert name_key("ﬁlter") == "filter"  # compatibility forms fold too
    assert name_key("Ґава Їжак") == "г\U0010ffffава и\U0010ffff\U0010ffffжак"
    names = ["яблука", "Їжак", "ґудзик", "іриска", "Гарбуз", "єнот", "ехо", "ирій", "Apple", "7up"]
    names += ["йогурт", "жито", "дим", "іі", "и"]
    assert sorted(names, key=name_key) == [
        "7up",
        "Apple",
        "Гарбуз",
        "ґудзик",
        "дим",
        "ехо",
        "єнот",
        "жито",
        "и",
        "ирій",
        "іі",
        "іриска",
        "Їжак",
        "йогурт",
        "яблука",
    ]
    assert sorted(["мясо!", "мак", "м'ясо"], key=name_key) == ["мак", "м'ясо", "мясо!"]


def test_a_prefix_never_reaches_across_g_ye_i_yi(journal: Journal) -> None:
    """The key spells ґ, є, і, ї as г, е, и plus a top character; a query ending in one of
    them must still find exactly the names that continue with it."""
    journal.catalogue.upsert(
        [
            good("1", "Гава"),
            good("2", "Ґава"),
            good("3", "Еко"),
            good("4", "Єва"),
            good("5", "Сир"),
            good("6", "Сір"),
            good("7", "Сїр"),
            good("8", "Сйорбати"),
        ],
        T0,
    )
    prefix = {text: codes(journal.catalogue.search(text)) for text in ("г", "ґ", "е", "є")}
    assert prefix == {"г": ["1"], "ґ": ["2"], "е": ["3"], "є": ["4"]}
    assert codes(journal.catalogue.search("си")) == ["5"]
    assert codes(journal.catalogue.search("сі")) == ["6"]
    assert codes(journal.catalogue.search("сї")) == ["7"]
    assert codes(journal.catalogue.search("с")) == ["5", "6", "7", "8"]
