"""The 1C "exchange with a website" protocol: sessions, the upload area and the step-wise import.

1C drives everything: `checkauth` opens a session (a cookie), `init` clears its upload area,
`file` appends chunks of files to it, `import` is repeated until it answers `success`, and for
orders `query` serves what the portal has to send and `success` acknowledges it. Every change
goes through `items_receive`, the same validation, journal and idempotency as the REST API; the
idempotency key of a chunk is derived from the session, the file's content and the chunk's
position, so a repeated `import` step replays instead of writing twice.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dealerdesk.catalog.models import Product
from dealerdesk.erp import resources
from dealerdesk.erp.batches import items_receive
from dealerdesk.erp.commerceml.parser import (
    Chunk,
    CommerceMLError,
    drop_unknown_products,
    read_document,
)
from dealerdesk.erp.commerceml.unzip import unpack_zip
from dealerdesk.erp.commerceml.writer import ORDER_EVENT_KINDS, orders_document
from dealerdesk.erp.models import ErpClient, ExchangeSession
from dealerdesk.erp.registry import RESOURCES
from dealerdesk.erp.services import events_acknowledge
from dealerdesk.events.models import OutboxEvent

resources.load()
logger = logging.getLogger(__name__)

# No dot in the name: 1C splits `name=value` badly when the name has one.
COOKIE_NAME = "dealerdesk_1c"
# 1C runs an exchange in minutes; a cookie older than this since its last request is refused.
SESSION_LIFETIME = datetime.timedelta(hours=12)
# Upload folders of older sessions are removed at `init`; the newest ones stay for support.
KEPT_SESSION_AREAS = 10
# Items per `items_receive` call: one ERP batch each, so one journal row and one transaction.
CHUNK_ITEMS = 2000
# Outbox events one `query` looks at; the rest are served by the next exchange.
QUERY_MAX_EVENTS = 2000
UNKNOWN_PRODUCTS_KEPT = 1000  # ids kept per file for the answer; the count stops there
TOUCHED_PRODUCTS = ".products-touched"  # a dot name: no upload can take it

_ALLOWED_EXTENSIONS = {
    ".xml", ".zip", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".pdf",
}  # fmt: skip
# A letter or digit first (no `.`, `..` or hidden names), then names as 1C writes them.
_NAME_PART = re.compile(r"^\w[\w .()#+-]*$")
_MAX_NAME_PARTS = 8


class ExchangeError(Exception):
    """A request 1C must be told about in a `failure` answer; the message is for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cookie_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# --- sessions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedSession:
    session: ExchangeSession
    cookie: str  # shown to 1C once; only its hash is stored


def session_open(*, client: ErpClient, kind: str) -> OpenedSession:
    cookie = secrets.token_urlsafe(32)
    session = ExchangeSession.objects.create(
        client=client,
        kind=kind,
        cookie_hash=cookie_hash(cookie),
        sessid=secrets.token_hex(16),
    )
    return OpenedSession(session, cookie)


def session_resume(*, cookie: str, sessid: str | None) -> ExchangeSession:
    """The session of this cookie, if it is alive and its client may still exchange."""
    if not cookie:
        raise ExchangeError(
            "нет cookie сеанса обмена: начните обмен с mode=checkauth (логин и ключ ERP-клиента)"
        )
    session = (
        ExchangeSession.objects.select_related("client")
        .filter(cookie_hash=cookie_hash(cookie))
        .first()
    )
    now = timezone.now()
    if session is None or now - session.last_request_at > SESSION_LIFETIME:
        raise ExchangeError("сеанс обмена не найден или истёк: начните обмен заново (checkauth)")
    if not session.client.is_active:
        raise ExchangeError("ключ ERP-клиента отозван: обмен запрещён")
    if sessid is not None and sessid != session.sessid:
        raise ExchangeError("sessid не совпадает с выданным при checkauth: начните обмен заново")
    ExchangeSession.objects.filter(pk=session.pk).update(last_request_at=now)
    session.last_request_at = now
    return session


def session_area(session: ExchangeSession) -> Path:
    return (Path(settings.EXCHANGE_1C_AREA) / str(session.pk)).resolve()


def session_init(*, session: ExchangeSession, imports_on_upload: bool = False) -> None:
    """Start the upload from scratch: an empty folder and no import progress.

    `imports_on_upload`: the older order exchange, where 1C sends no `version` at `init` and
    never asks for `import`: a document is imported by the `file` request that completes it.
    """
    area = session_area(session)
    if area.exists():
        shutil.rmtree(area)
    area.mkdir(parents=True)
    session.state = {"imports_on_upload": True} if imports_on_upload else {}
    session.save(update_fields=["state"])
    _remove_old_areas(session)


def session_complete(*, session: ExchangeSession) -> None:
    session.completed_at = timezone.now()
    session.save(update_fields=["completed_at"])


def _remove_old_areas(session: ExchangeSession) -> None:
    old = ExchangeSession.objects.filter(client=session.client).order_by("-id")[KEPT_SESSION_AREAS:]
    for pk in old.values_list("pk", flat=True):
        shutil.rmtree(Path(settings.EXCHANGE_1C_AREA) / str(pk), ignore_errors=True)


# --- uploads --------------------------------------------------------------------------------


def upload_path(session: ExchangeSession, filename: str) -> Path:
    """Where an uploaded file lives: inside the session's folder, whatever 1C sent as its name.

    Sub-folders (`import_files/ab/picture.jpg`) are allowed; absolute names, `..`, hidden
    names and unexpected extensions are refused."""
    name = filename.replace("\\", "/")
    parts = name.split("/")
    if (
        not name
        or len(name) > 255
        or len(parts) > _MAX_NAME_PARTS
        or not all(_NAME_PART.match(part) for part in parts)
    ):
        raise ExchangeError(
            f"недопустимое имя файла {filename!r}: ожидается имя вроде import.xml или "
            "import_files/папка/картинка.jpg, без .. и абсолютных путей"
        )
    if Path(parts[-1]).suffix.lower() not in _ALLOWED_EXTENSIONS:
        allowed = ", ".join(sorted(_ALLOWED_EXTENSIONS))
        raise ExchangeError(f"недопустимый тип файла {filename!r}: принимаются {allowed}")
    area = session_area(session)
    path = area.joinpath(*parts)
    # A symbolic link planted in the area could still lead outside: check the real path.
    if not path.resolve().is_relative_to(area.resolve()):
        raise ExchangeError(f"недопустимое имя файла {filename!r}: путь выходит за папку обмена")
    return path


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def file_limit() -> int:
    return int(settings.EXCHANGE_1C_FILE_LIMIT)


def file_append(
    *, session: ExchangeSession, filename: str, body: Readable, declared_length: int
) -> int:
    """Append one uploaded chunk to the file; the size of the file afterwards.

    The chunk is received whole before the file is touched, and an append that fails is cut
    back, so an interrupted request leaves the file as it was."""
    path = upload_path(session, filename)
    limit = file_limit()
    too_big = ExchangeError(
        f"порция файла {filename} больше file_limit={limit} байт: уменьшите порцию"
    )
    if declared_length > limit:
        raise too_big
    area = session_area(session)
    area.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=area) as spool:
        size = 0
        while block := body.read(1024 * 1024):
            size += len(block)
            if size > limit:
                raise too_big
            spool.write(block)
        spool.seek(0)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as target:
            start = target.tell()
            try:
                shutil.copyfileobj(spool, target)
                target.flush()
                os.fsync(target.fileno())
            except OSError:
                target.truncate(start)
                raise
            total = target.tell()
    # New bytes make a new file: its import starts again, under a new content hash.
    files = session.state.get("files", {})
    archives = session.state.get("archives", {})
    key = _state_key(session, path)
    if files.pop(key, None) is not None or archives.pop(key, None) is not None:
        session.save(update_fields=["state"])
    return total


_DOCUMENT_END = re.compile(r"</(?:[\w.-]+:)?КоммерческаяИнформация>\s*$")


def upload_complete(session: ExchangeSession, filename: str) -> bool:
    """Whether the uploaded file is whole, judged by its end: an archive's directory, or a
    document's closing root element (in either of 1C's encodings). 1C may send a large file
    in parts; the older order exchange imports it once its last part has arrived."""
    path = upload_path(session, filename)
    if not path.is_file():
        return False
    if path.suffix.lower() == ".zip":
        return zipfile.is_zipfile(path)
    with path.open("rb") as stream:
        stream.seek(max(0, path.stat().st_size - 1024))
        tail = stream.read()
    return any(
        _DOCUMENT_END.search(tail.decode(encoding, errors="ignore"))
        for encoding in ("utf-8", "cp1251")
    )


def import_on_upload(*, session: ExchangeSession, filename: str) -> StepAnswer:
    """The older order exchange: import the whole file now, in this request, and answer as
    the last `import` step would. Until the file is complete, the part is only stored."""
    if not upload_complete(session, filename):
        return StepAnswer("success", "")
    while True:
        answer = import_step(session=session, filename=filename, step_seconds=float("inf"))
        if answer.status != "progress":
            return answer


def _state_key(session: ExchangeSession, path: Path) -> str:
    return path.relative_to(session_area(session)).as_posix()


# --- import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepAnswer:
    status: str  # success, progress or failure: the first line of the answer
    message: str


def import_step(
    *, session: ExchangeSession, filename: str, step_seconds: float | None = None
) -> StepAnswer:
    """Work on `filename` for about EXCHANGE_1C_STEP_SECONDS, then say how far it got.

    The first calls unpack uploaded archives (one per call). A file is read chunk by chunk;
    chunks applied by earlier steps are skipped, so 1C repeating the same request continues
    where the last one stopped. An archive's own name imports every XML file in it."""
    seconds = settings.EXCHANGE_1C_STEP_SECONDS if step_seconds is None else step_seconds
    deadline = time.monotonic() + float(seconds)
    unpacked = _unpack_next_archive(session)
    if unpacked is not None:
        return unpacked
    targets = _targets(session, filename)
    worked = False
    for path in targets:
        answer = _import_file(session, path, deadline, worked)
        if answer.status != "success":
            return answer
        worked = True
    return StepAnswer("success", "; ".join(_summary(session, path) for path in targets))


def _unpack_next_archive(session: ExchangeSession) -> StepAnswer | None:
    area = session_area(session)
    archives: dict[str, list[str]] = session.state.setdefault("archives", {})
    for archive in sorted(area.glob("*.zip")) if area.exists() else []:
        key = _state_key(session, archive)
        if key in archives:
            continue
        try:
            extracted = unpack_zip(archive, area)
        except CommerceMLError as error:
            raise ExchangeError(f"{key}: {error.message}") from error
        archives[key] = [_state_key(session, path) for path in extracted]
        session.save(update_fields=["state"])
        return StepAnswer("progress", f"архив {key} распакован: файлов {len(extracted)}")
    return None


def _targets(session: ExchangeSession, filename: str) -> list[Path]:
    path = upload_path(session, filename)
    key = _state_key(session, path)
    archives: dict[str, list[str]] = session.state.get("archives", {})
    if key in archives:
        area = session_area(session)
        documents = [area / name for name in archives[key] if name.lower().endswith(".xml")]
        if not documents:
            raise ExchangeError(f"в архиве {key} нет XML-файлов")
        return sorted(documents, key=_document_order)
    if path.is_file():
        return [path]
    # 1C names the file as it was before zipping; the archive may have kept it in a folder.
    base = path.name
    for names in archives.values():
        for name in names:
            if name.rsplit("/", 1)[-1] == base:
                return [session_area(session) / name]
    raise ExchangeError(f"файл {filename} не загружен в этом сеансе обмена (mode=file)")


_OFFERS_MARKERS = ("ПакетПредложений", "ИзмененияПакетаПредложений")
_CATALOG_MARKERS = ("Классификатор", "Каталог")


def _document_order(path: Path) -> tuple[int, str]:
    """Catalogue before offers, prices and stock, documents last: the order 1C itself sends
    files in. Decided by a glance at the content, never by the file's name."""
    with path.open("rb") as stream:
        head = stream.read(64 * 1024)
    text = head.decode("utf-8", errors="ignore")
    if 'encoding="windows-1251"' in text.lower() or "encoding='windows-1251'" in text.lower():
        text = head.decode("cp1251", errors="ignore")
    if any(f"<{marker}" in text or f":{marker}" in text for marker in _OFFERS_MARKERS):
        rank = 1
    elif any(f"<{marker}" in text or f":{marker}" in text for marker in _CATALOG_MARKERS):
        rank = 0
    else:
        rank = 2
    return rank, path.name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _file_state(session: ExchangeSession, path: Path) -> dict[str, Any]:
    files: dict[str, dict[str, Any]] = session.state.setdefault("files", {})
    key = _state_key(session, path)
    entry = files.get(key)
    if entry is None:
        entry = files[key] = {
            "sha256": file_sha256(path),
            "chunks": 0,
            "objects": 0,
            "created": 0,
            "updated": 0,
            "deleted": 0,
            "skipped": 0,
            "resources": {},
            "done": False,
        }
        session.save(update_fields=["state"])
    return entry


def _import_file(session: ExchangeSession, path: Path, deadline: float, worked: bool) -> StepAnswer:
    name = _state_key(session, path)
    entry = _file_state(session, path)
    if entry["done"]:
        return StepAnswer("success", "")
    try:
        for position, chunk in _chunks(path, entry["chunks"]):
            if worked and time.monotonic() >= deadline:
                return StepAnswer("progress", _progress(name, entry))
            _apply_chunk(session, name, entry, position, chunk)
            worked = True
    except CommerceMLError as error:
        raise ExchangeError(f"{name}: {error.message}") from error
    entry["done"] = True
    session.save(update_fields=["state"])
    return StepAnswer("success", "")


def _chunks(path: Path, start: int) -> Iterator[tuple[int, Chunk]]:
    """The file's chunks from `start` on. The file is parsed once, on the first step, into
    chunk files beside it: later steps read their chunks back instead of parsing the XML
    again from its beginning (which made a large import quadratic)."""
    spool = path.with_name(f"{path.name}.chunks")
    complete = spool / "complete"
    if not complete.exists():
        _spool(path, spool)
    total = int(complete.read_text())
    for position in range(start, total):
        data = json.loads((spool / f"{position:06d}.json").read_text(encoding="utf-8"))
        yield (
            position,
            Chunk(resource=data["resource"], items=data["items"], options=data["options"]),
        )


def _spool(path: Path, spool: Path) -> None:
    # Chunks stream to disk as the parser yields them: memory stays flat however large the
    # file. A step interrupted while spooling starts the spool over.
    shutil.rmtree(spool, ignore_errors=True)
    spool.mkdir(parents=True)
    count = 0
    for count, chunk in enumerate(read_document(path, chunk_size=CHUNK_ITEMS), start=1):
        text = json.dumps(
            {"resource": chunk.resource, "items": chunk.items, "options": chunk.options},
            ensure_ascii=False,
            default=str,
        )
        (spool / f"{count - 1:06d}.json").write_text(text, encoding="utf-8")
    (spool / "complete").write_text(str(count))


def _apply_chunk(
    session: ExchangeSession, name: str, entry: dict[str, Any], position: int, chunk: Chunk
) -> None:
    resource = RESOURCES.get(chunk.resource)
    if resource is None:  # pragma: no cover - the reader only yields registered resources
        raise ExchangeError(f"{name}: неизвестный ресурс {chunk.resource!r}")
    # Offers files list goods the catalogue did not publish; their rows alone are left out.
    chunk, unknown = drop_unknown_products(chunk, _existing_products)
    answer = items_receive(
        client=session.client,
        resource=resource,
        items=chunk.items,
        options=chunk.options or None,
        idempotency_key=f"1c:{session.pk}:{entry['sha256'][:16]}:{position}",
    )
    if answer.status != 200:
        message = answer.body.get("message") or f"ответ {answer.status}"
        raise ExchangeError(
            f"{name}: порция {position + 1} ({chunk.resource}, объектов {len(chunk.items)}) "
            f"не загружена: {message}"
        )
    if chunk.resource == "products":
        _remember_touched_products(session, chunk.items)
    entry["chunks"] = position + 1
    entry["objects"] += len(chunk.items)
    for count in ("created", "updated", "deleted"):
        entry[count] += int(answer.body.get(count, 0))
    entry["skipped"] += len(answer.body.get("skipped", []))
    if unknown:
        known_unknown: list[str] = entry.setdefault("unknown_products", [])
        for erp_id in unknown:
            if erp_id not in known_unknown and len(known_unknown) < UNKNOWN_PRODUCTS_KEPT:
                known_unknown.append(erp_id)
    counts: dict[str, int] = entry["resources"]
    counts[chunk.resource] = counts.get(chunk.resource, 0) + len(chunk.items)
    session.save(update_fields=["state"])


def _unknown_products_note(unknown: list[str]) -> str:
    if not unknown:
        return ""
    count = f"не менее {len(unknown)}" if len(unknown) >= UNKNOWN_PRODUCTS_KEPT else len(unknown)
    return (
        f"; пропущены цены и остатки товаров, которых нет в каталоге: {count} "
        f"(например, {', '.join(unknown[:3])})"
    )


def _existing_products(erp_ids: Collection[str]) -> Collection[str]:
    found: set[str] = set()
    wanted = list(erp_ids)
    for start in range(0, len(wanted), 1000):
        rows = Product.objects.filter(erp_id__in=wanted[start : start + 1000])
        found.update(erp_id for erp_id in rows.values_list("erp_id", flat=True) if erp_id)
    return found


def _progress(name: str, entry: dict[str, Any]) -> str:
    return f"{name}: обработано объектов {entry['objects']} (порций {entry['chunks']}), продолжаю"


def _summary(session: ExchangeSession, path: Path) -> str:
    name = _state_key(session, path)
    entry = session.state["files"][name]
    per_resource = ", ".join(f"{key} {value}" for key, value in entry["resources"].items())
    return (
        f"{name}: загружено объектов {entry['objects']}"
        + (f" ({per_resource})" if per_resource else "")
        + f"; создано {entry['created']}, изменено {entry['updated']}, "
        f"удалено {entry['deleted']}, пропущено как устаревшие {entry['skipped']}"
        + _unknown_products_note(entry.get("unknown_products", []))
    )


# --- deactivate -----------------------------------------------------------------------------


def _remember_touched_products(session: ExchangeSession, items: list[dict[str, Any]]) -> None:
    # A file, not the state: a full catalogue holds 100 000 products.
    area = session_area(session)
    area.mkdir(parents=True, exist_ok=True)
    with (area / TOUCHED_PRODUCTS).open("a", encoding="utf-8") as stream:
        stream.writelines(f"{item['id']}\n" for item in items if item.get("id"))


@transaction.atomic
def catalog_deactivate(*, session: ExchangeSession) -> str:
    """Archive the ERP's products this exchange did not send. 1C asks for it only after a
    full upload; an exchange that sent no product archives nothing, whatever it asks."""
    touched_file = session_area(session) / TOUCHED_PRODUCTS
    if not touched_file.exists():
        return "товары в этом обмене не загружались: архивировать нечего"
    touched = set(touched_file.read_text(encoding="utf-8").split())
    stale = [
        pk
        for pk, erp_id in Product.objects.filter(is_active=True, erp_id__isnull=False).values_list(
            "pk", "erp_id"
        )
        if erp_id not in touched
    ]
    now = timezone.now()
    for start in range(0, len(stale), 1000):
        Product.objects.filter(pk__in=stale[start : start + 1000]).update(
            is_active=False, updated_at=now
        )
    return f"товаров в выгрузке {len(touched)}; снято с публикации (в архив) {len(stale)}"


# --- orders for 1C --------------------------------------------------------------------------


def orders_query(*, session: ExchangeSession) -> bytes:
    """The orders 1C has not acknowledged, as a CommerceML document; remembers how far the
    document reaches so `success` of this session can acknowledge exactly that."""
    client = ErpClient.objects.get(pk=session.client_id)
    events = list(
        OutboxEvent.objects.filter(id__gt=client.acknowledged_event_id).order_by("id")[
            :QUERY_MAX_EVENTS
        ]
    )
    # One document per order, as it was last sent: a later change replaces the first one.
    latest: dict[str, dict[str, Any]] = {}
    for event in events:
        if event.kind in ORDER_EVENT_KINDS and isinstance(event.payload, dict):
            key = event.aggregate_id
            latest.pop(key, None)
            latest[key] = event.payload
    # Events of other kinds are passed over too: the CommerceML exchange has no place for them.
    session.query_cursor = events[-1].id if events else client.acknowledged_event_id
    session.save(update_fields=["query_cursor"])
    return orders_document(
        list(latest.values()), encoding=settings.EXCHANGE_1C_ENCODING, generated_at=timezone.now()
    )


def orders_acknowledge(*, session: ExchangeSession) -> str:
    if session.query_cursor is None:
        return "в этом сеансе не было запроса заказов (mode=query): подтверждать нечего"
    cursor = events_acknowledge(client=session.client, cursor=session.query_cursor)
    return f"заказы подтверждены по событие {cursor}"
