"""The 1C exchange protocol driven with a test client exactly as 1C drives it: Basic credentials
on `checkauth`, the cookie from the answer's lines afterwards, chunked uploads, `import`
repeated until `success`, `query` and `success` for orders."""

from __future__ import annotations

import base64
import datetime
import io
import re
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import Persona, World
from dealerdesk.catalog.models import Product, Stock, Warehouse
from dealerdesk.erp.commerceml import exchange, read_document, read_orders
from dealerdesk.erp.commerceml.exchange import COOKIE_NAME
from dealerdesk.erp.models import ErpBatch, ErpClient, ExchangeSession
from dealerdesk.erp.tests.test_events import place_order
from dealerdesk.events.models import OutboxEvent
from dealerdesk.orders.models import Order
from dealerdesk.pricing.models import BasePrice, PriceType

SAMPLES = Path("/work/shared/samples/commerceml")
IMPORT = SAMPLES / "dobromyslov-commerceml-parser__import0_1.xml"
OFFERS = SAMPLES / "dobromyslov-commerceml-parser__offers0_1.xml"
DOCUMENTS = SAMPLES / "argentcrusade-commerceml__documents-example.xml"
PRICE_TYPE = "279b6812-740b-11e8-80c8-0cc47ab29cd1"  # BASE, the one price type of the offers
FIRST_PRODUCT = "bd8c4e15-18f9-11e7-80c2-0cc47ab29cd1"  # PM-421-WP, 100 RUB
CHUNK = 64 * 1024  # upload chunks smaller than the file limit, as 1C splits files


@pytest.fixture(autouse=True)
def _exchange_settings(settings: LazySettings, tmp_path: Path) -> None:
    settings.EXCHANGE_1C_AREA = tmp_path / "exchange"
    settings.EXCHANGE_1C_FILE_LIMIT = 100 * 1024
    settings.EXCHANGE_1C_ENCODING = "windows-1251"


class OneC:
    """What 1C does: no cookie jar, the cookie it read from the `checkauth` answer."""

    def __init__(self, login: str, key: str, kind: str) -> None:
        self.http = Client()
        self.login, self.key, self.kind = login, key, kind
        self.cookie = ""
        self.url = reverse("exchange_1c:exchange")

    def _headers(self) -> dict[str, str]:
        return {"Cookie": f"{COOKIE_NAME}={self.cookie}"} if self.cookie else {}

    def checkauth(self, *, key: str | None = None) -> list[str]:
        credentials = base64.b64encode(f"{self.login}:{key or self.key}".encode()).decode()
        response = Client().get(
            self.url,
            {"type": self.kind, "mode": "checkauth"},
            headers={"Authorization": f"Basic {credentials}"},
        )
        lines = self.lines(response)
        if lines[0] == "success":
            assert lines[1] == COOKIE_NAME
            self.cookie = lines[2]
        return lines

    def get(self, mode: str, **params: str) -> Any:
        self.http.cookies.clear()
        return self.http.get(
            self.url, {"type": self.kind, "mode": mode, **params}, headers=self._headers()
        )

    def call(self, mode: str, **params: str) -> list[str]:
        return self.lines(self.get(mode, **params))

    def upload(
        self,
        filename: str,
        content: bytes,
        *,
        chunk: int = CHUNK,
        content_type: str = "application/octet-stream",
    ) -> list[list[str]]:
        answers = []
        for start in range(0, len(content), chunk):
            self.http.cookies.clear()
            response = self.http.post(
                f"{self.url}?type={self.kind}&mode=file&filename={filename}",
                content[start : start + chunk],
                content_type=content_type,
                headers=self._headers(),
            )
            answers.append(self.lines(response))
        return answers

    def import_until_done(self, filename: str, *, limit: int = 200) -> list[list[str]]:
        answers = []
        for _ in range(limit):
            lines = self.call("import", filename=filename)
            answers.append(lines)
            if lines[0] != "progress":
                return answers
        raise AssertionError(f"import of {filename} never finished: {answers[-1]}")

    @staticmethod
    def lines(response: Any) -> list[str]:
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=windows-1251"
        return response.content.decode("windows-1251").split("\n")


def erp_login(world: World) -> str:
    return ErpClient.objects.get().login


@pytest.fixture
def one_c(world: World) -> OneC:
    return OneC(erp_login(world), world.erp_key, "catalog")


def sample_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(IMPORT, "import0_1.xml")
        archive.write(OFFERS, "offers0_1.xml")
    return buffer.getvalue()


def chunk_count(path: Path, size: int) -> int:
    return sum(1 for _ in read_document(path, chunk_size=size))


# --- catalog ------------------------------------------------------------------------------


def test_catalog_exchange_imports_a_zip_uploaded_in_chunks_step_by_step(
    one_c: OneC, world: World, settings: LazySettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: every step stops after one chunk of ten items; the zip goes in three requests
    settings.EXCHANGE_1C_STEP_SECONDS = 0
    settings.EXCHANGE_1C_FILE_LIMIT = 4096
    monkeypatch.setattr(exchange, "CHUNK_ITEMS", 10)
    content = sample_zip()
    assert 2 * 4000 < len(content) <= 3 * 4000

    # when
    auth = one_c.checkauth()
    init = one_c.call("init", version="3.1")
    uploads = one_c.upload("upload.zip", content, chunk=4000)
    catalog = one_c.import_until_done("import0_1.xml")
    offers = one_c.import_until_done("offers0_1.xml")
    complete = one_c.call("complete")

    # then
    assert auth[0] == "success"
    assert auth[3].startswith("sessid=")
    assert auth[4].startswith("timestamp=")
    session = ExchangeSession.objects.get()
    assert init == [
        "zip=yes",
        "file_limit=4096",
        f"sessid={session.sessid}",
        "version=2.08",
    ]
    assert uploads == [["success"]] * 3
    # The first step unpacks the archive, then one step per chunk of ten.
    assert catalog[0] == ["progress", "архив upload.zip распакован: файлов 2"]
    import_chunks, offer_chunks = chunk_count(IMPORT, 10), chunk_count(OFFERS, 10)
    assert import_chunks > 3
    assert len(catalog) == 1 + import_chunks
    assert len(offers) == offer_chunks
    assert all(answer[0] == "progress" for answer in catalog[:-1] + offers[:-1])
    assert catalog[-1][0] == "success"
    assert catalog[-1][1].startswith("import0_1.xml: загружено объектов")
    assert "products 36" in catalog[-1][1]
    assert offers[-1][0] == "success"
    assert (
        "пропущены цены и остатки товаров, которых нет в каталоге: 8 (например, " in (offers[-1][1])
    )
    assert complete == ["success"]
    # One journal batch per chunk: no chunk was applied twice.
    assert ErpBatch.objects.count() == import_chunks + offer_chunks
    assert set(ErpBatch.objects.values_list("status", flat=True)) == {"accepted"}

    imported = Product.objects.filter(erp_id__isnull=False)
    assert imported.count() == 36
    assert BasePrice.objects.filter(price_type__erp_id=PRICE_TYPE).count() == 36
    assert Warehouse.objects.filter(erp_id__isnull=False).count() == 3
    assert Stock.objects.filter(product__erp_id__isnull=False).count() == 36 * 3
    product = Product.objects.get(erp_id=FIRST_PRODUCT)
    assert product.code == "PM-421-WP"
    assert BasePrice.objects.get(product=product).amount == Decimal("100.00")


def test_importing_the_archive_by_its_own_name_imports_catalogue_then_offers(
    one_c: OneC, world: World
) -> None:
    # given: offers first in the archive; the content, not the order or names, decides
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(OFFERS, "a.xml")
        archive.write(IMPORT, "b.xml")
    one_c.checkauth()
    one_c.call("init")
    one_c.upload("bundle.zip", buffer.getvalue())

    # when
    answers = one_c.import_until_done("bundle.zip")

    # then
    assert answers[0][0] == "progress"
    assert answers[-1][0] == "success"
    assert answers[-1][1].startswith("b.xml: загружено объектов")
    assert "; a.xml: загружено объектов" in answers[-1][1]
    assert Product.objects.filter(erp_id__isnull=False).count() == 36
    assert BasePrice.objects.filter(price_type__erp_id=PRICE_TYPE).count() == 36


def test_a_file_kept_in_a_folder_of_the_archive_is_found_by_its_name(
    one_c: OneC, world: World
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(IMPORT, "1cbitrix/import0_1.xml")
    one_c.checkauth()
    one_c.call("init")
    one_c.upload("upload.zip", buffer.getvalue())
    answers = one_c.import_until_done("import0_1.xml")
    assert answers[-1][0] == "success"
    assert answers[-1][1].startswith("1cbitrix/import0_1.xml: загружено объектов 37")
    assert Product.objects.filter(erp_id__isnull=False).count() == 36


def test_a_dealer_sees_the_price_of_an_imported_product(one_c: OneC, world: World) -> None:
    # given
    one_c.checkauth()
    one_c.call("init")
    one_c.upload("import0_1.xml", IMPORT.read_bytes())
    one_c.upload("offers0_1.xml", OFFERS.read_bytes())
    assert one_c.import_until_done("import0_1.xml")[-1][0] == "success"
    assert one_c.import_until_done("offers0_1.xml")[-1][0] == "success"
    world.a_main.price_type = PriceType.objects.get(erp_id=PRICE_TYPE)
    world.a_main.save(update_fields=["price_type"])
    product = Product.objects.get(erp_id=FIRST_PRODUCT)

    # when
    page = world.client_for(Persona.EMPLOYEE_WITH_RIGHT).get(
        reverse("catalog:product_detail", args=[product.id])
    )

    # then
    assert page.status_code == 200
    html = page.content.decode()
    assert "PM-421-WP" in html
    assert "100,00" in html


def test_a_repeated_import_step_replays_instead_of_writing_twice(one_c: OneC, world: World) -> None:
    # given: the catalogue imported, then the session forgets it (a crash before saving)
    one_c.checkauth()
    one_c.call("init")
    one_c.upload("import0_1.xml", IMPORT.read_bytes())
    assert one_c.import_until_done("import0_1.xml")[-1][0] == "success"
    batches = ErpBatch.objects.count()
    session = ExchangeSession.objects.get()
    session.state = {}
    session.save(update_fields=["state"])

    # when
    answers = one_c.import_until_done("import0_1.xml")

    # then: the same idempotency keys answered from the journal
    assert answers[-1][0] == "success"
    assert ErpBatch.objects.count() == batches
    assert Product.objects.filter(erp_id__isnull=False).count() == 36


def test_deactivate_archives_the_erp_products_the_full_upload_did_not_send(
    one_c: OneC, world: World
) -> None:
    # given: a product the ERP sent earlier, and one made in the portal
    gone = Product.objects.create(code="GONE-1", name="Снятый товар", erp_id="gone-1")
    one_c.checkauth()
    one_c.call("init")
    one_c.upload("import0_1.xml", IMPORT.read_bytes())
    one_c.import_until_done("import0_1.xml")
    active = set(Product.objects.filter(is_active=True).values_list("erp_id", flat=True))

    # when
    answer = one_c.call("deactivate", timestamp="0")

    # then
    assert answer == ["success", "товаров в выгрузке 36; снято с публикации (в архив) 1"]
    gone.refresh_from_db()
    world.breaker.refresh_from_db()
    assert gone.is_active is False
    assert world.breaker.is_active is True
    assert set(Product.objects.filter(is_active=True).values_list("erp_id", flat=True)) == (
        active - {"gone-1"}
    )


def test_deactivate_without_products_in_the_exchange_archives_nothing(
    one_c: OneC, world: World
) -> None:
    Product.objects.create(code="KEEP-1", name="Товар ERP", erp_id="keep-1")
    one_c.checkauth()
    one_c.call("init")
    answer = one_c.call("deactivate")
    assert answer == ["success", "товары в этом обмене не загружались: архивировать нечего"]
    assert Product.objects.get(erp_id="keep-1").is_active is True


@pytest.mark.parametrize(
    "content_type", ["application/octet-stream", "application/x-www-form-urlencoded", ""]
)
def test_chunks_are_appended_and_a_new_init_clears_the_area(
    one_c: OneC, world: World, content_type: str
) -> None:
    one_c.checkauth()
    one_c.call("init")
    answers = one_c.upload(
        "import_files/ab/picture.jpg", b"x=" * 500, chunk=300, content_type=content_type
    )
    assert answers == [["success"]] * 4
    session = ExchangeSession.objects.get()
    stored = exchange.session_area(session) / "import_files" / "ab" / "picture.jpg"
    assert stored.read_bytes() == b"x=" * 500
    one_c.call("init")
    assert not stored.exists()
    assert exchange.session_area(session).is_dir()


@pytest.mark.parametrize(
    "filename",
    [
        "../escape.xml",
        "import_files/../../escape.xml",
        "/etc/escape.xml",
        "..\\escape.xml",
        "C:\\escape.xml",
        ".hidden.xml",
        "script.php",
        "import.xml\x00.jpg",
    ],
)
def test_a_file_name_leaving_the_area_or_of_a_foreign_type_is_refused(
    one_c: OneC, world: World, settings: LazySettings, filename: str
) -> None:
    # given
    one_c.checkauth()
    one_c.call("init")

    # when
    answers = one_c.upload(filename, b"<x/>")

    # then
    assert answers[0][0] == "failure"
    assert "недопустим" in answers[0][1]
    area = Path(settings.EXCHANGE_1C_AREA)
    assert not (area.parent / "escape.xml").exists()
    assert [path.name for path in area.rglob("*") if path.is_file()] == []


def test_a_zip_with_a_path_leaving_the_area_is_refused(
    one_c: OneC, world: World, settings: LazySettings
) -> None:
    # given
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../slip.xml", "<x/>")
    one_c.checkauth()
    one_c.call("init")
    assert one_c.upload("upload.zip", buffer.getvalue()) == [["success"]]

    # when
    answer = one_c.call("import", filename="import.xml")

    # then
    assert answer[0] == "failure"
    assert answer[1].startswith("upload.zip: архив отклонён")
    assert list(Path(settings.EXCHANGE_1C_AREA).parent.rglob("slip.xml")) == []
    assert Product.objects.filter(erp_id__isnull=False).count() == 0


def test_a_chunk_over_the_file_limit_is_refused_and_leaves_the_file_as_it_was(
    one_c: OneC, world: World
) -> None:
    one_c.checkauth()
    one_c.call("init")
    one_c.upload("import.xml", b"a" * 10)
    answer = one_c.upload("import.xml", b"b" * (100 * 1024 + 1), chunk=200 * 1024)
    assert answer[0][0] == "failure"
    assert "file_limit=102400" in answer[0][1]
    stored = exchange.session_area(ExchangeSession.objects.get()) / "import.xml"
    assert stored.read_bytes() == b"a" * 10


def test_a_broken_file_fails_with_a_readable_reason(one_c: OneC, world: World) -> None:
    one_c.checkauth()
    one_c.call("init")
    one_c.upload("import.xml", IMPORT.read_bytes()[:5000])
    answer = one_c.call("import", filename="import.xml")
    assert answer[0] == "failure"
    assert answer[1].startswith("import.xml: ")
    assert Product.objects.filter(erp_id__isnull=False).count() == 0


def test_an_import_of_a_file_not_uploaded_fails(one_c: OneC, world: World) -> None:
    one_c.checkauth()
    one_c.call("init")
    answer = one_c.call("import", filename="offers.xml")
    assert answer == ["failure", "файл offers.xml не загружен в этом сеансе обмена (mode=file)"]


# --- authentication -------------------------------------------------------------------------


def test_bad_credentials_get_failure_and_no_session(one_c: OneC, world: World) -> None:
    answer = one_c.checkauth(key="ddk_wrong")
    assert answer[0] == "failure"
    assert "неверный логин или ключ" in answer[1]
    assert ExchangeSession.objects.count() == 0


def test_checkauth_without_basic_credentials_fails(world: World) -> None:
    response = Client().get(reverse("exchange_1c:exchange"), {"type": "sale", "mode": "checkauth"})
    assert OneC.lines(response)[0] == "failure"
    assert ExchangeSession.objects.count() == 0


def test_the_key_of_another_login_does_not_pass(one_c: OneC, world: World) -> None:
    one_c.login = "someone-else"
    assert one_c.checkauth()[0] == "failure"


@pytest.mark.parametrize("mode", ["init", "file", "import", "deactivate", "complete"])
def test_without_the_cookie_every_mode_fails_and_writes_nothing(
    one_c: OneC, world: World, mode: str
) -> None:
    response = one_c.get(mode, filename="import.xml")
    answer = OneC.lines(response)
    assert answer[0] == "failure"
    assert "cookie" in answer[1]
    assert ExchangeSession.objects.count() == 0


def test_an_unknown_or_expired_cookie_fails(one_c: OneC, world: World) -> None:
    one_c.checkauth()
    good = one_c.cookie
    one_c.cookie = "forged"
    assert one_c.call("init")[0] == "failure"
    one_c.cookie = good
    ExchangeSession.objects.update(
        last_request_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    answer = one_c.call("init")
    assert answer == [
        "failure",
        "сеанс обмена не найден или истёк: начните обмен заново (checkauth)",
    ]


def test_a_wrong_sessid_fails(one_c: OneC, world: World) -> None:
    one_c.checkauth()
    assert one_c.call("init", sessid="0" * 32)[0] == "failure"
    session = ExchangeSession.objects.get()
    assert one_c.call("init", sessid=session.sessid)[0] == "zip=yes"


def test_a_revoked_client_cannot_continue_its_session(one_c: OneC, world: World) -> None:
    one_c.checkauth()
    ErpClient.objects.update(is_active=False)
    assert one_c.call("init") == ["failure", "ключ ERP-клиента отозван: обмен запрещён"]


def test_unknown_type_and_mode_fail(one_c: OneC, world: World) -> None:
    one_c.checkauth()
    assert one_c.call("info")[0] == "failure"
    one_c.kind = "stock"
    assert one_c.call("init")[0] == "failure"


def test_erp_client_create_prints_login_then_key_and_they_pass_checkauth(db: None) -> None:
    # given
    out = StringIO()
    call_command("erp_client_create", "1C UT main", stdout=out)
    lines = out.getvalue().strip().splitlines()

    # then
    assert lines[-2] == "LOGIN 1c-ut-main"
    assert lines[-1].startswith("KEY ddk_")
    one_c = OneC(lines[-2].removeprefix("LOGIN "), lines[-1].removeprefix("KEY "), "sale")
    assert one_c.checkauth()[0] == "success"


def test_a_name_without_a_usable_slug_gets_the_login_erp_and_id(db: None) -> None:
    out = StringIO()
    call_command("erp_client_create", "1C: Управление торговлей", stdout=out)
    client = ErpClient.objects.get()
    assert client.login == f"erp{client.id}"
    assert f"LOGIN erp{client.id}" in out.getvalue().splitlines()


def test_a_taken_slug_gives_the_second_client_the_login_erp_and_id(db: None) -> None:
    call_command("erp_client_create", "Main ERP", stdout=StringIO())
    call_command("erp_client_create", "main-erp", stdout=StringIO())
    second = ErpClient.objects.get(name="main-erp")
    assert ErpClient.objects.get(name="Main ERP").login == "main-erp"
    assert second.login == f"erp{second.id}"


# --- orders ---------------------------------------------------------------------------------


@pytest.fixture
def sale(world: World) -> OneC:
    return OneC(erp_login(world), world.erp_key, "sale")


def query(one_c: OneC, tmp_path: Path, name: str = "query.xml") -> tuple[Any, Path]:
    response = one_c.get("query")
    assert response.status_code == 200
    path = tmp_path / name
    path.write_bytes(response.content)
    return response, path


def test_a_portal_order_appears_in_query_and_parses_back_with_its_lines(
    sale: OneC, world: World, tmp_path: Path
) -> None:
    # given
    order = place_order(world)
    sale.checkauth()
    sale.call("init")

    # when
    response, path = query(sale, tmp_path)

    # then
    assert response["Content-Type"] == "application/xml; charset=windows-1251"
    assert response.content.startswith(b'<?xml version="1.0" encoding="windows-1251"?>')
    (parsed,) = read_orders(path)
    assert parsed.number == order.number
    assert parsed.id == order.number
    assert parsed.portal_reference == order.number
    assert parsed.total == order.amount_with_vat
    assert parsed.counterparty_name == world.a_main.name
    assert parsed.inn == world.a_main.inn
    assert parsed.currency in ("RUB", "руб")
    lines = order.lines.order_by("position")
    assert [(line.code, line.quantity, line.price, line.amount) for line in parsed.lines] == [
        (line.code, line.quantity, line.price, line.amount) for line in lines
    ]
    assert [line.product_id for line in parsed.lines] == [
        line.product.erp_id or line.code for line in lines
    ]
    assert {line.vat_rate for line in parsed.lines} == {Decimal(22)}
    assert parsed.requisite("Метод доставки") == "pickup"
    assert parsed.requisite("Номер заказа покупателя") == "PO-4471"
    assert parsed.comment == "Для объекта на Лесной"


def test_success_acknowledges_so_the_order_is_not_sent_again(
    sale: OneC, world: World, tmp_path: Path
) -> None:
    # given
    order = place_order(world)
    sale.checkauth()
    sale.call("init")
    _, first = query(sale, tmp_path)
    assert [parsed.number for parsed in read_orders(first)] == [order.number]

    # when
    acknowledged = sale.call("success")

    # then
    assert acknowledged[0] == "success"
    sale.checkauth()
    _, second = query(sale, tmp_path, "second.xml")
    assert read_orders(second) == []
    first_session = ExchangeSession.objects.earliest("id")
    assert ErpClient.objects.get().acknowledged_event_id == first_session.query_cursor


def test_an_order_is_sent_again_when_success_never_came(
    sale: OneC, world: World, tmp_path: Path
) -> None:
    # given: a query whose answer 1C never acknowledged
    order = place_order(world)
    sale.checkauth()
    query(sale, tmp_path)

    # when: the next exchange
    sale.checkauth()
    _, again = query(sale, tmp_path, "again.xml")

    # then
    assert [parsed.number for parsed in read_orders(again)] == [order.number]
    assert ErpClient.objects.get().acknowledged_event_id == 0


def test_success_of_another_session_does_not_acknowledge_this_query(
    sale: OneC, world: World, tmp_path: Path
) -> None:
    order = place_order(world)
    other = OneC(sale.login, sale.key, "sale")
    other.checkauth()
    sale.checkauth()
    query(sale, tmp_path)
    assert other.call("success")[0] == "success"
    assert ErpClient.objects.get().acknowledged_event_id == 0
    _, again = query(sale, tmp_path, "again.xml")
    assert [parsed.number for parsed in read_orders(again)] == [order.number]


@pytest.mark.parametrize("encoding", ["windows-1251", "utf-8"])
def test_both_encodings_give_parseable_xml(
    sale: OneC, world: World, tmp_path: Path, settings: LazySettings, encoding: str
) -> None:
    # given: a name windows-1251 has no letter for
    settings.EXCHANGE_1C_ENCODING = encoding
    order = place_order(world)
    event = OutboxEvent.objects.get(kind="order.placed")
    event.payload = {**event.payload, "comment": "Ø 20 мм ≥ 3 шт"}
    event.save(update_fields=["payload"])
    credentials = base64.b64encode(f"{sale.login}:{sale.key}".encode()).decode()
    auth = Client().get(
        reverse("exchange_1c:exchange"),
        {"type": "sale", "mode": "checkauth"},
        headers={"Authorization": f"Basic {credentials}"},
    )
    assert auth["Content-Type"] == f"text/plain; charset={encoding}"
    sale.cookie = auth.content.decode(encoding).split("\n")[2]

    # when
    response, path = query(sale, tmp_path)

    # then
    assert response["Content-Type"] == f"application/xml; charset={encoding}"
    assert response.content.startswith(f'<?xml version="1.0" encoding="{encoding}"?>'.encode())
    (parsed,) = read_orders(path)
    assert parsed.comment == "Ø 20 мм ≥ 3 шт"
    assert parsed.total == order.amount_with_vat


def test_an_empty_query_is_a_document_without_orders(
    sale: OneC, world: World, tmp_path: Path
) -> None:
    sale.checkauth()
    response, path = query(sale, tmp_path)
    assert "КоммерческаяИнформация".encode("cp1251") in response.content
    assert read_orders(path) == []
    assert sale.call("success")[0] == "success"


def test_orders_from_1c_for_unknown_orders_are_reported_by_number(sale: OneC, world: World) -> None:
    # given: the documents sample refers to orders 142 and 235, unknown to this portal
    sale.checkauth()
    sale.call("init", version="2.09")
    assert sale.upload("documents.xml", DOCUMENTS.read_bytes()) == [["success"]]

    # when
    answer = sale.import_until_done("documents.xml")[-1]

    # then
    assert answer[0] == "failure"
    assert answer[1].startswith("documents.xml: порция 1 (order-updates")
    assert "142" in answer[1]


def answer_from_1c(served: Path, *, erp_number: str, status_id: str) -> bytes:
    """The served orders as 1C sends them back: its own number and a status id added."""
    text = served.read_bytes().decode("cp1251")
    text = re.sub(r"(<Номер>[^<]*</Номер>)", rf"\1<Номер1С>{erp_number}</Номер1С>", text)
    text = re.sub(
        r"(</ЗначенияРеквизитов>\s*</Документ>)",
        "<ЗначениеРеквизита><Наименование>Статуса заказа ИД</Наименование>"
        rf"<Значение>{status_id}</Значение></ЗначениеРеквизита>\1",
        text,
    )
    assert text.count("<Номер1С>") == 1
    assert text.count("Статуса заказа ИД") == 1
    return text.encode("cp1251")


def order_answered_by_1c(
    sale: OneC, world: World, tmp_path: Path, *, erp_number: str
) -> tuple[Order, bytes]:
    """A portal order served to 1C and acknowledged, and 1C's document answering it with its
    own number and the status "P"; 1C is signed in again for the next session."""
    order = place_order(world)
    sale.checkauth()
    _, served = query(sale, tmp_path)
    sale.call("success")
    sale.checkauth()
    return order, answer_from_1c(served, erp_number=erp_number, status_id="P")


def test_a_status_from_1c_reaches_the_portal_order(
    sale: OneC, world: World, tmp_path: Path
) -> None:
    # given: the portal's order sent to 1C, and 1C answering with its number and a status
    order, document = order_answered_by_1c(sale, world, tmp_path, erp_number="УТ-77")
    sale.call("init", version="2.08")
    sale.upload("orders.xml", document)

    # when
    answer = sale.import_until_done("orders.xml")[-1]

    # then
    assert answer[0] == "success", answer
    order.refresh_from_db()
    assert order.erp_number == "УТ-77"
    assert order.status.code == "confirmed"


def test_the_older_order_exchange_imports_a_document_with_the_upload_that_completes_it(
    sale: OneC, world: World, tmp_path: Path
) -> None:
    # given: 1C's answer to a served order, and an older 1C module: no version at init, and
    # no `import` request will ever come
    order, document = order_answered_by_1c(sale, world, tmp_path, erp_number="УТ-78")
    init = sale.call("init")
    assert not any(line.startswith("version=") for line in init)

    # when: the document arrives in three parts
    answers = sale.upload("orders.xml", document, chunk=len(document) // 3 + 1)

    # then: the parts before the last are only stored; the last one imports the document
    assert len(answers) == 3
    assert answers[:2] == [["success"], ["success"]]
    assert answers[2][0] == "success", answers
    order.refresh_from_db()
    assert order.erp_number == "УТ-78"
    assert order.status.code == "confirmed"


def test_the_older_order_exchange_answers_failure_for_a_document_it_cannot_apply(
    sale: OneC, world: World
) -> None:
    sale.checkauth()
    sale.call("init")

    answers = sale.upload("documents.xml", DOCUMENTS.read_bytes())

    assert answers[-1][0] == "failure"
    assert "142" in answers[-1][1]
    assert not ErpBatch.objects.filter(status=ErpBatch.Status.ACCEPTED).exists()


def test_with_a_version_at_init_the_upload_waits_for_import(
    sale: OneC, world: World, tmp_path: Path
) -> None:
    order, document = order_answered_by_1c(sale, world, tmp_path, erp_number="УТ-79")
    sale.call("init", version="3.1")

    assert sale.upload("orders.xml", document) == [["success"]]
    order.refresh_from_db()
    assert order.erp_number != "УТ-79"

    assert sale.import_until_done("orders.xml")[-1][0] == "success"
    order.refresh_from_db()
    assert order.erp_number == "УТ-79"
