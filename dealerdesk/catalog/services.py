"""Catalog writes."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from dealerdesk.catalog.models import Category, Product, ProductDocument


def _path_for(category: Category, parent: Category | None) -> tuple[str, int]:
    if parent is None:
        return f"/{category.pk}/", 0
    return f"{parent.path}{category.pk}/", parent.depth + 1


@transaction.atomic
def category_save(*, category: Category) -> Category:
    """Create or update a category, keeping the materialised paths of its subtree right."""
    parent = category.parent
    is_new = category._state.adding
    if parent is not None and not is_new and f"/{category.pk}/" in parent.path:
        raise ValidationError({"parent": _("A category cannot be moved under itself.")})
    old_path = category.path
    category.full_clean(exclude=["path", "depth"])
    if is_new:
        category.save()  # the path holds the category's own id
    category.path, category.depth = _path_for(category, parent)
    category.save()
    if old_path and old_path != category.path:
        # Move the whole subtree: replace the old prefix of every descendant's path.
        depth_change = category.depth - (old_path.count("/") - 2)
        descendants = Category.objects.filter(path__startswith=old_path).exclude(pk=category.pk)
        for descendant in descendants.only("id", "path", "depth"):
            descendant.path = category.path + descendant.path[len(old_path) :]
            descendant.depth += depth_change
            descendant.save(update_fields=["path", "depth"])
    return category


def categories_rebuild_paths() -> int:
    """Recompute every category's path from the parent links (after bulk loads); returns count."""
    rows: list[tuple[int, int | None]] = list(Category.objects.values_list("id", "parent_id"))
    parents = dict(rows)
    paths: dict[int, tuple[str, int]] = {}

    def resolve(category_id: int, seen: frozenset[int] = frozenset()) -> tuple[str, int]:
        if category_id in paths:
            return paths[category_id]
        if category_id in seen:
            raise ValidationError(_("The category tree has a cycle."))
        parent_id = parents[category_id]
        if parent_id is None:
            paths[category_id] = (f"/{category_id}/", 0)
        else:
            parent_path, parent_depth = resolve(parent_id, seen | {category_id})
            paths[category_id] = (f"{parent_path}{category_id}/", parent_depth + 1)
        return paths[category_id]

    changed = []
    existing = {row.id: row for row in Category.objects.only("id", "path", "depth")}
    for category_id, _parent in rows:
        path, depth = resolve(category_id)
        row = existing[category_id]
        if (row.path, row.depth) != (path, depth):
            row.path, row.depth = path, depth
            changed.append(row)
    Category.objects.bulk_update(changed, ["path", "depth"], batch_size=500)
    return len(changed)


@transaction.atomic
def product_document_attach(
    *, product: Product, kind: str, title: str, file: File, file_name: str = ""
) -> ProductDocument:
    name = file_name or PurePath(file.name or "document").name
    document = ProductDocument(
        product=product,
        kind=kind,
        title=title,
        file_name=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        file_size=file.size or 0,
    )
    document.file.save(name, file, save=False)
    document.full_clean()
    document.save()
    return document
