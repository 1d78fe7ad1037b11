"""The CommerceML reader on small handmade files: encodings, versions, both stock forms,
deletion marks, documents, and the files it must refuse."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dealerdesk.erp.commerceml import (
    Chunk,
    CommerceMLError,
    drop_unknown_products,
    read_document,
    read_orders,
)

NS2 = 'xmlns="urn:1C.ru:commerceml_2"'
NS3 = 'xmlns="urn:1C.ru:commerceml_3"'


def write(tmp_path: Path, body: str, *, name: str = "file.xml", **options: Any) -> Path:
    encoding = options.get("encoding", "UTF-8")
    prolog = f'<?xml version="1.0" encoding="{encoding}"?>\n'
    data = (prolog + body).encode("cp1251" if encoding == "windows-1251" else "utf-8")
    if options.get("bom"):
        data = b"\xef\xbb\xbf" + data
    path = tmp_path / name
    path.write_bytes(data)
    return path


def items(path: Path, **options: Any) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for chunk in read_document(path, **options):
        found.setdefault(chunk.resource, []).extend(chunk.items)
    return found


CATALOG = """<КоммерческаяИнформация {ns} ВерсияСхемы="{version}">
  <Классификатор>
    <Ид>cls</Ид><Наименование>Классификатор</Наименование>
    <Группы>
      <Группа><Ид>G1</Ид><Наименование>Автоматы</Наименование>
        <Группы><Группа><Ид>G2</Ид><Наименование>Трёхполюсные</Наименование></Группа></Группы>
      </Группа>
    </Группы>
    <Свойства>
      <Свойство><Ид>P1</Ид><Наименование>Полюсов</Наименование><ТипЗначений>Число</ТипЗначений></Свойство>
      <Свойство><Ид>P2</Ид><Наименование>Страна</Наименование><ТипЗначений>Справочник</ТипЗначений>
        <ВариантыЗначений><Справочник><ИдЗначения>V1</ИдЗначения><Значение>Россия</Значение></Справочник></ВариантыЗначений>
      </Свойство>
    </Свойства>
  </Классификатор>
  <Каталог СодержитТолькоИзменения="false">
    <Товары>
      <Товар>
        <Ид>T1</Ид><Артикул>ВА47-29</Артикул><Наименование>Автомат ВА47-29 3P 16А</Наименование>
        <БазоваяЕдиница Код="796 " НаименованиеПолное="Штука"/>
        <Группы><Ид>G2</Ид></Группы>
        <Описание>Модульный автомат</Описание>
        <Изготовитель><Ид>M1</Ид><Наименование>IEK</Наименование></Изготовитель>
        <ЗначенияСвойств>
          <ЗначенияСвойства><Ид>P1</Ид><Значение>3</Значение></ЗначенияСвойства>
          <ЗначенияСвойства><Ид>P2</Ид><Значение>V1</Значение></ЗначенияСвойства>
        </ЗначенияСвойств>
        <СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование><Ставка>22</Ставка></СтавкаНалога></СтавкиНалогов>
      </Товар>
      <Товар Статус="Удален">
        <Ид>T2</Ид><Штрихкод>4600000000017</Штрихкод><Наименование>Снятый товар</Наименование>
        <БазоваяЕдиница>кг</БазоваяЕдиница>
        <СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование>
          <Ставка>Без НДС</Ставка></СтавкаНалога></СтавкиНалогов>
      </Товар>
      <Товар>
        <Ид>T3</Ид><ПометкаУдаления>true</ПометкаУдаления><Наименование>Помеченный</Наименование>
      </Товар>
      <Товар><Ид>T1#C1</Ид><Артикул>ВА47-29</Артикул><Наименование>Характеристика</Наименование></Товар>
    </Товары>
  </Каталог>
</КоммерческаяИнформация>"""


def test_catalog_2_07_with_bom_maps_groups_products_attributes_and_deletion(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, CATALOG.format(ns=NS2, version="2.07"), bom=True)

    chunks = list(read_document(path))

    assert [chunk.resource for chunk in chunks] == ["categories", "products"]
    categories, products = chunks[0].items, chunks[1].items
    # The nested group ends first in the file; its parent still comes first.
    assert categories == [
        {"id": "G1", "name": "Автоматы"},
        {"id": "G2", "name": "Трёхполюсные", "parent_id": "G1"},
    ]
    assert products[0] == {
        "id": "T1",
        "code": "ВА47-29",
        "name": "Автомат ВА47-29 3P 16А",
        "unit": "шт",
        "attributes": [{"name": "Полюсов", "value": "3"}, {"name": "Страна", "value": "Россия"}],
        "is_active": True,
        "category_id": "G2",
        "brand": "IEK",
        "vat_rate": "22.00",
        "description": "Модульный автомат",
    }
    deleted, marked = products[1], products[2]
    assert (deleted["code"], deleted["unit"], deleted["vat_rate"]) == (
        "4600000000017",
        "кг",
        "0.00",
    )
    assert deleted["is_active"] is False
    # No article and no barcode: the id is the code.
    assert (marked["code"], marked["is_active"]) == ("T3", False)
    # The characteristic T1#C1 is no product of its own.
    assert [product["id"] for product in products] == ["T1", "T2", "T3"]


def test_catalog_without_namespace_2_03_reads_the_same(tmp_path: Path) -> None:
    with_namespace = items(write(tmp_path, CATALOG.format(ns=NS2, version="2.07"), name="a.xml"))
    without = items(write(tmp_path, CATALOG.format(ns="", version="2.03"), name="b.xml"))

    assert without == with_namespace
    assert len(without["products"]) == 3


def test_windows_1251_file_is_decoded_by_its_prolog(tmp_path: Path) -> None:
    path = write(tmp_path, CATALOG.format(ns="", version="2.05"), encoding="windows-1251")
    assert b"\xc0\xe2\xf2\xee\xec\xe0\xf2\xfb" in path.read_bytes()  # «Автоматы» in cp1251

    found = items(path)

    assert found["categories"][0]["name"] == "Автоматы"
    assert found["products"][0]["name"] == "Автомат ВА47-29 3P 16А"


OFFERS_ATTRIBUTE_FORM = f"""<КоммерческаяИнформация {NS2} ВерсияСхемы="2.07">
  <ПакетПредложений СодержитТолькоИзменения="false">
    <ТипыЦен>
      <ТипЦены><Ид>PT1</Ид><Наименование>Оптовая</Наименование><Валюта>руб</Валюта>
        <Налог><Наименование>НДС</Наименование><УчтеноВСумме>false</УчтеноВСумме></Налог></ТипЦены>
      <ТипЦены><Ид>PT2</Ид><Наименование>Экспорт</Наименование><Валюта>840</Валюта></ТипЦены>
    </ТипыЦен>
    <Склады><Склад><Ид>W1</Ид><Наименование>Москва</Наименование>
      <Адрес><Представление>г. Москва, ул. Складская, 7</Представление></Адрес></Склад>
      <Склад><Ид>W2</Ид><Наименование>Казань</Наименование></Склад></Склады>
    <Предложения>
      <Предложение><Ид>T1</Ид>
        <Цены><Цена><ИдТипаЦены>PT1</ИдТипаЦены><ЦенаЗаЕдиницу>1 012,5</ЦенаЗаЕдиницу></Цена>
              <Цена><ИдТипаЦены>PT2</ИдТипаЦены><Цена>11.999</Цена></Цена></Цены>
        <Склад ИдСклада="W1" КоличествоНаСкладе="120"/>
        <Склад ИдСклада="W2" КоличествоНаСкладе="-3"/>
      </Предложение>
      <Предложение><Ид>T2#C1</Ид><Склад ИдСклада="W1" КоличествоНаСкладе="2,5"/></Предложение>
      <Предложение><Ид>T2#C2</Ид><Склад ИдСклада="W1" КоличествоНаСкладе="1"/></Предложение>
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>"""


def test_offers_in_the_attribute_stock_form_give_price_types_warehouses_prices_and_stock(
    tmp_path: Path,
) -> None:
    chunks = list(read_document(write(tmp_path, OFFERS_ATTRIBUTE_FORM)))

    assert [chunk.resource for chunk in chunks] == ["price-types", "warehouses", "prices", "stock"]
    price_types, warehouses, prices, stock = (chunk.items for chunk in chunks)
    assert price_types == [
        {"id": "PT1", "name": "Оптовая", "currency": "RUB", "includes_vat": False},
        {"id": "PT2", "name": "Экспорт", "currency": "USD", "includes_vat": True},
    ]
    assert warehouses[0] == {"id": "W1", "name": "Москва", "address": "г. Москва, ул. Складская, 7"}
    assert prices == [
        {"product_id": "T1", "price_type_id": "PT1", "amount": "1012.50"},
        {"product_id": "T1", "price_type_id": "PT2", "amount": "12.00"},
    ]
    # A negative balance is no stock; characteristics of T2 add up on the product.
    assert stock == [
        {"product_id": "T1", "warehouse_id": "W1", "quantity": "120"},
        {"product_id": "T1", "warehouse_id": "W2", "quantity": "0"},
        {"product_id": "T2", "warehouse_id": "W1", "quantity": "3.5"},
    ]
    assert chunks[2].options == chunks[3].options == {"full_snapshot": True}
    assert chunks[0].options == {}


def test_a_snapshot_split_over_several_chunks_is_sent_as_changes(tmp_path: Path) -> None:
    # Each batch of a split snapshot would delete the rows of the others.
    chunks = list(read_document(write(tmp_path, OFFERS_ATTRIBUTE_FORM), chunk_size=1))

    stock = [chunk for chunk in chunks if chunk.resource == "stock"]
    assert sum(len(chunk.items) for chunk in stock) == 3
    assert all(chunk.options == {} for chunk in stock)
    assert all(len(chunk.items) <= 2 for chunk in chunks if chunk.resource == "prices")


RESTS_3_1 = f"""<КоммерческаяИнформация {NS3} ВерсияСхемы="3.1">
  <ПакетПредложений СодержитТолькоИзменения="true">
    <Предложения>
      <Предложение><Ид>T1</Ид>
        <Остатки>
          <Остаток><Склад><Ид>W1</Ид><Количество>7</Количество></Склад></Остаток>
          <Остаток><Склад><Ид>W2</Ид><Количество>0</Количество></Склад></Остаток>
        </Остатки>
      </Предложение>
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>"""


def test_rests_in_the_element_form_are_changes_only(tmp_path: Path) -> None:
    chunks = list(read_document(write(tmp_path, RESTS_3_1, bom=True)))

    assert [(chunk.resource, chunk.options) for chunk in chunks] == [("stock", {})]
    assert chunks[0].items == [
        {"product_id": "T1", "warehouse_id": "W1", "quantity": "7"},
        {"product_id": "T1", "warehouse_id": "W2", "quantity": "0"},
    ]


def test_chunks_respect_the_size_and_keep_dependency_order(tmp_path: Path) -> None:
    products = "".join(
        f"<Товар><Ид>T{n}</Ид><Наименование>Товар {n}</Наименование></Товар>" for n in range(5)
    )
    body = (
        f"<КоммерческаяИнформация><Классификатор><Группы><Группа><Ид>G</Ид>"
        f"<Наименование>Г</Наименование></Группа></Группы></Классификатор>"
        f"<Каталог><Товары>{products}</Товары></Каталог></КоммерческаяИнформация>"
    )

    chunks = list(read_document(write(tmp_path, body), chunk_size=2))

    assert [(chunk.resource, len(chunk.items)) for chunk in chunks] == [
        ("categories", 1),
        ("products", 2),
        ("products", 2),
        ("products", 1),
    ]


DOCUMENTS_3_1 = f"""<КоммерческаяИнформация {NS3} ВерсияСхемы="3.1">
  <Контейнер>
    <Документ>
      <Ид>guid-1</Ид><Номер>B2B-000123</Номер><Номер1С>ЗК-4513</Номер1С>
      <Дата>2026-03-14</Дата><Время>11:20:00</Время><ХозОперация>Заказ товара</ХозОперация>
      <Сумма>100</Сумма>
      <ЗначенияРеквизитов>
        <ЗначениеРеквизита><Наименование>Проведен</Наименование>
          <Значение>true</Значение></ЗначениеРеквизита>
        <ЗначениеРеквизита><Наименование>Номер отгрузки по 1С</Наименование>
          <Значение>РТУ-1877</Значение></ЗначениеРеквизита>
        <ЗначениеРеквизита><Наименование>Дата отгрузки по 1С</Наименование>
          <Значение>2026-03-18T09:40:00</Значение></ЗначениеРеквизита>
      </ЗначенияРеквизитов>
      <Товары><Товар><Ид>T1</Ид><Наименование>Автомат</Наименование><Количество>1</Количество><Цена>100</Цена><Сумма>100</Сумма></Товар></Товары>
    </Документ>
  </Контейнер>
  <Контейнер>
    <Документ>
      <Ид>guid-2</Ид><Номер>ЗК-0007</Номер><Дата>2026-03-15</Дата><Время>09:00:00</Время>
      <ХозОперация>Заказ товара</ХозОперация><ПометкаУдаления>true</ПометкаУдаления>
      <Контрагенты><Контрагент><Ид>LE-1</Ид><Наименование>ООО Ромашка</Наименование>
        <ИНН>7707083893</ИНН><КПП>773601001</КПП><Роль>Покупатель</Роль></Контрагент></Контрагенты>
      <Сумма>2456</Сумма>
      <Товары>
        <Товар><Ид>T1#C1</Ид><Наименование>Автомат</Наименование><Количество>2</Количество>
          <ЦенаЗаЕдиницу>1000</ЦенаЗаЕдиницу><Сумма>2000</Сумма>
          <Налоги><Налог><Наименование>НДС</Наименование><УчтеноВСумме>false</УчтеноВСумме><Ставка>22</Ставка></Налог></Налоги>
        </Товар>
        <Товар><Ид>ORDER_DELIVERY</Ид><Наименование>Доставка заказа</Наименование>
          <Количество>1</Количество><Цена>16</Цена><Сумма>16</Сумма></Товар>
      </Товары>
      <ПодчиненныеДокументы>
        <ПодчиненныйДокумент><Ид>PAY-1</Ид><Номер>ПП-871</Номер><Дата>2026-03-16</Дата>
          <ХозОперация>Выплата безналичных денег</ХозОперация><Сумма>1220</Сумма>
        </ПодчиненныйДокумент>
        <ПодчиненныйДокумент><Ид>SHP-1</Ид><Номер>РТУ-9</Номер><Дата>2026-03-17</Дата><Время>10:00:00</Время>
          <ХозОперация>Отпуск товара</ХозОперация>
          <Товары><Товар><Ид>T1</Ид><Наименование>Автомат</Наименование><Количество>1</Количество><Цена>1220</Цена></Товар></Товары>
        </ПодчиненныйДокумент>
      </ПодчиненныеДокументы>
    </Документ>
  </Контейнер>
</КоммерческаяИнформация>"""


def test_documents_in_containers_become_order_updates_orders_shipments_and_payments(
    tmp_path: Path,
) -> None:
    chunks = list(read_document(write(tmp_path, DOCUMENTS_3_1)))

    found = {chunk.resource: chunk.items for chunk in chunks}
    assert [chunk.resource for chunk in chunks] == [
        "orders",
        "order-updates",
        "shipments",
        "settlement-records",
    ]
    assert found["order-updates"] == [
        {
            "id": "B2B-000123",
            "status": "shipped",
            "erp_number": "ЗК-4513",
            "status_comment": "Отгрузка РТУ-1877 от 18.03.2026",
        }
    ]
    (order,) = found["orders"]
    assert order["id"] == "guid-2"
    assert order["legal_entity_id"] == "LE-1"
    assert order["status"] == "cancelled"  # ПометкаУдаления
    assert order["placed_at"] == "2026-03-15T09:00:00"
    # The delivery line is no product line; a price without VAT gets it added.
    assert order["lines"] == [{"product_id": "T1", "quantity": "2", "price": "1220.00"}]
    assert found["shipments"] == [
        {
            "id": "SHP-1",
            "number": "РТУ-9",
            "shipped_at": "2026-03-17T10:00:00",
            "legal_entity_id": "LE-1",
            "order_id": "guid-2",
            "lines": [{"product_id": "T1", "quantity": "1", "price": "1220.00"}],
        }
    ]
    assert found["settlement-records"] == [
        {
            "id": "PAY-1",
            "legal_entity_id": "LE-1",
            "kind": "payment",
            "date": "2026-03-16",
            "number": "ПП-871",
            "credit": "1220.00",
            "order_id": "guid-2",
        }
    ]


def test_read_orders_keeps_service_lines_and_the_counterparty(tmp_path: Path) -> None:
    orders = read_orders(write(tmp_path, DOCUMENTS_3_1))

    assert [order.number for order in orders] == ["B2B-000123", "ЗК-0007"]
    second = orders[1]
    assert (second.inn, second.kpp, second.total) == ("7707083893", "773601001", Decimal(2456))
    assert [(line.product_id, line.is_service) for line in second.lines] == [
        ("T1#C1", False),
        ("ORDER_DELIVERY", True),
    ]
    assert [line.product_id for line in second.product_lines] == ["T1#C1"]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>&lol3;</Ид><Наименование>x</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>&xxe;</Ид><Наименование>x</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>"""


@pytest.mark.parametrize("content", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entities_and_dtds_are_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "attack.xml"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommerceMLError) as refused:
        list(read_document(path))

    assert "запрещены" in refused.value.message
    assert "root:" not in refused.value.message


def test_malformed_xml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "<КоммерческаяИнформация>\n<Каталог>\n<Товары>\n<Товар></Товары>\n</КоммерческаяИнформация>",
    )

    with pytest.raises(CommerceMLError) as refused:
        list(read_document(path))

    assert refused.value.line == 5
    assert "строка 5" in refused.value.message


def test_a_file_that_is_not_commerceml_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "<html><body>Ошибка 502</body></html>")

    with pytest.raises(CommerceMLError, match="не файл CommerceML"):
        list(read_document(path))


def test_a_price_that_is_not_a_number_names_the_product(tmp_path: Path) -> None:
    body = OFFERS_ATTRIBUTE_FORM.replace("1 012,5", "много")

    with pytest.raises(CommerceMLError, match=r"'T1'.*много"):
        list(read_document(write(tmp_path, body)))


def test_an_unknown_currency_is_refused_with_its_name(tmp_path: Path) -> None:
    body = OFFERS_ATTRIBUTE_FORM.replace("<Валюта>руб</Валюта>", "<Валюта>тугрики</Валюта>")

    with pytest.raises(CommerceMLError, match="тугрики"):
        list(read_document(write(tmp_path, body)))


def test_drop_unknown_products_keeps_the_known_rows_and_names_the_others() -> None:
    chunk = Chunk(
        "stock",
        [
            {"product_id": "T1", "warehouse_id": "W1", "quantity": "1"},
            {"product_id": "T9", "warehouse_id": "W1", "quantity": "2"},
        ],
        {"full_snapshot": True},
    )

    kept, missing = drop_unknown_products(chunk, lambda ids: {"T1"} & set(ids))

    assert kept.items == [{"product_id": "T1", "warehouse_id": "W1", "quantity": "1"}]
    assert kept.options == {"full_snapshot": True}
    assert missing == ["T9"]


def test_a_snapshot_of_only_unknown_products_is_no_snapshot() -> None:
    chunk = Chunk(
        "stock",
        [{"product_id": "T9", "warehouse_id": "W1", "quantity": "2"}],
        {"full_snapshot": True},
    )

    kept, missing = drop_unknown_products(chunk, lambda ids: set())

    # An empty full snapshot would set every stored stock row to zero.
    assert (kept.items, kept.options, missing) == ([], {}, ["T9"])


def test_drop_unknown_products_leaves_other_resources_alone() -> None:
    chunk = Chunk("products", [{"id": "T9", "code": "A", "name": "B"}], {})

    assert drop_unknown_products(chunk, lambda ids: set()) == (chunk, [])


def test_offer_changes_are_never_a_snapshot(tmp_path: Path) -> None:
    body = OFFERS_ATTRIBUTE_FORM.replace(
        '<ПакетПредложений СодержитТолькоИзменения="false">', "<ИзмененияПакетаПредложений>"
    ).replace("</ПакетПредложений>", "</ИзмененияПакетаПредложений>")

    chunks = list(read_document(write(tmp_path, body)))

    assert {chunk.resource for chunk in chunks} == {"price-types", "warehouses", "prices", "stock"}
    assert all(chunk.options == {} for chunk in chunks)


def test_contractors_and_other_documents_give_nothing(tmp_path: Path) -> None:
    body = f"""<КоммерческаяИнформация {NS3} ВерсияСхемы="3.1">
      <Контрагенты><Контрагент><Ид>LE-1</Ид><Наименование>ООО Ромашка</Наименование>
        <ИНН>7707083893</ИНН></Контрагент></Контрагенты>
      <Контейнер><Документ><Ид>D1</Ид><Номер>РТУ-1</Номер><ХозОперация>Отпуск товара</ХозОперация>
      </Документ></Контейнер>
    </КоммерческаяИнформация>"""

    assert list(read_document(write(tmp_path, body))) == []


def test_a_missing_file_is_a_readable_error(tmp_path: Path) -> None:
    with pytest.raises(CommerceMLError, match="файл не читается"):
        list(read_document(tmp_path / "import.xml"))
