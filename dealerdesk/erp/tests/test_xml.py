"""The XML form of a batch: the same result as JSON, and nothing an XML parser can be fooled
with (DTDs, entities, external references)."""

from __future__ import annotations

import pytest

from conftest import World
from dealerdesk.catalog.models import Warehouse
from dealerdesk.erp.models import ErpBatch, ErpItemVersion
from dealerdesk.erp.tests.pushing import push, row_counts

WAREHOUSES = "warehouses"
XML = "application/xml"


def warehouse_rows() -> list[tuple[str, str, str, int, bool]]:
    return list(
        Warehouse.objects.exclude(erp_id=None)
        .order_by("erp_id")
        .values_list("erp_id", "name", "address", "sort_order", "is_active")
    )


JSON_BATCH = {
    "items": [
        {"id": "WH-MSK", "name": "Москва", "address": "ул. Ленина, 1", "sort_order": 1},
        {"id": "WH-SPB", "name": "Санкт-Петербург", "is_active": False, "version": 3},
        {"id": "WH-KZN", "name": "Казань", "address": "", "changed_at": "2026-03-01T12:00"},
    ]
}
XML_BATCH = """<?xml version="1.0" encoding="UTF-8"?>
<batch>
  <items>
    <item>
      <id>WH-MSK</id><name>Москва</name><address>ул. Ленина, 1</address>
      <sort_order>1</sort_order>
    </item>
    <item><id>WH-SPB</id><name>Санкт-Петербург</name><is_active>false</is_active>
      <version>3</version></item>
    <item><id>WH-KZN</id><name>Казань</name><address/>
      <changed_at>2026-03-01T12:00</changed_at></item>
  </items>
</batch>
"""


def test_the_same_batch_in_xml_gives_the_same_result_as_json(world: World) -> None:
    as_json = push(world, WAREHOUSES, JSON_BATCH)
    json_rows = warehouse_rows()
    Warehouse.objects.exclude(erp_id=None).delete()
    # The versions are remembered: the same data again would be skipped, so forget them.
    ErpItemVersion.objects.all().delete()

    as_xml = push(world, WAREHOUSES, XML_BATCH.encode(), content_type=XML)

    assert as_json.status_code == as_xml.status_code == 200
    assert {**as_xml.json(), "batch_id": 0} == {**as_json.json(), "batch_id": 0}
    assert warehouse_rows() == json_rows
    assert len(json_rows) == 3
    assert ("WH-SPB", "Санкт-Петербург", "", 0, False) in json_rows
    batch = ErpBatch.objects.get(pk=as_xml.json()["batch_id"])
    assert bytes(batch.body) == XML_BATCH.encode()
    assert batch.content_type == XML


def test_text_xml_with_a_charset_and_windows_1251_is_read(world: World) -> None:
    body = (
        '<?xml version="1.0" encoding="windows-1251"?>'
        "<batch><items><item><id>WH-NSK</id><name>Новосибирск</name></item></items></batch>"
    ).encode("cp1251")

    response = push(world, WAREHOUSES, body, content_type="text/xml; charset=windows-1251")

    assert response.status_code == 200
    assert warehouse_rows() == [("WH-NSK", "Новосибирск", "", 0, True)]


def test_xml_errors_name_item_and_field_like_json(world: World) -> None:
    body = (
        "<batch><items><item><id>A</id><name>A</name></item>"
        "<item><id>B</id><name></name><colour>red</colour></item></items></batch>"
    )

    response = push(world, WAREHOUSES, body.encode(), content_type=XML)

    assert response.status_code == 422
    assert {(e["path"], e["code"]) for e in response.json()["errors"]} == {
        ("items[1].name", "empty"),
        ("items[1].colour", "unknown_field"),
    }
    assert warehouse_rows() == []


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("<batch><items><item><id>A</id></items></batch>", "line 1, column 33"),
        ("<batch>\n<items>\n  <item><id>A<id></item>\n</items></batch>", "line 3, column"),
        ("   ", "line 1, column 4"),
        ("not xml at all", "line 1, column 1"),
        ("<batch><items/></batch><batch/>", "line 1, column 24"),
    ],
    ids=["mismatched", "multiline", "blank", "text", "two-roots"],
)
def test_malformed_xml_is_400_with_line_and_column(world: World, body: str, where: str) -> None:
    before = row_counts()

    response = push(world, WAREHOUSES, body.encode(), content_type=XML)

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_xml"
    assert where in response.json()["message"]
    after = row_counts()
    assert after.pop("erp.ErpBatch") == before.pop("erp.ErpBatch") + 1  # journal only
    assert after == before


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<batch><items><item><id>A</id><name>&lol4;</name></item></items></batch>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE batch [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<batch><items><item><id>A</id><name>&secret;</name></item></items></batch>"""

PLAIN_DTD = """<?xml version="1.0"?>
<!DOCTYPE batch SYSTEM "http://example.com/batch.dtd">
<batch><items><item><id>A</id><name>A</name></item></items></batch>"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE batch [<!ENTITY % remote SYSTEM "http://example.com/x.dtd"> %remote;]>
<batch><items/></batch>"""


@pytest.mark.parametrize(
    "body",
    [BILLION_LAUGHS, XXE, PLAIN_DTD, PARAMETER_ENTITY],
    ids=["billion-laughs", "xxe", "dtd", "parameter-entity"],
)
def test_dtds_and_entities_are_refused(world: World, body: str) -> None:
    response = push(world, WAREHOUSES, body.encode(), content_type=XML)

    assert response.status_code == 400
    assert response.json()["code"] == "xml_not_allowed"
    assert "DTDs and entities are not allowed" in response.json()["message"]
    assert "root:" not in response.content.decode()
    assert warehouse_rows() == []


def test_namespaces_are_ignored(world: World) -> None:
    body = """<b:batch xmlns:b="urn:1c:exchange" xmlns="urn:default">
      <b:items><item><b:id>WH-NS</b:id><name>Тула</name></item></b:items>
    </b:batch>"""

    response = push(world, WAREHOUSES, body.encode(), content_type=XML)

    assert response.status_code == 200
    assert warehouse_rows() == [("WH-NS", "Тула", "", 0, True)]


@pytest.mark.parametrize(
    "body", ["<batch><items/></batch>", "<batch><items></items></batch>", "<batch/>"]
)
def test_an_empty_items_element_is_an_empty_batch(world: World, body: str) -> None:
    response = push(world, WAREHOUSES, body.encode(), content_type=XML)

    if body == "<batch/>":
        assert response.status_code == 422
        assert response.json()["errors"][0]["path"] == "items"
        assert response.json()["errors"][0]["code"] == "required"
    else:
        assert response.status_code == 200
        assert response.json()["received"] == 0


def test_comments_and_processing_instructions_are_ignored(world: World) -> None:
    body = (
        "<batch><!-- выгрузка из 1С --><items><?pi x?><item><id>A</id>"
        "<!-- склад --><name>Омск</name></item></items></batch>"
    )

    response = push(world, WAREHOUSES, body.encode(), content_type=XML)

    assert response.status_code == 200
    assert warehouse_rows() == [("A", "Омск", "", 0, True)]


def test_deeply_nested_xml_is_refused_without_a_crash(world: World) -> None:
    body = "<batch><items><item><id>A</id><name>" + "<x>" * 5000 + "</x>" * 5000
    body += "</name></item></items></batch>"

    response = push(world, WAREHOUSES, body.encode(), content_type=XML)

    assert response.status_code == 400
    assert response.json()["code"] == "xml_too_deep"
    assert warehouse_rows() == []


def test_a_nested_element_where_text_is_expected_is_a_field_error(world: World) -> None:
    body = "<batch><items><item><id>A</id><name><first>x</first></name></item></items></batch>"

    response = push(world, WAREHOUSES, body.encode(), content_type=XML)

    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "items[0].name"
    assert response.json()["errors"][0]["code"] == "not_a_string"
