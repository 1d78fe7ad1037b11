from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(using: str = "default", **_kwargs: Any) -> None:
    from dealerdesk.catalog.search import ensure_search_index

    ensure_search_index(connections[using])


class CatalogConfig(AppConfig):
    name = "dealerdesk.catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        # The search index is not a Django model; it is (re)built after every migrate because
        # SQLite table rebuilds in later migrations drop the triggers that keep it current.
        post_migrate.connect(_ensure_search_index, sender=self)
