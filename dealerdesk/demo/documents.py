"""Product documentation of the demo: real PDF datasheets, certificates and manuals.

A few dozen PDFs are rendered once per storage and shared: every product of a series points at
its series' datasheet, every product of a subcategory at the subcategory's certificate. The
number of document rows is capped, so a catalog of a million products costs no more here than
one of twenty thousand.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dealerdesk.catalog.models import ProductDocument
from dealerdesk.demo.catalog_data import (
    BRANDS,
    SUBCATEGORY_PARENT,
    TOP_CATEGORIES,
    DemoCatalog,
    Family,
    demo_catalog,
)
from dealerdesk.demo.people import SUPPLIER
from dealerdesk.documents.pdf import render_pdf

logger = logging.getLogger(__name__)

DOCUMENT_DIRECTORY = "product-documents/demo"
TEMPLATE = "demo/datasheet.html"
MAX_DOCUMENT_ROWS = 5_000
DATASHEET_FAMILIES_PER_SUBCATEGORY = 1
EXAMPLE_ROWS = 14
ISSUED_ON = datetime.date(2025, 3, 12)
KIND_TITLES = {
    ProductDocument.Kind.DATASHEET: "Техническое описание",
    ProductDocument.Kind.CERTIFICATE: "Сертификат соответствия ЕАЭС",
    ProductDocument.Kind.MANUAL: "Руководство по эксплуатации",
}


@dataclass(frozen=True)
class PlannedDocument:
    key: str  # also the stored file's name
    kind: ProductDocument.Kind
    title: str
    family_indexes: tuple[int, ...]  # the families whose products carry it
    context: Mapping[str, Any]

    @property
    def storage_name(self) -> str:
        return f"{DOCUMENT_DIRECTORY}/{self.key}.pdf"

    @property
    def download_name(self) -> str:
        return f"{self.title}.pdf".replace("/", "-").replace(":", "-")


@dataclass(frozen=True)
class StoredDocument:
    planned: PlannedDocument
    size: int


def _category_names() -> tuple[dict[str, str], dict[str, str]]:
    tops = {top.key: top.name for top, _subs in TOP_CATEGORIES}
    subs = {sub.key: sub.name for _top, subs in TOP_CATEGORIES for sub in subs}
    return tops, subs


def _specifications(family: Family) -> list[tuple[str, str]]:
    """Each attribute with the values the series offers, in catalog order."""
    values_by_name: dict[str, dict[str, None]] = {}
    for params in family.params:
        for name, template in family.spec.attributes:
            values_by_name.setdefault(name, {})[template.format_map({**params, "serial": 0})] = None
    rows = []
    for name, values in values_by_name.items():
        listed = list(values)
        text = ", ".join(listed[:16]) + (" …" if len(listed) > 16 else "")
        rows.append((name, text))
    return rows


def _examples(family: Family) -> list[dict[str, str]]:
    step = max(1, family.size // EXAMPLE_ROWS)
    rows = []
    for position in range(0, family.size, step)[:EXAMPLE_ROWS]:
        variant = family.base_variant(position)
        rows.append({"code": variant.code, "name": variant.name, "unit": variant.unit})
    return rows


def _brands_of(families: Sequence[Family]) -> list[str]:
    names = {params["brand"] for family in families for params in family.params}
    return [brand.name for brand in BRANDS if brand.name in names]


def _common_context(kind: ProductDocument.Kind, number: str) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "kind_title": KIND_TITLES[kind],
        "document_number": number,
        "issued_on": ISSUED_ON.strftime("%d.%m.%Y"),
        "valid_until": (
            ISSUED_ON.replace(year=ISSUED_ON.year + 5) - datetime.timedelta(days=1)
        ).strftime("%d.%m.%Y"),
        "supplier_name": SUPPLIER["name"],
        "supplier_full_name": SUPPLIER["full_name"],
        "supplier_inn": SUPPLIER["inn"],
    }


def plan_documents(catalog: DemoCatalog | None = None) -> list[PlannedDocument]:
    catalog = catalog or demo_catalog()
    tops, subs = _category_names()
    by_subcategory: dict[str, list[Family]] = {}
    for family in catalog.families:
        by_subcategory.setdefault(family.spec.subcategory, []).append(family)

    planned: list[PlannedDocument] = []
    for number, (subcategory, families) in enumerate(by_subcategory.items(), start=1):
        path = f"{tops[SUBCATEGORY_PARENT[subcategory]]} / {subs[subcategory]}"
        with_datasheet = families[:DATASHEET_FAMILIES_PER_SUBCATEGORY] + [
            family
            for family in families[DATASHEET_FAMILIES_PER_SUBCATEGORY:]
            if family.spec.has_manual
        ]
        for family in with_datasheet:
            for kind in (ProductDocument.Kind.DATASHEET, ProductDocument.Kind.MANUAL):
                if kind is ProductDocument.Kind.MANUAL and not family.spec.has_manual:
                    continue
                prefix = "ТО" if kind is ProductDocument.Kind.DATASHEET else "РЭ"
                planned.append(
                    PlannedDocument(
                        key=f"{kind.value}-{family.spec.key}",
                        kind=kind,
                        title=f"{KIND_TITLES[kind]} {family.spec.series}",
                        family_indexes=(family.index,),
                        context={
                            **_common_context(kind, f"{prefix} {family.index + 1:03d}-2025"),
                            "title": family.spec.series,
                            "category_path": f"{path} / {family.spec.series}",
                            "description": family.spec.description,
                            "standards": [family.spec.standard],
                            "brands": _brands_of([family]),
                            "specifications": _specifications(family),
                            "examples": _examples(family),
                        },
                    )
                )
        kind = ProductDocument.Kind.CERTIFICATE
        planned.append(
            PlannedDocument(
                key=f"{kind.value}-{subcategory}",
                kind=kind,
                title=f"{KIND_TITLES[kind]} — {subs[subcategory]}",
                family_indexes=tuple(family.index for family in families),
                context={
                    **_common_context(kind, f"ЕАЭС RU С-RU.НА36.В.{1200 + number:05d}/25"),
                    "title": subs[subcategory],
                    "category_path": path,
                    "category_name": subs[subcategory],
                    "series": [family.spec.series for family in families],
                    "standards": sorted({family.spec.standard for family in families}),
                    "brands": _brands_of(families),
                },
            )
        )
    return planned


def products_per_family(planned: Sequence[PlannedDocument]) -> int:
    """How many products of each family get documents, so rows stay under the cap."""
    rows_per_product_round = sum(len(document.family_indexes) for document in planned)
    return max(1, MAX_DOCUMENT_ROWS // max(1, rows_per_product_round))


def store_document_files(planned: Sequence[PlannedDocument]) -> list[StoredDocument]:
    """Render and save the PDFs the storage does not hold yet; reuse the others."""
    stored = []
    rendered = 0
    for document in planned:
        if not default_storage.exists(document.storage_name):
            pdf = render_pdf(TEMPLATE, dict(document.context))
            saved_as = default_storage.save(document.storage_name, ContentFile(pdf))
            if saved_as != document.storage_name:  # pragma: no cover - a race with another run
                default_storage.delete(saved_as)
            rendered += 1
        stored.append(StoredDocument(document, default_storage.size(document.storage_name)))
    logger.info("demo documents: %d rendered, %d reused", rendered, len(planned) - rendered)
    return stored


def _document_rows(
    stored: Sequence[StoredDocument], product_ids: Mapping[int, Sequence[int]]
) -> Iterator[ProductDocument]:
    for item in stored:
        document = item.planned
        for family_index in document.family_indexes:
            for product_id in product_ids.get(family_index, ()):
                yield ProductDocument(
                    erp_id=f"demo-doc-{product_id}-{document.key}",
                    product_id=product_id,
                    kind=document.kind,
                    title=document.title,
                    file=document.storage_name,
                    file_name=document.download_name,
                    content_type="application/pdf",
                    file_size=item.size,
                )


def attach_documents(
    stored: Sequence[StoredDocument], product_ids: Mapping[int, Sequence[int]]
) -> int:
    """Document rows for the sampled products of each family; returns how many."""
    rows = list(_document_rows(stored, product_ids))[:MAX_DOCUMENT_ROWS]
    ProductDocument.objects.bulk_create(rows, batch_size=500)
    return len(rows)
