"""The benchmark's CommerceML generator writes what 1C writes: a well-formed 2.08 catalog and
offers package whose counts and cross-references hold, so the import figures measure a real
exchange and not a parser shortcut."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import parse

from bench.cml_generate import export_ids, write_catalog

NS = "{urn:1C.ru:commerceml_2}"


def _tag(name: str) -> str:
    return "/".join(NS + part for part in name.split("/"))


def _text(element: Element, path: str) -> str:
    found = element.find(_tag(path))
    assert found is not None, f"{path} missing"
    return found.text or ""


def _groups(parent: Element, depth: int = 1) -> dict[str, int]:
    """Every group's Ид with its depth in the tree."""
    found: dict[str, int] = {}
    for group in parent.findall(_tag("Группы/Группа")):
        found[_text(group, "Ид")] = depth
        found.update(_groups(group, depth + 1))
    return found


def test_catalog_of_50_products_is_well_formed_commerceml(tmp_path: Path) -> None:
    catalog_path, offers_path = write_catalog(tmp_path, 50)
    assert (catalog_path.name, offers_path.name) == ("import.xml", "offers.xml")

    catalog = parse(catalog_path).getroot()
    assert catalog.tag == NS + "КоммерческаяИнформация"
    assert catalog.get("ВерсияСхемы") == "2.08"
    classifier = catalog.find(_tag("Классификатор"))
    assert classifier is not None
    groups = _groups(classifier)
    assert max(groups.values()) == 3
    leaves = {
        _text(group, "Ид")
        for group in classifier.iter(NS + "Группа")
        if group.find(_tag("Группы")) is None
    }
    properties = classifier.findall(_tag("Свойства/Свойство"))
    assert len(properties) >= 5
    property_ids = {_text(prop, "Ид") for prop in properties}

    products = catalog.findall(_tag("Каталог/Товары/Товар"))
    assert len(products) == 50
    assert len({_text(product, "Ид") for product in products}) == 50
    assert len({_text(product, "Артикул") for product in products}) == 50
    assert _text(products[0], "Артикул") == "MVA20-1-006-B"
    assert _text(products[0], "Наименование").startswith("Автоматический выключатель ВА47-29")
    for product in products:
        unit = product.find(_tag("БазоваяЕдиница"))
        assert unit is not None
        assert unit.get("Код") == "796"
        assert _text(product, "Группы/Ид") in leaves
        assert _text(product, "СтавкиНалогов/СтавкаНалога/Наименование") == "НДС"
        assert _text(product, "СтавкиНалогов/СтавкаНалога/Ставка") == "22"
        values = product.findall(_tag("ЗначенияСвойств/ЗначенияСвойства"))
        assert values
        assert {_text(value, "Ид") for value in values} <= property_ids

    offers = parse(offers_path).getroot()
    package = offers.find(_tag("ПакетПредложений"))
    assert package is not None
    assert package.get("СодержитТолькоИзменения") == "false"
    price_types = {_text(price_type, "Ид") for price_type in package.iter(NS + "ТипЦены")}
    warehouses = {_text(warehouse, "Ид") for warehouse in package.findall(_tag("Склады/Склад"))}
    assert (len(price_types), len(warehouses)) == (2, 3)
    # The benchmark finds and removes what it imported by these ids.
    ids = export_ids()
    assert (set(ids.price_types), set(ids.warehouses)) == (price_types, warehouses)
    assert set(ids.groups.values()) == set(groups)
    offer_elements = package.findall(_tag("Предложения/Предложение"))
    assert {_text(offer, "Ид") for offer in offer_elements} == {
        _text(product, "Ид") for product in products
    }
    for offer in offer_elements:
        prices = offer.findall(_tag("Цены/Цена"))
        assert {_text(price, "ИдТипаЦены") for price in prices} == price_types
        assert all(float(_text(price, "ЦенаЗаЕдиницу")) > 0 for price in prices)
        stock = offer.findall(NS + "Склад")
        assert {row.get("ИдСклада") for row in stock} == warehouses
        quantities = [int(row.get("КоличествоНаСкладе") or "x") for row in stock]
        assert int(_text(offer, "Количество")) == sum(quantities)


def test_same_seed_gives_the_same_files_and_warehouses_are_configurable(tmp_path: Path) -> None:
    first = write_catalog(tmp_path / "a", 30, warehouses=5, seed=4)
    again = write_catalog(tmp_path / "b", 30, warehouses=5, seed=4)
    other = write_catalog(tmp_path / "c", 30, warehouses=5, seed=5)
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in again]
    assert first[0].read_bytes() != other[0].read_bytes()
    offers = parse(first[1]).getroot()
    counts = Counter(len(offer.findall(NS + "Склад")) for offer in offers.iter(NS + "Предложение"))
    assert counts == {5: 30}


def test_articles_stay_unique_past_one_round_of_every_family(tmp_path: Path) -> None:
    catalog_path, _ = write_catalog(tmp_path, 3000)
    codes = [element.text for element in parse(catalog_path).getroot().iter(NS + "Артикул")]
    assert len(codes) == 3000
    assert len(set(codes)) == 3000
    assert any(code and code.endswith("-01") for code in codes)
