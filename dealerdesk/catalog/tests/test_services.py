from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dealerdesk.catalog.models import Category
from dealerdesk.catalog.services import categories_rebuild_paths, category_save
from dealerdesk.catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_new_category_gets_its_path_and_depth() -> None:
    root = CategoryFactory(name="Root")
    child = CategoryFactory(name="Child", parent=root)
    leaf = CategoryFactory(name="Leaf", parent=child)
    assert root.path == f"/{root.id}/"
    assert leaf.path == f"/{root.id}/{child.id}/{leaf.id}/"
    assert (root.depth, child.depth, leaf.depth) == (0, 1, 2)
    assert leaf.ancestor_ids == [leaf.id, child.id, root.id]


def test_moving_a_category_moves_its_whole_subtree() -> None:
    # given root_a / child / leaf, and root_b
    root_a = CategoryFactory()
    root_b = CategoryFactory()
    child = CategoryFactory(parent=root_a)
    leaf = CategoryFactory(parent=child)
    # when child moves under root_b
    child.parent = root_b
    category_save(category=child)
    # then
    leaf.refresh_from_db()
    assert leaf.path == f"/{root_b.id}/{child.id}/{leaf.id}/"
    assert leaf.depth == 2


def test_a_category_cannot_move_under_its_own_descendant() -> None:
    root = CategoryFactory()
    child = CategoryFactory(parent=root)
    root.parent = child
    with pytest.raises(ValidationError):
        category_save(category=root)


def test_paths_are_rebuilt_after_a_bulk_load() -> None:
    root = CategoryFactory()
    child = CategoryFactory(parent=root)
    Category.objects.update(path="", depth=0)
    assert categories_rebuild_paths() == 2
    child.refresh_from_db()
    assert child.path == f"/{root.id}/{child.id}/"
    assert categories_rebuild_paths() == 0


def test_product_keys_follow_code_and_name() -> None:
    product = ProductFactory(code=" Mva-1 ", name="Лампа ЁЛКА")
    assert product.code_key == "mva-1"
    assert product.search_text == "mva1 лампа елка"
    product.name = "Другое"
    product.save(update_fields=["name"])
    product.refresh_from_db()
    assert product.search_text == "mva1 другое"
